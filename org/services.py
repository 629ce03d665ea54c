"""Every write to the organisation, and the rules that go with it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from org.models import (
    ZERO,
    CostCentre,
    DeliveryAddress,
    Membership,
    MonthlyBudget,
    Municipality,
    OrgUnit,
    Role,
    User,
)


class OrgErrorCode(StrEnum):
    UNIT_CYCLE = "org_unit_cycle"
    UNIT_OTHER_MUNICIPALITY = "org_unit_other_municipality"
    ROOT_EXISTS = "org_root_exists"
    ROOT_CANNOT_MOVE = "org_root_cannot_move"


class OrgError(ApplicationError):
    pass


def _validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Run the model's own validation (fields, identifiers, constraints); raise ValidationError."""
    instance.full_clean(exclude=exclude)


@transaction.atomic
def municipality_create(
    *, name: str, cvr: str, gln: str, order_number_prefix: str, **details: str
) -> Municipality:
    """A new municipality with its root unit (same name, EAN number and code as the prefix).

    Raises ValidationError naming the field and value for an invalid CVR or EAN number.
    """
    municipality = Municipality(
        name=name, cvr=cvr, gln=gln, order_number_prefix=order_number_prefix, **details
    )
    _validated(municipality)
    municipality.save()
    org_unit_create(
        municipality=municipality,
        parent=None,
        code=order_number_prefix,
        name=name,
        kind=OrgUnit.Kind.MUNICIPALITY,
        gln=municipality.gln,
    )
    return municipality


@transaction.atomic
def org_unit_create(
    *,
    municipality: Municipality,
    parent: OrgUnit | None,
    code: str,
    name: str,
    kind: str,
    gln: str,
    receives_invoices: bool = True,
) -> OrgUnit:
    """A new unit under `parent` (None: the municipality's root, of which there is one).

    Raises ValidationError (field and value named) for bad input, OrgError for a parent in
    another municipality or a second root.
    """
    if parent is not None and parent.municipality_id != municipality.pk:
        raise OrgError(
            OrgErrorCode.UNIT_OTHER_MUNICIPALITY,
            _("The parent unit belongs to another municipality."),
            field="parent",
        )
    if parent is None and OrgUnit.objects.filter(municipality=municipality, parent=None).exists():
        raise OrgError(
            OrgErrorCode.ROOT_EXISTS,
            _("%(municipality)s already has a top unit; place the new unit under it.")
            % {"municipality": municipality.name},
            field="parent",
        )
    unit = OrgUnit(
        municipality=municipality,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        gln=gln,
        receives_invoices=receives_invoices,
        depth=0 if parent is None else parent.depth + 1,
    )
    _validated(unit, exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


@transaction.atomic
def org_unit_update(*, unit: OrgUnit, **changes: Any) -> OrgUnit:
    """Change a unit's own fields (not its place in the tree: see `org_unit_move`)."""
    forbidden = {"parent", "municipality", "path", "depth"} & changes.keys()
    if forbidden:
        raise ValueError(f"org_unit_update cannot change {sorted(forbidden)}")
    for field, value in changes.items():
        setattr(unit, field, value)
    _validated(unit)
    unit.save()
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move `unit` and its whole subtree under `new_parent`, in one transaction.

    Raises OrgError(UNIT_CYCLE) if `new_parent` is the unit or lies below it.
    """
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if unit.parent_id is None:
        raise OrgError(
            OrgErrorCode.ROOT_CANNOT_MOVE, _("The top unit cannot be moved."), field="parent"
        )
    if new_parent.municipality_id != unit.municipality_id:
        raise OrgError(
            OrgErrorCode.UNIT_OTHER_MUNICIPALITY,
            _("The parent unit belongs to another municipality."),
            field="parent",
        )
    if new_parent.path.startswith(unit.path):
        raise OrgError(
            OrgErrorCode.UNIT_CYCLE,
            _("%(unit)s cannot be placed under itself or one of its own units.")
            % {"unit": unit.name},
            field="parent",
        )
    old_prefix, new_prefix = unit.path, f"{new_parent.path}{unit.pk}/"
    depth_change = new_parent.depth + 1 - unit.depth
    subtree = OrgUnit.objects.filter(
        municipality_id=unit.municipality_id, path__startswith=old_prefix
    )
    subtree.update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_change,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def user_create(
    *,
    municipality: Municipality,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    personreference: str = "",
    job_title: str = "",
    password: str | None = None,
) -> User:
    """A person of `municipality` who can sign in (with `password`, or none set yet)."""
    user = User(
        municipality=municipality,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        personreference=personreference,
        job_title=job_title,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    _validated(user)
    user.save()
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    unit: OrgUnit,
    role: Role,
    includes_subtree: bool = False,
    order_limit: Decimal = ZERO,
    approval_limit: Decimal = ZERO,
) -> Membership:
    """Give `user` `role` in `unit` (and its subtree), or update the limits of that role.

    Raises ValidationError for a unit or person of another municipality, a negative limit, or an
    approval limit on a role that does not approve.
    """
    membership = Membership.objects.filter(user=user, unit=unit, role=role).first() or Membership(
        user=user, unit=unit, role=role, municipality_id=unit.municipality_id
    )
    membership.includes_subtree = includes_subtree
    membership.order_limit = order_limit
    membership.approval_limit = approval_limit
    _validated(membership, exclude=["user", "unit", "role"] if membership.pk else None)
    membership.save()
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Take the role away."""
    membership.delete()


@transaction.atomic
def delivery_address_create(*, unit: OrgUnit, **fields: Any) -> DeliveryAddress:
    """A delivery address of `unit`; an invalid EAN number is refused with field and value."""
    address = DeliveryAddress(unit=unit, municipality_id=unit.municipality_id, **fields)
    _validated(address)
    address.save()
    return address


@transaction.atomic
def cost_centre_create(
    *, unit: OrgUnit, code: str, name: str, default_account: str = ""
) -> CostCentre:
    """A cost centre (omkostningssted) of `unit`, its code unique in the municipality."""
    centre = CostCentre(
        unit=unit,
        municipality_id=unit.municipality_id,
        code=code,
        name=name,
        default_account=default_account,
    )
    _validated(centre)
    centre.save()
    return centre


@transaction.atomic
def budget_set(*, cost_centre: CostCentre, year: int, month: int, amount: Decimal) -> MonthlyBudget:
    """Set the budget of one month (creating or replacing it)."""
    budget = MonthlyBudget.objects.filter(
        cost_centre=cost_centre, year=year, month=month
    ).first() or MonthlyBudget(
        cost_centre=cost_centre,
        municipality_id=cost_centre.municipality_id,
        year=year,
        month=month,
    )
    budget.amount = amount
    _validated(budget, exclude=["cost_centre", "year", "month"] if budget.pk else None)
    budget.save()
    return budget


def validation_messages(error: ValidationError) -> list[str]:
    """A ValidationError's messages as 'field: message' lines, for logs and command output."""
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
