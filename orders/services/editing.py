"""Editing and cancelling an order before it is sent: only its placer may, and the approval
rules are evaluated again. An order a godkender approved (or that standard packages
pre-approved) goes back for approval when it is edited; an order that was within its placer's
order limit stays approved only while it still is."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.money import money_round, money_text, quantity_text
from core.transactions import enqueue_after_commit
from orders.models import Order, OrderEvent, OrderLine
from orders.services.carts import (
    PERSONREFERENCE_MAX_LENGTH,
    CartError,
    account_check,
    approval_reasons,
    cost_centre_check,
    delivery_address_check,
    delivery_date_check,
    note_check,
    order_lines_totals,
    quantity_clean,
    text_length_check,
)
from orders.tasks import order_approval_request_notify_task
from org.models import CostCentre, DeliveryAddress, User
from org.selectors import user_order_limit_for_unit

#: The statuses in which an order can still be changed or cancelled: it has not been sent.
EDITABLE = (Order.Status.AWAITING_APPROVAL, Order.Status.APPROVED)


#: The longest reason for cancelling an order that is kept with it.
CANCEL_REASON_MAX_LENGTH = 1000


class OrderEditErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    WRONG_STATE = "wrong_state"
    CHANGED = "changed"
    BAD_QUANTITY = "bad_quantity"
    NO_LINES = "no_lines"
    BAD_ADDRESS = "bad_address"
    BAD_COST_CENTRE = "bad_cost_centre"
    BAD_DATE = "bad_date"
    BAD_REFERENCE = "bad_reference"
    BAD_NOTE = "bad_note"
    NO_CHANGE = "no_change"
    TOO_LONG = "too_long"


class OrderEditError(ApplicationError):
    """An order could not be changed or cancelled; `field` names the input that is wrong."""


@dataclass(frozen=True)
class OrderEdit:
    """What the placer changes: new quantities (as typed) by line position, lines taken out,
    and the delivery and booking details (None: unchanged)."""

    quantities: Mapping[int, object] = field(default_factory=dict)
    removed: frozenset[int] = frozenset()
    delivery_address: DeliveryAddress | None = None
    requested_delivery_date: date | None = None
    clear_requested_delivery_date: bool = False
    cost_centre: CostCentre | None = None
    account: str | None = None
    personreference: str | None = None
    note_to_supplier: str | None = None


@contextmanager
def _as_edit_error() -> Iterator[None]:
    """A cart rule's refusal, as a refused change of the order (same code, message, field)."""
    try:
        yield
    except CartError as error:
        raise OrderEditError(
            OrderEditErrorCode(str(error.code)), error.message, field=error.field
        ) from error


def _locked(order: Order, by: User, revision: int | None) -> Order:
    """The order, locked against a decision or a dispatch at the same moment, if `by` placed
    it and it has not been sent (and is still at `revision`, when given)."""
    locked = Order.objects.select_for_update().select_related("unit").get(pk=order.pk)
    if locked.placed_by_id != by.pk:
        raise OrderEditError(
            OrderEditErrorCode.NOT_ALLOWED,
            _("Only the person who placed the order can change or cancel it."),
        )
    if locked.status not in EDITABLE:
        raise OrderEditError(
            OrderEditErrorCode.WRONG_STATE,
            _(
                "The order is %(status)s and can no longer be changed. Contact the supplier, "
                "or order what is missing anew."
            )
            % {"status": locked.get_status_display().lower()},
        )
    if revision is not None and locked.revision != revision:
        raise OrderEditError(
            OrderEditErrorCode.CHANGED,
            _("The order was changed in the meantime. Look at it again and make your change."),
        )
    return locked


