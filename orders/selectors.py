"""Reads of carts and orders, scoped to what the acting person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from core.money import money_round, vat_of
from orders.models import Cart, CartLine, Order
from org.models import OrgUnit, User
from org.selectors import (
    membership_list_approving,
    org_unit_list_visible,
    user_order_limit_for_unit,
)


@dataclass
class CartSupplierGroup:
    """The lines of one supplier: what becomes one order at checkout."""

    supplier_name: str
    lines: list[CartLine] = field(default_factory=list)
    total: Decimal = Decimal(0)
    needs_approval: bool = False


@dataclass(frozen=True)
class CartPage:
    cart: Cart
    groups: list[CartSupplierGroup]
    total: Decimal
    vat: Decimal
    order_limit: Decimal | None
    line_count: int


def cart_page(*, cart: Cart) -> CartPage:
    """The cart's lines by supplier (one order each at checkout), with today's prices, each
    supplier's total and whether it is above the person's order limit. A fixed number of
    queries, whatever the number of lines."""
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("product__supplier", "product__agreement")
        .order_by("product__supplier__name", "pk")
    )
    limit = user_order_limit_for_unit(user=cart.user, unit=cart.unit)
    groups: dict[int, CartSupplierGroup] = {}
    for line in lines:
        product = line.product
        group = groups.setdefault(
            product.supplier_id, CartSupplierGroup(supplier_name=product.supplier.name)
        )
        line.line_total = money_round(line.quantity * product.unit_price)  # type: ignore[attr-defined]
        group.lines.append(line)
        group.total += line.line_total  # type: ignore[attr-defined]
    for group in groups.values():
        group.needs_approval = limit is not None and group.total > limit
    total = sum((group.total for group in groups.values()), Decimal(0))
    return CartPage(
        cart=cart,
        groups=list(groups.values()),
        total=total,
        vat=vat_of(total),
        order_limit=limit,
        line_count=len(lines),
    )


def cart_find(*, user: User, unit: OrgUnit) -> Cart | None:
    """The person's cart for the unit, if they have one."""
    return Cart.objects.filter(user=user, unit=unit).select_related("unit", "user").first()


def cart_line_get(*, user: User, line_id: int) -> CartLine:
    """A line of one of the person's own carts; CartLine.DoesNotExist otherwise."""
    return CartLine.objects.select_related("cart__unit", "cart__user").get(
        pk=line_id, cart__user=user
    )


def cart_line_count(*, user: User, unit: OrgUnit) -> int:
    """How many lines the person's cart for the unit holds (for the header)."""
    return CartLine.objects.filter(cart__user=user, cart__unit=unit).count()


def order_list_visible(*, user: User) -> QuerySet[Order]:
    """The orders of the units the person may see, newest first."""
    if user.municipality_id is None:
        return Order.objects.none()
    return (
        Order.objects.filter(
            municipality_id=user.municipality_id, unit__in=org_unit_list_visible(user=user)
        )
        .select_related("unit", "supplier", "placed_by")
        .order_by("-created_at", "-pk")
    )


def order_list_awaiting_approval(*, user: User) -> QuerySet[Order]:
    """The orders waiting for an approval the person may give: of a unit their approver role
    covers, within its approval limit, placed by someone else. Oldest first."""
    reach = Q(pk__in=[])
    for membership in membership_list_approving(user=user):
        where = (
            Q(unit__path__startswith=membership.unit.path)
            if membership.includes_subtree
            else Q(unit_id=membership.unit_id)
        )
        reach |= where & Q(total__lte=membership.approval_limit)
    return (
        Order.objects.filter(
            reach,
            municipality_id=user.municipality_id or 0,
            status=Order.Status.AWAITING_APPROVAL,
        )
        .exclude(placed_by=user)
        .select_related("unit", "supplier", "placed_by")
        .order_by("created_at", "pk")
    )


def order_may_decide(*, user: User, order: Order) -> bool:
    """Whether the person may approve, reject or send back the order now."""
    return order_list_awaiting_approval(user=user).filter(pk=order.pk).exists()


def order_get(*, user: User, number: str) -> Order:
    """One order with its lines and events, if the person may see it; Order.DoesNotExist
    otherwise (not yours and not there look the same)."""
    return (
        order_list_visible(user=user)
        .select_related("delivery_address", "cost_centre")
        .prefetch_related("lines", "events__by")
        .get(number=number)
    )
