"""Reads of carts and orders, scoped to what the acting person may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalog.models import Product, Supplier
from catalog.selectors import (
    CatalogueAlert,
    catalogue_alert_list_for_products,
    product_list_for_unit,
    product_orderable_q,
)
from core.money import money_round, vat_of
from orders.models import (
    ApprovalDelegation,
    Cart,
    CartLine,
    FavouriteLine,
    FavouriteList,
    Order,
    StandardPackage,
    punchout_price_note,
)
from org.models import OrgUnit, Role, User
from org.selectors import (
    membership_list_approving,
    org_unit_list_actable,
    org_unit_list_visible,
    user_order_limit_for_unit,
)


@dataclass
class CartSupplierGroup:
    """The lines of one supplier: what becomes one order at checkout."""

    supplier_name: str
    supplier_id: int = 0
    #: Some lines came from the supplier's web shop, and it can show and change them (cXML).
    has_punchout: bool = False
    lines: list[CartLine] = field(default_factory=list)
    total: Decimal = Decimal(0)
    #: The total held against the order limit (punch-out lines at no less than the agreement).
    limit_total: Decimal = Decimal(0)
    needs_approval: bool = False


@dataclass(frozen=True)
class CartPage:
    cart: Cart
    groups: list[CartSupplierGroup]
    total: Decimal
    vat: Decimal
    order_limit: Decimal | None
    line_count: int


def agreement_unit_prices(
    *, municipality_id: int, items: Iterable[tuple[int, str]], on: date
) -> dict[tuple[int, str], Decimal]:
    """The agreement's unit price of each (supplier, supplier item number) that the catalogue
    has as an orderable item on `on`; items it lacks are left out. One query."""
    wanted = set(items)
    if not wanted:
        return {}
    rows = (
        Product.objects.filter(
            municipality_id=municipality_id,
            supplier_id__in={supplier_id for supplier_id, _number in wanted},
            supplier_item_number__in={number for _supplier_id, number in wanted},
        )
        .filter(product_orderable_q(on=on))
        .values_list("supplier_id", "supplier_item_number", "unit_price")
    )
    # one condition per supplier and per number, not per pair: a query of any cart's size
    return {
        (supplier_id, number): price
        for supplier_id, number, price in rows
        if (supplier_id, number) in wanted
    }


def cart_page(*, cart: Cart, on: date | None = None) -> CartPage:
    """The cart's lines by supplier (one order each at checkout), with today's prices, each
    supplier's total and whether it is above the person's order limit (a punch-out line counts
    at no less than the agreement's price for its item). A fixed number of queries, whatever
    the number of lines."""
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("product__supplier", "product__agreement", "supplier")
        .order_by("pk")
    )
    limit = user_order_limit_for_unit(user=cart.user, unit=cart.unit)
    agreement_prices = agreement_unit_prices(
        municipality_id=cart.municipality_id,
        items=[
            (line.supplier_id, line.supplier_item_number)
            for line in lines
            if line.is_punchout and line.supplier_id is not None
        ],
        on=on or timezone.localdate(),
    )
    groups: dict[int, CartSupplierGroup] = {}
    for line in lines:
        if line.product is None:  # free text or punch-out: the price estimated or returned
            supplier = line.supplier
            price = line.estimated_unit_price or Decimal(0)
        else:
            supplier = line.product.supplier
            price = line.product.unit_price
        if supplier is None:  # the table's check constraint rules this out
            continue
        group = groups.setdefault(
            supplier.pk, CartSupplierGroup(supplier_name=supplier.name, supplier_id=supplier.pk)
        )
        group.has_punchout = group.has_punchout or (
            line.is_punchout and supplier.punchout_protocol == Supplier.PunchoutProtocol.CXML
        )
        line.unit_price = price  # type: ignore[attr-defined]
        line.line_total = money_round(line.quantity * price)  # type: ignore[attr-defined]
        agreed = agreement_prices.get((supplier.pk, line.supplier_item_number))
        line.agreement_unit_price = agreed if line.is_punchout else None  # type: ignore[attr-defined]
        line.price_note = (  # type: ignore[attr-defined]
            punchout_price_note(price=price, agreed=agreed) if line.is_punchout else ""
        )
        limit_price = max(price, agreed) if line.is_punchout and agreed is not None else price
        group.lines.append(line)
        group.total += line.line_total  # type: ignore[attr-defined]
        group.limit_total += money_round(line.quantity * limit_price)
    for group in groups.values():
        group.needs_approval = limit is not None and group.limit_total > limit
    total = sum((group.total for group in groups.values()), Decimal(0))
    return CartPage(
        cart=cart,
        groups=sorted(groups.values(), key=lambda group: group.supplier_name),
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


@dataclass(frozen=True)
class OrderFilters:
    """Which orders to list: of one unit and the units below it, placed in one month, in one
    status. None means any."""

    unit: OrgUnit | None = None
    month: date | None = None  # the first day of the month
    status: str | None = None


def order_list_visible(*, user: User, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """The orders of the units the person may see, newest first, narrowed by `filters`."""
    if user.municipality_id is None:
        return Order.objects.none()
    orders = Order.objects.filter(
        municipality_id=user.municipality_id, unit__in=org_unit_list_visible(user=user)
    )
    if filters is not None:
        if filters.unit is not None:
            orders = orders.filter(unit__path__startswith=filters.unit.path)
        if filters.month is not None:
            start = timezone.make_aware(datetime.combine(filters.month.replace(day=1), time()))
            end_month = (filters.month.replace(day=28) + timedelta(days=4)).replace(day=1)
            end = timezone.make_aware(datetime.combine(end_month, time()))
            orders = orders.filter(created_at__gte=start, created_at__lt=end)
        if filters.status:
            orders = orders.filter(status=filters.status)
    return orders.select_related("unit", "supplier", "placed_by").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class OrderSum:
    orders: int
    total: Decimal


def order_sum(*, orders: QuerySet[Order]) -> OrderSum:
    """How many of the orders count as bought (not rejected or cancelled), and their total."""
    counted = orders.exclude(status__in=[Order.Status.REJECTED, Order.Status.CANCELLED]).aggregate(
        orders=Count("pk"), amount=Sum("total")
    )
    return OrderSum(orders=counted["orders"], total=counted["amount"] or Decimal(0))


def approvers_acted_for(*, user: User, on: date) -> set[int]:
    """The people `user` approves for on `on`: themselves, and every approver who has
    delegated to them for a period that includes the day."""
    delegating = ApprovalDelegation.objects.filter(
        delegate=user, starts_on__lte=on, ends_on__gte=on
    ).values_list("approver_id", flat=True)
    return {user.pk, *delegating}


def order_list_awaiting_approval(*, user: User) -> QuerySet[Order]:
    """The orders waiting for an approval the person may give: of a unit their approver role
    covers (or that of an approver away who delegated to them), within its approval limit,
    placed by someone else. Oldest first."""
    reach = Q(pk__in=[])
    acting_for = approvers_acted_for(user=user, on=timezone.localdate())
    memberships = [
        membership
        for person in User.objects.filter(pk__in=acting_for)
        for membership in membership_list_approving(user=person)
    ]
    for membership in memberships:
        where = (
            Q(unit__path__startswith=membership.unit.path)
            if membership.includes_subtree
            else Q(unit_id=membership.unit_id)
        )
        reach |= where & Q(limit_total__lte=membership.approval_limit)
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


def order_may_edit(*, user: User, order: Order) -> bool:
    """Whether the person may change or cancel the order now: they placed it and it has not
    been sent (the editing service checks it again, under lock)."""
    return order.placed_by_id == user.pk and order.status in (
        Order.Status.AWAITING_APPROVAL,
        Order.Status.APPROVED,
    )


def order_may_decide(*, user: User, order: Order) -> bool:
    """Whether the person may approve, reject or send back the order now."""
    return order_list_awaiting_approval(user=user).filter(pk=order.pk).exists()


def order_get(*, user: User, number: str) -> Order:
    """One order with its lines and events, if the person may see it; Order.DoesNotExist
    otherwise (not yours and not there look the same). A number with a NUL character, which
    no order has (and PostgreSQL cannot compare), is not there."""
    if "\x00" in number:
        raise Order.DoesNotExist(number.replace("\x00", "\\x00"))
    return (
        order_list_visible(user=user)
        .select_related("delivery_address", "cost_centre", "unit__municipality")
        .prefetch_related("lines", "events__by")
        .get(number=number)
    )


def favourite_list_visible(*, user: User) -> QuerySet[FavouriteList]:
    """The person's own favourite lists and those shared with a unit they order for."""
    if user.municipality_id is None:
        return FavouriteList.objects.none()
    return (
        FavouriteList.objects.filter(municipality_id=user.municipality_id)
        .filter(Q(owner=user) | Q(is_shared=True, unit__in=org_unit_list_actable(user=user)))
        .select_related("unit", "owner")
        .annotate(line_count=Count("lines"))
        .order_by("unit__name", "name", "pk")
    )


def favourite_list_get(*, user: User, list_id: int) -> FavouriteList:
    """One list the person may use; FavouriteList.DoesNotExist otherwise."""
    return favourite_list_visible(user=user).get(pk=list_id)


@dataclass(frozen=True)
class FavouriteLineView:
    """A line as the list's page shows it: can it be ordered today, and did its price change
    or the item leave the catalogue since it was put on the list."""

    line: FavouriteLine
    is_orderable: bool
    alert: CatalogueAlert | None


def favourite_list_lines(
    *, favourite_list: FavouriteList, user: User, on: date
) -> list[FavouriteLineView]:
    """The list's lines with their flags, in a fixed number of queries."""
    lines = list(
        favourite_list.lines.select_related("product__supplier", "product__agreement").order_by(
            "pk"
        )
    )
    if not lines:
        return []
    product_ids = [line.product_id for line in lines]
    orderable = set(
        product_list_for_unit(user=user, unit=favourite_list.unit, on=on)
        .filter(pk__in=product_ids)
        .values_list("pk", flat=True)
    )
    alerts = catalogue_alert_list_for_products(
        product_ids=product_ids, since=min(line.added_at for line in lines)
    )
    views = []
    for line in lines:
        alert = alerts.get(line.product_id)
        if alert is not None and alert.applied_at <= line.added_at:
            alert = None
        views.append(
            FavouriteLineView(line=line, is_orderable=line.product_id in orderable, alert=alert)
        )
    return views


@dataclass(frozen=True)
class OrderTotal:
    """What was ordered in one month on one cost centre (rejected and cancelled orders left
    out)."""

    month: date
    cost_centre: str
    orders: int
    total: Decimal


def order_totals_by_month(
    *, user: User, year: int, unit: OrgUnit | None = None
) -> list[OrderTotal]:
    """The year's orders of the units the person may see (of `unit` and below it, if given),
    totalled per month and cost centre: what a leader follows for their part of the
    organisation."""
    counted = (
        order_list_visible(user=user, filters=OrderFilters(unit=unit))
        .filter(created_at__year=year)
        .exclude(status__in=[Order.Status.REJECTED, Order.Status.CANCELLED])
        .annotate(month=TruncMonth("created_at"))
        .values("month", "cost_centre__code", "cost_centre__name")
        .annotate(orders=Count("pk"), amount=Sum("total"))
        .order_by("month", "cost_centre__code")
    )
    return [
        OrderTotal(
            month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
            cost_centre=f"{row['cost_centre__code']} {row['cost_centre__name']}",
            orders=row["orders"],
            total=row["amount"] or Decimal(0),
        )
        for row in counted
    ]


def delegation_list_for(*, user: User, on: date) -> dict[str, list[ApprovalDelegation]]:
    """The hand-overs the person gave and received that have not ended by `on`."""
    current = ApprovalDelegation.objects.filter(ends_on__gte=on).select_related(
        "approver", "delegate"
    )
    return {
        "given": list(current.filter(approver=user).order_by("starts_on")),
        "received": list(current.filter(delegate=user).order_by("starts_on")),
    }


def delegate_candidates(*, user: User) -> QuerySet[User]:
    """Whom an approver may hand over to: the other active godkendere of the municipality."""
    if user.municipality_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            municipality_id=user.municipality_id,
            is_active=True,
            memberships__role=Role.APPROVER,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name")
    )


def package_list(*, user: User) -> list[StandardPackage]:
    """The municipality's active standard packages, each with its lines and `price` (today's
    catalogue prices, excl. VAT, for one package)."""
    if user.municipality_id is None:
        return []
    packages = list(
        StandardPackage.objects.filter(municipality_id=user.municipality_id, is_active=True)
        .prefetch_related("lines__product__supplier")
        .order_by("name")
    )
    for package in packages:
        package.price = sum(  # type: ignore[attr-defined]
            (money_round(line.quantity * line.product.unit_price) for line in package.lines.all()),
            Decimal(0),
        )
    return packages


def package_get(*, user: User, package_id: int) -> StandardPackage:
    """One active package of the person's municipality; StandardPackage.DoesNotExist if none."""
    found = next((p for p in package_list(user=user) if p.pk == package_id), None)
    if found is None:
        raise StandardPackage.DoesNotExist(package_id)
    return found
