"""What an import may not do without a person seeing it: wipe values by leaving out a column,
hide what changes, apply likely misread prices or retire most of a catalogue unconfirmed, or
put a catalogue on an agreement its supplier is not on."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from catalog.importers.tabular import csv_text
from catalog.models import Agreement, CatalogueImport, Product, Supplier
from catalog.selectors import catalogue_change_list, catalogue_change_rows
from catalog.services import lot_supplier_add
from catalog.services.imports import (
    CatalogueImportError,
    ImportErrorCode,
    catalogue_import_approve,
    catalogue_import_receive,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, LotFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Capture = Callable[..., Any]
Status = CatalogueImport.Status
FULL_HEADING = ["Varenr", "Varenavn", "Pris", "Enhed", "UNSPSC", "Min. antal"]
#: 14 live items, 13 of them with a UNSPSC code, all ordered at least 2 at a time
LIVE = [
    [f"LEG-{n:02d}", f"Legetøj {n}", f"{100 + n},00", "EA", f"601410{n:02d}" if n else "", "2"]
    for n in range(14)
]


@pytest.fixture
def toys(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(municipality=tree.municipality, name="Legeland A/S")
    agreement = AgreementFactory.create(
        municipality=tree.municipality,
        number="50.91",
        title="Leg og læring",
        suppliers=[supplier],
    )
    return supplier, agreement


@pytest.fixture
def upload(
    django_capture_on_commit_callbacks: Capture, toys: tuple[Supplier, Agreement]
) -> Callable[[list[list[str]]], CatalogueImport]:
    def receive(rows: list[list[str]]) -> CatalogueImport:
        supplier, agreement = toys
        with django_capture_on_commit_callbacks(execute=True):
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=io.BytesIO(csv_text(rows)),
                file_name="legeland.csv",
            )
        received.refresh_from_db()
        return received

    return receive


@pytest.fixture
def approve(
    django_capture_on_commit_callbacks: Capture, assortment_admin: User
) -> Callable[..., CatalogueImport]:
    def decide(imported: CatalogueImport, **confirmed: bool) -> CatalogueImport:
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import_approve(catalogue_import=imported, by=assortment_admin, **confirmed)
        imported.refresh_from_db()
        return imported

    return decide


@pytest.fixture
def live(
    upload: Callable[[list[list[str]]], CatalogueImport], approve: Callable[..., CatalogueImport]
) -> CatalogueImport:
    return approve(upload([FULL_HEADING, *LIVE]))


def _items(supplier: Supplier) -> dict[str, tuple[str, Decimal, Decimal, bool]]:
    return {
        product.supplier_item_number: (
            product.unspsc_code,
            product.unit_price,
            product.min_order_quantity,
            product.is_active,
        )
        for product in Product.objects.filter(supplier=supplier)
    }


@pytest.mark.usefixtures("live")
def test_a_file_without_a_unspsc_column_leaves_the_codes_as_they_are(
    upload: Callable[[list[list[str]]], CatalogueImport],
    approve: Callable[..., CatalogueImport],
    toys: tuple[Supplier, Agreement],
) -> None:
    supplier, _agreement = toys
    before = _items(supplier)
    # the same items without the UNSPSC and minimum columns, two of them with a new price
    rows = [row[:4] for row in LIVE]
    rows[3][2], rows[7][2] = "99,00", "120,00"

    imported = upload([["Varenr", "Varenavn", "Pris", "Enhed"], *rows])

    assert imported.kept_fields == [
        "description",
        "brand",
        "gtin",
        "pack_quantity",
        "currency",
        "category",
        "unspsc_code",
        "min_order_quantity",
    ]
    assert (imported.changed, imported.unchanged, imported.removed) == (2, 12, 0)
    assert [
        (change.supplier_item_number, change.changed_fields)
        for change in catalogue_change_list(catalogue_import=imported, kind="changed")
    ] == [("LEG-03", "unit_price,"), ("LEG-07", "unit_price,")]
    approve(imported)
    after = _items(supplier)
    assert after["LEG-03"] == ("60141003", Decimal("99.0000"), Decimal("2.000"), True)
    assert {
        number: item for number, item in after.items() if number not in ("LEG-03", "LEG-07")
    } == {number: item for number, item in before.items() if number not in ("LEG-03", "LEG-07")}
    assert sum(1 for item in after.values() if item[0]) == 13


@pytest.mark.usefixtures("live")
def test_each_changed_field_is_shown_old_to_new(
    upload: Callable[[list[list[str]]], CatalogueImport],
) -> None:
    rows = [list(row) for row in LIVE]
    rows[1][4] = "60141099"  # a new UNSPSC code
    rows[2][5] = "4"  # a new minimum
    rows[5][1], rows[5][2] = "Legetøj 5, stor", "110,00"

    imported = upload([FULL_HEADING, *rows])

    assert imported.changed == 3
    shown = {
        row.change.supplier_item_number: [(f.label, f.old, f.new, f.kind) for f in row.fields]
        for row in catalogue_change_rows(
            changes=catalogue_change_list(catalogue_import=imported, kind="changed")
        )
    }
    assert shown == {
        "LEG-01": [("UNSPSC code", "60141001", "60141099", "text")],
        "LEG-02": [("Minimum order quantity", Decimal("2.000"), Decimal("4.000"), "quantity")],
        "LEG-05": [
            ("Name", "Legetøj 5", "Legetøj 5, stor", "text"),
            ("Price", Decimal("105.0000"), Decimal("110.0000"), "price"),
        ],
    }


@pytest.mark.usefixtures("live")
def test_the_diff_page_says_what_changes_on_each_item(
    client: Client,
    upload: Callable[[list[list[str]]], CatalogueImport],
    assortment_admin: User,
) -> None:
    rows = [list(row) for row in LIVE]
    rows[1][4] = "60141099"
    imported = upload([FULL_HEADING, *rows])
    client.force_login(assortment_admin)

    text = page_text(client.get(f"/en/catalogue-imports/{imported.pk}/?show=changed").content)

    assert (
        "LEG-01 Legetøj 1 DKK 101.00 DKK 101.00 – each each UNSPSC code: “60141001” → “60141099”"
        in text
    )


@pytest.mark.usefixtures("live")
def test_a_price_far_from_the_old_must_be_confirmed_before_approval(
    upload: Callable[[list[list[str]]], CatalogueImport],
    approve: Callable[..., CatalogueImport],
    toys: tuple[Supplier, Agreement],
) -> None:
    supplier, _agreement = toys
    rows = [list(row) for row in LIVE]
    rows[0][2] = "10.000,00"  # 100,00 read as ten thousand: 100 times
    rows[1][2] = "20,00"  # 101,00 -> 20,00: a fifth and a bit
    rows[2][2] = "400,00"  # 102,00 -> 400,00: under 5 times, a real change

    imported = upload([FULL_HEADING, *rows])

    assert (imported.price_jumps, imported.changed) == (2, 3)
    assert [
        change.supplier_item_number
        for change in catalogue_change_list(
            catalogue_import=imported, price_changes=True, price_jumps=True
        )
    ] == ["LEG-00", "LEG-01"]
    with pytest.raises(CatalogueImportError) as refused:
        approve(imported)
    assert (refused.value.code, refused.value.field, str(refused.value.message)) == (
        ImportErrorCode.PRICE_JUMPS_UNCONFIRMED,
        "confirm_price_jumps",
        "2 prices change more than 5 times and may be misread. Look at them and confirm them "
        "before the import is approved.",
    )
    imported.refresh_from_db()
    assert imported.status == Status.READY
    assert _items(supplier)["LEG-00"][1] == Decimal("100.0000")

    applied = approve(imported, confirm_price_jumps=True)

    assert (applied.status, applied.confirmed) == (Status.APPLIED, {"price_jumps": 2})
    assert _items(supplier)["LEG-00"][1] == Decimal("10000.0000")


@pytest.mark.usefixtures("live")
def test_a_trusted_suppliers_import_waits_for_a_person_when_a_price_may_be_misread(
    upload: Callable[[list[list[str]]], CatalogueImport], toys: tuple[Supplier, Agreement]
) -> None:
    supplier, _agreement = toys
    supplier.catalogue_auto_approve = True
    supplier.save(update_fields=["catalogue_auto_approve"])
    rows = [list(row) for row in LIVE]
    rows[0][2] = "1,00"

    waiting = upload([FULL_HEADING, *rows])
    rows[0][2] = "100,00"
    rows[1][2] = "111,00"
    trusted = upload([FULL_HEADING, *rows])

    assert (waiting.status, waiting.is_auto_approved, waiting.price_jumps) == (
        Status.READY,
        False,
        1,
    )
    assert (trusted.status, trusted.is_auto_approved) == (Status.APPLIED, True)


@pytest.mark.usefixtures("live")
def test_a_three_row_whole_catalogue_file_retires_nothing_unconfirmed(
    upload: Callable[[list[list[str]]], CatalogueImport],
    approve: Callable[..., CatalogueImport],
    toys: tuple[Supplier, Agreement],
) -> None:
    supplier, _agreement = toys

    imported = upload([FULL_HEADING, *LIVE[:3]])

    assert (imported.removed, imported.live_items, imported.is_large_removal) == (11, 14, True)
    with pytest.raises(CatalogueImportError) as refused:
        approve(imported)
    assert (refused.value.code, str(refused.value.message)) == (
        ImportErrorCode.REMOVALS_UNCONFIRMED,
        "The import retires 11 of the supplier's 14 items on the agreement. Confirm that they "
        "leave the catalogue before the import is approved.",
    )
    assert sum(item[3] for item in _items(supplier).values()) == 14

    applied = approve(imported, confirm_removals=True)

    assert applied.confirmed == {"removed": 11}
    assert sum(item[3] for item in _items(supplier).values()) == 3


@pytest.mark.usefixtures("live")
def test_a_trusted_supplier_retiring_much_waits_and_a_small_removal_does_not(
    upload: Callable[[list[list[str]]], CatalogueImport], toys: tuple[Supplier, Agreement]
) -> None:
    supplier, _agreement = toys
    supplier.catalogue_auto_approve = True
    supplier.save(update_fields=["catalogue_auto_approve"])

    small = upload([FULL_HEADING, *LIVE[:12]])  # 2 of 14: 14 %
    large = upload([FULL_HEADING, *LIVE[:3]])  # 9 of the 12 left: 75 %
    with override_settings(CATALOGUE_REMOVAL_CONFIRM_PERCENT=80):
        allowed = upload([FULL_HEADING, *LIVE[:3]])

    assert (small.removed, small.is_large_removal, small.status) == (2, False, Status.APPLIED)
    assert (large.removed, large.is_large_removal, large.status) == (9, True, Status.READY)
    assert (allowed.is_large_removal, allowed.status) == (False, Status.APPLIED)


def test_a_catalogue_goes_only_to_an_agreement_its_supplier_is_on(
    tree: Tree, toys: tuple[Supplier, Agreement]
) -> None:
    supplier, _play = toys
    it = AgreementFactory.create(municipality=tree.municipality, number="50.70", title="It")
    lot = LotFactory.create(agreement=it, municipality=tree.municipality, code="DA2")

    def receive(agreement: Agreement, **lot_given: Any) -> CatalogueImport:
        return catalogue_import_receive(
            supplier=supplier,
            agreement=agreement,
            file=io.BytesIO(csv_text([FULL_HEADING, *LIVE])),
            file_name="legeland.csv",
            **lot_given,
        )

    with pytest.raises(CatalogueImportError) as refused:
        receive(it)
    assert (refused.value.code, refused.value.field, str(refused.value.message)) == (
        ImportErrorCode.NOT_ON_AGREEMENT,
        "agreement",
        "Legeland A/S is not a supplier on agreement 50.70 It, so its catalogue cannot be "
        "imported to it. It is on 50.91 Leg og læring. If it is on this one too, add it to the "
        "agreement's suppliers in the administration.",
    )
    with pytest.raises(CatalogueImportError) as not_awarded:
        receive(it, lot=lot)
    assert (not_awarded.value.field, str(not_awarded.value.message)) == (
        "lot",
        "Legeland A/S was not awarded lot DA2 of agreement 50.70, so its catalogue cannot be "
        "imported to it. It is on 50.91 Leg og læring. If it is on this one too, add it to the "
        "agreement's suppliers in the administration.",
    )
    assert CatalogueImport.objects.count() == 0

    lot_supplier_add(lot=lot, supplier=supplier)  # awarded a lot: on the agreement

    assert receive(it, lot=lot).lot == lot
    assert receive(it).agreement == it


@pytest.mark.usefixtures("live")
def test_a_row_left_out_for_a_problem_does_not_retire_its_item(
    upload: Callable[[list[list[str]]], CatalogueImport],
    approve: Callable[..., CatalogueImport],
    toys: tuple[Supplier, Agreement],
) -> None:
    supplier, _agreement = toys
    rows = [list(row) for row in LIVE]
    rows[4][2] = "24,50 kr."  # not a number: the row is left out

    imported = upload([FULL_HEADING, *rows])

    assert (imported.problem_count, imported.removed, imported.is_large_removal) == (1, 0, False)
    approve(imported)
    assert _items(supplier)["LEG-04"] == ("60141004", Decimal("104.0000"), Decimal("2.000"), True)


@pytest.mark.usefixtures("live")
def test_a_column_empty_in_every_row_leaves_the_values_as_they_are(
    upload: Callable[[list[list[str]]], CatalogueImport],
    toys: tuple[Supplier, Agreement],
) -> None:
    # an export with a UNSPSC column the supplier does not fill
    rows = [[*row[:4], "", row[5]] for row in LIVE]

    imported = upload([FULL_HEADING, *rows])

    assert "unspsc_code" in imported.kept_fields
    assert (imported.changed, imported.unchanged) == (0, 14)


def test_a_file_for_no_lot_leaves_the_items_lots_as_they_are(
    tree: Tree,
    django_capture_on_commit_callbacks: Capture,
    assortment_admin: User,
) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality, name="Kontorland")
    agreement = AgreementFactory.create(municipality=tree.municipality, number="50.57")
    lot = LotFactory.create(agreement=agreement, municipality=tree.municipality, code="DA1")
    lot_supplier_add(lot=lot, supplier=supplier)
    heading = ["Varenr", "Varenavn", "Pris", "Enhed"]

    def receive(rows: list[list[str]], **lot_given: Any) -> CatalogueImport:
        with django_capture_on_commit_callbacks(execute=True):
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=io.BytesIO(csv_text([heading, *rows])),
                file_name="k.csv",
                **lot_given,
            )
        received.refresh_from_db()
        assert received.status == Status.READY, received.failure
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import_approve(catalogue_import=received, by=assortment_admin)
        received.refresh_from_db()
        return received

    receive([["K-1", "Kuglepen", "4,00", "EA"]], lot=lot)
    second = receive([["K-1", "Kuglepen", "4,50", "EA"], ["K-2", "Blyant", "2,00", "EA"]])

    assert [
        (change.supplier_item_number, change.changed_fields)
        for change in catalogue_change_list(catalogue_import=second, kind="changed")
    ] == [("K-1", "unit_price,")]
    assert dict(Product.objects.values_list("supplier_item_number", "lot__code")) == {
        "K-1": "DA1",
        "K-2": None,
    }


def test_a_supplier_on_another_lot_is_told_which_lot_it_has(
    tree: Tree, toys: tuple[Supplier, Agreement]
) -> None:
    supplier, agreement = toys
    awarded = LotFactory.create(agreement=agreement, municipality=tree.municipality, code="DA1")
    other = LotFactory.create(agreement=agreement, municipality=tree.municipality, code="DA2")
    lot_supplier_add(lot=awarded, supplier=supplier)

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import_receive(
            supplier=supplier,
            agreement=agreement,
            lot=other,
            file=io.BytesIO(csv_text([FULL_HEADING, *LIVE])),
            file_name="legeland.csv",
        )

    assert str(refused.value.message) == (
        "Legeland A/S was not awarded lot DA2 of agreement 50.91, so its catalogue cannot be "
        "imported to it. On agreement 50.91 it was awarded DA1: choose that lot, or none."
    )


@pytest.mark.usefixtures("live")
def test_an_import_overtaken_by_another_says_so_and_offers_no_approval(
    client: Client,
    upload: Callable[[list[list[str]]], CatalogueImport],
    approve: Callable[..., CatalogueImport],
    assortment_admin: User,
) -> None:
    rows = [list(row) for row in LIVE]
    rows[0][2] = "111,00"
    older = upload([FULL_HEADING, *rows])
    rows[0][2] = "112,00"
    approve(upload([FULL_HEADING, *rows]))
    client.force_login(assortment_admin)

    text = page_text(client.get(f"/en/catalogue-imports/{older.pk}/").content)

    assert "This comparison is out of date" in text
    assert "Another catalogue from Legeland A/S was applied after this one was compared" in text
    assert "Approve and apply" not in text
