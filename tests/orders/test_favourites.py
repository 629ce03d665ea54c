"""Favourite lists: kept per person or shared with a unit, put in the cart in one go, and
flagged when an approved catalogue changes an item's price or removes it."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import AssortmentRule, CatalogueImport, Product
from catalog.services import assortment_rule_create
from catalog.services.imports import catalogue_import_approve, catalogue_import_receive
from orders.models import CartLine, FavouriteList
from orders.selectors import favourite_list_lines, favourite_list_visible
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    favourite_line_add,
    favourite_list_create,
    favourite_list_to_cart,
    order_reorder,
)
from org.models import Role, User
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, SupplierFactory
from tests.factories.orders import Shop, grocery
from tests.factories.org import UserFactory, grant

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


@pytest.fixture
def colleague(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="kollega")
    grant(user, tree.daycare, Role.REQUISITIONER, order_limit="3000.00")
    return user


def _pancakes(shop: Shop, tree: Tree, owner: User, *, shared: bool) -> FavouriteList:
    pancakes = favourite_list_create(
        owner=owner, unit=tree.daycare, name="Pandekager", is_shared=shared
    )
    for product, quantity in ((shop.flour, "2"), (shop.eggs, "1"), (shop.milk, "6")):
        favourite_line_add(
            favourite_list=pancakes, by=owner, product_id=product.pk, quantity=quantity, on=TODAY
        )
    return pancakes


def _cart(user: User, tree: Tree) -> list[tuple[int, Decimal]]:
    return list(
        CartLine.objects.filter(cart__user=user, cart__unit=tree.daycare)
        .order_by("pk")
        .values_list("product", "quantity")
    )


def test_the_whole_list_goes_in_the_cart_with_the_quantities_typed(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=False)
    flour, eggs, milk = pancakes.lines.order_by("pk")
    outcome = favourite_list_to_cart(
        favourite_list=pancakes,
        user=requisitioner,
        on=TODAY,
        quantities={eggs.pk: "3", milk.pk: "0"},  # milk left out this time
    )
    assert (len(outcome.added), outcome.left_out) == (2, [])
    assert _cart(requisitioner, tree) == [
        (shop.flour.pk, Decimal("2.000")),
        (shop.eggs.pk, Decimal("3.000")),
    ]
    assert flour.default_quantity == Decimal("2.000")  # the list itself is unchanged


def test_a_bad_quantity_names_its_line_and_nothing_goes_in_the_cart(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=False)
    eggs = pancakes.lines.get(product=shop.eggs)
    with pytest.raises(CartError) as caught:
        favourite_list_to_cart(
            favourite_list=pancakes, user=requisitioner, on=TODAY, quantities={eggs.pk: "tre"}
        )
    assert (caught.value.message, caught.value.field) == (
        "Æg, 30 stk.: The quantity “tre” is not a number. Write it with digits, e.g. 2 or 2.5.",
        f"line-{eggs.pk}",
    )
    assert _cart(requisitioner, tree) == []


def test_an_item_that_can_no_longer_be_ordered_is_left_out_and_named(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=False)
    Product.objects.filter(pk=shop.milk.pk).update(is_active=False)
    outcome = favourite_list_to_cart(favourite_list=pancakes, user=requisitioner, on=TODAY)
    assert outcome.left_out == ["Sødmælk, 1 l"]
    assert [product for product, _quantity in _cart(requisitioner, tree)] == [
        shop.flour.pk,
        shop.eggs.pk,
    ]


def test_a_shared_list_serves_the_unit_and_a_personal_one_only_its_owner(
    shop: Shop, tree: Tree, requisitioner: User, colleague: User, english: None
) -> None:
    shared = _pancakes(shop, tree, requisitioner, shared=True)
    personal = favourite_list_create(owner=requisitioner, unit=tree.daycare, name="Mine")
    assert list(favourite_list_visible(user=colleague)) == [shared]
    favourite_list_to_cart(favourite_list=shared, user=colleague, on=TODAY)
    assert len(_cart(colleague, tree)) == 3
    favourite_line_add(  # anyone who orders for the unit keeps a shared list
        favourite_list=shared, by=colleague, product_id=shop.flour.pk, quantity="1", on=TODAY
    )
    assert shared.lines.get(product=shop.flour).default_quantity == Decimal("3.000")
    with pytest.raises(CartError) as caught:
        favourite_line_add(
            favourite_list=personal, by=colleague, product_id=shop.flour.pk, quantity="1", on=TODAY
        )
    assert caught.value.code == CartErrorCode.NOT_ALLOWED
    with pytest.raises(CartError):
        favourite_list_to_cart(favourite_list=personal, user=colleague, on=TODAY)


def test_only_the_units_assortment_goes_on_a_list_and_names_are_unique(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=False)
    with pytest.raises(CartError) as caught:
        favourite_line_add(
            favourite_list=pancakes,
            by=requisitioner,
            product_id=shop.other_agreement.pk,
            quantity="1",
            on=TODAY,
        )
    assert caught.value.message == (
        "This item is not in Solsikken's assortment, so it cannot go on the list."
    )
    with pytest.raises(CartError) as caught:
        favourite_list_create(owner=requisitioner, unit=tree.daycare, name=" Pandekager ")
    assert caught.value.message == "You already have a list called “Pandekager” for this unit."
    with pytest.raises(CartError) as caught:
        favourite_list_create(owner=requisitioner, unit=tree.sibling_daycare, name="Frugt")
    assert caught.value.code == CartErrorCode.NOT_ALLOWED


def test_an_earlier_order_is_put_in_the_cart_again(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="4", on=TODAY)
    [order] = cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )
    assert _cart(requisitioner, tree) == []
    outcome = order_reorder(order=order, user=requisitioner, on=TODAY)
    assert (len(outcome.added), outcome.left_out) == (1, [])
    assert _cart(requisitioner, tree) == [(shop.flour.pk, Decimal("4.000"))]


def test_lines_are_flagged_when_an_approved_catalogue_changes_their_price_or_drops_them(
    tree: Tree,
    requisitioner: User,
    assortment_admin: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality, name="Kontorhuset")
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.57", suppliers=[supplier]
    )
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
    )

    def load(rows: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=io.BytesIO(("Varenr;Varenavn;Pris;Enhed\n" + rows).encode()),
                file_name="katalog.csv",
            )
        received.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import_approve(
                catalogue_import=received, by=assortment_admin, confirm_removals=True
            )
        received.refresh_from_db()
        assert received.status == CatalogueImport.Status.APPLIED

    load("KH-1;Kuglepen blå;32,50;EA\nKH-2;Limstift 21 g;8,75;EA\nKH-3;Saks;40,00;EA\n")
    today = timezone.localdate()  # the catalogue was applied today
    office = favourite_list_create(owner=requisitioner, unit=tree.daycare, name="Kontor")
    for number in ("KH-1", "KH-2", "KH-3"):
        favourite_line_add(
            favourite_list=office,
            by=requisitioner,
            product_id=Product.objects.get(supplier_item_number=number).pk,
            quantity="1",
            on=today,
        )
    load("KH-1;Kuglepen blå;35,75;EA\nKH-3;Saks;40,00;EA\n")
    views = {
        view.line.product.supplier_item_number: view
        for view in favourite_list_lines(favourite_list=office, user=requisitioner, on=today)
    }
    pen, glue, scissors = views["KH-1"], views["KH-2"], views["KH-3"]
    assert pen.alert is not None
    assert (pen.alert.kind, pen.alert.old_unit_price, pen.alert.new_unit_price) == (
        "changed",
        Decimal("32.5000"),
        Decimal("35.7500"),
    )
    assert pen.alert.price_change_percent == Decimal("10.00")
    assert pen.is_orderable
    assert glue.alert is not None
    assert (glue.alert.kind, glue.is_orderable) == ("removed", False)
    assert (scissors.alert, scissors.is_orderable) == (None, True)


def test_the_list_page_puts_the_list_in_the_cart(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=True)
    client.force_login(requisitioner)
    page = page_text(client.get(f"/favourites/{pancakes.pk}/").content)
    assert "Hvedemel, 2 kg" in page
    assert "Læg hele listen i kurven" in page
    eggs = pancakes.lines.get(product=shop.eggs)
    response = client.post(
        f"/favourites/{pancakes.pk}/cart/", {f"quantity-{eggs.pk}": "2"}, follow=True
    )
    assert "3 varer fra Pandekager er i kurven." in page_text(response.content)
    assert _cart(requisitioner, tree) == [
        (shop.flour.pk, Decimal("2.000")),
        (shop.eggs.pk, Decimal("2.000")),
        (shop.milk.pk, Decimal("6.000")),
    ]


def test_a_list_not_yours_is_not_found(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, stranger: User
) -> None:
    pancakes = _pancakes(shop, tree, requisitioner, shared=True)
    client.force_login(stranger)
    assert client.get(f"/favourites/{pancakes.pk}/").status_code == 404
    assert client.post(f"/favourites/{pancakes.pk}/cart/").status_code == 404
