"""Standard packages: a buyer puts many packages in several units' carts at once; ordered
unchanged and within their pre-approved amount, they skip approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from orders.models import CartLine, Order, StandardPackage
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_quantity_set,
    package_create,
    package_line_set,
    package_to_carts,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


@pytest.fixture
def baking(shop: Shop, buyer: User) -> StandardPackage:
    """1 flour and 2 egg trays (120,95 kr.), pre-approved up to 150 kr. a package."""
    return package_create(
        by=buyer,
        name="Bagepakke",
        lines=[(shop.flour.pk, Decimal(1)), (shop.eggs.pk, Decimal(2))],
        pre_approved_up_to=Decimal(150),
    )


def _lines(user: User, unit_id: int) -> list[tuple[int, Decimal]]:
    return list(
        CartLine.objects.filter(cart__user=user, cart__unit_id=unit_id)
        .order_by("pk")
        .values_list("product", "quantity")
    )


def _checkout(shop: Shop, tree: Tree, buyer: User) -> Order:
    [order] = cart_checkout(
        cart=cart_get_for(user=buyer, unit=tree.daycare),
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )
    return order


def test_a_buyer_puts_packages_in_three_units_carts_at_once(
    shop: Shop, tree: Tree, buyer: User, baking: StandardPackage
) -> None:
    placed = package_to_carts(
        package=baking,
        user=buyer,
        counts={tree.daycare.pk: "40", tree.sibling_daycare.pk: "40", tree.technical_dept.pk: "40"},
        on=TODAY,
    )
    assert sum(placed.values()) == 120
    for unit in (tree.daycare, tree.sibling_daycare, tree.technical_dept):
        assert _lines(buyer, unit.pk) == [
            (shop.flour.pk, Decimal("40.000")),
            (shop.eggs.pk, Decimal("80.000")),
        ]


def test_unchanged_packages_within_their_amount_skip_approval(
    shop: Shop, tree: Tree, buyer: User, baking: StandardPackage
) -> None:
    package_to_carts(package=baking, user=buyer, counts={tree.daycare.pk: "1000"}, on=TODAY)
    order = _checkout(shop, tree, buyer)  # 120.950 kr., above the buyer's 100.000
    assert (order.total, order.status) == (Decimal("120950.00"), Order.Status.APPROVED)
    assert order.events.get().note == "Forhåndsgodkendte standardpakker: Bagepakke (1000)."


def test_a_changed_package_goes_through_approval(
    shop: Shop, tree: Tree, buyer: User, baking: StandardPackage
) -> None:
    package_to_carts(package=baking, user=buyer, counts={tree.daycare.pk: "1000"}, on=TODAY)
    eggs = CartLine.objects.get(cart__user=buyer, product=shop.eggs)
    cart_line_quantity_set(line=eggs, quantity="1999")
    assert _checkout(shop, tree, buyer).status == Order.Status.AWAITING_APPROVAL


def test_a_package_revised_after_it_went_in_the_cart_is_no_longer_unchanged(
    shop: Shop, tree: Tree, buyer: User, baking: StandardPackage
) -> None:
    package_to_carts(package=baking, user=buyer, counts={tree.daycare.pk: "1000"}, on=TODAY)
    revised = package_line_set(
        package=baking, by=buyer, product_id=shop.milk.pk, quantity=Decimal(1)
    )
    assert revised.version == 2
    assert _checkout(shop, tree, buyer).status == Order.Status.AWAITING_APPROVAL


def test_packages_are_all_or_nothing_and_counts_whole(
    shop: Shop, tree: Tree, buyer: User, baking: StandardPackage, english: None
) -> None:
    with pytest.raises(CartError) as caught:
        package_to_carts(package=baking, user=buyer, counts={tree.daycare.pk: "2,5"}, on=TODAY)
    assert (caught.value.code, caught.value.message) == (
        CartErrorCode.BAD_QUANTITY,
        "Write a whole number of packages, from 0 to 10000.",
    )
    odd = package_create(
        by=buyer, name="Med udgået aftale", lines=[(shop.other_agreement.pk, Decimal(1))]
    )
    with pytest.raises(CartError) as caught:
        package_to_carts(package=odd, user=buyer, counts={tree.daycare.pk: "1"}, on=TODAY)
    assert caught.value.message == (
        "Solsikken cannot order Hvedemel, 25 kg, so the package cannot go in its cart."
    )
    assert not CartLine.objects.exists()


def test_only_buyers_make_packages_and_order_them_for_others(
    shop: Shop, tree: Tree, requisitioner: User, baking: StandardPackage
) -> None:
    with pytest.raises(CartError) as caught:
        package_create(by=requisitioner, name="Min", lines=[(shop.flour.pk, Decimal(1))])
    assert caught.value.code == CartErrorCode.NOT_ALLOWED
    with pytest.raises(CartError) as caught:
        package_to_carts(
            package=baking, user=requisitioner, counts={tree.sibling_daycare.pk: "1"}, on=TODAY
        )
    assert caught.value.code == CartErrorCode.NOT_ALLOWED


def test_the_package_page_fills_the_carts(
    client: Client, shop: Shop, tree: Tree, buyer: User, baking: StandardPackage
) -> None:
    client.force_login(buyer)
    page = page_text(client.get(f"/packages/{baking.pk}/").content)
    assert "120,95 kr. pr. pakke ekskl. moms, version 1." in page
    response = client.post(
        f"/packages/{baking.pk}/",
        {
            f"unit-{tree.daycare.pk}": "40",
            f"unit-{tree.sibling_daycare.pk}": "40",
            f"unit-{tree.technical_dept.pk}": "40",
        },
        follow=True,
    )
    assert "120 × Bagepakke er i kurvene for 3 enheder." in page_text(response.content)
    refused = client.post(f"/packages/{baking.pk}/", {f"unit-{tree.daycare.pk}": "mange"})
    assert refused.status_code == 422
    assert 'value="mange"' in refused.content.decode()  # what was typed is kept


def test_a_procurement_officer_revises_a_package_in_the_administration(
    client: Client, shop: Shop, baking: StandardPackage, assortment_admin: User
) -> None:
    client.force_login(assortment_admin)
    flour, eggs = baking.lines.order_by("pk")
    response = client.post(
        f"/admin/orders/standardpackage/{baking.pk}/change/",
        {
            "name": "Bagepakke",
            "description": "",
            "pre_approved_up_to": "150",
            "is_active": "on",
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "2",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-id": flour.pk,
            "lines-0-package": baking.pk,
            "lines-0-product": shop.flour.pk,
            "lines-0-quantity": "1",
            "lines-1-id": eggs.pk,
            "lines-1-package": baking.pk,
            "lines-1-product": shop.eggs.pk,
            "lines-1-quantity": "2",
            "lines-2-package": baking.pk,
            "lines-2-product": shop.milk.pk,
            "lines-2-quantity": "4",
        },
    )
    assert response.status_code == 302
    baking.refresh_from_db()
    assert baking.version == 2
    assert list(baking.lines.order_by("pk").values_list("product", "quantity")) == [
        (shop.flour.pk, Decimal("1.000")),
        (shop.eggs.pk, Decimal("2.000")),
        (shop.milk.pk, Decimal("4.000")),
    ]
