"""Favourite lists: make them, keep them, and put a whole list (or an earlier order) in the cart
in one go. Items that left the catalogue are reported, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.selectors import product_list_for_unit
from orders.models import CartLine, FavouriteLine, FavouriteList, Order
from orders.services.carts import (
    CartError,
    CartErrorCode,
    cart_get_for,
    cart_line_add,
    quantity_clean,
    quantity_is_none,
)
from org.models import OrgUnit, User
from org.selectors import org_unit_list_actable

NAME_MAX_LENGTH = 200


def _may_order_for(user: User, unit_id: int) -> bool:
    return org_unit_list_actable(user=user).filter(pk=unit_id).exists()


def favourite_list_may_edit(*, favourite_list: FavouriteList, user: User) -> bool:
    """The owner edits their list; a shared list, anyone who orders for its unit."""
    if favourite_list.owner_id == user.pk:
        return True
    return favourite_list.is_shared and _may_order_for(user, favourite_list.unit_id)


def _edit_check(favourite_list: FavouriteList, user: User) -> None:
    if not favourite_list_may_edit(favourite_list=favourite_list, user=user):
        raise CartError(
            CartErrorCode.NOT_ALLOWED,
            _("Only the list's owner can change it (or, for a shared list, the unit's buyers)."),
        )


@transaction.atomic
def favourite_list_create(
    *, owner: User, unit: OrgUnit, name: str, is_shared: bool = False, note: str = ""
) -> FavouriteList:
    """A new, empty favourite list for a unit the owner orders for. Raises
    CartError(NOT_ALLOWED, BAD_NAME) for a unit they may not order for or a bad name."""
    if not _may_order_for(owner, unit.pk):
        raise CartError(CartErrorCode.NOT_ALLOWED, _("You cannot order for this unit."))
    text = name.strip()
    if not text or len(text) > NAME_MAX_LENGTH:
        raise CartError(
            CartErrorCode.BAD_NAME,
            _("Give the list a name of 1 to %(most)s characters.") % {"most": NAME_MAX_LENGTH},
            field="name",
        )
    try:
        with transaction.atomic():
            return FavouriteList.objects.create(
                municipality_id=unit.municipality_id,
                owner=owner,
                unit=unit,
                name=text,
                is_shared=is_shared,
                note=note.strip(),
            )
    except IntegrityError:
        raise CartError(
            CartErrorCode.BAD_NAME,
            _("You already have a list called “%(name)s” for this unit.") % {"name": text},
            field="name",
        ) from None


@transaction.atomic
def favourite_line_add(
    *,
    favourite_list: FavouriteList,
    by: User,
    product_id: int,
    quantity: Decimal | str,
    on: date,
    note: str = "",
) -> FavouriteLine:
    """Put an item of the unit's assortment on the list (its default quantity raised if it is
    there already). Raises CartError(NOT_ALLOWED, NOT_IN_ASSORTMENT, BAD_QUANTITY)."""
    _edit_check(favourite_list, by)
    amount = quantity_clean(quantity)
    visible = product_list_for_unit(user=by, unit=favourite_list.unit, on=on)
    if not visible.filter(pk=product_id).exists():
        raise CartError(
            CartErrorCode.NOT_IN_ASSORTMENT,
            _("This item is not in %(unit)s's assortment, so it cannot go on the list.")
            % {"unit": favourite_list.unit.name},
            field="product",
        )
    line, created = FavouriteLine.objects.get_or_create(
        favourite_list=favourite_list,
        product_id=product_id,
        defaults={"default_quantity": amount, "note": note.strip(), "added_at": timezone.now()},
    )
    if not created:
        line.default_quantity = quantity_clean(line.default_quantity + amount)
        line.save(update_fields=["default_quantity"])
    FavouriteList.objects.filter(pk=favourite_list.pk).update(updated_at=timezone.now())
    return line


@transaction.atomic
def favourite_line_quantity_set(
    *, line: FavouriteLine, by: User, quantity: object
) -> FavouriteLine:
    """Change a line's default quantity (as typed)."""
    _edit_check(line.favourite_list, by)
    line.default_quantity = quantity_clean(quantity, field=f"line-{line.pk}")
    line.save(update_fields=["default_quantity"])
    return line


@transaction.atomic
def favourite_line_remove(*, line: FavouriteLine, by: User) -> None:
    """Take an item off the list."""
    _edit_check(line.favourite_list, by)
    line.delete()


@dataclass
class ToCartOutcome:
    """What went into the cart, and the names of the items that could not (they left the
    catalogue or their agreement expired)."""

    added: list[CartLine] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _orderable_ids(user: User, unit: OrgUnit, product_ids: list[int], on: date) -> set[int]:
    return set(
        product_list_for_unit(user=user, unit=unit, on=on)
        .filter(pk__in=product_ids)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def favourite_list_to_cart(
    *,
    favourite_list: FavouriteList,
    user: User,
    on: date,
    quantities: dict[int, object] | None = None,
) -> ToCartOutcome:
    """Put the whole list in the person's cart for the list's unit, each line with the
    quantity typed for it (`quantities` by line id) or its default; a line typed 0 is left
    out. Every quantity is checked before anything is added: CartError(BAD_QUANTITY) names
    the line. Items no longer orderable are left out and named."""
    if not (
        favourite_list.owner_id == user.pk
        or (favourite_list.is_shared and _may_order_for(user, favourite_list.unit_id))
    ):
        raise CartError(CartErrorCode.NOT_ALLOWED, _("This list is not yours to use."))
    typed = quantities or {}
    lines = list(favourite_list.lines.select_related("product").order_by("pk"))
    wanted: list[tuple[FavouriteLine, Decimal]] = []
    for line in lines:
        raw = typed.get(line.pk, line.default_quantity)
        if quantity_is_none(raw):
            continue
        try:
            wanted.append((line, quantity_clean(raw, field=f"line-{line.pk}")))
        except CartError as exc:
            raise CartError(
                CartErrorCode.BAD_QUANTITY, f"{line.product.name}: {exc.message}", field=exc.field
            ) from exc
    cart = cart_get_for(user=user, unit=favourite_list.unit)
    product_ids = [line.product_id for line, _amount in wanted]
    orderable = _orderable_ids(user, favourite_list.unit, product_ids, on)
    outcome = ToCartOutcome()
    for line, amount in wanted:
        if line.product_id not in orderable:
            outcome.left_out.append(line.product.name)
            continue
        outcome.added.append(
            cart_line_add(cart=cart, product_id=line.product_id, quantity=amount, on=on)
        )
    return outcome


@transaction.atomic
def order_reorder(*, order: Order, user: User, on: date) -> ToCartOutcome:
    """Put an earlier order's items in the person's cart for its unit, at the quantities
    ordered then; items no longer orderable are left out and named."""
    cart = cart_get_for(user=user, unit=order.unit)
    lines = list(order.lines.order_by("position"))
    product_ids = [line.product_id for line in lines if line.product_id is not None]
    orderable = _orderable_ids(user, order.unit, product_ids, on)
    outcome = ToCartOutcome()
    for line in lines:
        if line.product_id is None or line.product_id not in orderable:
            outcome.left_out.append(line.name)
            continue
        outcome.added.append(
            cart_line_add(cart=cart, product_id=line.product_id, quantity=line.quantity, on=on)
        )
    return outcome
