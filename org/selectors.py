"""Reads of the organisation, each scoped to what the acting person may see or do."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Min, Q, QuerySet

from org.models import (
    ORDERING_ROLES,
    CostCentre,
    DeliveryAddress,
    Membership,
    MonthlyBudget,
    OrgUnit,
    Role,
    User,
)


def _units_covered(memberships: Iterable[Membership]) -> QuerySet[OrgUnit]:
    """The active units the memberships reach: each unit, plus its subtree where flagged.

    Only units of the memberships' own municipality, whatever the paths say.
    """
    reach: list[Q] = []
    municipality_ids = set()
    for membership in memberships:
        municipality_ids.add(membership.municipality_id)
        if membership.includes_subtree:
            reach.append(Q(path__startswith=membership.unit.path))
        else:
            reach.append(Q(pk=membership.unit_id))
    if not reach or len(municipality_ids) != 1:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        functools.reduce(operator.or_, reach),
        municipality_id=municipality_ids.pop(),
        is_active=True,
    )


def _active_memberships(
    user: User | AnonymousUser, roles: Iterable[str] | None = None
) -> QuerySet[Membership]:
    if not isinstance(user, User) or not user.is_active or user.municipality_id is None:
        return Membership.objects.none()
    memberships = Membership.objects.filter(
        user=user,
        municipality_id=user.municipality_id,
        unit__municipality_id=user.municipality_id,
        unit__is_active=True,
    ).select_related("unit")
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships


def user_has_role(*, user: User | AnonymousUser, roles: Iterable[str]) -> bool:
    """Whether `user` holds any of `roles` anywhere in their municipality."""
    return _active_memberships(user, roles).exists()


def user_role_set(*, user: User | AnonymousUser) -> frozenset[Role]:
    """The roles `user` holds anywhere (for navigation and menus)."""
    return frozenset(
        Role(role) for role in _active_memberships(user).values_list("role", flat=True)
    )


def org_unit_list_actable(
    *, user: User, roles: Iterable[str] = ORDERING_ROLES
) -> QuerySet[OrgUnit]:
    """The units `user` may act for (place orders on behalf of) through one of `roles`.

    A membership reaches its own unit and, if it includes the subtree, every unit below it; never
    a sibling or a parent.
    """
    return _units_covered(_active_memberships(user, roles)).order_by("path")


def org_unit_list_visible(*, user: User) -> QuerySet[OrgUnit]:
    """The units whose data `user` may see: those reached by any of their memberships."""
    return _units_covered(_active_memberships(user)).order_by("path")


def org_unit_get(*, user: User, unit_id: int) -> OrgUnit:
    """The unit if `user` may see it; OrgUnit.DoesNotExist otherwise."""
    return org_unit_list_visible(user=user).select_related("parent", "municipality").get(pk=unit_id)


def org_unit_default_for(*, user: User) -> OrgUnit | None:
    """The first unit (in tree order) `user` may order for, or None."""
    return org_unit_list_actable(user=user).first()


def org_unit_is_visible(*, user: User, unit_id: int) -> bool:
    """Whether `user` may see the unit."""
    return org_unit_list_visible(user=user).filter(pk=unit_id).exists()


def org_unit_list_children(*, user: User, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The units directly below `unit` that `user` may see, by name."""
    return org_unit_list_visible(user=user).filter(parent=unit).order_by("name")


def user_roles_for_unit(*, user: User, unit: OrgUnit) -> frozenset[Role]:
    """The roles `user` holds for `unit`: on the unit itself, or above it with the subtree."""
    ancestors = [pk for pk in unit.ancestor_ids if pk != unit.pk]
    roles = (
        _active_memberships(user)
        .filter(Q(unit=unit) | Q(unit_id__in=ancestors, includes_subtree=True))
        .values_list("role", flat=True)
    )
    return frozenset(Role(role) for role in roles)


def user_order_limit_for_unit(*, user: User, unit: OrgUnit) -> Decimal | None:
    """The largest order (DKK excl. VAT) `user` may place for `unit` without approval: the
    highest order limit of their ordering roles there (on the unit, or above it with the
    subtree). None if they may not order for the unit at all."""
    ancestors = [pk for pk in unit.ancestor_ids if pk != unit.pk]
    limits = list(
        _active_memberships(user, ORDERING_ROLES)
        .filter(Q(unit=unit) | Q(unit_id__in=ancestors, includes_subtree=True))
        .values_list("order_limit", flat=True)
    )
    if not limits or not unit.is_active or unit.municipality_id != user.municipality_id:
        return None
    return max(limits)


@dataclass(frozen=True)
class LimitRange:
    """How a role's limits spread across the municipality, for the e-handel policy page."""

    role: Role
    people: int
    lowest_order_limit: Decimal
    highest_order_limit: Decimal
    lowest_approval_limit: Decimal
    highest_approval_limit: Decimal


