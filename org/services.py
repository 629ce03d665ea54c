"""Every write to the organisation, and the rules that go with it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

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


def _tree_lock(municipality_id: int) -> None:
    """Serialise changes to one municipality's unit tree (PostgreSQL; SQLite writes are
    serialised anyway). The checks after each change still guard without the lock."""
    Municipality.objects.select_for_update().filter(pk=municipality_id).first()


@transaction.atomic
def municipality_create(
    *,
    name: str,
    cvr: str,
    gln: str,
    order_number_prefix: str,
    street: str = "",
    postal_code: str = "",
    city: str = "",
    country: str = "DK",
    website: str = "",
) -> Municipality:
    """A new municipality with its top unit (same name and EAN number, the prefix as code).

    Raises ValidationError naming the field and value for an invalid CVR or EAN number.
    """
    municipality = Municipality(
        name=name,
        cvr=cvr,
        gln=gln,
        order_number_prefix=order_number_prefix,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        website=website,
    )
    municipality.full_clean()
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
    """A new unit under `parent` (None: the municipality's top unit, of which there is one).

    Raises ValidationError (field and value named) for bad input, OrgError for a parent in
    another municipality or a second top unit (also refused by a unique constraint).
    """
    if parent is not None and parent.municipality_id != municipality.pk:
        raise OrgError(
            OrgErrorCode.UNIT_OTHER_MUNICIPALITY,
            _("The parent unit belongs to another municipality."),
            field="parent",
        )
    _tree_lock(municipality.pk)
    if parent is None and OrgUnit.objects.filter(municipality=municipality, parent=None).exists():
        raise OrgError(
            OrgErrorCode.ROOT_EXISTS,
            _("%(municipality)s already has a top unit; place the new unit under it.")
            % {"municipality": municipality.name},
            field="parent",
        )
    if parent is not None:
        parent.refresh_from_db(fields=["path", "depth"])
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
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


@transaction.atomic
def org_unit_update(
    *,
    unit: OrgUnit,
    code: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    gln: str | None = None,
    receives_invoices: bool | None = None,
    is_active: bool | None = None,
) -> OrgUnit:
    """Change a unit's own fields (its place in the tree changes with `org_unit_move`)."""
    changes = {
        "code": code,
        "name": name,
        "kind": kind,
        "gln": gln,
        "receives_invoices": receives_invoices,
        "is_active": is_active,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(unit, field, value)
    unit.full_clean()
    unit.save(update_fields=[field for field, value in changes.items() if value is not None])
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move `unit` and its whole subtree under `new_parent`, in one transaction.

    Raises OrgError(UNIT_CYCLE) if `new_parent` is the unit or lies below it,
    OrgError(ROOT_CANNOT_MOVE) for the top unit.
    """
    if new_parent.municipality_id != unit.municipality_id:
        raise OrgError(
            OrgErrorCode.UNIT_OTHER_MUNICIPALITY,
            _("The parent unit belongs to another municipality."),
            field="parent",
        )
    _tree_lock(unit.municipality_id)
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if unit.parent_id is None:
        raise OrgError(
            OrgErrorCode.ROOT_CANNOT_MOVE, _("The top unit cannot be moved."), field="parent"
        )
    _refuse_cycle(unit, new_parent)
    old_prefix, new_prefix = unit.path, f"{new_parent.path}{unit.pk}/"
    OrgUnit.objects.filter(
        municipality_id=unit.municipality_id, path__startswith=old_prefix
    ).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + (new_parent.depth + 1 - unit.depth),
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    new_parent.refresh_from_db()
    _refuse_cycle(unit, new_parent)  # moved concurrently under this unit: roll back
    unit.refresh_from_db()
    return unit


def _refuse_cycle(unit: OrgUnit, new_parent: OrgUnit) -> None:
    if unit.is_above(new_parent):
        raise OrgError(
            OrgErrorCode.UNIT_CYCLE,
            _("%(unit)s cannot be placed under itself or one of its own units.")
            % {"unit": unit.name},
            field="parent",
        )


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
    user.full_clean()
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
    membership.full_clean(exclude=["user", "unit", "role"] if membership.pk else None)
    membership.save()
    return membership


@transaction.atomic
def delivery_address_create(
    *,
    unit: OrgUnit,
    label: str,
    street: str,
    postal_code: str,
    city: str,
    country: str = "DK",
    code: str = "",
    gln: str = "",
    attention: str = "",
    delivery_note: str = "",
) -> DeliveryAddress:
    """A delivery address of `unit`; an invalid EAN number is refused with field and value."""
    address = DeliveryAddress(
        unit=unit,
        municipality_id=unit.municipality_id,
        label=label,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        code=code,
        gln=gln,
        attention=attention,
        delivery_note=delivery_note,
    )
    address.full_clean()
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
    centre.full_clean()
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
    budget.full_clean(exclude=["cost_centre", "year", "month"] if budget.pk else None)
    budget.save()
    return budget
