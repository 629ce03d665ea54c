"""Supplier catalogue imports, end to end on the database: staged, diffed against the live
catalogue, approved (or rejected) and applied in one go, with every bad row reported."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from catalog.importers.tabular import csv_text
from catalog.models import (
    Agreement,
    AssortmentRule,
    CatalogueChange,
    CatalogueImport,
    CatalogueImportRow,
    ColumnMapping,
    Product,
    Supplier,
)
from catalog.selectors import (
    SearchFilters,
    catalogue_alert_list_for_products,
    catalogue_change_list,
    product_change_history,
    product_search,
)
from catalog.services import assortment_rule_create
from catalog.services.imports import (
    CatalogueImportError,
    ImportErrorCode,
    catalogue_import_approve,
    catalogue_import_receive,
    catalogue_import_reject,
)
from catalog.signals import catalogue_changes_applied
from org.models import User
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = CatalogueImport.Status
HEADING = ["Varenr", "Varenavn", "Pris", "Enhed", "EAN", "Indhold", "Indholdsenhed"]
VERSION_1 = [
    ["KH-1001", "Kuglepen blå, medium, 10 stk.", "32,50", "PK", "5799997000012", "10", "EA"],
    ["KH-1002", "Gule notesblokke 76×76 mm", "54,00", "PK", "", "12", "EA"],
    ["KH-1004", "Limstift 21 g", "8,75", "EA", "", "", ""],
    ["KH-1006", "Ringbind A4, 40 mm ryg", "19,95", "EA", "", "", ""],
]
Capture = Callable[..., Any]


@pytest.fixture
def office(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset Danmark A/S", cvr="29900019"
    )
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.57", suppliers=[supplier]
    )
    return supplier, agreement


def _receive(
    capture: Capture,
    supplier: Supplier,
    agreement: Agreement,
    content: bytes,
    name: str = "katalog.csv",
    by: User | None = None,
) -> CatalogueImport:
    """Upload a file; the import is read at the commit (Celery runs inline in the tests)."""
    with capture(execute=True):
        received = catalogue_import_receive(
            supplier=supplier, agreement=agreement, file=io.BytesIO(content), file_name=name, by=by
        )
    received.refresh_from_db()
    return received


def _approve(
    capture: Capture, imported: CatalogueImport, by: User, **confirmed: bool
) -> CatalogueImport:
    with capture(execute=True):
        catalogue_import_approve(catalogue_import=imported, by=by, **confirmed)
    imported.refresh_from_db()
    return imported


def _live(supplier: Supplier) -> dict[str, tuple[str, Decimal, str, bool]]:
    return {
        product.supplier_item_number: (
            product.name,
            product.unit_price,
            product.unit_code,
            product.is_active,
        )
        for product in Product.objects.filter(supplier=supplier)
    }


def _version_1_live(
    capture: Capture, office: tuple[Supplier, Agreement], admin: User
) -> CatalogueImport:
    supplier, agreement = office
    first = _receive(capture, supplier, agreement, csv_text([HEADING, *VERSION_1]))
    return _approve(capture, first, admin)


def test_a_first_import_stages_good_rows_and_reports_each_bad_one(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    rows = [
        HEADING,
        VERSION_1[0],
        ["KH-1002", "Gule notesblokke", "54 kr", "PK", "", "", ""],
        VERSION_1[2],
        ["KH-1005", "Saks 21 cm", "24,00", "STK", "", "", ""],
        ["", "Viskelæder", "5,00", "EA", "", "", ""],
        ["KH-1001", "Kuglepen rød", "32,50", "PK", "", "", ""],
        [*VERSION_1[3][:4], "123", "", ""],
    ]

    imported = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text(rows), by=assortment_admin
    )

    assert imported.status == Status.READY
    assert (imported.rows_read, imported.rows_staged) == (7, 3)
    assert (imported.problem_count, imported.warning_count) == (4, 1)
    assert [
        (problem.row_number, problem.column, problem.value, problem.code, problem.message)
        for problem in imported.problems.filter(is_row_left_out=True)
    ] == [
        (3, "Pris", "54 kr", "bad_price", "The price “54 kr” is not a number."),
        (
            5,
            "Enhed",
            "STK",
            "unknown_unit",
            "Unit “STK” is not a UN/ECE unit Rekvi knows (unit 'STK' is UN/ECE Rec 20 for "
            "'stick, cigarette', not a unit Rekvi orders in — did you mean H87/EA?).",
        ),
        (6, "Varenr", "", "missing_item_number", "The item number is missing."),
        (
            7,
            "Varenr",
            "KH-1001",
            "duplicate_item_number",
            "The item number appears earlier in the file (row 2); this row is left out.",
        ),
    ]
    assert list(
        imported.problems.filter(is_row_left_out=False).values_list("row_number", "column", "code")
    ) == [(8, "EAN", "bad_gtin")]
    assert (imported.added, imported.removed, imported.changed) == (3, 0, 0)
    assert Product.objects.filter(supplier=supplier).count() == 0  # nothing live before approval
    assert imported.file_size == len(csv_text(rows)) == imported.bytes_read

    applied = _approve(django_capture_on_commit_callbacks, imported, assortment_admin)

    assert applied.status == Status.APPLIED
    assert applied.decided_by == assortment_admin
    assert _live(supplier) == {
        "KH-1001": ("Kuglepen blå, medium, 10 stk.", Decimal("32.5000"), "PK", True),
        "KH-1004": ("Limstift 21 g", Decimal("8.7500"), "EA", True),
        "KH-1006": ("Ringbind A4, 40 mm ryg", Decimal("19.9500"), "EA", True),
    }
    pen = Product.objects.get(supplier=supplier, supplier_item_number="KH-1001")
    assert (pen.gtin, pen.pack_quantity, pen.pack_unit_code) == (
        "5799997000012",
        Decimal("10.000"),
        "EA",
    )
    assert (pen.agreement_id, pen.item_number_key) == (agreement.pk, "KH1001")
    assert "kuglepen" in pen.search_document.split()
    assert CatalogueImportRow.objects.filter(catalogue_import_id=imported.pk).count() == 0


def test_a_row_in_any_un_ece_unit_is_imported_in_its_stored_form(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    rows = [
        HEADING,
        ["KH-2001", "Kopipapir A4, 80 g, 500 ark", "32,95", "RM", "", "", ""],
        ["KH-2002", "Elastikker, 100 stk.", "12,00", "xpk", "", "100", "EA"],
        ["KH-2003", "Sæbe, dunk", "4,10", "LTR", "", "", ""],
        ["KH-2004", "Kildevand, 1 fad", "899,00", "HLT", "", "", ""],
        ["KH-2005", "Karton til kopipapir", "159,00", "XRM", "", "", ""],
    ]

    imported = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text(rows), by=assortment_admin
    )

    assert (imported.rows_read, imported.rows_staged) == (5, 4)
    assert [
        (problem.row_number, problem.column, problem.value, problem.code, problem.message)
        for problem in imported.problems.all()
    ] == [
        (
            6,
            "Enhed",
            "XRM",
            "unknown_unit",
            "Unit “XRM” is not a UN/ECE unit Rekvi knows (unit 'XRM' is not UN/ECE Rec 20 — "
            "did you mean RM?).",
        )
    ]
    _approve(django_capture_on_commit_callbacks, imported, assortment_admin)
    assert {number: unit for number, (_name, _price, unit, _active) in _live(supplier).items()} == {
        "KH-2001": "RM",
        "KH-2002": "PK",
        "KH-2003": "LTR",
        "KH-2004": "HLT",
    }


def test_importing_the_same_file_again_changes_nothing(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    _version_1_live(django_capture_on_commit_callbacks, office, assortment_admin)

    again = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text([HEADING, *VERSION_1])
    )

    assert (again.added, again.removed, again.changed, again.unchanged) == (0, 0, 0, 4)
    assert again.changes.count() == 0


def test_a_new_version_shows_price_changes_in_percent_unit_changes_new_and_gone_items(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    _version_1_live(django_capture_on_commit_callbacks, office, assortment_admin)
    version_2 = [
        HEADING,
        ["KH-1001", "Kuglepen blå, medium, 10 stk.", "34,10", "PK", "5799997000012", "10", "EA"],
        ["KH-1002", "Gule notesblokke 76×76 mm", "48,60", "PK", "", "12", "EA"],
        ["KH-1004", "Limstift 21 g", "8,75", "PK", "", "3", "EA"],
        ["KH-2001", "Farveblyanter, 24 farver", "42,00", "PK", "", "24", "EA"],
    ]

    second = _receive(django_capture_on_commit_callbacks, supplier, agreement, csv_text(version_2))

    assert (second.added, second.removed, second.changed, second.unchanged) == (1, 1, 3, 0)
    assert (second.price_increases, second.price_decreases, second.unit_changes) == (1, 1, 1)
    assert [
        (c.supplier_item_number, c.old_unit_price, c.new_unit_price, c.price_change_percent)
        for c in catalogue_change_list(catalogue_import=second, price_changes=True)
    ] == [
        ("KH-1002", Decimal("54.0000"), Decimal("48.6000"), Decimal("-10.00")),
        ("KH-1001", Decimal("32.5000"), Decimal("34.1000"), Decimal("4.92")),
    ]
    glue = second.changes.get(supplier_item_number="KH-1004")
    assert (glue.old_unit_code, glue.new_unit_code) == ("EA", "PK")
    assert (glue.old_pack_quantity, glue.new_pack_quantity, glue.is_unit_change) == (
        None,
        Decimal("3.000"),
        True,
    )
    assert list(
        second.changes.filter(kind=CatalogueChange.Kind.REMOVED).values_list(
            "supplier_item_number", "old_name", "old_unit_price"
        )
    ) == [("KH-1006", "Ringbind A4, 40 mm ryg", Decimal("19.9500"))]
    assert list(
        second.changes.filter(kind=CatalogueChange.Kind.ADDED).values_list(
            "supplier_item_number", "name", "new_unit_price", "product_id"
        )
    ) == [("KH-2001", "Farveblyanter, 24 farver", Decimal("42.0000"), None)]
    assert (second.live_items, second.is_large_removal) == (4, True)  # 1 of 4 is above 20 %

    _approve(django_capture_on_commit_callbacks, second, assortment_admin, confirm_removals=True)

    assert _live(supplier) == {
        "KH-1001": ("Kuglepen blå, medium, 10 stk.", Decimal("34.1000"), "PK", True),
        "KH-1002": ("Gule notesblokke 76×76 mm", Decimal("48.6000"), "PK", True),
        "KH-1004": ("Limstift 21 g", Decimal("8.7500"), "PK", True),
        "KH-1006": ("Ringbind A4, 40 mm ryg", Decimal("19.9500"), "EA", False),
        "KH-2001": ("Farveblyanter, 24 farver", Decimal("42.0000"), "PK", True),
    }
    pen = Product.objects.get(supplier=supplier, supplier_item_number="KH-1001")
    assert [
        (change.kind, change.old_unit_price, change.new_unit_price)
        for change in product_change_history(product=pen)
    ] == [("changed", Decimal("32.5000"), Decimal("34.1000")), ("added", None, Decimal("32.5000"))]
    assert second.changes.get(supplier_item_number="KH-2001").product is not None


def test_a_rejected_import_changes_nothing_and_keeps_its_file(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    _version_1_live(django_capture_on_commit_callbacks, office, assortment_admin)
    cheaper = [HEADING, *[[*row[:2], "1,00", *row[3:]] for row in VERSION_1]]
    second = _receive(django_capture_on_commit_callbacks, supplier, agreement, csv_text(cheaper))

    rejected = catalogue_import_reject(
        catalogue_import=second, by=assortment_admin, reason="Priserne er forkerte."
    )

    assert rejected.status == Status.REJECTED
    assert rejected.rejection_reason == "Priserne er forkerte."
    assert {price for _name, price, _unit, _active in _live(supplier).values()} == {
        Decimal("32.5000"),
        Decimal("54.0000"),
        Decimal("8.7500"),
        Decimal("19.9500"),
    }
    assert CatalogueImportRow.objects.filter(catalogue_import_id=second.pk).count() == 0
    assert rejected.file.read() == csv_text(cheaper)


def test_only_a_procurement_officer_decides_and_only_once(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
    requisitioner: User,
    stranger: User,
) -> None:
    supplier, agreement = office
    imported = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text([HEADING, *VERSION_1])
    )

    for person in (requisitioner, stranger):
        with pytest.raises(CatalogueImportError) as refused:
            catalogue_import_approve(catalogue_import=imported, by=person)
        assert refused.value.code == ImportErrorCode.NOT_ALLOWED
        assert str(refused.value.message) == "Only a procurement officer can approve an import."
    _approve(django_capture_on_commit_callbacks, imported, assortment_admin)
    with pytest.raises(CatalogueImportError) as twice:
        catalogue_import_approve(catalogue_import=imported, by=assortment_admin)
    assert twice.value.code == ImportErrorCode.WRONG_STATE
    with pytest.raises(CatalogueImportError):
        catalogue_import_reject(catalogue_import=imported, by=assortment_admin, reason="")


def test_a_supplier_trusted_by_the_municipality_is_applied_without_review(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = office
    Supplier.objects.filter(pk=supplier.pk).update(catalogue_auto_approve=True)
    supplier.refresh_from_db()

    imported = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text([HEADING, *VERSION_1])
    )

    assert (imported.status, imported.is_auto_approved, imported.decided_by) == (
        Status.APPLIED,
        True,
        None,
    )
    assert len(_live(supplier)) == 4


def test_search_sees_an_import_only_once_it_is_applied(
    django_capture_on_commit_callbacks: Capture,
    tree: Tree,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
    requisitioner: User,
) -> None:
    supplier, agreement = office
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
    )
    _version_1_live(django_capture_on_commit_callbacks, office, assortment_admin)
    rows = [HEADING, *VERSION_1, ["KH-2001", "Farveblyanter, 24 farver", "42,00", "PK", "", "", ""]]

    def found(query: str) -> list[str]:
        result = product_search(
            user=requisitioner,
            unit=tree.daycare,
            text=query,
            filters=SearchFilters(),
            on=date(2026, 11, 26),
        )
        return [product.supplier_item_number for product in result.products]

    second = _receive(django_capture_on_commit_callbacks, supplier, agreement, csv_text(rows))
    assert found("farveblyanter") == []
    assert found("limstift") == ["KH-1004"]

    _approve(django_capture_on_commit_callbacks, second, assortment_admin)

    assert found("farveblyanter") == ["KH-2001"]
    assert found("blyant") == ["KH-2001"]


def test_an_excel_file_is_read_with_the_suppliers_saved_column_mapping(
    django_capture_on_commit_callbacks: Capture,
    tree: Tree,
    office: tuple[Supplier, Agreement],
) -> None:
    supplier, agreement = office
    ColumnMapping.objects.create(
        municipality=tree.municipality,
        supplier=supplier,
        columns={
            "supplier_item_number": "Art.nr.",
            "name": "Beskrivelse kort",
            "unit_price": "Nettopris DKK",
            "unit_code": "Salgsenhed",
        },
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Art.nr.", "Beskrivelse kort", "Nettopris DKK", "Salgsenhed"])
    sheet.append(["77001", "Hvedemel 2 kg", 18.5, "PK"])
    sheet.append(["77002", "Flormelis 500 g", "gratis", "PK"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    imported = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, buffer.getvalue(), "pris.xlsx"
    )

    assert (imported.format, imported.status, imported.added) == ("xlsx", Status.READY, 1)
    assert list(imported.problems.values_list("row_number", "column", "code")) == [
        (3, "Nettopris DKK", "bad_price")
    ]
    assert imported.changes.get().new_unit_price == Decimal("18.5000")


def test_a_file_that_cannot_be_read_fails_as_a_whole_with_the_reason(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = office

    no_columns = _receive(
        django_capture_on_commit_callbacks,
        supplier,
        agreement,
        csv_text([["Nummer", "Tekst"], ["1", "Kuglepen"]]),
    )
    broken_xml = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, b"<Catalogue><a></b>", "k.xml"
    )

    assert no_columns.status == Status.FAILED
    assert no_columns.failure == (
        "The file has no column for varenummer, navn, pris, enhed (headings found: Nummer, Tekst)."
    )
    assert broken_xml.status == Status.FAILED
    assert broken_xml.failure.startswith(
        "The file is not a catalogue Rekvi can read: not well-formed XML: "
    )
    assert Product.objects.filter(supplier=supplier).count() == 0


def test_an_unknown_file_type_is_refused_on_upload(office: tuple[Supplier, Agreement]) -> None:
    supplier, agreement = office

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import_receive(
            supplier=supplier,
            agreement=agreement,
            file=io.BytesIO(b"%PDF-1.7"),
            file_name="prisliste.pdf",
        )

    assert refused.value.code == ImportErrorCode.UNKNOWN_FORMAT
    assert str(refused.value.message) == "“prisliste.pdf” is not a CSV, XLSX or UBL catalogue file."
    assert CatalogueImport.objects.count() == 0


def test_price_changes_and_removals_reach_the_favourite_list_hook(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    first = _version_1_live(django_capture_on_commit_callbacks, office, assortment_admin)
    ids = dict(Product.objects.filter(supplier=supplier).values_list("supplier_item_number", "pk"))
    heard: list[int] = []

    def listener(sender: object, catalogue_import: CatalogueImport, **kwargs: object) -> None:
        heard.append(catalogue_import.pk)

    catalogue_changes_applied.connect(listener)
    try:
        rows = [
            HEADING,
            [*VERSION_1[0][:2], "35,75", *VERSION_1[0][3:]],
            VERSION_1[1],
            [*VERSION_1[2][:1], "Limstift 21 g, ny", *VERSION_1[2][2:]],
        ]
        second = _receive(django_capture_on_commit_callbacks, supplier, agreement, csv_text(rows))
        _approve(
            django_capture_on_commit_callbacks, second, assortment_admin, confirm_removals=True
        )
    finally:
        catalogue_changes_applied.disconnect(listener)

    assert heard == [second.pk]
    alerts = catalogue_alert_list_for_products(product_ids=ids.values(), since=first.applied_at)
    assert sorted(
        (number, alerts[pk].kind, alerts[pk].old_unit_price, alerts[pk].price_change_percent)
        for number, pk in ids.items()
        if pk in alerts
    ) == [
        ("KH-1001", "changed", Decimal("32.5000"), Decimal("10.00")),
        ("KH-1006", "removed", Decimal("19.9500"), None),
    ]
    assert (
        catalogue_alert_list_for_products(product_ids=ids.values(), since=second.applied_at) == {}
    )


def test_an_import_compared_before_another_was_applied_must_be_compared_again(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    supplier, agreement = office
    older = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text([HEADING, *VERSION_1])
    )
    newer = _receive(
        django_capture_on_commit_callbacks, supplier, agreement, csv_text([HEADING, *VERSION_1])
    )
    _approve(django_capture_on_commit_callbacks, newer, assortment_admin)

    with pytest.raises(CatalogueImportError) as stale:
        catalogue_import_approve(catalogue_import=older, by=assortment_admin)

    assert stale.value.code == ImportErrorCode.STALE
    assert str(stale.value.message) == (
        "Another catalogue from Kontorhuset Danmark A/S was applied after this one was compared "
        "with the catalogue; upload the file again to see its changes as they are now."
    )
    older.refresh_from_db()
    assert older.status == Status.READY
