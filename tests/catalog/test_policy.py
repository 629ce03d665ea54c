from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from catalog.selectors import ehandel_policy_get
from catalog.services import ehandel_policy_set
from org.models import Role, User
from org.selectors import LimitRange, membership_limit_summary
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, CategoryFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
ZERO = Decimal("0.00")


def test_the_policy_lists_agreements_in_force_by_area_and_ehandel(
    tree: Tree, requisitioner: User
) -> None:
    ehandel_policy_set(
        municipality=tree.municipality, introduction="Køb via Rekvi.", closing_text="Spørg Indkøb."
    )
    AgreementFactory.create(
        municipality=tree.municipality, number="50.57", commodity_area="Kontorartikler"
    )
    AgreementFactory.create(
        municipality=tree.municipality, number="50.93", commodity_area="Fødevarer"
    )
    AgreementFactory.create(
        municipality=tree.municipality,
        number="FK-L-01",
        commodity_area="Frugt og grønt",
        is_ehandel_required=False,
    )
    AgreementFactory.create(municipality=tree.municipality, number="50.10", joined_on=None)
    AgreementFactory.create(
        municipality=tree.municipality, number="50.11", valid_to=date(2026, 1, 31)
    )
    CategoryFactory.create(
        municipality=tree.municipality, name="It-udstyr", restricted_to_role=Role.BUYER
    )

    page = ehandel_policy_get(user=requisitioner, on=TODAY)

    assert (page.introduction, page.closing_text) == ("Køb via Rekvi.", "Spørg Indkøb.")
    assert [(a.name, [x.number for x in a.agreements]) for a in page.areas_ehandel] == [
        ("Fødevarer", ["50.93"]),
        ("Kontorartikler", ["50.57"]),
    ]
    assert [(a.name, [x.number for x in a.agreements]) for a in page.areas_not_ehandel] == [
        ("Frugt og grønt", ["FK-L-01"])
    ]
    assert [category.name for category in page.restricted_categories] == ["It-udstyr"]


def test_the_policy_of_another_municipality_is_never_shown(tree: Tree, stranger: User) -> None:
    AgreementFactory.create(municipality=tree.municipality, number="50.57")
    page = ehandel_policy_get(user=stranger, on=TODAY)
    assert (page.areas_ehandel, page.introduction) == ([], "")


def test_the_limits_summary_spans_each_role(
    tree: Tree, requisitioner: User, buyer: User, approver: User, finance: User
) -> None:
    assert membership_limit_summary(user=requisitioner) == [
        LimitRange(Role.REQUISITIONER, 1, Decimal("3000.00"), Decimal("3000.00"), ZERO, ZERO),
        LimitRange(Role.BUYER, 1, Decimal("100000.00"), Decimal("100000.00"), ZERO, ZERO),
        LimitRange(
            Role.APPROVER,
            1,
            Decimal("25000.00"),
            Decimal("25000.00"),
            Decimal("50000.00"),
            Decimal("50000.00"),
        ),
    ]
