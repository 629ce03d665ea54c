"""Lines that come back from a supplier's web shop (punch-out) in the cart and at checkout: the
order carries the returned price, and the limits count no less than the agreement's price."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from orders.models import CartLine, Order
from orders.selectors import cart_page, order_list_awaiting_approval
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    PunchoutLine,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    cart_punchout_lines_put,
    order_approve,
    order_send_back,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import SupplierFactory
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
AUX = "  basket=7f3a;line=2\t"  # the supplier's key, spaces and tab included


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _flour(quantity: str, price: str) -> PunchoutLine:
    """The grocer's flour (agreement price 12,95 kr.) as their web shop returns it."""
    return PunchoutLine(
        supplier_item_number="FØ-0701",
        description="Hvedemel, 2 kg (webshop)",
        quantity=Decimal(quantity),
        unit_code="EA",
        unit_price=Decimal(price),
        supplier_part_auxiliary_id=AUX,
    )


def _checkout(cart_owner: User, tree: Tree, shop: Shop) -> list[Order]:
    cart = cart_get_for(user=cart_owner, unit=tree.daycare)
    return cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )


def test_a_line_priced_under_the_agreement_counts_at_the_agreement_price(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_punchout_lines_put(
        cart=cart,
        supplier_id=shop.flour.supplier_id,
        lines=[_flour("300", "1.00")],
        replace=False,
        on=TODAY,
    )
    page = cart_page(cart=cart, on=TODAY)
    [group] = page.groups
    assert (group.total, group.limit_total, group.needs_approval) == (
        Decimal("300.00"),
        Decimal("3885.00"),
        True,
    )
    [order] = _checkout(requisitioner, tree, shop)
    assert (order.status, order.total, order.limit_total) == (
        Order.Status.AWAITING_APPROVAL,
        Decimal("300.00"),
        Decimal("3885.00"),
    )
    [line] = order.lines.all()
    assert (
        line.is_punchout,
        line.is_free_text,
        line.unit_price,
        line.agreement_unit_price,
        line.supplier_part_auxiliary_id,
    ) == (True, False, Decimal("1.0000"), Decimal("12.9500"), AUX)
    assert list(order_list_awaiting_approval(user=approver)) == [order]


def test_a_line_priced_above_the_agreement_counts_at_its_own_price(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_punchout_lines_put(
        cart=cart,
        supplier_id=shop.flour.supplier_id,
        lines=[_flour("100", "14.50")],
        replace=False,
        on=TODAY,
    )
    [order] = _checkout(requisitioner, tree, shop)
    assert (order.status, order.total, order.limit_total) == (
        Order.Status.APPROVED,
        Decimal("1450.00"),
        Decimal("1450.00"),
    )


def test_an_item_without_an_agreement_price_counts_at_the_returned_price(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity="2", on=TODAY)
    unknown = PunchoutLine(
        supplier_item_number="WEB-991",
        description="Bagepapir, 50 m",
        quantity=Decimal("3"),
        unit_code="RO",
        unit_price=Decimal("39.95"),
    )
    cart_punchout_lines_put(
        cart=cart, supplier_id=shop.eggs.supplier_id, lines=[unknown], replace=False, on=TODAY
    )
    [order] = _checkout(requisitioner, tree, shop)
    assert (order.total, order.limit_total) == (Decimal("227.85"), Decimal("227.85"))
    assert list(order.lines.values_list("name", "is_punchout", "agreement_unit_price")) == [
        ("Æg, 30 stk.", False, None),
        ("Bagepapir, 50 m", True, None),
    ]


def test_an_edit_return_replaces_the_suppliers_lines_and_an_empty_one_removes_them(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity="2", on=TODAY)
    supplier_id = shop.flour.supplier_id
    cart_punchout_lines_put(
        cart=cart, supplier_id=supplier_id, lines=[_flour("3", "12")], replace=False, on=TODAY
    )
    cart_punchout_lines_put(
        cart=cart, supplier_id=supplier_id, lines=[_flour("5", "12")], replace=True, on=TODAY
    )
    assert list(cart.lines.order_by("pk").values_list("kind", "quantity")) == [
        (CartLine.Kind.CATALOGUE, Decimal("2.000")),
        (CartLine.Kind.PUNCHOUT, Decimal("5.000")),
    ]
    cart_punchout_lines_put(cart=cart, supplier_id=supplier_id, lines=[], replace=True, on=TODAY)
    assert list(cart.lines.values_list("kind", flat=True)) == [CartLine.Kind.CATALOGUE]


@pytest.mark.parametrize(
    ("line", "code", "message"),
    [
        (
            _flour("2", "0"),
            CartErrorCode.BAD_PRICE,
            "Linje 2 har ingen pris. Bed leverandøren rette sin webshop.",
        ),
        (
            _flour("-1", "12"),
            CartErrorCode.BAD_QUANTITY,
            "Antallet skal være mere end 0. Fjern linjen i stedet for at udelade varen.",
        ),
        (
            PunchoutLine("FØ-0701", "Hvedemel", Decimal(1), "STK", Decimal(12)),
            CartErrorCode.BAD_UNIT,
            "Linje 2 har enheden “STK”, som Rekvi ikke kender.",
        ),
        (
            PunchoutLine(" ", "Hvedemel", Decimal(1), "EA", Decimal(12)),
            CartErrorCode.BAD_DESCRIPTION,
            "Linje 2 har intet varenummer på 1 til 100 tegn.",
        ),
    ],
)
def test_a_bad_returned_line_is_refused_and_no_line_is_put_in_the_cart(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    danish: None,
    line: PunchoutLine,
    code: CartErrorCode,
    message: str,
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        cart_punchout_lines_put(
            cart=cart,
            supplier_id=shop.flour.supplier_id,
            lines=[_flour("1", "12"), line],
            replace=False,
            on=TODAY,
        )
    assert (caught.value.code, caught.value.field, caught.value.message) == (
        code,
        "lines[1]",
        message,
    )
    assert not CartLine.objects.exists()


def test_a_supplier_without_an_agreement_for_the_unit_is_refused(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    outsider = SupplierFactory.create(municipality=tree.municipality, name="Fremmed A/S")
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        cart_punchout_lines_put(
            cart=cart, supplier_id=outsider.pk, lines=[_flour("1", "12")], replace=False, on=TODAY
        )
    assert (caught.value.code, caught.value.message) == (
        CartErrorCode.BAD_SUPPLIER,
        "Solsikken har ingen gyldig aftale med denne leverandør.",
    )
    assert not CartLine.objects.exists()


def test_sending_back_returns_punch_out_lines_to_the_cart_with_their_key(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_punchout_lines_put(
        cart=cart,
        supplier_id=shop.flour.supplier_id,
        lines=[_flour("300", "1.00")],
        replace=False,
        on=TODAY,
    )
    [order] = _checkout(requisitioner, tree, shop)
    order_send_back(order=order, by=approver, reason="For mange")
    assert list(
        CartLine.objects.values_list(
            "kind", "quantity", "estimated_unit_price", "supplier_part_auxiliary_id"
        )
    ) == [(CartLine.Kind.PUNCHOUT, Decimal("300.000"), Decimal("1.0000"), AUX)]


def test_the_cart_and_the_approver_see_the_agreement_price(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart_punchout_lines_put(
        cart=cart,
        supplier_id=shop.flour.supplier_id,
        lines=[_flour("300", "1.00")],
        replace=False,
        on=TODAY,
    )
    client.force_login(requisitioner)
    page = page_text(client.get(f"/cart/?unit={tree.daycare.pk}").content)
    assert "Fra leverandørens webshop" in page
    assert (
        "Webshoppens pris 1,00 kr. afviger fra aftalens 12,95 kr. (-92,3 %); ordregrænsen regner "
        "med den højeste." in page
    )
    assert "Denne ordre (3.885,00 kr.) er over din ordregrænse på 3.000,00 kr." in page
    [order] = _checkout(requisitioner, tree, shop)
    client.force_login(approver)
    page = page_text(client.get(f"/orders/{order.number}/").content)
    assert (
        "Ordren (3.885,00 kr.) er over ordregrænsen på 3.000,00 kr. for den, der afgav den. "
        "Leverandørens webshop prissatte den til 300,00 kr., under aftalens priser; grænserne "
        "regner med aftalens priser." in page
    )
    assert order_approve(order=order, by=approver).status == Order.Status.APPROVED


def test_a_returned_line_in_any_known_unit_is_kept_in_its_stored_form(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    flour = _flour("2", "12.00")
    lines = [
        dataclasses.replace(flour, supplier_item_number=number, unit_code=unit)
        for number, unit in (("PAP-80", "RM"), ("ELA-100", "xpk"), ("SÆK-25", "XSA"))
    ]
    cart_punchout_lines_put(
        cart=cart, supplier_id=shop.flour.supplier_id, lines=lines, replace=False, on=TODAY
    )
    assert list(cart.lines.order_by("pk").values_list("supplier_item_number", "unit_code")) == [
        ("PAP-80", "RM"),
        ("ELA-100", "PK"),
        ("SÆK-25", "XSA"),
    ]


def test_a_price_finding_travels_with_the_line_to_the_cart_the_order_and_the_approver(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    web_only = PunchoutLine(
        supplier_item_number="WEB-9",
        description="Bageforme (kun i webshoppen)",
        quantity=Decimal(2),
        unit_code="EA",
        unit_price=Decimal("40"),
    )
    cart_punchout_lines_put(
        cart=cart,
        supplier_id=shop.flour.supplier_id,
        lines=[_flour("300", "15.54"), web_only],
        replace=False,
        on=TODAY,
    )
    higher = (
        "Webshoppens pris 15,54 kr. afviger fra aftalens 12,95 kr. (+20,0 %); ordregrænsen "
        "regner med den højeste."
    )
    unknown = "Ikke i aftalekataloget: webshoppens pris kan ikke sammenlignes."
    client.force_login(requisitioner)
    page = page_text(client.get(f"/cart/?unit={tree.daycare.pk}").content)
    assert f"15,54 kr. / stk. {higher}" in page
    assert f"40,00 kr. / stk. {unknown}" in page
    [order] = _checkout(requisitioner, tree, shop)
    assert [line.price_note for line in order.lines.order_by("position")] == [higher, unknown]
    for person in (requisitioner, approver):
        client.force_login(person)
        page = page_text(client.get(f"/orders/{order.number}/").content)
        assert f"15,54 kr. {higher}" in page
        assert f"40,00 kr. {unknown}" in page
    assert "Din beslutning" in page  # the approver's view of the order