def _details_changes(
    order: Order, edit: OrderEdit, on: date
) -> tuple[dict[str, object], list[str]]:
    """The checked new delivery and booking details, and what changed, for the history."""
    fields: dict[str, object] = {}
    said: list[str] = []
    address = edit.delivery_address
    if address is not None and address.pk != order.delivery_address_id:
        with _as_edit_error():
            delivery_address_check(unit=order.unit, address=address)
        fields["delivery_address"] = address
        said.append(_("delivery address %(address)s") % {"address": address})
    centre = edit.cost_centre
    if centre is not None and centre.pk != order.cost_centre_id:
        with _as_edit_error():
            cost_centre_check(unit=order.unit, centre=centre)
        fields["cost_centre"] = centre
        said.append(_("cost centre %(centre)s") % {"centre": centre})
        if edit.account is None:
            fields["account"] = centre.default_account
    if edit.account is not None and edit.account.strip() != order.account:
        with _as_edit_error():
            fields["account"] = account_check(account=edit.account)
        said.append(_("account %(account)s") % {"account": fields["account"] or "–"})
    wanted_date = None if edit.clear_requested_delivery_date else edit.requested_delivery_date
    if (
        edit.clear_requested_delivery_date or edit.requested_delivery_date is not None
    ) and wanted_date != order.requested_delivery_date:
        with _as_edit_error():
            delivery_date_check(wanted=wanted_date, on=on)
        fields["requested_delivery_date"] = wanted_date
        said.append(
            _("requested delivery date %(date)s")
            % {"date": wanted_date.strftime("%d.%m.%Y") if wanted_date else "–"}
        )
    if edit.personreference is not None and edit.personreference.strip() != order.personreference:
        reference = edit.personreference.strip()
        if not reference or len(reference) > PERSONREFERENCE_MAX_LENGTH:
            raise OrderEditError(
                OrderEditErrorCode.BAD_REFERENCE,
                _("Write a personreference of 1 to 20 characters; the supplier prints it."),
                field="personreference",
            )
        fields["personreference"] = reference
        said.append(_("personreference %(reference)s") % {"reference": reference})
    if edit.note_to_supplier is not None and edit.note_to_supplier.strip() != (
        order.note_to_supplier
    ):
        with _as_edit_error():
            note_check(note=edit.note_to_supplier)
        fields["note_to_supplier"] = edit.note_to_supplier.strip()
        said.append(_("note to the supplier"))
    return fields, said


def _lines_changes(
    order: Order, edit: OrderEdit
) -> tuple[list[OrderLine], list[OrderLine], list[str]]:
    """The lines whose quantity changes, the lines taken out, and what changed."""
    lines = {line.position: line for line in order.lines.all()}
    unknown = sorted(set(edit.quantities) - set(lines)) + sorted(edit.removed - set(lines))
    if unknown:
        raise OrderEditError(
            OrderEditErrorCode.BAD_QUANTITY,
            _("The order has no line %(line)s.") % {"line": unknown[0]},
            field=f"line-{unknown[0]}",
        )
    changed: list[OrderLine] = []
    said: list[str] = []
    for position, typed in sorted(edit.quantities.items()):
        if position in edit.removed:
            continue
        line = lines[position]
        try:
            quantity = quantity_clean(typed, field=f"line-{position}")
        except CartError as error:
            raise OrderEditError(
                OrderEditErrorCode.BAD_QUANTITY,
                _("Line %(line)s: %(problem)s") % {"line": position, "problem": error.message},
                field=error.field,
            ) from error
        if quantity < line.received_quantity:
            raise OrderEditError(
                OrderEditErrorCode.BAD_QUANTITY,
                _("%(received)s of line %(line)s have been received already; order at least that.")
                % {"received": quantity_text(line.received_quantity), "line": position},
                field=f"line-{position}",
            )
        if quantity != line.quantity:
            said.append(
                _("line %(line)s: %(old)s → %(new)s")
                % {
                    "line": position,
                    "old": quantity_text(line.quantity),
                    "new": quantity_text(quantity),
                }
            )
            line.quantity = quantity
            line.line_total = money_round(quantity * line.unit_price)
            changed.append(line)
    removed = [lines[position] for position in sorted(edit.removed)]
    if any(line.received_quantity > 0 for line in removed):
        raise OrderEditError(
            OrderEditErrorCode.BAD_QUANTITY,
            _("A line with received goods cannot be taken out."),
            field="removed",
        )
    if len(removed) == len(lines):
        raise OrderEditError(
            OrderEditErrorCode.NO_LINES,
            _("An order must keep at least one line. Cancel the order instead."),
            field="removed",
        )
    said += [_("line %(line)s taken out") % {"line": line.position} for line in removed]
    return changed, removed, said


