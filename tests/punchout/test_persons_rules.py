"""What comes back from a web shop is held to the person's own rules: a shop is offered only
to those who may buy on its agreement and in its categories; a line in a category the person
or unit may not buy is refused; a line of no known category from a shop that also sells what
the person may not buy sends the order to a godkender, who sees why."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from catalog.models import AssortmentRule, Category, Supplier
from catalog.services import agreement_supplier_add, assortment_rule_create, category_create
from orders.models import Order
from orders.services import CheckoutChoices, cart_checkout, cart_get_for, order_send_back
from org.models import Role, User
from punchout.models import ReturnedCart
from punchout.selectors import punchout_supplier_list
from punchout.services import (
    PunchoutError,
    PunchoutErrorCode,
    punchout_cart_receive,
    punchout_cart_take,
    punchout_session_start,
)
from tests.conftest import Tree, page_text
from tests.factories.catalog import AgreementFactory, SupplierFactory, orderable_product
from tests.factories.orders import Shop, grocery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("danish")]
TODAY = date(2026, 11, 26)
FORM = "application/x-www-form-urlencoded"


@dataclass
class ItShop:
    supplier: Supplier
    it: Category
    office: Category
    toys: Category
    shop: Shop


def _web_shop(supplier: Supplier) -> Supplier:
    Supplier.objects.filter(pk=supplier.pk).update(
        punchout_protocol=Supplier.PunchoutProtocol.OCI,
        punchout_url=f"https://shop{supplier.pk}.example/oci",
    )
    supplier.refresh_from_db()
    return supplier


@pytest.fixture
def it_shop(tree: Tree) -> ItShop:
    shop = grocery(tree)
    it = category_create(
        municipality=tree.municipality,
        code="it",
        name="IT-udstyr",
        unspsc_code="43210000",
        restricted_to_role=Role.BUYER,
    )
    office = category_create(
        municipality=tree.municipality, code="kontor", name="Kontor", unspsc_code="44120000"
    )
    toys = category_create(
        municipality=tree.municipality, code="leg", name="Legetøj", unspsc_code="60140000"
    )
    agreement = AgreementFactory.create(municipality=tree.municipality, number="50.80")
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
    )
    nordlys = _web_shop(SupplierFactory.create(municipality=tree.municipality, name="Nordlys IT"))
    orderable_product(
        supplier=nordlys,
        agreement=agreement,
        category=it,
        name="Bærbar 14",
        supplier_item_number="NL-1",
        unspsc_code="43211503",
    )
    return ItShop(supplier=nordlys, it=it, office=office, toys=toys, shop=shop)


def _offered(user: User, unit: object) -> list[str]:
    return [supplier.name for supplier in punchout_supplier_list(user=user, unit=unit, on=TODAY)]  # type: ignore[arg-type]


def test_a_web_shop_is_offered_only_to_people_who_may_buy_in_its_categories(
    it_shop: ItShop, tree: Tree, requisitioner: User, buyer: User
) -> None:
    assert "Nordlys IT" not in _offered(requisitioner, tree.daycare)  # IT is for buyers
    assert "Nordlys IT" in _offered(buyer, tree.daycare)
    with pytest.raises(PunchoutError) as refused:
        punchout_session_start(
            user=requisitioner,
            unit=tree.daycare,
            supplier=it_shop.supplier,
            return_base_url="https://rekvi.testby.example/",
            on=TODAY,
        )
    assert refused.value.code == PunchoutErrorCode.NOT_ALLOWED

    # the shop sells cables too, which a requisitioner may buy
    orderable_product(
        supplier=it_shop.supplier,
        agreement=it_shop.supplier.agreement_links.get().agreement,
        category=it_shop.office,
        name="USB-kabel",
    )
    assert "Nordlys IT" in _offered(requisitioner, tree.daycare)


def test_a_shop_with_no_catalogue_is_offered_where_the_unit_buys_on_its_agreement(
    tree: Tree, requisitioner: User
) -> None:
    bought_on = AgreementFactory.create(municipality=tree.municipality, number="50.60")
    not_bought_on = AgreementFactory.create(municipality=tree.municipality, number="50.61")
    assortment_rule_create(
        unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=bought_on
    )
    furniture = _web_shop(SupplierFactory.create(municipality=tree.municipality, name="Møbler"))
    paint = _web_shop(SupplierFactory.create(municipality=tree.municipality, name="Maling"))
    agreement_supplier_add(agreement=bought_on, supplier=furniture)
    agreement_supplier_add(agreement=not_bought_on, supplier=paint)

    assert _offered(requisitioner, tree.daycare) == ["Møbler"]


def _return(it_shop: ItShop, tree: Tree, user: User, *items: dict[str, str]) -> ReturnedCart:
    started = punchout_session_start(
        user=user,
        unit=tree.daycare,
        supplier=it_shop.supplier,
        return_base_url="https://rekvi.testby.example/",
        on=TODAY,
    )
    hook = dict(started.form_fields)["HOOK_URL"]
    token = hook.removeprefix("https://rekvi.testby.example/punchout/return/").rstrip("/")
    pairs = []
    for number, item in enumerate(items, start=1):
        common = {"QUANTITY": "1", "UNIT": "EA", "PRICEUNIT": "1", "CURRENCY": "DKK"}
        pairs += [
            (f"NEW_ITEM-{name}[{number}]", value) for name, value in {**common, **item}.items()
        ]
    body = urllib.parse.urlencode(pairs).encode()
    return punchout_cart_receive(token=token, body=body, content_type=FORM)


LAPTOP = {
    "DESCRIPTION": "Bærbar 14",
    "VENDORMAT": "NL-1",
    "PRICE": "6499.00",
    "MATGROUP": "43211503",
}
CABLE = {"DESCRIPTION": "USB-kabel", "VENDORMAT": "NL-2", "PRICE": "49.00", "MATGROUP": "44121700"}
LEGO = {"DESCRIPTION": "Klodser", "VENDORMAT": "NL-3", "PRICE": "99.00", "MATGROUP": "60141000"}
MOUSE = {"DESCRIPTION": "Mus", "VENDORMAT": "NL-4", "PRICE": "89.00"}


@pytest.fixture
def offered_to_requisitioner(it_shop: ItShop, tree: Tree) -> ItShop:
    orderable_product(
        supplier=it_shop.supplier,
        agreement=it_shop.supplier.agreement_links.get().agreement,
        category=it_shop.office,
        name="USB-kabel",
    )
    assortment_rule_create(
        unit=tree.daycare, action=AssortmentRule.Action.EXCLUDE, category=it_shop.toys
    )
    return it_shop


def test_returned_lines_in_categories_the_person_or_unit_may_not_buy_are_refused(
    offered_to_requisitioner: ItShop, tree: Tree, requisitioner: User
) -> None:
    returned = _return(offered_to_requisitioner, tree, requisitioner, LAPTOP, CABLE, LEGO, MOUSE)

    assert [
        (line.supplier_item_number, line.refusal, line.approval_reason)
        for line in returned.lines.order_by("position")
    ] == [
        ("NL-1", "Kategorien IT-udstyr købes kun af en indkøber.", ""),
        ("NL-2", "", ""),
        ("NL-3", "Kategorien Legetøj er ikke i sortimentet for Solsikken.", ""),
        (
            "NL-4",
            "",
            "Webshoppen sagde ikke, hvilken af kommunens kategorier linjen hører til, og Nordlys "
            f"IT sælger også det, {requisitioner.get_full_name()} ikke må købe for Solsikken "
            "(IT-udstyr): en godkender godkender ordren.",
        ),
    ]


def test_a_line_of_a_catalogue_item_takes_the_items_category(
    offered_to_requisitioner: ItShop, tree: Tree, requisitioner: User
) -> None:
    # the shop sends no UNSPSC code, but the item is in the catalogue, in IT
    returned = _return(offered_to_requisitioner, tree, requisitioner, {**LAPTOP, "MATGROUP": ""})

    [line] = returned.lines.all()
    assert (line.refusal, line.approval_reason) == (
        "Kategorien IT-udstyr købes kun af en indkøber.",
        "",
    )


def test_an_unclassified_line_sends_its_order_to_a_godkender_who_sees_why(
    client: Client,
    offered_to_requisitioner: ItShop,
    tree: Tree,
    requisitioner: User,
    approver: User,
) -> None:
    returned = _return(offered_to_requisitioner, tree, requisitioner, CABLE, MOUSE)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    shop = offered_to_requisitioner.shop

    [order] = cart_checkout(
        cart=cart_get_for(user=requisitioner, unit=tree.daycare),
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )

    assert (order.total, order.status) == (Decimal("138.00"), Order.Status.AWAITING_APPROVAL)
    reason = (
        "Webshoppen sagde ikke, hvilken af kommunens kategorier linjen hører til, og Nordlys IT "
        f"sælger også det, {requisitioner.get_full_name()} ikke må købe for Solsikken "
        "(IT-udstyr): en godkender godkender ordren."
    )
    assert order.events.get().note == f"Linje 2: {reason}"
    client.force_login(approver)
    page = page_text(client.get(f"/orders/{order.number}/").content)
    assert (
        "Mus Fra leverandørens webshop varenr. NL-4 1 stk. 89,00 kr. Ikke i aftalekataloget: "
        f"webshoppens pris kan ikke sammenlignes. {reason}"
    ) in page
    assert f"Linje 2: {reason}" in page  # the order's history says why it waits
    assert f"Ordren venter på en godkender uanset beløbet: Linje 2: {reason}" in page
    assert "er over ordregrænsen" not in page


def test_an_order_sent_back_still_goes_to_a_godkender_for_its_unclassified_line(
    offered_to_requisitioner: ItShop, tree: Tree, requisitioner: User, approver: User
) -> None:
    returned = _return(offered_to_requisitioner, tree, requisitioner, MOUSE)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    shop = offered_to_requisitioner.shop
    choices = CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre)
    [order] = cart_checkout(
        cart=cart_get_for(user=requisitioner, unit=tree.daycare), choices=choices, on=TODAY
    )
    order_send_back(order=order, by=approver, reason="Vælg en anden mus")

    [again] = cart_checkout(
        cart=cart_get_for(user=requisitioner, unit=tree.daycare), choices=choices, on=TODAY
    )

    assert again.status == Order.Status.AWAITING_APPROVAL
    assert again.lines.get().approval_reason.startswith("Webshoppen sagde ikke")


def test_the_web_shop_list_costs_the_same_queries_for_any_number_of_shops(
    it_shop: ItShop,
    tree: Tree,
    requisitioner: User,
    django_assert_num_queries: Any,
) -> None:
    def listed() -> int:
        return len(_offered(requisitioner, tree.daycare))

    with django_assert_num_queries(8):
        assert listed() == 0
    for number in range(5):
        shop = _web_shop(SupplierFactory.create(municipality=tree.municipality))
        orderable_product(
            supplier=shop,
            agreement=it_shop.supplier.agreement_links.get().agreement,
            category=it_shop.office,
            name=f"Kabel {number}",
        )
    with django_assert_num_queries(8):
        assert listed() == 5
