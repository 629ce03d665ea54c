"""Standard packages: bundles of agreement items a buyer orders in large numbers, for several
units at once; ordered unchanged, within their pre-approved amount, they skip approval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.selectors import product_list_for_unit
from orders.models import CartPackage, StandardPackage, StandardPackageLine
from orders.services.carts import CartError, CartErrorCode, cart_get_for, cart_line_add
from org.models import Role, User
from org.selectors import org_unit_list_actable, user_has_role

MAX_PACKAGES = 10_000
PACKAGE_ROLES = (Role.BUYER, Role.ASSORTMENT_ADMIN)


def _maker_check(by: User) -> int:
    """The maker's municipality, if they may make packages."""
    if by.municipality_id is None or not user_has_role(user=by, roles=PACKAGE_ROLES):
        raise CartError(
            CartErrorCode.NOT_ALLOWED,
            _("Only a buyer or a procurement officer can make standard packages."),
        )
    return by.municipality_id


@transaction.atomic
def package_create(
    *,
    by: User,
    name: str,
    lines: Sequence[tuple[int, Decimal]],
    description: str = "",
    pre_approved_up_to: Decimal = Decimal(0),
) -> StandardPackage:
    """A new package of `lines` (product id, quantity per package) of the municipality's
    catalogue. Raises CartError(NOT_ALLOWED, BAD_NAME, BAD_QUANTITY, NOT_IN_ASSORTMENT)."""
    municipality_id = _maker_check(by)
    text = name.strip()
    if (
        not text
        or StandardPackage.objects.filter(municipality_id=municipality_id, name=text).exists()
    ):
        raise CartError(
            CartErrorCode.BAD_NAME,
            _("Give the package a name no other package has."),
            field="name",
        )
    if pre_approved_up_to < 0:
        raise CartError(
            CartErrorCode.BAD_PRICE,
            _("The pre-approved amount cannot be less than 0."),
            field="pre_approved_up_to",
        )
    package = StandardPackage.objects.create(
        municipality_id=municipality_id,
        name=text,
        description=description.strip(),
        pre_approved_up_to=pre_approved_up_to,
    )
    for product_id, quantity in lines:
        _line_put(package, product_id, quantity)
    return package


def _line_put(package: StandardPackage, product_id: int, quantity: Decimal) -> None:
    if not Product.objects.filter(pk=product_id, municipality_id=package.municipality_id).exists():
        raise CartError(
            CartErrorCode.NOT_IN_ASSORTMENT,
            _("The item is not in the municipality's catalogue."),
            field="product",
        )
    StandardPackageLine.objects.update_or_create(
        package=package, product_id=product_id, defaults={"quantity": quantity}
    )


@transaction.atomic
def package_line_set(
    *, package: StandardPackage, by: User, product_id: int, quantity: Decimal
) -> StandardPackage:
    """Put an item in the package at `quantity` per package (0 takes it out). The package
    gets a new version: carts filled before no longer count as the package unchanged."""
    _maker_check(by)
    if quantity <= 0:
        StandardPackageLine.objects.filter(package=package, product_id=product_id).delete()
    else:
        _line_put(package, product_id, quantity)
    StandardPackage.objects.filter(pk=package.pk).update(version=F("version") + 1)
    package.refresh_from_db()
    return package


def _count_clean(value: object, field: str) -> int:
    text = str(value).strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_PACKAGES:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _("Write a whole number of packages, from 0 to %(most)s.") % {"most": MAX_PACKAGES},
            field=field,
        )
    return int(text)


@transaction.atomic
def package_to_carts(
    *, package: StandardPackage, user: User, counts: Mapping[int, object], on: date
) -> dict[int, int]:
    """Put `counts[unit_id]` packages in the person's cart for each unit (a buyer orders for
    several units at once). All or nothing: every item must be orderable for every unit.
    Returns the packages put in each unit's cart."""
    wanted = {unit_id: _count_clean(value, f"unit-{unit_id}") for unit_id, value in counts.items()}
    wanted = {unit_id: count for unit_id, count in wanted.items() if count}
    if not wanted:
        raise CartError(
            CartErrorCode.BAD_QUANTITY,
            _("Write how many packages each unit gets (at least one)."),
            field="counts",
        )
    units = {unit.pk: unit for unit in org_unit_list_actable(user=user).filter(pk__in=wanted)}
    if len(units) != len(wanted):
        raise CartError(CartErrorCode.NOT_ALLOWED, _("You cannot order for this unit."))
    lines = list(package.lines.select_related("product").order_by("pk"))
    if not package.is_active or not lines:
        raise CartError(CartErrorCode.NOT_ORDERABLE, _("This package cannot be ordered now."))
    for unit_id in wanted:
        unit = units[unit_id]
        orderable = set(
            product_list_for_unit(user=user, unit=unit, on=on)
            .filter(pk__in=[line.product_id for line in lines])
            .values_list("pk", flat=True)
        )
        missing = [line.product.name for line in lines if line.product_id not in orderable]
        if missing:
            raise CartError(
                CartErrorCode.NOT_IN_ASSORTMENT,
                _("%(unit)s cannot order %(names)s, so the package cannot go in its cart.")
                % {"unit": unit.name, "names": ", ".join(missing)},
                field=f"unit-{unit_id}",
            )
        cart = cart_get_for(user=user, unit=unit)
        for line in lines:
            amount = line.quantity * wanted[unit_id]
            cart_line_add(cart=cart, product_id=line.product_id, quantity=amount, on=on)
        held, created = CartPackage.objects.get_or_create(
            cart=cart,
            package=package,
            defaults={"version": package.version, "count": wanted[unit_id]},
        )
        if not created:
            held.count += wanted[unit_id]
            if held.version != package.version:
                held.version = 0  # a mix of versions is not the package unchanged
            held.save(update_fields=["count", "version"])
    return wanted
