"""Changing and cancelling an order before it is sent: the placer only, the approval rules
checked again, and an order a godkender approved back in the approval queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from orders.models import Order
from orders.selectors import order_list_awaiting_approval
from orders.services import (
    ApprovalError,
    ApprovalErrorCode,
    OrderEdit,
    OrderEditError,
    OrderEditErrorCode,
    order_approve,
    order_cancel,
    order_edit,
)
from org.models import User
from org.services import cost_centre_create, delivery_address_create
from tests.conftest import Tree, page_text
from tests.factories.orders import Shop, eggs_and_flour_order, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _order(shop: Shop, tree: Tree, user: User, eggs: str) -> Order:
    return eggs_and_flour_order(shop, tree, user, eggs, TODAY)


def _lines(order: Order) -> list[tuple[int, Decimal, Decimal]]:
    return list(order.lines.order_by("position").values_list("position", "quantity", "line_total"))


def test_an_order_within_the_limit_changed_within_it_stays_approved(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    order = _order(shop, tree, requisitioner, "10")  # 565,90 kr.
    assert (order.status, order.revision) == (Order.Status.APPROVED, 1)
    changed = order_edit(
        order=order,
        by=requisitioner,
        edit=OrderEdit(quantities={1: "12", 2: "2"}, requested_delivery_date=date(2026, 12, 3)),
        on=TODAY,
    )
    assert (changed.status, changed.total, changed.limit_total, changed.revision) == (
        Order.Status.APPROVED,
        Decimal("673.90"),
        Decimal("673.90"),
        2,
    )
    assert changed.requested_delivery_date == date(2026, 12, 3)
    assert _lines(changed) == [
        (1, Decimal("12.000"), Decimal("648.00")),
        (2, Decimal("2.000"), Decimal("25.90")),
    ]
    assert changed.events.last().note == (  # type: ignore[union-attr]
        "Ændret: linje 1: 10 → 12, ønsket leveringsdato 03.12.2026."
    )


def test_an_order_changed_above_the_limit_awaits_approval_and_the_approvers_are_told(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    approver: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    danish: None,
) -> None:
    order = _order(shop, tree, requisitioner, "10")
    with django_capture_on_commit_callbacks(execute=True):
        changed = order_edit(
            order=order, by=requisitioner, edit=OrderEdit(quantities={1: "60"}), on=TODAY
        )
    assert (changed.status, changed.total) == (Order.Status.AWAITING_APPROVAL, Decimal("3265.90"))
    assert changed.events.last().note == (  # type: ignore[union-attr]
        "Ændret: linje 1: 10 → 60. 3.265,90 kr. er over ordregrænsen."
    )
    assert [message.to for message in mail.outbox] == [[approver.email]]
    assert list(order_list_awaiting_approval(user=approver)) == [changed]


def test_changing_an_approved_order_sends_it_back_for_approval_even_when_smaller(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    approver: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    danish: None,
) -> None:
    order = _order(shop, tree, requisitioner, "56")  # 3.049,90 kr., above the 3.000 limit
    order_approve(order=order, by=approver)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = order_edit(
            order=order, by=requisitioner, edit=OrderEdit(removed=frozenset({2})), on=TODAY
        )
    assert (changed.status, changed.total, changed.approved_by, changed.approved_at) == (
        Order.Status.AWAITING_APPROVAL,
        Decimal("3024.00"),
        None,
        None,
    )
    assert _lines(changed) == [(1, Decimal("56.000"), Decimal("3024.00"))]
    assert changed.events.last().note == (  # type: ignore[union-attr]
        "Ændret efter godkendelse, så den skal godkendes igen: linje 2 taget ud."
    )
    assert len(mail.outbox) == 1
    assert order_approve(order=changed, by=approver).status == Order.Status.APPROVED


def test_an_order_awaiting_approval_changed_within_the_limit_is_approved(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    changed = order_edit(
        order=order, by=requisitioner, edit=OrderEdit(quantities={1: "50"}), on=TODAY
    )
    assert (changed.status, changed.total) == (Order.Status.APPROVED, Decimal("2725.90"))
    assert list(order_list_awaiting_approval(user=approver)) == []


def test_an_approver_cannot_approve_a_version_they_did_not_see(
    shop: Shop, tree: Tree, requisitioner: User, approver: User, danish: None
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    seen = order.revision
    order_edit(order=order, by=requisitioner, edit=OrderEdit(quantities={1: "80"}), on=TODAY)
    with pytest.raises(ApprovalError) as caught:
        order_approve(order=order, by=approver, revision=seen)
    assert (caught.value.code, caught.value.message) == (
        ApprovalErrorCode.CHANGED,
        "Ordren blev ændret, mens du så på den. Se den nye udgave, og beslut igen.",
    )
    assert Order.objects.get().status == Order.Status.AWAITING_APPROVAL
    assert order_approve(order=order, by=approver, revision=seen + 1).approved_by == approver


@pytest.mark.parametrize(
    ("edit", "code", "field", "message"),
    [
        (
            OrderEdit(quantities={1: "-3"}),
            OrderEditErrorCode.BAD_QUANTITY,
            "line-1",
            "Linje 1: Antallet skal være mere end 0. Fjern linjen i stedet for at udelade varen.",
        ),
        (
            OrderEdit(quantities={7: "3"}),
            OrderEditErrorCode.BAD_QUANTITY,
            "line-7",
            "Ordren har ingen linje 7.",
        ),
        (
            OrderEdit(removed=frozenset({1, 2})),
            OrderEditErrorCode.NO_LINES,
            "removed",
            "En ordre skal have mindst én linje. Annullér ordren i stedet.",
        ),
        (
            OrderEdit(quantities={1: "11"}, requested_delivery_date=date(2026, 11, 1)),
            OrderEditErrorCode.BAD_DATE,
            "requested_delivery_date",
            "Leveringsdatoen er passeret. Vælg i dag eller en senere dag, eller lad feltet "
            "stå tomt.",
        ),
        (
            OrderEdit(personreference=""),
            OrderEditErrorCode.BAD_REFERENCE,
            "personreference",
            "Skriv en personreference på 1 til 20 tegn; leverandøren trykker den på fakturaen.",
        ),
        (OrderEdit(quantities={1: "10"}), OrderEditErrorCode.NO_CHANGE, None, "Intet blev ændret."),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_saved(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    danish: None,
    edit: OrderEdit,
    code: OrderEditErrorCode,
    field: str | None,
    message: str,
) -> None:
    order = _order(shop, tree, requisitioner, "10")
    with pytest.raises(OrderEditError) as caught:
        order_edit(order=order, by=requisitioner, edit=edit, on=TODAY)
    assert (caught.value.code, caught.value.field, caught.value.message) == (code, field, message)
    unchanged = Order.objects.get()
    assert (unchanged.total, unchanged.revision, unchanged.requested_delivery_date) == (
        Decimal("565.90"),
        1,
        None,
    )
    assert _lines(unchanged) == [
        (1, Decimal("10.000"), Decimal("540.00")),
        (2, Decimal("2.000"), Decimal("25.90")),
    ]
    assert unchanged.events.count() == 1


def test_another_units_address_or_cost_centre_is_refused(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    order = _order(shop, tree, requisitioner, "10")
    elsewhere = delivery_address_create(
        unit=tree.sibling_daycare, label="Bagdør", street="Vej 2", postal_code="9999", city="X"
    )
    with pytest.raises(OrderEditError) as caught:
        order_edit(
            order=order, by=requisitioner, edit=OrderEdit(delivery_address=elsewhere), on=TODAY
        )
    assert (caught.value.code, caught.value.message) == (
        OrderEditErrorCode.BAD_ADDRESS,
        "Vælg en af Solsikkens leveringsadresser.",
    )
    centre = cost_centre_create(unit=tree.daycare, code="51020", name="Køkken", default_account="")
    changed = order_edit(
        order=order, by=requisitioner, edit=OrderEdit(cost_centre=centre), on=TODAY
    )
    assert (changed.cost_centre, changed.account) == (centre, "")


def test_only_the_placer_changes_and_only_before_it_is_sent(
    shop: Shop, tree: Tree, requisitioner: User, approver: User, danish: None
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    with pytest.raises(OrderEditError) as caught:
        order_edit(order=order, by=approver, edit=OrderEdit(quantities={1: "1"}), on=TODAY)
    assert (caught.value.code, caught.value.message) == (
        OrderEditErrorCode.NOT_ALLOWED,
        "Kun den, der afgav ordren, kan ændre eller annullere den.",
    )
    Order.objects.filter(pk=order.pk).update(status=Order.Status.SENT)
    for attempt in (
        lambda: order_edit(
            order=order, by=requisitioner, edit=OrderEdit(quantities={1: "1"}), on=TODAY
        ),
        lambda: order_cancel(order=order, by=requisitioner),
    ):
        with pytest.raises(OrderEditError) as caught:
            attempt()
        assert (caught.value.code, caught.value.message) == (
            OrderEditErrorCode.WRONG_STATE,
            "Ordren er sendt og kan ikke længere ændres. Kontakt leverandøren, eller bestil det "
            "manglende på ny.",
        )
    assert Order.objects.get().status == Order.Status.SENT


def test_the_placer_cancels_an_order_not_yet_sent(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    cancelled = order_cancel(order=order, by=requisitioner, reason="Købt lokalt i stedet")
    assert cancelled.status == Order.Status.CANCELLED
    assert cancelled.events.last().note == "Købt lokalt i stedet"  # type: ignore[union-attr]
    assert list(order_list_awaiting_approval(user=approver)) == []


def test_the_placer_changes_an_order_on_its_page(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "10")
    client.force_login(approver)
    assert "Ændr ordren" not in page_text(client.get(f"/orders/{order.number}/").content)
    client.force_login(requisitioner)
    detail = page_text(client.get(f"/orders/{order.number}/").content)
    assert (
        "Ordren er ikke sendt endnu. Ændrer du den, kontrolleres ordregrænsen igen, og en ordre, "
        "som en godkender har godkendt, skal godkendes igen." in detail
    )
    form = page_text(client.get(f"/orders/{order.number}/edit/").content)
    assert f"Ændr ordre {order.number}" in form
    fields = {
        "quantity-1": "60",
        "quantity-2": "2",
        "delivery_address": shop.address.pk,
        "cost_centre": shop.centre.pk,
        "account": "",
        "personreference": "Pia P",
        "note_to_supplier": "Ring ved porten",
        "revision": "1",
    }
    refused = client.post(f"/orders/{order.number}/edit/", {**fields, "quantity-1": "1,2345"})
    assert refused.status_code == 422
    assert "Antallet må højst have 3 decimaler." in page_text(refused.content)
    response = client.post(f"/orders/{order.number}/edit/", fields, follow=True)
    assert f"Ordre {order.number} er ændret og afventer godkendelse." in page_text(response.content)
    changed = Order.objects.get()
    assert (changed.status, changed.total, changed.personreference, changed.account) == (
        Order.Status.AWAITING_APPROVAL,
        Decimal("3265.90"),
        "Pia P",
        "2210",
    )
    assert changed.note_to_supplier == "Ring ved porten"
    stale = client.post(f"/orders/{order.number}/edit/", {**fields, "quantity-1": "5"}, follow=True)
    text = page_text(stale.content)
    assert "Ordren er blevet ændret imens. Se den igen, og foretag din ændring." in text
    assert 'name="revision" value="2"' in stale.content.decode()  # the form starts afresh
    assert Order.objects.get().lines.get(position=1).quantity == 60
    response = client.post(f"/orders/{order.number}/cancel/", {"revision": "2"}, follow=True)
    assert f"Ordre {order.number} er annulleret." in page_text(response.content)
    assert Order.objects.get().status == Order.Status.CANCELLED


def test_a_new_cost_centre_brings_its_own_account_unless_another_is_typed(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    order = _order(shop, tree, requisitioner, "10")
    kitchen = cost_centre_create(
        unit=tree.daycare, code="51020", name="Køkken", default_account="2290"
    )
    client.force_login(requisitioner)
    fields = {
        "quantity-1": "10",
        "quantity-2": "2",
        "delivery_address": shop.address.pk,
        "cost_centre": kitchen.pk,
        "account": "2210",  # as the form showed it: the old centre's
        "personreference": order.personreference,
        "note_to_supplier": "",
        "revision": "1",
    }
    client.post(f"/orders/{order.number}/edit/", fields)
    assert (Order.objects.get().cost_centre, Order.objects.get().account) == (kitchen, "2290")
    client.post(
        f"/orders/{order.number}/edit/",
        {**fields, "cost_centre": shop.centre.pk, "account": "9999", "revision": "2"},
    )
    assert Order.objects.get().account == "9999"


def test_an_approval_read_before_a_change_is_not_applied_to_the_changed_order(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    read_by_the_approver = Order.objects.get(pk=order.pk)
    order_edit(order=order, by=requisitioner, edit=OrderEdit(quantities={1: "900"}), on=TODAY)
    with pytest.raises(ApprovalError) as caught:
        order_approve(order=read_by_the_approver, by=approver)
    assert caught.value.code == ApprovalErrorCode.CHANGED
    assert Order.objects.get().status == Order.Status.AWAITING_APPROVAL
