"""Bounds are stated, never cut silently: text longer than its column is refused naming the
limit (on pages in Danish, in the API with a code and the field), and an item's minimum order
quantity holds when it goes in the cart, when its quantity changes and at checkout."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Product
from orders.models import CartLine, Order
from orders.services import (
    CartError,
    CheckoutChoices,
    FreeText,
    OrderEditError,
    cart_checkout,
    cart_free_text_add,
    cart_get_for,
    cart_line_add,
    order_cancel,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.orders import Shop, eggs_and_flour_order, grocery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _api(user: User) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _checkout(shop: Shop, tree: Tree, **fields: str) -> dict[str, Any]:
    return {
        "unit": tree.daycare.pk,
        "delivery_address": shop.address.pk,
        "cost_centre": shop.centre.pk,
        **fields,
    }


def test_the_api_refuses_an_account_longer_than_its_30_characters(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    api = _api(requisitioner)
    api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "2"},
        format="json",
    )
    refused = api.post("/api/v1/cart/checkout", _checkout(shop, tree, account="4" * 31))
    assert refused.status_code == 400
    assert {key: refused.json()[key] for key in ("detail", "code", "field")} == {
        "detail": "account: Tjek at dette felt ikke indeholder flere end 30 tegn.",
        "code": "max_length",
        "field": "account",
    }
    assert Order.objects.count() == 0
    placed = api.post("/api/v1/cart/checkout", _checkout(shop, tree, account="4" * 30))
    assert placed.status_code == 201
    assert Order.objects.get().account == "4" * 30


def test_the_checkout_service_refuses_a_long_account_rather_than_cutting_it(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="2", on=timezone.localdate())
    with pytest.raises(CartError) as refused:
        cart_checkout(
            cart=cart,
            choices=CheckoutChoices(
                delivery_address=shop.address, cost_centre=shop.centre, account="4" * 31
            ),
            on=timezone.localdate(),
        )
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "too_long",
        "account",
        "Kontoen må højst have 30 tegn; her er der 31.",
    )


def test_the_api_refuses_a_free_text_reason_of_100_kilobytes(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    refused = _api(requisitioner).post(
        "/api/v1/cart/free-text",
        {
            "unit": tree.daycare.pk,
            "description": "Pandekagepande, 28 cm",
            "quantity": "1",
            "unit_code": "EA",
            "estimated_unit_price": "349.95",
            "supplier": shop.flour.supplier_id,
            "reason": "x" * 100_000,
        },
        format="json",
    )
    assert refused.status_code == 400
    assert {key: refused.json()[key] for key in ("detail", "code", "field")} == {
        "detail": "reason: Tjek at dette felt ikke indeholder flere end 1000 tegn.",
        "code": "max_length",
        "field": "reason",
    }
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        (
            "supplier_item_number",
            101,
            "Leverandørens varenummer må højst have 100 tegn; her er der 101.",
        ),
        ("link", 501, "Linket må højst have 500 tegn; her er der 501."),
        ("reason", 1001, "Begrundelsen for fritekst må højst have 1000 tegn; her er der 1001."),
    ],
)
def test_free_text_is_refused_naming_the_limit_never_cut(
    shop: Shop, tree: Tree, requisitioner: User, danish: None, field: str, length: int, message: str
) -> None:
    text = ("https://" + "x" * length)[:length] if field == "link" else "x" * length
    fields: dict[str, Any] = {
        "description": "Pandekagepande, 28 cm",
        "quantity": "1",
        "unit_code": "EA",
        "estimated_unit_price": "349,95",
        "supplier_id": shop.flour.supplier_id,
    }
    free_text = FreeText(**{**fields, field: text})
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as refused:
        cart_free_text_add(cart=cart, free_text=free_text, on=timezone.localdate())
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "too_long",
        field,
        message,
    )
    kept = cart_free_text_add(
        cart=cart,
        free_text=FreeText(**{**fields, field: text[:-1]}),
        on=timezone.localdate(),
    )
    assert getattr(kept, "free_text_reason" if field == "reason" else field) == text[:-1]


def test_a_cancel_reason_longer_than_1000_characters_is_refused_on_the_page(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    order = eggs_and_flour_order(shop, tree, requisitioner, "2", timezone.localdate())
    client.force_login(requisitioner)
    answer = client.post(f"/orders/{order.number}/cancel/", {"reason": "x" * 1001}, follow=True)
    assert "Begrundelsen for annulleringen må højst have 1000 tegn; her er der 1001." in (
        page_text(answer.content)
    )
    order.refresh_from_db()
    assert order.status != Order.Status.CANCELLED
    with pytest.raises(OrderEditError):
        order_cancel(order=order, by=requisitioner, reason="x" * 1001)


# --- The minimum order quantity ------------------------------------------------------------------


@pytest.fixture
def paper(shop: Shop) -> Product:
    """Copy paper, which the stationer sells by at least 5 packs."""
    Product.objects.filter(pk=shop.paper.pk).update(min_order_quantity=Decimal(5))
    shop.paper.refresh_from_db()
    return shop.paper


MINIMUM = "Leverandøren sælger mindst 5 stk. af Kopipapir A4, 500 ark."


def test_less_than_the_minimum_is_refused_when_put_in_the_cart_on_the_page(
    client: Client, tree: Tree, requisitioner: User, paper: Product, danish: None
) -> None:
    client.force_login(requisitioner)
    answer = client.post(
        "/cart/add/", {"unit": tree.daycare.pk, "product": paper.pk, "quantity": "2"}, follow=True
    )
    assert MINIMUM in page_text(answer.content)
    assert CartLine.objects.count() == 0
    client.post("/cart/add/", {"unit": tree.daycare.pk, "product": paper.pk, "quantity": "5"})
    assert CartLine.objects.get().quantity == Decimal(5)


def test_the_minimum_holds_in_the_api_when_adding_and_changing_the_quantity(
    tree: Tree, requisitioner: User, paper: Product, danish: None
) -> None:
    api = _api(requisitioner)
    refused = api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": paper.pk, "quantity": "4"},
        format="json",
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": MINIMUM, "code": "below_minimum", "field": "quantity"},
    )
    assert (
        api.post(
            "/api/v1/cart/lines",
            {"unit": tree.daycare.pk, "product": paper.pk, "quantity": "5"},
            format="json",
        ).status_code
        == 201
    )
    line = CartLine.objects.get()
    changed = api.patch(f"/api/v1/cart/lines/{line.pk}", {"quantity": "3"}, format="json")
    assert (changed.status_code, changed.json()) == (
        400,
        {"detail": MINIMUM, "code": "below_minimum", "field": f"line-{line.pk}"},
    )
    line.refresh_from_db()
    assert line.quantity == Decimal(5)


def test_a_minimum_raised_after_the_item_went_in_the_cart_holds_at_checkout(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    api = _api(requisitioner)
    api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.paper.pk, "quantity": "2"},
        format="json",
    )
    line = CartLine.objects.get()
    Product.objects.filter(pk=shop.paper.pk).update(min_order_quantity=Decimal(5))
    refused = api.post("/api/v1/cart/checkout", _checkout(shop, tree))
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": MINIMUM, "code": "below_minimum", "field": f"line-{line.pk}"},
    )
    assert Order.objects.count() == 0
