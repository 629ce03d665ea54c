"""Prices in suppliers' files are read as each file writes them: the file's own values decide
its decimal mark (or the supplier's saved column mapping does); a price is never scaled
silently, and what cannot be decided is refused, naming row, column and value."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from catalog.importers.tabular import csv_text
from catalog.models import Agreement, CatalogueImport, ColumnMapping, Supplier
from catalog.services.imports import catalogue_import_receive
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Capture = Callable[..., Any]
HEADING = ["Varenr", "Varenavn", "Pris", "Enhed"]


@pytest.fixture
def grocer(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(municipality=tree.municipality, name="Grossisten A/S")
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.80", suppliers=[supplier]
    )
    return supplier, agreement


@pytest.fixture
def read(
    django_capture_on_commit_callbacks: Capture, grocer: tuple[Supplier, Agreement]
) -> Callable[..., CatalogueImport]:
    def receive(prices: list[str], *, name: str = "prisliste.csv", content: bytes = b"") -> Any:
        rows = [HEADING, *([f"V-{n}", f"Vare {n}", price, "EA"] for n, price in enumerate(prices))]
        supplier, agreement = grocer
        with django_capture_on_commit_callbacks(execute=True):
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=io.BytesIO(content or csv_text(rows)),
                file_name=name,
            )
        received.refresh_from_db()
        return received

    return receive


def _prices(imported: CatalogueImport) -> list[Decimal | None]:
    return [change.new_unit_price for change in imported.changes.order_by("supplier_item_number")]


@pytest.mark.parametrize(
    ("written", "price", "mark"),
    [
        ("35.53", Decimal("35.5300"), "."),
        ("35,53", Decimal("35.5300"), ","),
        ("1.234,50", Decimal("1234.5000"), ","),
        ("1,234.50", Decimal("1234.5000"), "."),
        ("12,5", Decimal("12.5000"), ","),
        ("0.5", Decimal("0.5000"), "."),
        ("1 234,50", Decimal("1234.5000"), ","),
    ],
)
def test_a_price_is_read_as_the_file_writes_it(
    read: Callable[..., CatalogueImport], written: str, price: Decimal, mark: str
) -> None:
    imported = read([written])

    assert imported.status == CatalogueImport.Status.READY
    assert _prices(imported) == [price]
    assert (imported.decimal_mark, imported.decimal_mark_shown_by) == (
        mark,
        {"row": 2, "column": "Pris", "value": written},
    )


def test_danish_headings_and_prices_with_a_point_are_not_scaled(
    read: Callable[..., CatalogueImport],
) -> None:
    # a wholesaler's price list: Danish headings, prices written 35.53 (no saved mapping)
    imported = read(["35.53", "8.75", "112.00"])

    assert _prices(imported) == [Decimal("35.5300"), Decimal("8.7500"), Decimal("112.0000")]


def test_a_thousands_value_is_read_by_the_files_other_values(
    read: Callable[..., CatalogueImport],
) -> None:
    # 1.234 comes first, before anything shows the mark: it waits for the rows after it
    with_commas = read(["1.234", "35,53"])
    with_points = read(["1.234", "35.53"])

    assert _prices(with_commas) == [Decimal("1234.0000"), Decimal("35.5300")]
    assert _prices(with_points) == [Decimal("1.2340"), Decimal("35.5300")]
    assert with_commas.decimal_mark_shown_by == {"row": 3, "column": "Pris", "value": "35,53"}


def test_a_value_nothing_in_the_file_decides_is_refused_naming_it(
    read: Callable[..., CatalogueImport],
) -> None:
    imported = read(["1.234", "12"])

    assert imported.status == CatalogueImport.Status.READY
    assert _prices(imported) == [Decimal("12.0000")]
    assert imported.decimal_mark == ""
    [problem] = imported.problems.all()
    assert (problem.row_number, problem.column, problem.value, problem.is_row_left_out) == (
        2,
        "Pris",
        "1.234",
        True,
    )
    assert problem.message == (
        "“1.234” reads two ways: with “.” grouping thousands, or as the decimal mark. Nothing "
        "else in the file shows which. Set the decimal mark in the supplier's column mapping, "
        "or have the number written with its decimals (e.g. 1.234,00)."
    )


def test_a_file_writing_both_ways_is_refused_naming_a_row_of_each(
    read: Callable[..., CatalogueImport],
) -> None:
    imported = read(["32,00", "1.234,50", "35.53"])

    assert imported.status == CatalogueImport.Status.FAILED
    assert imported.failure == (
        "The file writes numbers both with a decimal comma (row 2, column Pris: “32,00”) and "
        "with a decimal point (row 4, column Pris: “35.53”), so Rekvi cannot tell what its "
        "prices are. Have the file written one way, or set the decimal mark in the supplier's "
        "column mapping: each value is then read as it is written, and values such as 1.234 by "
        "the mapping."
    )
    assert imported.changes.count() == 0


def test_a_saved_decimal_mark_decides_only_what_reads_two_ways(
    read: Callable[..., CatalogueImport], grocer: tuple[Supplier, Agreement], tree: Tree
) -> None:
    supplier, _agreement = grocer
    ColumnMapping.objects.create(
        municipality=tree.municipality, supplier=supplier, decimal_mark=","
    )

    # the mapping says comma: 1.234 is a thousand; 35.53 and 8,75 can only be read one way
    imported = read(["1.234", "35.53", "8,75"])

    assert _prices(imported) == [Decimal("1234.0000"), Decimal("35.5300"), Decimal("8.7500")]
    assert (imported.decimal_mark, imported.decimal_mark_shown_by) == (",", {"mapping": True})
    assert imported.problems.count() == 0


def test_a_pack_size_that_reads_two_ways_is_decided_by_the_price_in_its_row(
    read: Callable[..., CatalogueImport],
) -> None:
    content = csv_text(
        [
            ["Varenr", "Varenavn", "Pris", "Enhed", "Indhold", "Indholdsenhed"],
            ["V-1", "Mel", "1.000", "PK", "2.500", "GRM"],
            ["V-2", "Sukker", "14,95", "PK", "1", "KGM"],
        ]
    )

    imported = read([], content=content)

    assert [
        (change.new_unit_price, change.new_pack_quantity)
        for change in imported.changes.order_by("supplier_item_number")
    ] == [(Decimal("1000.0000"), Decimal("2500.000")), (Decimal("14.9500"), Decimal("1.000"))]


def test_an_excel_sheets_number_cells_are_never_misread(
    read: Callable[..., CatalogueImport],
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADING)
    sheet.append(["V-1", "Mel", 1.234, "PK"])  # a number cell: 1.234 is 1.234
    sheet.append(["V-2", "Sukker", "14,95", "PK"])  # text cells are read like a CSV file's
    buffer = io.BytesIO()
    workbook.save(buffer)

    imported = read([], name="prisliste.xlsx", content=buffer.getvalue())

    assert _prices(imported) == [Decimal("1.2340"), Decimal("14.9500")]
    assert imported.decimal_mark_shown_by == {"row": 3, "column": "Pris", "value": "14,95"}
