"""The orders API, with a token as an integration would use it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.models import Order
from orders.services import favourite_line_add, favourite_list_create
from org.models import User
from tests.conftest import Tree
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _client(user: User) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_cart_is_filled_and_checked_out_through_the_api(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    api = _client(requisitioner)
    added = api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.eggs.pk, "quantity": "56"},
        format="json",
    )
    assert added.status_code == 201
    [group] = added.json()["groups"]
    assert (group["supplier"], group["total"], group["needs_approval"]) == (
        "Grossisten",
        "3024.00",
        True,
    )
    refused = api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "1,23456"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Antallet må højst have 3 decimaler.",
        "code": "bad_quantity",
        "field": "quantity",
    }
    checkout = api.post(
        "/api/v1/cart/checkout",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
            "personreference": "ANJE",
        },
        format="json",
    )
    assert checkout.status_code == 201
    [order] = checkout.json()
    assert (order["supplier"], order["status"], order["total"], order["personreference"]) == (
        "Grossisten",
        "awaiting_approval",
        "3024.00",
        "ANJE",
    )
    detail = api.get(f"/api/v1/orders/{order['number']}").json()
    assert [(line["name"], line["quantity"]) for line in detail["lines"]] == [
        ("Æg, 30 stk.", "56.000")
    ]
    assert api.get("/api/v1/cart", {"unit": tree.daycare.pk}).json()["groups"] == []


def test_an_approver_decides_through_the_api_and_no_one_on_their_own_order(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    api = _client(requisitioner)
    api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.eggs.pk, "quantity": "56"},
        format="json",
    )
    [order] = api.post(
        "/api/v1/cart/checkout",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
        },
        format="json",
    ).json()
    leader = _client(approver)
    assert [row["number"] for row in leader.get("/api/v1/approvals").json()] == [order["number"]]
    refused = api.post(
        f"/api/v1/orders/{order['number']}/decision", {"action": "approve"}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "own_order")
    approved = leader.post(
        f"/api/v1/orders/{order['number']}/decision", {"action": "approve"}, format="json"
    )
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    assert Order.objects.get().approved_by == approver


def test_a_favourite_list_goes_in_the_cart_through_the_api(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    pancakes = favourite_list_create(owner=requisitioner, unit=tree.daycare, name="Pandekager")
    for product in (shop.flour, shop.milk):
        favourite_line_add(
            favourite_list=pancakes,
            by=requisitioner,
            product_id=product.pk,
            quantity="2",
            on=date(2026, 11, 26),
        )
    api = _client(requisitioner)
    lists = api.get("/api/v1/favourite-lists").json()
    assert lists == [
        {
            "id": pancakes.pk,
            "name": "Pandekager",
            "unit": tree.daycare.pk,
            "is_shared": False,
            "line_count": 2,
        }
    ]
    milk = pancakes.lines.get(product=shop.milk)
    body = api.post(
        f"/api/v1/favourite-lists/{pancakes.pk}/to-cart",
        {"quantities": {str(milk.pk): "5"}},
        format="json",
    ).json()
    assert (body["added"], body["left_out"], body["cart"]["total"]) == (
        2,
        [],
        str(Decimal("2") * Decimal("12.95") + Decimal("5") * Decimal("11.25")),
    )


def test_nothing_of_another_municipality_is_reachable(
    shop: Shop, tree: Tree, requisitioner: User, stranger: User
) -> None:
    api = _client(requisitioner)
    api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "1"},
        format="json",
    )
    [order] = api.post(
        "/api/v1/cart/checkout",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
        },
        format="json",
    ).json()
    other = _client(stranger)
    assert other.get(f"/api/v1/orders/{order['number']}").status_code == 404
    assert other.get("/api/v1/orders").json() == []
    assert (
        other.post(
            "/api/v1/cart/lines",
            {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "1"},
            format="json",
        ).status_code
        == 404
    )
    assert APIClient().get("/api/v1/orders").status_code in (401, 403)


def test_free_text_and_goods_receipt_through_the_api(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    tree.municipality.uses_goods_receipt = True
    tree.municipality.save(update_fields=["uses_goods_receipt"])
    api = _client(requisitioner)
    refused = api.post(
        "/api/v1/cart/free-text",
        {
            "unit": tree.daycare.pk,
            "description": "Pandekagepande, 28 cm",
            "quantity": "1",
            "unit_code": "EA",
            "estimated_unit_price": "gratis",
            "supplier": shop.flour.supplier_id,
        },
        format="json",
    )
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        400,
        "bad_price",
        "estimated_unit_price",
    )
    added = api.post(
        "/api/v1/cart/free-text",
        {
            "unit": tree.daycare.pk,
            "description": "Pandekagepande, 28 cm",
            "quantity": "2",
            "unit_code": "EA",
            "estimated_unit_price": "349,95",
            "supplier": shop.flour.supplier_id,
        },
        format="json",
    )
    assert added.status_code == 201
    [group] = added.json()["groups"]
    assert [(line["name"], line["is_free_text"]) for line in group["lines"]] == [
        ("Pandekagepande, 28 cm", True)
    ]
    [order] = api.post(
        "/api/v1/cart/checkout",
        {
            "unit": tree.daycare.pk,
            "delivery_address": shop.address.pk,
            "cost_centre": shop.centre.pk,
        },
        format="json",
    ).json()
    received = api.post(
        f"/api/v1/orders/{order['number']}/receipt", {"received": {"1": "1"}}, format="json"
    )
    assert (received.status_code, received.json()["status"]) == (200, "partly_delivered")
    too_many = api.post(
        f"/api/v1/orders/{order['number']}/receipt", {"received": {"1": "3"}}, format="json"
    )
    line = Order.objects.get().lines.get()
    assert (too_many.status_code, too_many.json()["field"]) == (400, f"line-{line.pk}")
