"""The orders API, with a token as an integration would use it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.models import CartLine, Order
from orders.services import favourite_line_add, favourite_list_create, package_create
from org.models import Role, User
from tests.conftest import Tree
from tests.factories.orders import Shop, grocery
from tests.factories.org import UserFactory, grant

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
        {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "1.23456"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "quantity: Tjek at der ikke er flere end 3 cifre efter kommaet.",
        "code": "max_decimal_places",
        "field": "quantity",
        "messages": {"quantity": ["Tjek at der ikke er flere end 3 cifre efter kommaet."]},
    }
    written_as_people_type = api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.flour.pk, "quantity": "1,5"},
        format="json",
    )
    assert written_as_people_type.status_code == 400
    assert written_as_people_type.json() == {
        "detail": "quantity: Et gyldigt tal er påkrævet.",
        "code": "invalid",
        "field": "quantity",
        "messages": {"quantity": ["Et gyldigt tal er påkrævet."]},
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
            "estimated_unit_price": "-5",
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
            "estimated_unit_price": "349.95",
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


def _placed(api: APIClient, shop: Shop, tree: Tree, eggs: str) -> dict[str, Any]:
    api.post(
        "/api/v1/cart/lines",
        {"unit": tree.daycare.pk, "product": shop.eggs.pk, "quantity": eggs},
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
    return dict(order)


def test_an_approved_order_changed_through_the_api_is_approved_again_on_its_new_revision(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    api, leader = _client(requisitioner), _client(approver)
    order = _placed(api, shop, tree, "56")  # 3.024 kr., above the 3.000 limit
    number = order["number"]
    assert (order["status"], order["revision"], order["limit_total"]) == (
        "awaiting_approval",
        1,
        "3024.00",
    )
    leader.post(f"/api/v1/orders/{number}/decision", {"action": "approve"}, format="json")
    changed = api.patch(
        f"/api/v1/orders/{number}",
        {"revision": 1, "lines": [{"position": 1, "quantity": "55"}], "note_to_supplier": "Bag"},
        format="json",
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["status"], body["revision"], body["total"], body["note_to_supplier"]) == (
        "awaiting_approval",
        2,
        "2970.00",
        "Bag",
    )
    assert [event["status"] for event in body["events"]] == [
        "awaiting_approval",
        "approved",
        "awaiting_approval",
    ]
    stale = leader.post(
        f"/api/v1/orders/{number}/decision", {"action": "approve", "revision": 1}, format="json"
    )
    assert (stale.status_code, stale.json()["code"]) == (400, "changed")
    again = api.patch(f"/api/v1/orders/{number}", {"revision": 1}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "changed")
    approved = leader.post(
        f"/api/v1/orders/{number}/decision", {"action": "approve", "revision": 2}, format="json"
    )
    assert approved.json()["status"] == "approved"
    not_theirs = leader.post(f"/api/v1/orders/{number}/cancel", {}, format="json")
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (400, "not_allowed")
    cancelled = api.post(f"/api/v1/orders/{number}/cancel", {"reason": "Fejlkøb"}, format="json")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")


def test_packages_go_in_several_units_carts_through_the_api(
    shop: Shop, tree: Tree, buyer: User
) -> None:
    package = package_create(
        by=buyer,
        name="Bagepakke",
        lines=[(shop.flour.pk, Decimal(1)), (shop.eggs.pk, Decimal(2))],
        pre_approved_up_to=Decimal(150),
    )
    api = _client(buyer)
    [listed] = api.get("/api/v1/packages").json()
    assert (listed["name"], listed["version"], listed["price"], len(listed["lines"])) == (
        "Bagepakke",
        1,
        "120.95",
        2,
    )
    placed = api.post(
        f"/api/v1/packages/{package.pk}/to-carts",
        {"counts": {str(tree.daycare.pk): "40", str(tree.sibling_daycare.pk): "2"}},
        format="json",
    )
    assert placed.json() == {"placed": {str(tree.daycare.pk): 40, str(tree.sibling_daycare.pk): 2}}
    assert CartLine.objects.filter(cart__user=buyer).count() == 4
    refused = api.post(
        f"/api/v1/packages/{package.pk}/to-carts", {"counts": {"x": "1"}}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "bad_unit")
    none = api.post(
        f"/api/v1/packages/{package.pk}/to-carts",
        {"counts": {str(tree.daycare.pk): "0"}},
        format="json",
    )
    assert (none.status_code, none.json()["code"]) == (400, "bad_quantity")
    assert CartLine.objects.filter(cart__user=buyer).count() == 4


def test_an_approver_hands_over_and_ends_it_through_the_api(tree: Tree, approver: User) -> None:
    stand_in = UserFactory.create(municipality=tree.municipality, username="stedfortraeder")
    grant(stand_in, tree.daycare, Role.APPROVER, approval_limit="1000.00")
    api = _client(approver)
    today = timezone.localdate()
    made = api.post(
        "/api/v1/approvals/delegations",
        {
            "delegate": "stedfortraeder",
            "starts_on": str(today),
            "ends_on": str(today + timedelta(days=14)),
        },
        format="json",
    )
    assert made.status_code == 201
    assert (made.json()["approver"], made.json()["delegate"]) == ("godkender", "stedfortraeder")
    assert [
        row["delegate"] for row in api.get("/api/v1/approvals/delegations").json()["given"]
    ] == ["stedfortraeder"]
    received = _client(stand_in).get("/api/v1/approvals/delegations").json()["received"]
    assert [row["approver"] for row in received] == ["godkender"]
    unknown = api.post(
        "/api/v1/approvals/delegations",
        {"delegate": "nobody", "starts_on": str(today), "ends_on": str(today)},
        format="json",
    )
    assert unknown.json() == {
        "detail": "Vælg en anden aktiv godkender i din kommune.",
        "code": "bad_delegation",
        "field": "delegate",
    }
    ended = api.post(f"/api/v1/approvals/delegations/{made.json()['id']}/end", format="json")
    assert ended.status_code == 204
    assert api.get("/api/v1/approvals/delegations").json() == {"given": [], "received": []}


def test_orders_are_filtered_by_unit_month_and_status_through_the_api(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _placed(_client(requisitioner), shop, tree, "2")
    leader = _client(approver)
    month = timezone.localdate().strftime("%Y-%m")
    found = leader.get(f"/api/v1/orders?unit={tree.daycare.pk}&month={month}&status=approved")
    assert [row["number"] for row in found.json()] == [order["number"]]
    assert leader.get(f"/api/v1/orders?unit={tree.sibling_daycare.pk}").json() == []
    assert leader.get("/api/v1/orders?month=2025-01").json() == []
    bad = leader.get("/api/v1/orders?month=11-2026")
    assert (bad.status_code, bad.json()) == (
        400,
        {
            "detail": "Skriv måneden som ÅÅÅÅ-MM, fx 2026-11.",
            "code": "bad_filter",
            "field": "month",
        },
    )
    unseen = leader.get(f"/api/v1/orders?unit={tree.technical_dept.pk}")
    assert (unseen.status_code, unseen.json()["field"]) == (400, "unit")
