"""The orders the demo supplier received, kept in Django's default cache: a bounded list per
supplier, newest first. Nothing is stored in a database (the app has no models)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache

from demo_supplier.catalogue import Supplier
from demo_supplier.cxml import OrderRequest

#: How many received orders are kept per supplier.
ORDERS_KEPT = 50
#: How long the list is kept after the last order (seconds).
ORDERS_TIMEOUT = 7 * 24 * 3600


@dataclass(frozen=True)
class ReceivedOrder:
    received_at: datetime
    payload_id: str
    order_id: str
    total: Decimal
    currency: str
    line_count: int
    buyer: str  # the Sender's identity
    problems: tuple[str, ...]  # what cXML.dtd finds wrong with the document; empty when valid
    times_received: int = 1  # the same payloadID again counts here, not as a new order


def _key(supplier: Supplier) -> str:
    return f"demo_supplier:orders:{supplier.slug}"


def order_list(*, supplier: Supplier) -> list[ReceivedOrder]:
    """The orders received, newest first."""
    orders: list[ReceivedOrder] = cache.get(_key(supplier), [])
    return orders


def order_record(
    *,
    supplier: Supplier,
    order: OrderRequest,
    buyer: str,
    received_at: datetime,
) -> ReceivedOrder:
    """Record `order` first in the supplier's list (at most ORDERS_KEPT). A document with a
    payloadID already recorded is a resend: its count goes up and no order is added.

    Not safe against two requests at the same moment (the last writer wins): it is a demo."""
    orders = order_list(supplier=supplier)
    for position, known in enumerate(orders):
        if order.payload_id and known.payload_id == order.payload_id:
            orders[position] = replace(known, times_received=known.times_received + 1)
            cache.set(_key(supplier), orders, ORDERS_TIMEOUT)
            return orders[position]
    received = ReceivedOrder(
        received_at=received_at,
        payload_id=order.payload_id,
        order_id=order.order_id,
        total=order.total,
        currency=order.currency,
        line_count=order.line_count,
        buyer=buyer,
        problems=order.problems,
    )
    cache.set(_key(supplier), [received, *orders][:ORDERS_KEPT], ORDERS_TIMEOUT)
    return received


def order_list_clear(*, supplier: Supplier) -> None:
    cache.delete(_key(supplier))
