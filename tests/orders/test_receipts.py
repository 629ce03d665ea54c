"""Goods receipt, where the municipality registers it: what arrived, line by line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from orders.models import Order
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    order_goods_receive,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    tree.municipality.uses_goods_receipt = True
    tree.municipality.save(update_fields=["uses_goods_receipt"])
    return grocery(tree)


@pytest.fixture
def order(shop: Shop, tree: Tree, requisitioner: User) -> Order:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="10", on=TODAY)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity="2", on=TODAY)
    [placed] = cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )
    return placed


def test_receipt_line_by_line_makes_the_order_partly_then_wholly_delivered(
    order: Order, requisitioner: User
) -> None:
    flour, eggs = order.lines.order_by("position")
    partly = order_goods_receive(order=order, by=requisitioner, received={flour.pk: "6"})
    assert partly.status == Order.Status.PARTLY_DELIVERED
    whole = order_goods_receive(
        order=order, by=requisitioner, received={flour.pk: "10", eggs.pk: "2"}
    )
    assert whole.status == Order.Status.DELIVERED
    assert list(whole.lines.order_by("position").values_list("received_quantity", flat=True)) == [
        Decimal("10.000"),
        Decimal("2.000"),
    ]
    assert whole.events.last().note == "Varer modtaget: Hvedemel, 2 kg 10, Æg, 30 stk. 2"  # type: ignore[union-attr]


def test_more_than_ordered_cannot_be_received(
    order: Order, requisitioner: User, english: None
) -> None:
    flour = order.lines.get(position=1)
    with pytest.raises(CartError) as caught:
        order_goods_receive(order=order, by=requisitioner, received={flour.pk: "11"})
    assert (caught.value.code, caught.value.message, caught.value.field) == (
        CartErrorCode.BAD_QUANTITY,
        "Hvedemel, 2 kg: more than the 10 ordered cannot be received.",
        f"line-{flour.pk}",
    )
    assert Order.objects.get().status == Order.Status.APPROVED


def test_only_where_the_municipality_registers_receipt_and_by_the_units_people(
    order: Order, tree: Tree, requisitioner: User, stranger: User, english: None
) -> None:
    flour = order.lines.get(position=1)
    with pytest.raises(CartError):
        order_goods_receive(order=order, by=stranger, received={flour.pk: "1"})
    tree.municipality.uses_goods_receipt = False
    tree.municipality.save(update_fields=["uses_goods_receipt"])
    order.refresh_from_db()
    with pytest.raises(CartError) as caught:
        order_goods_receive(order=order, by=requisitioner, received={flour.pk: "1"})
    assert caught.value.message == "The municipality does not register goods receipt."


def test_receipt_on_the_order_page(client: Client, order: Order, requisitioner: User) -> None:
    client.force_login(requisitioner)
    flour = order.lines.get(position=1)
    assert "Registrér varemodtagelse" in page_text(client.get(f"/orders/{order.number}/").content)
    response = client.post(
        f"/orders/{order.number}/receipt/", {f"received-{flour.pk}": "4"}, follow=True
    )
    assert "Modtagelsen er registreret: ordren er delvist leveret." in page_text(response.content)
