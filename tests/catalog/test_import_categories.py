"""Imported items get the municipality's categories: from the supplier's own category and the
UNSPSC code, by what the procurement office chose for the supplier's groups, else by a
suggestion; what has none is listed, and kept out of units whose assortment is limited by
category until it has one."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from catalog.importers.tabular import csv_text
from catalog.models import (
    Agreement,
    AssortmentRule,
    CatalogueImport,
    Category,
    CategoryMapping,
    Product,
    Supplier,
)
from catalog.selectors import (
    SearchFilters,
    catalogue_change_rows,
    catalogue_import_uncategorised,
    product_list_for_unit,
    product_search,
    supplier_category_groups,
)
from catalog.services import assortment_rule_create, category_create
from catalog.services.categories import (
    CategoryMappingError,
    CategoryMappingErrorCode,
    GroupChoice,
    category_mapping_choose,
)
from catalog.services.imports import catalogue_import_approve, catalogue_import_receive
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Capture = Callable[..., Any]
HEADING = ["Varenr", "Varenavn", "Pris", "Enhed", "Varegruppe", "UNSPSC"]
ON = date(2026, 6, 1)


@pytest.fixture
def categories(tree: Tree) -> dict[str, Category]:
    def make(code: str, name: str, unspsc: str = "") -> Category:
        return category_create(
            municipality=tree.municipality, code=code, name=name, unspsc_code=unspsc
        )

    return {
        "office": make("kontor", "Kontorartikler", "44120000"),
        "toys": make("leg", "Legetøj", "60140000"),
        "it": make("it", "IT-udstyr", "43210000"),
        "cleaning": make("rengoering", "Rengøring"),
    }


@pytest.fixture
def wholesaler(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(municipality=tree.municipality, name="Engros A/S")
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.10", suppliers=[supplier]
    )
    return supplier, agreement


@pytest.fixture
def imported(
    django_capture_on_commit_callbacks: Capture,
    wholesaler: tuple[Supplier, Agreement],
    assortment_admin: User,
    categories: dict[str, Category],
) -> Callable[..., CatalogueImport]:
    def receive(
        rows: list[list[str]], *, approve: bool = True, heading: list[str] = HEADING
    ) -> CatalogueImport:
        supplier, agreement = wholesaler
        with django_capture_on_commit_callbacks(execute=True):
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=io.BytesIO(csv_text([heading, *rows])),
                file_name="engros.csv",
            )
        received.refresh_from_db()
        if approve:
            with django_capture_on_commit_callbacks(execute=True):
                catalogue_import_approve(
                    catalogue_import=received, by=assortment_admin, confirm_removals=True
                )
            received.refresh_from_db()
        return received

    return receive


ROWS = [
    ["E-1", "Kuglepen blå", "4,00", "EA", "Skriveredskaber", "44121701"],  # UNSPSC: office
    ["E-2", "Byggeklodser", "199,00", "EA", "Legetøj", ""],  # by name: toys
    ["E-3", "Bærbar computer 14", "6.499,00", "EA", "Computere", "43211503"],  # UNSPSC: IT
    ["E-4", "Gulvsæbe 5 l", "89,00", "EA", "Sæbe og vask", ""],  # nothing fits
    ["E-5", "Karklude 10 stk.", "25,00", "EA", "Sæbe og vask", ""],
    ["E-6", "Diverse", "10,00", "EA", "", ""],  # neither
]


def _categories(supplier: Supplier) -> dict[str, str]:
    return {
        product.supplier_item_number: product.category.name if product.category else ""
        for product in Product.objects.filter(supplier=supplier).select_related("category")
    }


def test_imported_items_get_a_category_by_unspsc_then_by_name(
    imported: Callable[..., CatalogueImport], wholesaler: tuple[Supplier, Agreement]
) -> None:
    supplier, _agreement = wholesaler

    first = imported(ROWS)

    assert _categories(supplier) == {
        "E-1": "Kontorartikler",
        "E-2": "Legetøj",
        "E-3": "IT-udstyr",
        "E-4": "",
        "E-5": "",
        "E-6": "",
    }
    assert Product.objects.get(supplier_item_number="E-4").supplier_category == "Sæbe og vask"
    assert first.uncategorised == 3
    assert list(catalogue_import_uncategorised(catalogue_import=first)) == [
        ("E-4", "Gulvsæbe 5 l", "Sæbe og vask", ""),
        ("E-5", "Karklude 10 stk.", "Sæbe og vask", ""),
        ("E-6", "Diverse", "", ""),
    ]


def test_a_category_chosen_for_a_group_is_remembered_for_the_next_catalogue(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    categories: dict[str, Category],
    assortment_admin: User,
) -> None:
    supplier, _agreement = wholesaler
    imported(ROWS)
    manual = Product.objects.get(supplier_item_number="E-1")
    manual.category, manual.category_is_manual = categories["it"], True  # chosen by hand
    manual.save(update_fields=["category", "category_is_manual"])

    outcome = category_mapping_choose(
        supplier=supplier,
        by=assortment_admin,
        choices=[
            GroupChoice(
                source="category", key="Sæbe og vask", category_id=categories["cleaning"].pk
            ),
            GroupChoice(source="unspsc", key="441217", category_id=categories["toys"].pk),
        ],
    )

    assert outcome.items_moved == 2  # E-4 and E-5; E-1 was chosen for the item and stays
    assert _categories(supplier)["E-4"] == "Rengøring"
    assert _categories(supplier)["E-1"] == "IT-udstyr"
    assert set(CategoryMapping.objects.values_list("source", "key", "category__name")) == {
        ("category", "saebe og vask", "Rengøring"),
        ("unspsc", "441217", "Legetøj"),
    }
    assert "rengoering" in Product.objects.get(supplier_item_number="E-4").search_document.split()

    second = imported(
        [*ROWS, ["E-7", "Opvaskemiddel", "30,00", "EA", "SÆBE OG VASK", ""]], approve=False
    )

    assert second.uncategorised == 1  # only E-6 is left
    assert (
        second.changes.get(supplier_item_number="E-7").new_category_id == categories["cleaning"].pk
    )


def test_a_choice_must_be_one_of_the_municipalitys_categories(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    assortment_admin: User,
    requisitioner: User,
) -> None:
    supplier, _agreement = wholesaler
    imported(ROWS)
    elsewhere = category_create(
        municipality=SupplierFactory.create().municipality, code="andet", name="Andet"
    )

    with pytest.raises(CategoryMappingError) as refused:
        category_mapping_choose(
            supplier=supplier,
            by=assortment_admin,
            choices=[GroupChoice(source="category", key="Sæbe og vask", category_id=elsewhere.pk)],
        )
    assert refused.value.code == CategoryMappingErrorCode.BAD_CATEGORY
    with pytest.raises(CategoryMappingError) as not_allowed:
        category_mapping_choose(
            supplier=supplier,
            by=requisitioner,
            choices=[],
        )
    assert not_allowed.value.code == CategoryMappingErrorCode.NOT_ALLOWED
    assert CategoryMapping.objects.count() == 0
    assert _categories(supplier)["E-4"] == ""


def test_an_item_without_a_category_is_hidden_where_the_assortment_is_limited_by_category(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    categories: dict[str, Category],
    tree: Tree,
    requisitioner: User,
    buyer: User,
    assortment_admin: User,
) -> None:
    supplier, agreement = wholesaler
    imported(ROWS)
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
    )
    # the daycare may not buy IT: its assortment is limited by category
    assortment_rule_create(
        unit=tree.daycare, action=AssortmentRule.Action.EXCLUDE, category=categories["it"]
    )

    def shown(user: User, unit: Any) -> list[str]:
        return sorted(
            product_list_for_unit(user=user, unit=unit, on=ON).values_list(
                "supplier_item_number", flat=True
            )
        )

    assert shown(requisitioner, tree.daycare) == ["E-1", "E-2"]
    assert shown(buyer, tree.technical_dept) == ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6"]
    found = product_search(
        user=requisitioner, unit=tree.daycare, text="gulvsæbe", filters=SearchFilters(), on=ON
    )
    assert found.products == []

    category_mapping_choose(
        supplier=supplier,
        by=assortment_admin,
        choices=[
            GroupChoice(
                source="category", key="Sæbe og vask", category_id=categories["cleaning"].pk
            )
        ],
    )

    assert shown(requisitioner, tree.daycare) == ["E-1", "E-2", "E-4", "E-5"]


def test_the_procurement_office_chooses_categories_on_the_suppliers_page(
    client: Client,
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    categories: dict[str, Category],
    assortment_admin: User,
) -> None:
    supplier, _agreement = wholesaler
    first = imported(ROWS, approve=False)
    client.force_login(assortment_admin)

    review = page_text(client.get(f"/en/catalogue-imports/{first.pk}/?show=uncategorised").content)
    assert (
        "Items without a category 3 – see them · choose categories for the supplier's groups"
        in review
    )
    assert (
        "E-4 Gulvsæbe 5 l Sæbe og vask – E-5 Karklude 10 stk. Sæbe og vask – E-6 Diverse – –"
        in review
    )
    page = page_text(client.get(f"/en/suppliers/{supplier.pk}/categories/").content)
    assert "Sæbe og vask 2 no category (none found)" in page
    assert "Computere 1 IT-udstyr (suggested by UNSPSC)" in page
    assert "1 item has neither a category of the supplier nor a UNSPSC code" in page
    groups = [group for group in supplier_category_groups(supplier=supplier) if group.source]
    form: dict[str, str] = {"groups": str(len(groups))}
    for number, group in enumerate(groups):
        form |= {
            f"source-{number}": group.source,
            f"key-{number}": group.key,
            f"previous-{number}": "",
            f"group-{number}": str(categories["cleaning"].pk)
            if group.key == "Sæbe og vask"
            else "",
        }
    response = client.post(
        f"/en/suppliers/{supplier.pk}/categories/",
        {**form, "next": f"/en/catalogue-imports/{first.pk}/"},
        follow=True,
    )

    text = page_text(response.content)
    assert "The categories are saved; 2 items moved." in text  # in the import awaiting approval
    assert "Items without a category 1" in text
    assert (
        first.changes.get(supplier_item_number="E-4").new_category_id == categories["cleaning"].pk
    )
    stranger_page = client.get(f"/en/suppliers/{SupplierFactory.create().pk}/categories/")
    assert stranger_page.status_code == 404


def test_a_unspsc_code_two_categories_share_is_left_to_a_person(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    tree: Tree,
) -> None:
    supplier, _agreement = wholesaler
    # school supplies share the office supplies' UNSPSC family: Rekvi cannot tell them apart
    category_create(
        municipality=tree.municipality, code="skole", name="Skoleartikler", unspsc_code="44120000"
    )

    first = imported(ROWS)

    assert _categories(supplier)["E-1"] == ""
    assert _categories(supplier)["E-3"] == "IT-udstyr"
    assert first.uncategorised == 4


def test_a_choice_made_on_a_page_that_is_out_of_date_is_refused(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    categories: dict[str, Category],
    assortment_admin: User,
) -> None:
    supplier, _agreement = wholesaler
    imported(ROWS)
    soap = GroupChoice(source="category", key="Sæbe og vask", category_id=categories["cleaning"].pk)
    category_mapping_choose(supplier=supplier, by=assortment_admin, choices=[soap])

    with pytest.raises(CategoryMappingError) as refused:  # the page showed no choice yet
        category_mapping_choose(
            supplier=supplier,
            by=assortment_admin,
            choices=[
                GroupChoice(
                    source="category",
                    key="Sæbe og vask",
                    category_id=categories["toys"].pk,
                    previous_id=None,
                    check_previous=True,
                )
            ],
        )

    assert refused.value.code == CategoryMappingErrorCode.CHANGED
    assert _categories(supplier)["E-4"] == "Rengøring"


def test_another_municipalitys_supplier_gets_no_mapping(
    imported: Callable[..., CatalogueImport],
    categories: dict[str, Category],
    assortment_admin: User,
) -> None:
    elsewhere = SupplierFactory.create()

    with pytest.raises(CategoryMappingError) as refused:
        category_mapping_choose(
            supplier=elsewhere,
            by=assortment_admin,
            choices=[GroupChoice(source="category", key="X", category_id=categories["toys"].pk)],
        )

    assert refused.value.code == CategoryMappingErrorCode.NOT_ALLOWED
    assert CategoryMapping.objects.count() == 0


def test_a_file_without_the_category_column_keeps_a_category_chosen_for_the_group(
    imported: Callable[..., CatalogueImport],
    wholesaler: tuple[Supplier, Agreement],
    categories: dict[str, Category],
    assortment_admin: User,
) -> None:
    supplier, _agreement = wholesaler
    # the pen's UNSPSC code suggests office supplies; the office chooses its group otherwise
    imported(ROWS)
    category_mapping_choose(
        supplier=supplier,
        by=assortment_admin,
        choices=[
            GroupChoice(
                source="category", key="Skriveredskaber", category_id=categories["cleaning"].pk
            )
        ],
    )
    assert _categories(supplier)["E-1"] == "Rengøring"

    without = imported([row[:4] for row in ROWS], heading=HEADING[:4])

    assert "category" in without.kept_fields
    assert _categories(supplier)["E-1"] == "Rengøring"


def test_a_changed_supplier_category_is_shown_old_to_new(
    imported: Callable[..., CatalogueImport],
) -> None:
    imported(ROWS)
    rows = [list(row) for row in ROWS]
    rows[5][4] = "Blandet"

    second = imported(rows, approve=False)

    [row] = catalogue_change_rows(changes=second.changes.filter(kind="changed"))
    assert [(field.label, field.old, field.new) for field in row.fields] == [
        ("Supplier's category", "", "Blandet")
    ]
