"""Approval (råderum): who may decide on an order above its placer's limit, and what each
decision does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from orders.models import CartLine, Order
from orders.selectors import order_list_awaiting_approval
from orders.services import (
    ApprovalError,
    ApprovalErrorCode,
    delegation_create,
    delegation_end,
    order_approve,
    order_reject,
    order_send_back,
)
from org.models import Role, User
from tests.conftest import Tree, page_text
from tests.factories.orders import Shop, eggs_and_flour_order, grocery
from tests.factories.org import UserFactory, grant

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(tree: Tree) -> Shop:
    return grocery(tree)


def _order(shop: Shop, tree: Tree, user: User, eggs: str) -> Order:
    return eggs_and_flour_order(shop, tree, user, eggs, TODAY)


def test_an_order_over_the_limit_waits_and_its_approvers_are_told(
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    approver: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    settings: Any,
) -> None:
    settings.SITE_URL = "https://rekvi.testby.example"
    with django_capture_on_commit_callbacks(execute=True):
        order = _order(shop, tree, requisitioner, "56")
    assert (order.status, order.total) == (Order.Status.AWAITING_APPROVAL, Decimal("3049.90"))
    [message] = mail.outbox
    assert message.to == [approver.email]
    assert message.subject == f"Ordre {order.number} afventer din godkendelse"
    assert (
        f"{requisitioner.get_full_name()} har bestilt fra Grossisten til Solsikken, 3.049,90 kr. "
        "ekskl. moms, hvilket er over vedkommendes ordregrænse." in message.body
    )
    assert f"https://rekvi.testby.example/orders/{order.number}/" in message.body
    assert list(order_list_awaiting_approval(user=approver)) == [order]


def test_the_approver_approves_and_the_order_is_ready_to_send(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    approved = order_approve(order=order, by=approver)
    assert (approved.status, approved.approved_by) == (Order.Status.APPROVED, approver)
    assert list(approved.events.values_list("status", "by")) == [
        (Order.Status.AWAITING_APPROVAL, requisitioner.pk),
        (Order.Status.APPROVED, approver.pk),
    ]
    assert list(order_list_awaiting_approval(user=approver)) == []
    with pytest.raises(ApprovalError) as caught:  # a second decision finds it decided
        order_reject(order=order, by=approver, reason="For dyrt")
    assert caught.value.code == ApprovalErrorCode.WRONG_STATE
    assert Order.objects.get().status == Order.Status.APPROVED


def test_an_approver_cannot_approve_their_own_order(
    shop: Shop, tree: Tree, approver: User, danish: None
) -> None:
    order = _order(shop, tree, approver, "500")  # 27.025,90 kr., above their 25.000
    assert order.status == Order.Status.AWAITING_APPROVAL
    with pytest.raises(ApprovalError) as caught:
        order_approve(order=order, by=approver)
    assert (caught.value.code, caught.value.message) == (
        ApprovalErrorCode.OWN_ORDER,
        "Du kan ikke godkende din egen ordre. Den venter på en anden godkender.",
    )
    assert list(order_list_awaiting_approval(user=approver)) == []
    assert Order.objects.get().status == Order.Status.AWAITING_APPROVAL


def test_an_approver_below_the_total_or_elsewhere_cannot_decide(
    shop: Shop, tree: Tree, requisitioner: User, english: None
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    small = UserFactory.create(municipality=tree.municipality)
    grant(small, tree.daycare, Role.APPROVER, approval_limit="2000.00")
    technical = UserFactory.create(municipality=tree.municipality)
    grant(technical, tree.technical_dept, Role.APPROVER, subtree=True, approval_limit="90000.00")
    with pytest.raises(ApprovalError) as caught:
        order_approve(order=order, by=small)
    assert (caught.value.code, caught.value.message) == (
        ApprovalErrorCode.OVER_LIMIT,
        "The order (DKK 3,049.90) is above your approval limit. It waits for a godkender with a "
        "higher limit.",
    )
    with pytest.raises(ApprovalError) as caught:
        order_approve(order=order, by=technical)
    assert (caught.value.code, caught.value.message) == (
        ApprovalErrorCode.NOT_ALLOWED,
        "You do not approve orders for Solsikken.",
    )
    with pytest.raises(ApprovalError):
        order_approve(order=order, by=requisitioner)
    assert list(order_list_awaiting_approval(user=small)) == []
    assert list(order_list_awaiting_approval(user=technical)) == []
    assert Order.objects.get().status == Order.Status.AWAITING_APPROVAL


def test_a_rejection_needs_a_reason_which_is_kept(
    shop: Shop, tree: Tree, requisitioner: User, approver: User, english: None
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    with pytest.raises(ApprovalError) as caught:
        order_reject(order=order, by=approver, reason="  ")
    assert (caught.value.code, caught.value.field) == (ApprovalErrorCode.REASON_MISSING, "reason")
    rejected = order_reject(order=order, by=approver, reason="Vi har æg nok til december.")
    assert rejected.status == Order.Status.REJECTED
    assert rejected.events.last().note == "Vi har æg nok til december."  # type: ignore[union-attr]


def test_sending_back_puts_the_lines_in_the_placers_cart_again(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    sent_back = order_send_back(order=order, by=approver, reason="Halvdelen er nok")
    assert sent_back.status == Order.Status.CANCELLED
    assert list(
        CartLine.objects.filter(cart__user=requisitioner, cart__unit=tree.daycare)
        .order_by("pk")
        .values_list("product", "quantity")
    ) == [(shop.eggs.pk, Decimal("56.000")), (shop.flour.pk, Decimal("2.000"))]


def test_the_approver_decides_on_the_order_page(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    client.force_login(requisitioner)
    assert "Din beslutning" not in page_text(client.get(f"/orders/{order.number}/").content)
    assert client.get("/approvals/").status_code == 403
    client.force_login(approver)
    queue = page_text(client.get("/approvals/").content)
    assert f"{order.number}" in queue
    assert "3.049,90 kr." in queue
    page = page_text(client.get(f"/orders/{order.number}/").content)
    assert "Din beslutning" in page
    response = client.post(f"/orders/{order.number}/decision/", {"action": "approve"}, follow=True)
    assert f"Ordre {order.number} er godkendt." in page_text(response.content)
    assert "Ingen ordrer venter på din godkendelse." in page_text(response.content)
    assert Order.objects.get().status == Order.Status.APPROVED


def test_a_refused_decision_is_explained_on_the_order_page(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    client.force_login(approver)
    response = client.post(
        f"/orders/{order.number}/decision/", {"action": "reject", "reason": ""}, follow=True
    )
    assert "Skriv en begrundelse: den, der afgav ordren, læser den." in page_text(response.content)
    assert Order.objects.get().status == Order.Status.AWAITING_APPROVAL


def test_a_delegate_approves_while_the_approver_is_away(
    shop: Shop, tree: Tree, requisitioner: User, approver: User, english: None
) -> None:
    order = _order(shop, tree, requisitioner, "56")
    stand_in = UserFactory.create(municipality=tree.municipality, username="stedfortraeder")
    grant(stand_in, tree.technical_dept, Role.APPROVER, approval_limit="1000.00")
    with pytest.raises(ApprovalError):  # not theirs to approve, yet
        order_approve(order=order, by=stand_in)
    today = timezone.localdate()
    delegation = delegation_create(
        approver=approver,
        delegate=stand_in,
        starts_on=today,
        ends_on=today + timedelta(days=14),
        today=today,
    )
    assert list(order_list_awaiting_approval(user=stand_in)) == [order]
    delegation_end(delegation=delegation, by=approver, today=today)  # back already
    assert list(order_list_awaiting_approval(user=stand_in)) == []
    delegation_create(
        approver=approver, delegate=stand_in, starts_on=today, ends_on=today, today=today
    )
    approved = order_approve(order=order, by=stand_in)  # within the approver's 50.000
    assert (approved.status, approved.approved_by) == (Order.Status.APPROVED, stand_in)


def test_a_hand_over_must_be_to_someone_else_for_a_sensible_period(
    tree: Tree, approver: User, requisitioner: User, stranger: User, english: None
) -> None:
    today = timezone.localdate()
    cases = [
        (approver, today, today, "Choose another active person of your municipality."),
        (stranger, today, today, "Choose another active person of your municipality."),
        (
            requisitioner,
            today,
            today - timedelta(days=1),
            "Choose a period that has not ended, ends after it starts, and lasts a year at most.",
        ),
        (
            requisitioner,
            today,
            today + timedelta(days=400),
            "Choose a period that has not ended, ends after it starts, and lasts a year at most.",
        ),
    ]
    for delegate, starts_on, ends_on, message in cases:
        with pytest.raises(ApprovalError) as caught:
            delegation_create(
                approver=approver,
                delegate=delegate,
                starts_on=starts_on,
                ends_on=ends_on,
                today=today,
            )
        assert caught.value.message == message
    with pytest.raises(ApprovalError) as caught:
        delegation_create(
            approver=requisitioner, delegate=approver, starts_on=today, ends_on=today, today=today
        )
    assert caught.value.code == ApprovalErrorCode.NOT_ALLOWED


def test_an_approver_hands_over_on_the_approvals_page(
    client: Client, tree: Tree, approver: User
) -> None:
    stand_in = UserFactory.create(
        municipality=tree.municipality, first_name="Stig", last_name="Stedfortræder"
    )
    grant(stand_in, tree.root, Role.APPROVER, approval_limit="1000.00")
    client.force_login(approver)
    today = timezone.localdate()
    response = client.post(
        "/approvals/",
        {
            "delegate": stand_in.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=7)).isoformat(),
        },
        follow=True,
    )
    text = page_text(response.content)
    assert "Stig Stedfortræder godkender i dit sted fra" in text
    assert "Jeg er tilbage: afslut" in text
    client.force_login(stand_in)
    assert "Du godkender i stedet for" in page_text(client.get("/approvals/").content)
