"""Reads of punch-out sessions and returned carts, for their owner."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from catalog.models import Supplier
from catalog.selectors import supplier_list_for_unit
from org.models import OrgUnit, User
from punchout.models import PunchoutSession, ReturnedCart


def punchout_supplier_list(*, user: User, unit: OrgUnit, on: date) -> QuerySet[Supplier]:
    """The suppliers on the unit's agreements whose web shop the person can punch out to."""
    return (
        supplier_list_for_unit(user=user, unit=unit, on=on)
        .exclude(punchout_protocol=Supplier.PunchoutProtocol.NONE)
        .exclude(punchout_url="")
        .order_by("name")
    )


def returned_cart_get(*, cart_id: int) -> ReturnedCart:
    """A returned cart with its session, supplier and lines; ReturnedCart.DoesNotExist if
    none. Whether the person may see it is the caller's check against `session.user_id`."""
    return (
        ReturnedCart.objects.select_related("session__supplier", "session__unit")
        .prefetch_related("lines")
        .get(pk=cart_id)
    )


def self_test_supplier_list(*, user: User) -> QuerySet[Supplier]:
    """The municipality's suppliers with a punch-out protocol, for the self-test."""
    return (
        Supplier.objects.filter(municipality_id=user.municipality_id or 0, is_active=True)
        .exclude(punchout_protocol=Supplier.PunchoutProtocol.NONE)
        .order_by("name")
    )


def self_test_get(*, user: User, session_id: int) -> PunchoutSession:
    """A self-test run of the person's municipality, with its returned cart if any;
    PunchoutSession.DoesNotExist otherwise."""
    return PunchoutSession.objects.select_related("supplier").get(
        pk=session_id,
        purpose=PunchoutSession.Purpose.SELF_TEST,
        municipality_id=user.municipality_id or 0,
    )


def returned_cart_list_pending(*, user: User, unit: OrgUnit) -> QuerySet[ReturnedCart]:
    """The person's returned carts for the unit that wait for them to look them over."""
    return (
        ReturnedCart.objects.filter(
            session__user=user, session__unit=unit, state=ReturnedCart.State.PENDING
        )
        .select_related("session__supplier")
        .order_by("-created_at")
    )
