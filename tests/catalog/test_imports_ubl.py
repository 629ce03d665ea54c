"""OIOUBL and Peppol catalogues through the importer: a whole catalogue, a price update, a
description update, a partial update by line action codes, and a deletion, each diffed and
applied; every sample catalogue of the public corpus imported."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalog.models import Agreement, CatalogueImport, Product, Supplier
from catalog.services.imports import catalogue_import_approve, catalogue_import_receive
from org.models import User
from tests.conftest import PUBLIC_FIXTURES, Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = CatalogueImport.Status
Mode = CatalogueImport.Mode
Capture = Callable[..., Any]
OIOUBL = PUBLIC_FIXTURES / "rekvi" / "oioubl"
PEPPOL = PUBLIC_FIXTURES / "rekvi" / "peppol"
CORPUS = os.environ.get("REKVI_SAMPLE_CORPUS", "")


@pytest.fixture
def run(
    django_capture_on_commit_callbacks: Capture, assortment_admin: User
) -> Callable[..., CatalogueImport]:
    def receive(
        supplier: Supplier,
        agreement: Agreement,
        content: bytes,
        name: str = "katalog.xml",
        approve: bool = False,
    ) -> CatalogueImport:
        with django_capture_on_commit_callbacks(execute=True):
            imported = catalogue_import_receive(
                supplier=supplier, agreement=agreement, file=io.BytesIO(content), file_name=name
            )
        imported.refresh_from_db()
        if approve:
            with django_capture_on_commit_callbacks(execute=True):
                catalogue_import_approve(catalogue_import=imported, by=assortment_admin)
            imported.refresh_from_db()
        return imported

    return receive


@pytest.fixture
def office(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset Danmark A/S", cvr="29900019"
    )
    return (
        supplier,
        AgreementFactory.create(
            municipality=tree.municipality, number="50.57", suppliers=[supplier]
        ),
    )


def _prices(supplier: Supplier) -> dict[str, Decimal]:
    return dict(
        Product.objects.filter(supplier=supplier, is_active=True).values_list(
            "supplier_item_number", "unit_price"
        )
    )


def test_an_oioubl_catalogue_its_price_and_description_updates_and_its_deletion(
    run: Callable[..., CatalogueImport], office: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = office

    catalogue = run(supplier, agreement, (OIOUBL / "Catalogue.xml").read_bytes(), approve=True)

    assert (catalogue.format, catalogue.mode, catalogue.document_id) == (
        "oioubl",
        Mode.FULL,
        "KH-KAT-2026-03",
    )
    assert (catalogue.added, catalogue.problem_count, catalogue.status) == (8, 0, Status.APPLIED)
    assert _prices(supplier)["KH-1001"] == Decimal("32.5000")

    prices = run(supplier, agreement, (OIOUBL / "CataloguePricingUpdate.xml").read_bytes())

    assert (prices.mode, prices.changed, prices.removed, prices.added) == (Mode.PRICES, 2, 0, 0)
    assert sorted(
        prices.changes.values_list(
            "supplier_item_number", "old_unit_price", "new_unit_price", "price_change_percent"
        )
    ) == [
        ("KH-1001", Decimal("32.5000"), Decimal("34.1000"), Decimal("4.92")),
        ("KH-1006", Decimal("19.9500"), Decimal("18.5000"), Decimal("-7.27")),
    ]
    run(supplier, agreement, (OIOUBL / "CataloguePricingUpdate.xml").read_bytes())  # stays
    prices_applied = _approve_latest(run, prices)
    assert prices_applied.status == Status.APPLIED
    pen = Product.objects.get(supplier=supplier, supplier_item_number="KH-1001")
    assert (pen.unit_price, pen.name, pen.pack_quantity) == (
        Decimal("34.1000"),
        "Kuglepen blå, medium, 10 stk.",
        Decimal("10.000"),
    )

    words = run(
        supplier,
        agreement,
        (OIOUBL / "CatalogueItemSpecificationUpdate.xml").read_bytes(),
        approve=True,
    )

    assert (words.mode, words.changed, words.removed) == (Mode.ITEMS, 1, 0)
    glue = Product.objects.get(supplier=supplier, supplier_item_number="KH-1004")
    assert (glue.name, glue.brand, glue.unit_price, glue.unit_code) == (
        "Limstift 21 g, uden opløsningsmidler",
        "Kontorhuset",
        Decimal("8.7500"),
        "EA",
    )
    assert "oploesningsmidler" in glue.search_document.split()

    deletion = run(supplier, agreement, (OIOUBL / "CatalogueDeletion.xml").read_bytes())

    assert (deletion.mode, deletion.removed, deletion.added, deletion.changed) == (
        Mode.DELETION,
        8,
        0,
        0,
    )
    assert deletion.is_large_removal is True  # a deletion is confirmed like any large removal
    _approve_latest(run, deletion)
    assert _prices(supplier) == {}


def _approve_latest(
    run: Callable[..., CatalogueImport], imported: CatalogueImport
) -> CatalogueImport:
    """Approve `imported` (imports of the same file may have come after it)."""
    from catalog.models import CatalogueImport as Model

    admin = User.objects.get(username="indkoebskonsulent")
    catalogue_import_approve(
        catalogue_import=imported,
        by=admin,
        confirm_price_jumps=True,
        confirm_removals=True,
    )
    from catalog.services.imports import catalogue_import_apply

    catalogue_import_apply(import_id=imported.pk)
    return Model.objects.get(pk=imported.pk)


def test_a_price_update_for_lines_that_are_not_live_reports_each_of_them(
    run: Callable[..., CatalogueImport], office: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = office
    document = (OIOUBL / "CataloguePricingUpdate.xml").read_bytes()

    imported = run(supplier, agreement, document)

    assert (imported.status, imported.changed, imported.rows_staged) == (Status.READY, 0, 0)
    assert list(imported.problems.values_list("row_number", "column", "value", "code")) == [
        (44, "cbc:ID", "KH-1001", "unknown_item_price"),
        (89, "cbc:ID", "KH-1006", "unknown_item_price"),
    ]
    assert imported.problems.first().message == (  # type: ignore[union-attr]
        "No item of the supplier on this agreement has the catalogue line ID or item number "
        "“KH-1001”; a price update can only change items already in the catalogue."
    )


def test_a_deletion_of_another_catalogue_than_the_live_one_deletes_nothing(
    run: Callable[..., CatalogueImport], office: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = office
    renamed = (OIOUBL / "Catalogue.xml").read_bytes().replace(b"KH-KAT-2026-03", b"KH-KAT-2027-01")
    run(supplier, agreement, renamed, approve=True)

    deletion = run(supplier, agreement, (OIOUBL / "CatalogueDeletion.xml").read_bytes())

    assert deletion.status == Status.FAILED
    assert deletion.failure == (
        "The deletion is for catalogue “KH-KAT-2026-03”, but the live catalogue of "
        "Kontorhuset Danmark A/S on agreement 50.57 is “KH-KAT-2027-01”: nothing is deleted."
    )
    assert len(_prices(supplier)) == 8


def test_a_catalogue_from_another_supplier_is_refused(
    run: Callable[..., CatalogueImport], tree: Tree
) -> None:
    other = SupplierFactory.create(municipality=tree.municipality, name="Papirgrossisten ApS")
    agreement = AgreementFactory.create(municipality=tree.municipality, suppliers=[other])

    imported = run(other, agreement, (OIOUBL / "Catalogue.xml").read_bytes())

    assert imported.status == Status.FAILED
    assert imported.failure == (
        "The catalogue is from Kontorhuset Danmark A/S (DK:CVR DK29900019), "
        "not from Papirgrossisten ApS."
    )


@pytest.fixture
def cleaning(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Renhed & Hygiejne A/S", cvr="29900108"
    )
    return (
        supplier,
        AgreementFactory.create(
            municipality=tree.municipality, number="50.80", suppliers=[supplier]
        ),
    )


def test_a_peppol_update_changes_only_the_lines_it_names(
    run: Callable[..., CatalogueImport], cleaning: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = cleaning
    document = (PEPPOL / "Catalogue.xml").read_bytes()
    full = run(supplier, agreement, document, approve=True)
    assert (full.format, full.mode, full.added) == ("peppol", Mode.FULL, 10)
    update = document.replace(
        b"<cbc:ActionCode>Add</cbc:ActionCode>", b"<cbc:ActionCode>Update</cbc:ActionCode>", 1
    ).replace(
        b"<cbc:ActionCode>Add</cbc:ActionCode>", b"<cbc:ActionCode>Delete</cbc:ActionCode>", 1
    )
    # keep only the first line: the others are not mentioned, so they stay
    first_end = update.index(b"</cac:CatalogueLine>") + len(b"</cac:CatalogueLine>")
    update = update[:first_end] + b"\n</Catalogue>\n"

    partial = run(supplier, agreement, update)

    assert (partial.mode, partial.removed, partial.added, partial.changed) == (
        Mode.PARTIAL,
        1,
        0,
        0,
    )
    assert partial.changes.get().supplier_item_number == "RH-SÆBE"


def test_a_peppol_punch_out_basket_is_not_imported_as_a_catalogue(
    run: Callable[..., CatalogueImport], cleaning: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = cleaning
    basket = (
        (PEPPOL / "Catalogue.xml")
        .read_bytes()
        .replace(
            b"urn:fdc:peppol.eu:poacc:trns:catalogue:3", b"urn:fdc:peppol.eu:poacc:trns:punch_out:3"
        )
    )

    imported = run(supplier, agreement, basket)

    assert imported.status == Status.FAILED
    assert imported.failure == (
        "The file is a Peppol punch-out basket (urn:fdc:peppol.eu:poacc:trns:punch_out:3), "
        "not a catalogue: it is returned by a punch-out session, not imported."
    )


#: What each public sample catalogue gives when imported into an empty catalogue:
#: (status, mode, items added, rows left out and values ignored by code).
CORPUS_EXPECTED: dict[str, tuple[str, str, int, dict[str, int]]] = {
    # two lines share the seller's item number 87067606: the second is left out
    "OIOUBL_Catalogue_v2p2.xml": ("ready", "full", 2, {"duplicate_item_number": 1}),
    # updates and a deletion of a catalogue that is not live here: nothing to change
    "OIOUBL_CataloguePricingUpdate_v2p2.xml": ("ready", "prices", 0, {"unknown_item_price": 2}),
    "OIOUBL_CatalogueItemSpecificationUpdate_v2p2.xml": (
        "ready",
        "items",
        0,
        {"unknown_item_description": 2},
    ),
    "OIOUBL_CatalogueDeletion_v2p2.xml": ("ready", "deletion", 0, {}),
    # the example GTINs 1234567890114 and 1234567890124 have wrong check digits
    "Catalogue_Example.xml": ("ready", "full", 2, {"bad_gtin": 2}),
    # line 629 is sold per XAH, a Rec 21 code Rekvi does not know
    "catalogue-wo-response-use-case-3.xml": ("ready", "full", 12, {}),  # XAH is Rec 21
    "CatalogueResponse_Example.xml": ("failed", "full", 0, {}),
    "PunchOut_Example.xml": ("failed", "full", 0, {}),
}


def _corpus() -> list[pytest.param]:  # type: ignore[valid-type]
    if not CORPUS:
        return []
    root = Path(CORPUS)
    paths = sorted(
        path
        for path in root.rglob("*.xml")
        if "xsd" not in path.parts and ("atalog" in path.name or "PunchOut_Example" in path.name)
    )
    return [pytest.param(path, id=path.name) for path in paths]


@pytest.mark.conformance
@pytest.mark.parametrize("path", _corpus())
def test_every_public_sample_catalogue_imports_or_fails_with_a_reason(
    run: Callable[..., CatalogueImport], tree: Tree, path: Path
) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality, cvr="", gln="")
    agreement = AgreementFactory.create(municipality=tree.municipality, suppliers=[supplier])

    imported = run(supplier, agreement, path.read_bytes(), name=path.name, approve=False)

    problems: dict[str, int] = {}
    for code in imported.problems.values_list("code", flat=True):
        problems[code] = problems.get(code, 0) + 1
    assert (imported.status, imported.mode, imported.added, problems) == CORPUS_EXPECTED[
        path.name
    ], imported.failure
    assert imported.removed == 0
