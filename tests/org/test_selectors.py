from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from org.models import OrgUnit, Role, User
from org.selectors import (
    budget_list_for_unit,
    membership_list_approvers,
    membership_list_for_user,
    org_unit_get,
    org_unit_list_actable,
    org_unit_list_visible,
    user_role_set,
)
from org.services import budget_set, cost_centre_create, org_unit_update
from tests.conftest import Tree
from tests.factories.org import OrgUnitFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def _names(units: object) -> list[str]:
    return [unit.name for unit in units]  # type: ignore[attr-defined]


def test_a_requisitioner_acts_for_their_own_unit_only(tree: Tree, requisitioner: User) -> None:
    assert _names(org_unit_list_actable(user=requisitioner)) == ["Solsikken"]


def test_a_person_in_unit_a_cannot_act_for_sibling_unit_b(tree: Tree, requisitioner: User) -> None:
    actable = org_unit_list_actable(user=requisitioner)
    assert actable.filter(pk=tree.sibling_daycare.pk).exists() is False
    assert actable.filter(pk=tree.children_dept.pk).exists() is False  # nor for the parent
    with pytest.raises(OrgUnit.DoesNotExist):
        org_unit_get(user=requisitioner, unit_id=tree.sibling_daycare.pk)


def test_a_subtree_membership_reaches_every_unit_below(tree: Tree, approver: User) -> None:
    assert sorted(_names(org_unit_list_actable(user=approver))) == [
        "Børn og Unge",
        "Mælkebøtten",
        "Solsikken",
    ]
    assert org_unit_list_actable(user=approver).filter(pk=tree.technical_dept.pk).exists() is False


def test_a_buyer_for_the_whole_municipality_acts_for_every_unit(tree: Tree, buyer: User) -> None:
    assert org_unit_list_actable(user=buyer).count() == 5


def test_roles_that_do_not_order_act_for_nothing(tree: Tree, finance: User) -> None:
    assert org_unit_list_actable(user=finance).count() == 0
    assert org_unit_list_visible(user=finance).count() == 5


def test_an_inactive_unit_is_out_of_reach(tree: Tree, buyer: User) -> None:
    org_unit_update(unit=tree.sibling_daycare, is_active=False)
    assert org_unit_list_actable(user=buyer).filter(pk=tree.sibling_daycare.pk).exists() is False


def test_a_membership_on_an_inactive_unit_reaches_nothing(tree: Tree, approver: User) -> None:
    org_unit_update(unit=tree.children_dept, is_active=False)
    assert org_unit_list_actable(user=approver).count() == 0
    assert membership_list_approvers(unit=tree.daycare, amount=Decimal("1.00")) == []


def test_a_stranger_sees_nothing_of_another_municipality(
    tree: Tree, stranger: User, approver: User
) -> None:
    visible = org_unit_list_visible(user=stranger)
    assert visible.filter(municipality=tree.municipality).exists() is False
    with pytest.raises(OrgUnit.DoesNotExist):
        org_unit_get(user=stranger, unit_id=tree.root.pk)
    # the stranger approves up to 1.000.000 kr. at home, never here
    found = membership_list_approvers(unit=tree.daycare, amount=Decimal("1.00"))
    assert [membership.user for membership in found] == [approver]


def test_a_unit_path_reaching_into_another_municipality_gives_nothing(
    tree: Tree, stranger: User
) -> None:
    # given a corrupted path that claims Testby's top unit as the stranger's ancestor
    home = OrgUnit.objects.get(municipality=stranger.municipality, parent=None)
    OrgUnit.objects.filter(pk=home.pk).update(path=tree.root.path)
    grant(stranger, home, Role.BUYER, subtree=True)
    # then nothing of Testby becomes visible
    assert org_unit_list_visible(user=stranger).filter(municipality=tree.municipality).count() == 0


def test_an_inactive_person_or_anonymous_visitor_reaches_nothing(
    tree: Tree, requisitioner: User
) -> None:
    requisitioner.is_active = False
    requisitioner.save()
    assert org_unit_list_visible(user=requisitioner).count() == 0
    assert user_role_set(user=AnonymousUser()) == frozenset()