def membership_limit_summary(*, user: User) -> list[LimitRange]:
    """For each role that orders or approves in `user`'s municipality: how many people hold
    it and the range of their limits."""
    if user.municipality_id is None:
        return []
    rows = (
        Membership.objects.filter(
            municipality_id=user.municipality_id,
            role__in=sorted(ORDERING_ROLES),
            user__is_active=True,
            unit__is_active=True,
        )
        .values("role")
        .annotate(
            people=Count("user", distinct=True),
            lowest_order=Min("order_limit"),
            highest_order=Max("order_limit"),
            lowest_approval=Min("approval_limit"),
            highest_approval=Max("approval_limit"),
        )
    )
    by_role = {row["role"]: row for row in rows}
    return [
        LimitRange(
            role=role,
            people=by_role[role]["people"],
            lowest_order_limit=by_role[role]["lowest_order"],
            highest_order_limit=by_role[role]["highest_order"],
            lowest_approval_limit=by_role[role]["lowest_approval"],
            highest_approval_limit=by_role[role]["highest_approval"],
        )
        for role in (Role.REQUISITIONER, Role.BUYER, Role.APPROVER)
        if role in by_role
    ]


@dataclass(frozen=True)
class UnitRole:
    """One line of 'my units': a unit, the person's role there, and what it allows."""

    unit: OrgUnit
    role: Role
    includes_subtree: bool
    order_limit: Decimal
    approval_limit: Decimal

    @property
    def places_orders(self) -> bool:
        """Whether the role orders for the unit (so its order limit means something)."""
        return self.role in ORDERING_ROLES


def membership_list_for_user(*, user: User) -> list[UnitRole]:
    """The person's memberships, in tree order, for the 'my units' page."""
    return [
        UnitRole(
            unit=membership.unit,
            role=Role(membership.role),
            includes_subtree=membership.includes_subtree,
            order_limit=membership.order_limit,
            approval_limit=membership.approval_limit,
        )
        for membership in _active_memberships(user).order_by("unit__path", "role")
    ]


def membership_list_approving(*, user: User) -> list[Membership]:
    """The person's active approver memberships, with their units (for the approval queue)."""
    return list(_active_memberships(user, [Role.APPROVER]))


def membership_list_approvers(
    *, unit: OrgUnit, amount: Decimal, excluding: User | None = None
) -> list[Membership]:
    """Approver memberships that may approve `amount` (DKK excl. VAT) for `unit`.

    An approver covers the unit when their membership is on the unit itself, or on a unit above
    it with the subtree flag. Only active people of the unit's municipality whose approval
    limit is at least `amount`; never `excluding` (the person who placed the order). Nearest
    unit first, then the smallest sufficient limit, then by name.
    """
    ancestors = [pk for pk in unit.ancestor_ids if pk != unit.pk]
    candidates = (
        Membership.objects.filter(
            municipality_id=unit.municipality_id,
            unit__municipality_id=unit.municipality_id,
            user__municipality_id=unit.municipality_id,
            role=Role.APPROVER,
            approval_limit__gte=amount,
            user__is_active=True,
            unit__is_active=True,
        )
        .filter(Q(unit=unit) | Q(unit_id__in=ancestors, includes_subtree=True))
        .select_related("user", "unit")
        .order_by("-unit__depth", "approval_limit", "user__first_name", "user__last_name")
    )
    if excluding is not None:
        candidates = candidates.exclude(user=excluding)
    return list(candidates)


def delivery_address_list(*, user: User, unit: OrgUnit) -> QuerySet[DeliveryAddress]:
    """The active delivery addresses of `unit`, if `user` may see the unit."""
    visible = org_unit_list_visible(user=user).filter(pk=unit.pk)
    return DeliveryAddress.objects.filter(
        unit__in=visible, municipality_id=user.municipality_id, is_active=True
    ).order_by("label")


def cost_centre_list(*, user: User, unit: OrgUnit) -> QuerySet[CostCentre]:
    """The active cost centres of `unit`, if `user` may see the unit."""
    visible = org_unit_list_visible(user=user).filter(pk=unit.pk)
    return CostCentre.objects.filter(
        unit__in=visible, municipality_id=user.municipality_id, is_active=True
    ).order_by("code")


BUDGET_ROLES = frozenset({Role.APPROVER, Role.FINANCE, Role.MUNICIPALITY_ADMIN})


@dataclass(frozen=True)
class CostCentreBudget:
    cost_centre: CostCentre
    months: tuple[Decimal | None, ...]  # January .. December; None where no budget is set
    total: Decimal


def budget_list_for_unit(*, user: User, unit: OrgUnit, year: int) -> list[CostCentreBudget]:
    """The year's monthly budgets of the unit's cost centres, for leaders and finance.

    Empty unless `user` is an approver, finance or administrator reaching the unit.
    """
    allowed = _units_covered(_active_memberships(user, BUDGET_ROLES)).filter(pk=unit.pk)
    centres = list(CostCentre.objects.filter(unit__in=allowed, is_active=True).order_by("code"))
    amounts: dict[tuple[int, int], Decimal] = {
        (budget.cost_centre_id, budget.month): budget.amount
        for budget in MonthlyBudget.objects.filter(cost_centre__in=centres, year=year)
    }
    result = []
    for centre in centres:
        months = tuple(amounts.get((centre.pk, month)) for month in range(1, 13))
        result.append(
            CostCentreBudget(
                cost_centre=centre,
                months=months,
                total=sum((amount for amount in months if amount is not None), Decimal("0.00")),
            )
        )
    return result