@transaction.atomic
def order_edit(
    *, order: Order, by: User, edit: OrderEdit, on: date, revision: int | None = None
) -> Order:
    """Change an order that has not been sent. Its placer may change quantities, take lines
    out, and change the delivery and booking details. The order limit is checked again: an
    order a godkender approved (or packages pre-approved) goes back for approval, and so does
    one that is now above the placer's limit; an order within the limit is approved. Each
    change is written in the history. Nothing is saved if anything is refused:
    OrderEditError(NOT_ALLOWED, WRONG_STATE, CHANGED, BAD_QUANTITY, NO_LINES, BAD_ADDRESS,
    BAD_COST_CENTRE, BAD_DATE, BAD_REFERENCE, BAD_NOTE, NO_CHANGE)."""
    locked = _locked(order, by, revision)
    limit = user_order_limit_for_unit(user=by, unit=locked.unit)
    if limit is None:
        raise OrderEditError(
            OrderEditErrorCode.NOT_ALLOWED, _("You can no longer order for this unit.")
        )
    fields, said_details = _details_changes(locked, edit, on)
    changed, removed, said_lines = _lines_changes(locked, edit)
    if not fields and not changed and not removed:
        raise OrderEditError(OrderEditErrorCode.NO_CHANGE, _("Nothing was changed."))
    if changed:
        OrderLine.objects.bulk_update(changed, ["quantity", "line_total"])
    if removed:
        OrderLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
    remaining = list(locked.lines.all())
    total, limit_total = order_lines_totals(remaining)
    reasons = approval_reasons(remaining)
    was_decided = locked.approved_by_id is not None or locked.limit_total > locked.order_limit
    if was_decided and locked.status == Order.Status.APPROVED:
        status = Order.Status.AWAITING_APPROVAL
        note = _("Changed after approval, so it must be approved again: %(changes)s.")
    elif limit_total > limit:
        status = Order.Status.AWAITING_APPROVAL
        note = _("Changed: %(changes)s. %(total)s is above the order limit.")
    elif reasons:
        status = Order.Status.AWAITING_APPROVAL
        note = _("Changed: %(changes)s. %(reasons)s")
    else:
        status = Order.Status.APPROVED
        note = _("Changed: %(changes)s.")
    now = timezone.now()
    # conditional, like every state change: the locked row is still this revision, unsent
    changed_rows = Order.objects.filter(
        pk=locked.pk, status__in=EDITABLE, revision=locked.revision
    ).update(
        **fields,
        total=total,
        limit_total=limit_total,
        order_limit=limit,
        status=status,
        approved_by=locked.approved_by if status == Order.Status.APPROVED else None,
        approved_at=locked.approved_at if status == Order.Status.APPROVED else None,
        revision=F("revision") + 1,
        updated_at=now,
    )
    if changed_rows != 1:
        raise OrderEditError(
            OrderEditErrorCode.CHANGED,
            _("The order was changed in the meantime. Look at it again and make your change."),
        )
    changes = ", ".join(said_lines + said_details)
    OrderEvent.objects.create(
        order=locked,
        at=now,
        by=by,
        status=status,
        note=note % {"changes": changes, "total": money_text(limit_total), "reasons": reasons},
    )
    if status == Order.Status.AWAITING_APPROVAL and (
        locked.status == Order.Status.APPROVED or limit_total > locked.limit_total
    ):
        enqueue_after_commit(order_approval_request_notify_task, order_id=locked.pk)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def order_cancel(*, order: Order, by: User, reason: str = "", revision: int | None = None) -> Order:
    """Cancel an order that has not been sent; only its placer may. Raises
    OrderEditError(NOT_ALLOWED, WRONG_STATE, CHANGED, TOO_LONG)."""
    with _as_edit_error():
        text_length_check(
            value=reason.strip(),
            most=CANCEL_REASON_MAX_LENGTH,
            field="reason",
            label=_("The reason for cancelling"),
        )
    locked = _locked(order, by, revision)
    now = timezone.now()
    cancelled = Order.objects.filter(
        pk=locked.pk, status__in=EDITABLE, revision=locked.revision
    ).update(status=Order.Status.CANCELLED, revision=F("revision") + 1, updated_at=now)
    if cancelled != 1:
        raise OrderEditError(
            OrderEditErrorCode.CHANGED,
            _("The order was changed in the meantime. Look at it again and make your change."),
        )
    OrderEvent.objects.create(
        order=locked,
        at=now,
        by=by,
        status=Order.Status.CANCELLED,
        note=reason.strip() or _("Cancelled by the person who placed it."),
    )
    locked.refresh_from_db()
    return locked
