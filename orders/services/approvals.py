"""Approval (råderum): an order above its placer's order limit waits for an approver whose
approval limit covers it in the unit's line, never the placer. The rules are checked on the
server at every decision, and only an order that still awaits approval can be decided."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.money import money_text
from orders.models import ApprovalDelegation, Cart, CartLine, Order, OrderEvent
from orders.selectors import approvers_acted_for
from org.models import User
from org.selectors import membership_list_approvers, membership_list_approving

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000


class ApprovalErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    OWN_ORDER = "own_order"
    OVER_LIMIT = "over_limit"
    WRONG_STATE = "wrong_state"
    REASON_MISSING = "reason_missing"
    BAD_DELEGATION = "bad_delegation"
    CHANGED = "changed"


class ApprovalError(ApplicationError):
    """An approval rule refused the decision."""


def _decider_check(order: Order, by: User) -> None:
    """Refuse anyone who may not decide on the order: the placer, someone who approves for
    another part of the organisation, or an approver whose limit is below the order. A
    delegate decides as the approvers away who delegated to them."""
    if order.placed_by_id == by.pk:
        raise ApprovalError(
            ApprovalErrorCode.OWN_ORDER,
            _("You cannot approve your own order. It waits for another godkender."),
        )
    acting_for = approvers_acted_for(user=by, on=timezone.localdate())
    approvers = membership_list_approvers(unit=order.unit, amount=order.limit_total, excluding=None)
    if any(membership.user_id in acting_for for membership in approvers):
        return
    covering = membership_list_approvers(unit=order.unit, amount=Decimal(0), excluding=None)
    if any(membership.user_id in acting_for for membership in covering):
        raise ApprovalError(
            ApprovalErrorCode.OVER_LIMIT,
            _(
                "The order (%(total)s) is above your approval limit. It waits for a "
                "godkender with a higher limit."
            )
            % {"total": money_text(order.limit_total)},
        )
    raise ApprovalError(
        ApprovalErrorCode.NOT_ALLOWED,
        _("You do not approve orders for %(unit)s.") % {"unit": order.unit.name},
    )


def _reason_clean(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ApprovalError(
            ApprovalErrorCode.REASON_MISSING,
            _("Write a reason: the person who placed the order reads it."),
            field="reason",
        )
    if len(text) > REASON_MAX_LENGTH:
        raise ApprovalError(
            ApprovalErrorCode.REASON_MISSING,
            _("The reason may be at most %(most)s characters.") % {"most": REASON_MAX_LENGTH},
            field="reason",
        )
    return text


def _decide(
    order: Order, by: User, status: Order.Status, note: str = "", revision: int | None = None
) -> Order:
    """Move the order from awaiting approval to `status`, if it still awaits approval (a
    conditional update: two approvers at once cannot both decide) and has not been edited
    since the approver looked at it (`revision`) or since the checks read it."""
    now = timezone.now()
    fields: dict[str, object] = {"status": status, "updated_at": now}
    if status == Order.Status.APPROVED:
        fields.update(approved_by=by, approved_at=now)
    # the revision decided on: the one the approver saw, or else the one the checks just read
    seen = revision if revision is not None else order.revision
    moved = Order.objects.filter(
        pk=order.pk, status=Order.Status.AWAITING_APPROVAL, revision=seen
    ).update(**fields)
    if moved != 1:
        if (
            Order.objects.filter(pk=order.pk, status=Order.Status.AWAITING_APPROVAL)
            .exclude(revision=seen)
            .exists()
        ):
            raise ApprovalError(
                ApprovalErrorCode.CHANGED,
                _(
                    "The order was changed while you looked at it. Look at the new version "
                    "and decide again."
                ),
            )
        raise ApprovalError(
            ApprovalErrorCode.WRONG_STATE,
            _("The order no longer awaits approval: someone decided on it already."),
        )
    OrderEvent.objects.create(order=order, at=now, by=by, status=status, note=note)
    order.refresh_from_db()
    return order


@transaction.atomic
def order_approve(*, order: Order, by: User, revision: int | None = None) -> Order:
    """Approve an order that awaits approval: it is then ready to send. With `revision` (the
    version the approver saw), an order edited since is not approved. Raises
    ApprovalError(OWN_ORDER, OVER_LIMIT, NOT_ALLOWED, WRONG_STATE, CHANGED)."""
    _decider_check(order, by)
    return _decide(order, by, Order.Status.APPROVED, revision=revision)


@transaction.atomic
def order_reject(*, order: Order, by: User, reason: str, revision: int | None = None) -> Order:
    """Reject an order that awaits approval, with the reason its placer reads. Raises
    ApprovalError(REASON_MISSING, OWN_ORDER, OVER_LIMIT, NOT_ALLOWED, WRONG_STATE, CHANGED)."""
    text = _reason_clean(reason)
    _decider_check(order, by)
    return _decide(order, by, Order.Status.REJECTED, note=text, revision=revision)


@transaction.atomic
def order_send_back(*, order: Order, by: User, reason: str, revision: int | None = None) -> Order:
    """Send an order back to its placer for changes: the order is cancelled with the reason,
    and its lines go back into the placer's cart for the unit, to change and order again.
    Raises ApprovalError like order_reject."""
    text = _reason_clean(reason)
    _decider_check(order, by)
    decided = _decide(
        order,
        by,
        Order.Status.CANCELLED,
        note=_("Sent back: %(reason)s") % {"reason": text},
        revision=revision,
    )
    cart, _created = Cart.objects.get_or_create(
        user_id=order.placed_by_id,
        unit_id=order.unit_id,
        defaults={"municipality_id": order.municipality_id},
    )
    in_cart = set(cart.lines.exclude(product=None).values_list("product_id", flat=True))
    CartLine.objects.bulk_create(
        [
            CartLine(
                municipality_id=order.municipality_id,
                cart=cart,
                product_id=line.product_id,
                quantity=line.quantity,
            )
            if line.product_id is not None
            else CartLine(
                municipality_id=order.municipality_id,
                cart=cart,
                kind=CartLine.Kind.PUNCHOUT if line.is_punchout else CartLine.Kind.FREE_TEXT,
                supplier_id=order.supplier_id,
                quantity=line.quantity,
                description=line.name,
                unit_code=line.unit_code,
                estimated_unit_price=line.unit_price,
                supplier_item_number=line.supplier_item_number,
                supplier_part_auxiliary_id=line.supplier_part_auxiliary_id,
                unspsc_code=line.unspsc_code,
                approval_reason=line.approval_reason,
                link=line.link,
                free_text_reason=line.free_text_reason,
            )
            for line in order.lines.order_by("position")
            if line.product_id is None or line.product_id not in in_cart
        ]
    )
    return decided


@transaction.atomic
def delegation_create(
    *, approver: User, delegate: User, starts_on: date, ends_on: date, today: date
) -> ApprovalDelegation:
    """Let `delegate` approve in the approver's place from `starts_on` to `ends_on` (both
    included), at most a year. Raises ApprovalError(NOT_ALLOWED, BAD_DELEGATION)."""
    if approver.municipality_id is None or not membership_list_approving(user=approver):
        raise ApprovalError(
            ApprovalErrorCode.NOT_ALLOWED, _("Only a godkender can hand over approvals.")
        )
    if (
        delegate.pk == approver.pk
        or not delegate.is_active
        or delegate.municipality_id != approver.municipality_id
    ):
        raise ApprovalError(
            ApprovalErrorCode.BAD_DELEGATION,
            _("Choose another active person of your municipality."),
            field="delegate",
        )
    if ends_on < starts_on or ends_on < today or (ends_on - starts_on).days > 366:
        raise ApprovalError(
            ApprovalErrorCode.BAD_DELEGATION,
            _(
                "Choose a period that has not ended, ends after it starts, and lasts a year "
                "at most."
            ),
            field="ends_on",
        )
    return ApprovalDelegation.objects.create(
        municipality_id=approver.municipality_id,
        approver=approver,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def delegation_end(*, delegation: ApprovalDelegation, by: User, today: date) -> None:
    """End a hand-over now (the approver is back). Only the approver ends their own."""
    if delegation.approver_id != by.pk:
        raise ApprovalError(
            ApprovalErrorCode.NOT_ALLOWED, _("Only the godkender who handed over can end it.")
        )
    if delegation.starts_on >= today:
        delegation.delete()
        return
    ApprovalDelegation.objects.filter(pk=delegation.pk).update(ends_on=today - timedelta(days=1))


def order_approval_request_notify(*, order_id: int) -> int:
    """E-mail the approvers who may approve the order that it waits for them (in Danish, the
    municipality's language). Returns how many were told. Sent after the order committed."""
    order = Order.objects.select_related("unit", "supplier", "placed_by").get(pk=order_id)
    if order.status != Order.Status.AWAITING_APPROVAL:
        return 0
    approvers = membership_list_approvers(
        unit=order.unit, amount=order.limit_total, excluding=order.placed_by
    )
    today = timezone.localdate()
    delegates = (
        ApprovalDelegation.objects.filter(
            approver_id__in=[m.user_id for m in approvers], starts_on__lte=today, ends_on__gte=today
        )
        .exclude(delegate=order.placed_by)
        .select_related("delegate")
    )
    people = [m.user for m in approvers] + [d.delegate for d in delegates]
    addresses = sorted({person.email for person in people if person.email})
    if not addresses:
        logger.warning("order %s awaits approval, but no approver has an e-mail", order.number)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Order %(number)s awaits your approval") % {"number": order.number}
        body = _(
            "%(person)s has ordered from %(supplier)s for %(unit)s, %(total)s excl. VAT, "
            "which is above their order limit.\n\nApprove, reject or send it back in Rekvi: "
            "%(link)s\n"
        ) % {
            "person": order.placed_by.get_full_name() or order.placed_by.get_username(),
            "supplier": order.supplier.name,
            "unit": order.unit.name,
            "total": money_text(order.total),
            "link": f"{settings.SITE_URL}/orders/{order.number}/",
        }
    send_mail(subject, body, None, addresses)
    return len(addresses)
