from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Agreement, AssortmentRule, Category, Product, Supplier
from catalog.selectors import (
    NotVisibleError,
    assortment_explain,
    assortment_rule_list_for_unit,
    product_list_for_unit,
)
from catalog.services import assortment_rule_create
from org.models import Role, User
from tests.conftest import Tree
from tests.factories.catalog import (
    AgreementFactory,
    CategoryFactory,
    LotFactory,
    SupplierFactory,
    orderable_product,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = date(2026, 11, 26)
INCLUDE, EXCLUDE = AssortmentRule.Action.INCLUDE, AssortmentRule.Action.EXCLUDE


@dataclass
class Catalogue:
    office: Agreement
    food: Agreement
    supplier: Supplier
    paper: Category
    dairy: Category
    pen: Product
    copy_paper: Product
    milk: Product
    flour: Product


@pytest.fixture
def catalogue(tree: Tree) -> Catalogue:
    office = AgreementFactory.create(municipality=tree.municipality, number="50.57")
    food = AgreementFactory.create(municipality=tree.municipality, number="50.93")
    supplier = SupplierFactory.create(municipality=tree.municipality)
    paper = CategoryFactory.create(municipality=tree.municipality, code="paper", name="Papir")
    dairy = CategoryFactory.create(municipality=tree.municipality, code="dairy", name="Mejeri")
    return Catalogue(
        office=office,
        food=food,
        supplier=supplier,
        paper=paper,
        dairy=dairy,
        pen=orderable_product(
            supplier=supplier,
            agreement=office,
            category=CategoryFactory.create(municipality=tree.municipality, name="Skrive"),
            name="Kuglepen blå",
        ),
        copy_paper=orderable_product(
            supplier=supplier, agreement=office, category=paper, name="Kopipapir A4"
        ),
        milk=orderable_product(supplier=supplier, agreement=food, category=dairy, name="Sødmælk"),
        flour=orderable_product(supplier=supplier, agreement=food, name="Hvedemel"),
    )


def _visible(user: User, unit: object) -> list[str]:
    products = product_list_for_unit(user=user, unit=unit, on=TODAY)  # type: ignore[arg-type]
    return sorted(product.name for product in products)


def test_without_rules_a_unit_can_buy_nothing(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    assert _visible(requisitioner, tree.daycare) == []


def test_a_rule_on_the_top_unit_reaches_every_unit_below(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.office)
    assert _visible(requisitioner, tree.daycare) == ["Kopipapir A4", "Kuglepen blå"]


def test_the_nearest_unit_decides(tree: Tree, catalogue: Catalogue, requisitioner: User) -> None:
    assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.office)
    assortment_rule_create(unit=tree.children_dept, action=EXCLUDE, category=catalogue.paper)
    assert _visible(requisitioner, tree.daycare) == ["Kuglepen blå"]
    assortment_rule_create(unit=tree.daycare, action=INCLUDE, product=catalogue.copy_paper)
    assert _visible(requisitioner, tree.daycare) == ["Kopipapir A4", "Kuglepen blå"]


def test_on_one_unit_the_most_specific_rule_decides(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    assortment_rule_create(unit=tree.daycare, action=INCLUDE, agreement=catalogue.food)
    assortment_rule_create(unit=tree.daycare, action=EXCLUDE, category=catalogue.dairy)
    assortment_rule_create(unit=tree.daycare, action=EXCLUDE, supplier=catalogue.supplier)
    # category beats supplier beats agreement
    assert _visible(requisitioner, tree.daycare) == []
    assortment_rule_create(unit=tree.daycare, action=INCLUDE, product=catalogue.flour)
    assert _visible(requisitioner, tree.daycare) == ["Hvedemel"]


def test_a_sibling_units_rules_do_not_apply(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    assortment_rule_create(unit=tree.sibling_daycare, action=INCLUDE, agreement=catalogue.food)
    assert _visible(requisitioner, tree.daycare) == []


def test_marks_come_from_any_include_rule_in_the_line(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    assortment_rule_create(
        unit=tree.root, action=INCLUDE, product=catalogue.milk, is_recommended=True
    )
    assortment_rule_create(unit=tree.children_dept, action=INCLUDE, agreement=catalogue.food)
    Product.objects.filter(pk=catalogue.flour.pk).update(is_sustainable=True)
    products = {
        p.name: (p.is_recommended_here, p.is_sustainable_choice_here)
        for p in product_list_for_unit(user=requisitioner, unit=tree.daycare, on=TODAY)
    }
    assert products == {"Sødmælk": (True, False), "Hvedemel": (False, True)}


@pytest.mark.parametrize(
    "make_unorderable",
    [
        pytest.param(
            lambda c: Agreement.objects.filter(pk=c.food.pk).update(joined_on=None), id="not joined"
        ),
        pytest.param(
            lambda c: Agreement.objects.filter(pk=c.food.pk).update(joined_on=date(2027, 1, 1)),
            id="joined later",
        ),
        pytest.param(
            lambda c: Agreement.objects.filter(pk=c.food.pk).update(valid_to=date(2026, 11, 25)),
            id="expired",
        ),
        pytest.param(
            lambda c: Supplier.objects.filter(pk=c.supplier.pk).update(is_active=False),
            id="supplier inactive",
        ),
        pytest.param(
            lambda c: Product.objects.filter(pk=c.milk.pk).update(is_active=False),
            id="product inactive",
        ),
    ],
)
def test_products_outside_a_valid_agreement_cannot_be_ordered(
    tree: Tree, catalogue: Catalogue, requisitioner: User, make_unorderable: object
) -> None:
    assortment_rule_create(unit=tree.root, action=INCLUDE, product=catalogue.milk)
    assert _visible(requisitioner, tree.daycare) == ["Sødmælk"]
    make_unorderable(catalogue)  # type: ignore[operator]
    assert _visible(requisitioner, tree.daycare) == []


def test_a_lot_must_be_available_and_awarded_to_the_supplier(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    lot = LotFactory.create(agreement=catalogue.food, code="DA2")
    other = SupplierFactory.create(municipality=tree.municipality)
    cheese = orderable_product(supplier=other, agreement=catalogue.food, lot=lot, name="Ost")
    assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.food)
    assert _visible(requisitioner, tree.daycare) == ["Hvedemel", "Ost", "Sødmælk"]
    lot.awards.filter(supplier=other).delete()
    assert "Ost" not in _visible(requisitioner, tree.daycare)
    lot_available = LotFactory.create(agreement=catalogue.food, code="DA3", is_available=False)
    Product.objects.filter(pk=cheese.pk).update(lot=lot_available)
    lot_available.awards.create(municipality=tree.municipality, supplier=other)
    assert "Ost" not in _visible(requisitioner, tree.daycare)


def test_a_category_for_buyers_only_is_hidden_from_requisitioners(
    tree: Tree, catalogue: Catalogue, requisitioner: User, buyer: User
) -> None:
    Category.objects.filter(pk=catalogue.paper.pk).update(restricted_to_role=Role.BUYER)
    assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.office)
    assert _visible(requisitioner, tree.daycare) == ["Kuglepen blå"]
    assert _visible(buyer, tree.daycare) == ["Kopipapir A4", "Kuglepen blå"]


def test_a_unit_the_person_cannot_see_is_refused(
    tree: Tree, catalogue: Catalogue, requisitioner: User
) -> None:
    with pytest.raises(NotVisibleError):
        product_list_for_unit(user=requisitioner, unit=tree.sibling_daycare, on=TODAY)


def test_the_verdict_names_the_deciding_rule(tree: Tree, catalogue: Catalogue) -> None:
    include = assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.office)
    exclude = assortment_rule_create(unit=tree.daycare, action=EXCLUDE, product=catalogue.pen)
    rules = assortment_rule_list_for_unit(unit=tree.daycare)
    assert rules == [exclude, include]
    verdicts = assortment_explain(
        rules=rules, products=[catalogue.pen, catalogue.copy_paper, catalogue.milk], on=TODAY
    )
    assert [(v.product.name, v.is_visible, v.rule) for v in verdicts] == [
        ("Kuglepen blå", False, exclude),
        ("Kopipapir A4", True, include),
        ("Sødmælk", False, None),
    ]


def test_a_rule_needs_exactly_one_target(tree: Tree, catalogue: Catalogue) -> None:
    with pytest.raises(ValidationError) as caught:
        assortment_rule_create(unit=tree.root, action=INCLUDE)
    assert caught.value.messages == [
        "Choose exactly one of agreement, supplier, category or product."
    ]
    with pytest.raises(ValidationError):
        assortment_rule_create(
            unit=tree.root, action=INCLUDE, agreement=catalogue.food, product=catalogue.milk
        )
    assert AssortmentRule.objects.count() == 0


def test_an_exclude_rule_cannot_mark(tree: Tree, catalogue: Catalogue) -> None:
    with pytest.raises(ValidationError) as caught:
        assortment_rule_create(
            unit=tree.root, action=EXCLUDE, product=catalogue.milk, is_recommended=True
        )
    assert caught.value.messages == ["Only an include rule can mark items."]


def test_one_rule_per_unit_and_target(tree: Tree, catalogue: Catalogue) -> None:
    assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=catalogue.food)
    with pytest.raises(ValidationError) as caught:
        assortment_rule_create(unit=tree.root, action=EXCLUDE, agreement=catalogue.food)
    assert caught.value.messages == ["The unit already has a rule for this."]


def test_a_rule_cannot_reach_into_another_municipality(
    tree: Tree, catalogue: Catalogue, stranger: User
) -> None:
    foreign = AgreementFactory.create(municipality=stranger.municipality)
    with pytest.raises(ValidationError) as caught:
        assortment_rule_create(unit=tree.root, action=INCLUDE, agreement=foreign)
    assert caught.value.message_dict == {"agreement": ["This belongs to another municipality."]}


@pytest.mark.parametrize("count", [1, 25])
def test_listing_the_assortment_costs_the_same_queries_for_any_size(
    tree: Tree, requisitioner: User, count: int, django_assert_num_queries: object
) -> None:
    agreement = AgreementFactory.create(municipality=tree.municipality)
    supplier = SupplierFactory.create(municipality=tree.municipality)
    for number in range(count):
        orderable_product(supplier=supplier, agreement=agreement, name=f"Vare {number}")
        assortment_rule_create(
            unit=tree.daycare,
            action=INCLUDE,
            product=Product.objects.get(name=f"Vare {number}"),
            is_recommended=True,
        )
    with django_assert_num_queries(3):  # type: ignore[operator]
        products = list(product_list_for_unit(user=requisitioner, unit=tree.daycare, on=TODAY))
        assert {p.unit_price for p in products} == {Decimal("32.5000")}
        assert all(p.supplier.name and p.agreement and p.agreement.number for p in products)
    assert len(products) == count