def test_approvers_are_found_by_amount(tree: Tree, approver: User) -> None:
    leader = UserFactory.create(municipality=tree.municipality, username="leder")
    grant(leader, tree.daycare, Role.APPROVER, approval_limit="10000.00")

    def who(amount: str) -> list[str]:
        found = membership_list_approvers(unit=tree.daycare, amount=Decimal(amount))
        return [membership.user.username for membership in found]

    assert who("9999.99") == ["leder", "godkender"]  # nearest unit first
    assert who("10000.00") == ["leder", "godkender"]  # the limit itself is covered
    assert who("10000.01") == ["godkender"]
    assert who("50000.00") == ["godkender"]
    assert who("50000.01") == []


def test_an_approver_above_without_the_subtree_flag_does_not_cover(tree: Tree) -> None:
    head = UserFactory.create(municipality=tree.municipality, username="chef")
    grant(head, tree.root, Role.APPROVER, subtree=False, approval_limit="900000.00")
    assert membership_list_approvers(unit=tree.daycare, amount=Decimal("100.00")) == []
    assert [
        m.user.username for m in membership_list_approvers(unit=tree.root, amount=Decimal("100"))
    ] == ["chef"]


def test_the_person_who_ordered_is_never_their_own_approver(tree: Tree) -> None:
    leader = UserFactory.create(municipality=tree.municipality, username="leder")
    grant(leader, tree.daycare, Role.REQUISITIONER, order_limit="1000.00")
    grant(leader, tree.daycare, Role.APPROVER, approval_limit="50000.00")
    found = membership_list_approvers(unit=tree.daycare, amount=Decimal("2000"), excluding=leader)
    assert found == []


def test_an_inactive_approver_is_not_asked(tree: Tree, approver: User) -> None:
    approver.is_active = False
    approver.save()
    assert membership_list_approvers(unit=tree.daycare, amount=Decimal("10.00")) == []


def test_my_units_lists_each_role_with_its_limits(tree: Tree) -> None:
    leader = UserFactory.create(municipality=tree.municipality, username="leder")
    grant(leader, tree.daycare, Role.REQUISITIONER, order_limit="10000.00")
    grant(leader, tree.daycare, Role.APPROVER, order_limit="10000.00", approval_limit="50000.00")
    lines = membership_list_for_user(user=leader)
    assert [
        (line.unit.name, line.role, line.order_limit, line.approval_limit) for line in lines
    ] == [
        ("Solsikken", Role.APPROVER, Decimal("10000.00"), Decimal("50000.00")),
        ("Solsikken", Role.REQUISITIONER, Decimal("10000.00"), Decimal("0.00")),
    ]


def test_budgets_are_shown_to_leaders_and_finance_only(
    tree: Tree, approver: User, finance: User, requisitioner: User
) -> None:
    centre = cost_centre_create(unit=tree.daycare, code="BU-2300", name="Drift")
    budget_set(cost_centre=centre, year=2026, month=1, amount=Decimal("5000.00"))
    budget_set(cost_centre=centre, year=2026, month=7, amount=Decimal("0.00"))
    budget_set(cost_centre=centre, year=2025, month=1, amount=Decimal("999.00"))

    [line] = budget_list_for_unit(user=approver, unit=tree.daycare, year=2026)
    assert line.cost_centre == centre
    assert line.months[0] == Decimal("5000.00")
    assert line.months[6] == Decimal("0.00")
    assert line.months[1] is None
    assert line.total == Decimal("5000.00")
    assert len(budget_list_for_unit(user=finance, unit=tree.daycare, year=2026)) == 1
    assert budget_list_for_unit(user=requisitioner, unit=tree.daycare, year=2026) == []


def test_a_new_unit_below_a_subtree_membership_is_reached_at_once(
    tree: Tree, approver: User
) -> None:
    group = OrgUnitFactory.create(
        municipality=tree.municipality, parent=tree.daycare, name="Gruppe"
    )
    assert org_unit_list_actable(user=approver).filter(pk=group.pk).exists() is True
