"""Goods receipt: where the municipality registers it, the unit says what arrived, line by
line; the order is then partly delivered or delivered (for three-way invoice matching)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import quantity_text
from orders.models import Order, OrderEvent
from orders.services.carts import CartError, CartErrorCode, quantity_clean, quantity_is_none
from org.models import User
from org.selectors import org_unit_list_actable

RECEIVABLE = (
    Order.Status.APPROVED,
    Order.Status.SENT,
    Order.Status.CONFIRMED,
    Order.Status.PARTLY_DELIVERED,
)


@transaction.atomic
def order_goods_receive(*, order: Order, by: User, received: Mapping[int, object]) -> Order:
    """Register how much of each line has arrived in all (`received` by line id; lines left
    out keep what they had). Never more than ordered. Raises CartError(NOT_ALLOWED,
    NOT_ORDERABLE, BAD_QUANTITY) naming the line."""
    if not order.unit.municipality.uses_goods_receipt:
        raise CartError(
            CartErrorCode.NOT_ALLOWED, _("The municipality does not register goods receipt.")
        )
    if not org_unit_list_actable(user=by).filter(pk=order.unit_id).exists():
        raise CartError(
            CartErrorCode.NOT_ALLOWED, _("Only those who order for the unit register receipt.")
        )
    if order.status not in RECEIVABLE:
        raise CartError(
            CartErrorCode.NOT_ORDERABLE,
            _("An order that is %(status)s cannot be received.")
            % {"status": order.get_status_display().lower()},
        )
    lines = {line.pk: line for line in order.lines.all()}
    changed = []
    for line_id, value in received.items():
        line = lines.get(line_id)
        if line is None:
            continue
        field = f"line-{line_id}"
        amount = Decimal(0) if quantity_is_none(value) else quantity_clean(value, field=field)
        if amount > line.quantity:
            raise CartError(
                CartErrorCode.BAD_QUANTITY,
                _("%(name)s: more than the %(ordered)s ordered cannot be received.")
                % {"name": line.name, "ordered": quantity_text(line.quantity)},
                field=field,
            )
        if amount != line.received_quantity:
            line.received_quantity = amount
            changed.append(line)
    if not changed:
        return order
    type(changed[0]).objects.bulk_update(changed, ["received_quantity"])
    everything = all(line.received_quantity >= line.quantity for line in lines.values())
    anything = any(line.received_quantity > 0 for line in lines.values())
    status = (
        Order.Status.DELIVERED
        if everything
        else Order.Status.PARTLY_DELIVERED
        if anything
        else order.status
    )
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(status=status, updated_at=now)
    OrderEvent.objects.create(
        order=order,
        at=now,
        by=by,
        status=status,
        note=_("Goods received: %(lines)s")
        % {
            "lines": ", ".join(
                f"{line.name} {quantity_text(line.received_quantity)}" for line in changed
            )
        },
    )
    order.refresh_from_db()
    return order
