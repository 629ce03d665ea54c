"""Carts and checkout: lines from the unit's assortment, sane quantities, one order per supplier
with the municipality's order numbers, and the order limit deciding what awaits approval."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from catalog.models import Product
from orders.models import Cart, CartLine, Order, OrderEvent, OrderLine
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    cart_line_quantity_set,
    cart_line_remove,
    quantity_clean,
)
from org.models import User
from org.services import cost_centre_create, delivery_address_create
from tests.conftest import Tree
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _choices(shop: Shop, **changes: object) -> CheckoutChoices:
    values: dict[str, object] = {"delivery_address": shop.address, "cost_centre": shop.centre}
    values.update(changes)
    return CheckoutChoices(**values)  # type: ignore[arg-type]


def _fill(cart: Cart, *items: tuple[Product, str]) -> None:
    for product, quantity in items:
        cart_line_add(cart=cart, product_id=product.pk, quantity=quantity, on=TODAY)


def test_checkout_makes_one_numbered_order_per_supplier(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    requisitioner.personreference = "ANJE"
    requisitioner.save(update_fields=["personreference"])
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(cart, (shop.flour, "2"), (shop.milk, "10"), (shop.eggs, "1"), (shop.flour, "1"))
    orders = cart_checkout(cart=cart, choices=_choices(shop), on=TODAY)
    prefix = tree.municipality.order_number_prefix
    assert [(o.number, o.supplier.name, o.total, o.status) for o in orders] == [
        (f"{prefix}-2026-000001", "Grossisten", Decimal("92.85"), Order.Status.APPROVED),
        (f"{prefix}-2026-000002", "Mejeriet", Decimal("112.50"), Order.Status.APPROVED),
    ]
    grocer_order = orders[0]
    assert list(
        grocer_order.lines.values_list(
            "position", "supplier_item_number", "name", "quantity", "unit_price", "line_total"
        )
    ) == [
        (1, "FØ-0701", "Hvedemel, 2 kg", Decimal("3.000"), Decimal("12.9500"), Decimal("38.85")),
        (
            2,
            shop.eggs.supplier_item_number,
            "Æg, 30 stk.",
            Decimal("1.000"),
            Decimal("54.0000"),
            Decimal("54.00"),
        ),
    ]
    assert grocer_order.unit_ean == tree.daycare.gln
    assert grocer_order.personreference == "ANJE"  # the requisitioner's, by default
    assert grocer_order.account == "2210"  # the cost centre's default account
    assert list(grocer_order.events.values_list("status", "by")) == [
        (Order.Status.APPROVED, requisitioner.pk)
    ]
    assert not CartLine.objects.filter(cart=cart).exists()


def test_order_numbers_go_on_across_checkouts_within_the_municipality(
    shop: Shop, tree: Tree, requisitioner: User, buyer: User
) -> None:
    first = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(first, (shop.flour, "1"))
    cart_checkout(cart=first, choices=_choices(shop), on=TODAY)
    second = cart_get_for(user=buyer, unit=tree.daycare)  # a buyer orders on behalf of the unit
    _fill(second, (shop.paper, "5"))
    [order] = cart_checkout(cart=second, choices=_choices(shop), on=TODAY)
    assert order.number == f"{tree.municipality.order_number_prefix}-2026-000002"
    assert order.placed_by == buyer


def test_an_order_above_the_order_limit_awaits_approval_per_supplier(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)  # order limit 3.000 kr.
    _fill(cart, (shop.eggs, "56"), (shop.milk, "100"))  # 3.024,00 and 1.125,00
    orders = cart_checkout(cart=cart, choices=_choices(shop), on=TODAY)
    assert [(o.supplier.name, o.total, o.status, o.order_limit) for o in orders] == [
        ("Grossisten", Decimal("3024.00"), Order.Status.AWAITING_APPROVAL, Decimal("3000.00")),
        ("Mejeriet", Decimal("1125.00"), Order.Status.APPROVED, Decimal("3000.00")),
    ]


def test_an_order_exactly_at_the_limit_needs_no_approval(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(cart, (shop.eggs, "55,555"))  # 2.999,97
    _fill(cart, (shop.milk, "266,666"))  # at 11,25: 2.999,9925, rounded 2.999,99
    orders = cart_checkout(cart=cart, choices=_choices(shop), on=TODAY)
    assert [(o.total, o.status) for o in orders] == [
        (Decimal("2999.97"), Order.Status.APPROVED),
        (Decimal("2999.99"), Order.Status.APPROVED),
    ]


def test_adding_the_same_item_again_adds_to_its_line(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(cart, (shop.flour, "2"), (shop.flour, "0,5"))
    assert list(cart.lines.values_list("product", "quantity")) == [
        (shop.flour.pk, Decimal("2.500"))
    ]
    line = cart.lines.get()
    cart_line_quantity_set(line=line, quantity="4")
    assert cart.lines.get().quantity == Decimal("4.000")
    cart_line_remove(line=line)
    assert not cart.lines.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("to", "The quantity “to” is not a number. Write it with digits, e.g. 2 or 2.5."),
        ("0", "The quantity must be more than 0. Remove the line instead to leave it out."),
        ("-3", "The quantity must be more than 0. Remove the line instead to leave it out."),
        ("1.2345", "The quantity may have at most 3 decimals."),
        (
            "1000000",
            "1000000 is more than the 100000 a line may hold. Check the quantity, or split the "
            "purchase into several orders.",
        ),
        ("NaN", "The quantity “NaN” is not a number. Write it with digits, e.g. 2 or 2.5."),
    ],
)
def test_a_bad_quantity_is_refused_with_what_to_do(typed: str, message: str, english: None) -> None:
    with pytest.raises(CartError) as caught:
        quantity_clean(typed)
    assert (caught.value.code, caught.value.message, caught.value.field) == (
        CartErrorCode.BAD_QUANTITY,
        message,
        "quantity",
    )


def test_quantities_are_read_as_danes_write_them() -> None:
    assert quantity_clean("1.000,5") == Decimal("1000.5")
    assert quantity_clean(" 2,25 ") == Decimal("2.25")
    assert quantity_clean("12") == Decimal("12")


def test_a_bad_quantity_is_refused_in_danish(danish: None) -> None:
    with pytest.raises(CartError) as caught:
        quantity_clean("0")
    assert caught.value.message == (
        "Antallet skal være mere end 0. Fjern linjen i stedet for at udelade varen."
    )


def test_only_the_units_assortment_goes_in_the_cart(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        _fill(cart, (shop.other_agreement, "1"))
    assert caught.value.code == CartErrorCode.NOT_IN_ASSORTMENT
    assert caught.value.message == (
        "This item cannot be ordered for Solsikken: it is not in the unit's assortment, or its "
        "agreement is not valid today. Search for another item."
    )
    assert not cart.lines.exists()


def test_a_requisitioner_cannot_order_for_another_unit(
    shop: Shop, tree: Tree, requisitioner: User, stranger: User
) -> None:
    with pytest.raises(CartError) as caught:
        cart_get_for(user=requisitioner, unit=tree.sibling_daycare)
    assert caught.value.code == CartErrorCode.NOT_ALLOWED
    with pytest.raises(CartError):
        cart_get_for(user=stranger, unit=tree.daycare)
    assert not Cart.objects.exists()


def test_an_item_whose_agreement_expired_stops_checkout_and_nothing_is_saved(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(cart, (shop.flour, "1"), (shop.paper, "2"))
    agreement = shop.paper.agreement
    assert agreement is not None
    agreement.valid_to = TODAY - timedelta(days=1)
    agreement.save(update_fields=["valid_to"])
    with pytest.raises(CartError) as caught:
        cart_checkout(cart=cart, choices=_choices(shop), on=TODAY)
    assert caught.value.code == CartErrorCode.NOT_ORDERABLE
    assert caught.value.message == (
        "These items can no longer be ordered (their agreement has expired, or they left the "
        "assortment): Kopipapir A4, 500 ark. Remove them from the cart and order the rest."
    )
    assert not Order.objects.exists()
    assert cart.lines.count() == 2


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ("address of another unit", CartErrorCode.BAD_ADDRESS, "delivery_address"),
        ("cost centre of another unit", CartErrorCode.BAD_COST_CENTRE, "cost_centre"),
        ("date in the past", CartErrorCode.BAD_DATE, "requested_delivery_date"),
        ("long personreference", CartErrorCode.BAD_REFERENCE, "personreference"),
    ],
)
def test_bad_checkout_choices_are_refused_and_nothing_is_saved(
    shop: Shop, tree: Tree, requisitioner: User, change: str, code: CartErrorCode, field: str
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    _fill(cart, (shop.flour, "1"))
    cases: dict[str, dict[str, object]] = {
        "address of another unit": {
            "delivery_address": delivery_address_create(
                unit=tree.sibling_daycare,
                label="Mælkebøtten",
                street="Mælkevej 2",
                postal_code="9999",
                city="Testby",
            )
        },
        "cost centre of another unit": {
            "cost_centre": cost_centre_create(unit=tree.sibling_daycare, code="51020", name="M")
        },
        "date in the past": {"requested_delivery_date": TODAY - timedelta(days=1)},
        "long personreference": {"personreference": "x" * 21},
    }
    elsewhere = cases[change]
    with pytest.raises(CartError) as caught:
        cart_checkout(cart=cart, choices=_choices(shop, **elsewhere), on=TODAY)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not OrderEvent.objects.exists()
    assert cart.lines.count() == 1


def test_an_empty_cart_cannot_be_checked_out(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        cart_checkout(cart=cart, choices=_choices(shop), on=TODAY)
    assert (caught.value.code, caught.value.message) == (
        CartErrorCode.EMPTY,
        "The cart is empty: add an item first.",
    )
