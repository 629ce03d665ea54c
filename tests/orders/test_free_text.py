"""Free-text orders (fritekstordre): what is not in the catalogue, to a supplier on one of the
unit's agreements, with a reason when the catalogue has a matching item."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from catalog.services import search_index_refresh
from orders.models import Cart, CartLine, Order
from orders.services import (
    CartError,
    CartErrorCode,
    CheckoutChoices,
    FreeText,
    cart_checkout,
    cart_free_text_add,
    cart_get_for,
    price_clean,
)
from org.models import User
from tests.conftest import Tree, page_text
from tests.factories.catalog import SupplierFactory
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    made = grocery(tree)
    search_index_refresh(municipality_id=tree.municipality.pk)
    return made


def _free_text(shop: Shop, **changes: object) -> FreeText:
    values: dict[str, object] = {
        "description": "Pandekagepande, 28 cm, til induktion",
        "quantity": "2",
        "unit_code": "EA",
        "estimated_unit_price": "349,95",
        "supplier_id": shop.flour.supplier_id,
        "supplier_item_number": "PP-28",
        "link": "https://grossisten.example/pp-28",
    }
    values.update(changes)
    return FreeText(**values)  # type: ignore[arg-type]


def test_a_free_text_line_is_ordered_like_the_rest(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    line = cart_free_text_add(cart=cart, free_text=_free_text(shop), on=TODAY)
    assert (line.is_free_text, line.estimated_unit_price) == (True, Decimal("349.9500"))
    [order] = cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )
    assert (order.supplier.name, order.total, order.status) == (
        "Grossisten",
        Decimal("699.90"),
        Order.Status.APPROVED,
    )
    fields = ("is_free_text", "name", "supplier_item_number", "unit_price", "link")
    assert list(order.lines.values_list(*fields)) == [
        (
            True,
            "Pandekagepande, 28 cm, til induktion",
            "PP-28",
            Decimal("349.9500"),
            "https://grossisten.example/pp-28",
        )
    ]


def test_a_matching_agreement_item_asks_for_a_reason_which_is_kept(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    wanted = _free_text(shop, description="Hvedemel økologisk 2 kg")
    with pytest.raises(CartError) as caught:
        cart_free_text_add(cart=cart, free_text=wanted, on=TODAY)
    assert (caught.value.code, caught.value.field, caught.value.message) == (
        CartErrorCode.NEEDS_REASON,
        "reason",
        "“Hvedemel, 2 kg” exists on agreement 50.93. Put that in the cart instead, or write why "
        "this must be a free-text order.",
    )
    assert not cart.lines.exists()
    line = cart_free_text_add(
        cart=cart,
        free_text=_free_text(
            shop, description="Hvedemel økologisk 2 kg", reason="Skal være økologisk"
        ),
        on=TODAY,
    )
    assert line.free_text_reason == "Skal være økologisk"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"description": "x"}, CartErrorCode.BAD_DESCRIPTION, "description"),
        ({"quantity": "-2"}, CartErrorCode.BAD_QUANTITY, "quantity"),
        ({"unit_code": "QQQ"}, CartErrorCode.BAD_UNIT, "unit_code"),
        ({"estimated_unit_price": "gratis"}, CartErrorCode.BAD_PRICE, "estimated_unit_price"),
        ({"estimated_unit_price": "12,34567"}, CartErrorCode.BAD_PRICE, "estimated_unit_price"),
        ({"supplier_id": None}, CartErrorCode.BAD_SUPPLIER, "supplier"),
        ({"link": "javascript:alert(1)"}, CartErrorCode.BAD_LINK, "link"),
    ],
)
def test_bad_free_text_is_refused_at_its_field(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    change: dict[str, object],
    code: CartErrorCode,
    field: str,
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        cart_free_text_add(cart=cart, free_text=_free_text(shop, **change), on=TODAY)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert not cart.lines.exists()


@pytest.mark.parametrize(("typed", "stored"), [("xpk", "PK"), (" RM ", "RM"), ("HLT", "HLT")])
def test_a_free_text_line_takes_any_known_unit_in_its_stored_form(
    shop: Shop, tree: Tree, requisitioner: User, typed: str, stored: str
) -> None:
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    line = cart_free_text_add(cart=cart, free_text=_free_text(shop, unit_code=typed), on=TODAY)
    assert line.unit_code == stored


def test_only_suppliers_on_the_units_agreements_can_be_chosen(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    elsewhere = SupplierFactory.create(municipality=tree.municipality, name="Uden aftale ApS")
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    with pytest.raises(CartError) as caught:
        cart_free_text_add(
            cart=cart, free_text=_free_text(shop, supplier_id=elsewhere.pk), on=TODAY
        )
    assert caught.value.message == (
        "Choose a supplier on one of Solsikken's agreements. To buy from another supplier, ask "
        "the procurement office."
    )


def test_prices_are_read_as_danes_write_them() -> None:
    assert price_clean("1.250,50") == Decimal("1250.50")
    assert price_clean("99 kr.") == Decimal("99")
    assert price_clean("0,1234") == Decimal("0.1234")


def test_the_free_text_page_hints_at_agreement_items_and_puts_the_line_in_the_cart(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    hint = page_text(
        client.get(
            "/free-text/hint/", {"description": "hvedemel", "unit": str(tree.daycare.pk)}
        ).content
    )
    assert hint.startswith("Det findes på en aftale Hvedemel, 2 kg – aftale 50.93, Grossisten")
    assert client.get("/free-text/", {"unit": str(tree.daycare.pk)}).status_code == 200
    assert not Cart.objects.exists()  # looking writes nothing
    response = client.post(
        "/free-text/",
        {
            "unit": tree.daycare.pk,
            "description": "Pandekagepande, 28 cm",
            "quantity": "1",
            "unit_code": "EA",
            "estimated_unit_price": "349,95",
            "supplier": shop.flour.supplier_id,
        },
        follow=True,
    )
    text = page_text(response.content)
    assert "Pandekagepande, 28 cm er i kurven som fritekst." in text
    assert "Pandekagepande, 28 cm Fritekst" in text
    assert "ca. 349,95 kr. / stk." in text


def test_the_free_text_form_offers_the_common_units_and_takes_and_shows_any_known_one(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    page = client.get("/free-text/", {"unit": str(tree.daycare.pk)}).content.decode()
    offered = re.findall(
        r'<option value="([^"]*)"', page.split('name="unit_code"')[1].split("</select>")[0]
    )
    assert len(offered) == 45
    assert offered[:3] == ["EA", "C62", "H87"]
    assert "RM" in offered
    assert "HLT" not in offered
    line = {
        "unit": tree.daycare.pk,
        "description": "Kildevand i fad",
        "quantity": "2",
        "unit_code": "HLT",
        "estimated_unit_price": "450,00",
    }
    # a mistake elsewhere: the unit the person chose is shown as chosen, not as the list's first
    again = client.post("/free-text/", line)
    assert again.status_code == 422
    assert '<option value="HLT" selected>hectolitre</option>' in again.content.decode()
    taken = client.post("/free-text/", {**line, "supplier": shop.flour.supplier_id}, follow=True)
    assert "ca. 450,00 kr. / hectolitre" in page_text(taken.content)
    assert list(CartLine.objects.values_list("description", "unit_code")) == [
        ("Kildevand i fad", "HLT")
    ]
    refused = client.post("/free-text/", {**line, "unit_code": "STK"})
    assert refused.status_code == 422
    assert "Marker en gyldig valgmulighed. STK er ikke en af de tilgængelige valgmuligheder." in (
        page_text(refused.content)
    )
    assert CartLine.objects.count() == 1
