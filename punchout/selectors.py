"""Reads of punch-out sessions and returned carts, for their owner."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from catalog.models import Supplier
from catalog.selectors import BuyingRules
from org.models import OrgUnit, User
from punchout.models import PunchoutSession, ReturnedCart


def punchout_supplier_list(*, user: User, unit: OrgUnit, on: date) -> list[Supplier]:
    """The suppliers whose web shop the person may shop in for the unit: on an agreement in
    force that the unit buys on, selling in at least one category the person may buy
    (catalog.selectors.BuyingRules), by name."""
    rules = BuyingRules(user=user, unit=unit, on=on)
    candidates = (
        Supplier.objects.filter(municipality_id=unit.municipality_id, is_active=True)
        .exclude(punchout_protocol=Supplier.PunchoutProtocol.NONE)
        .exclude(punchout_url="")
        .order_by("name")
    )
    suppliers = list(candidates)
    rules.load(suppliers)
    return [supplier for supplier in suppliers if rules.offers_shop(supplier)]


def punchout_supplier_get(
    *, user: User, unit: OrgUnit, supplier_id: int, on: date
) -> Supplier | None:
    """The supplier, if the person may shop in its web shop for the unit; None otherwise."""
    supplier = (
        Supplier.objects.filter(
            municipality_id=unit.municipality_id, pk=supplier_id, is_active=True
        )
        .exclude(punchout_protocol=Supplier.PunchoutProtocol.NONE)
        .exclude(punchout_url="")
        .first()
    )
    if supplier is None or not BuyingRules(user=user, unit=unit, on=on).offers_shop(supplier):
        return None
    return supplier


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
