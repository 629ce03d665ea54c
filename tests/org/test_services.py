from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from org.models import Membership, Municipality, OrgUnit, Role, User
from org.services import (
    OrgError,
    OrgErrorCode,
    delivery_address_create,
    membership_grant,
    municipality_create,
    org_unit_create,
    org_unit_move,
)
from tests.conftest import Tree
from tests.factories.org import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_a_municipality_comes_with_its_top_unit() -> None:
    municipality = municipality_create(
        name="Fjordby Kommune", cvr="29900124", gln="5799999000010", order_number_prefix="FK"
    )
    root = OrgUnit.objects.get(municipality=municipality)
    assert (root.code, root.name, root.gln, root.parent_id) == (
        "FK",
        "Fjordby Kommune",
        "5799999000010",
        None,
    )
    assert root.path == f"/{root.pk}/"
    assert root.depth == 0


@pytest.mark.usefixtures("english")
def test_an_invalid_cvr_is_refused_naming_field_and_value_and_nothing_is_saved() -> None:
    with pytest.raises(ValidationError) as caught:
        municipality_create(
            name="Fjordby Kommune", cvr="29900125", gln="5799999000010", order_number_prefix="FK"
        )
    assert caught.value.message_dict == {
        "cvr": ["CVR number “29900125” is not a valid CVR number: the check digit is wrong."]
    }
    assert Municipality.objects.count() == 0
    assert OrgUnit.objects.count() == 0


@pytest.mark.usefixtures("danish")
def test_an_invalid_unit_gln_is_refused_in_danish_naming_field_and_value(tree: Tree) -> None:
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationError) as caught:
        org_unit_create(
            municipality=tree.municipality,
            parent=tree.root,
            code="NY",
            name="Ny institution",
            kind=OrgUnit.Kind.SCHOOL,
            gln="5799999000011",
        )
    assert caught.value.message_dict == {
        "gln": [
            "EAN-nummer “5799999000011” er ikke et gyldigt GLN (EAN-nummer): "
            "kontrolcifferet passer ikke."
        ]
    }
    assert OrgUnit.objects.count() == before


@pytest.mark.usefixtures("english")
def test_a_delivery_address_with_a_bad_gln_is_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError) as caught:
        delivery_address_create(
            unit=tree.daycare,
            label="Køkken",
            gln="123",
            street="Solsikkevej 12",
            postal_code="9999",
            city="Testby",
        )
    assert caught.value.message_dict == {
        "gln": [
            "EAN number of the delivery place “123” is not a valid GLN (EAN number): "
            "it must be 13 digits long."
        ]
    }


def test_a_unit_path_lists_its_ancestors(tree: Tree) -> None:
    assert tree.daycare.path == f"/{tree.root.pk}/{tree.children_dept.pk}/{tree.daycare.pk}/"
    assert tree.daycare.depth == 2
    assert tree.daycare.ancestor_ids == [tree.root.pk, tree.children_dept.pk, tree.daycare.pk]


def test_a_second_top_unit_is_refused(tree: Tree) -> None:
    with pytest.raises(OrgError) as caught:
        org_unit_create(
            municipality=tree.municipality,
            parent=None,
            code="X",
            name="X",
            kind=OrgUnit.Kind.MUNICIPALITY,
            gln="5799999000102",
        )
    assert caught.value.code == OrgErrorCode.ROOT_EXISTS


def test_a_unit_cannot_hang_under_another_municipality(tree: Tree, stranger: User) -> None:
    foreign = OrgUnit.objects.get(municipality=stranger.municipality, parent=None)
    with pytest.raises(OrgError) as caught:
        OrgUnitFactory.create(municipality=tree.municipality, parent=foreign)
    assert caught.value.code == OrgErrorCode.UNIT_OTHER_MUNICIPALITY


def test_moving_a_unit_moves_its_subtree(tree: Tree) -> None:
    group = OrgUnitFactory.create(
        municipality=tree.municipality, parent=tree.daycare, name="Gruppe"
    )
    org_unit_move(unit=tree.daycare, new_parent=tree.technical_dept)
    tree.daycare.refresh_from_db()
    group.refresh_from_db()
    assert tree.daycare.parent_id == tree.technical_dept.pk
    assert tree.daycare.path == f"/{tree.root.pk}/{tree.technical_dept.pk}/{tree.daycare.pk}/"
    assert group.path == f"{tree.daycare.path}{group.pk}/"
    assert (tree.daycare.depth, group.depth) == (2, 3)


def test_a_unit_cannot_move_under_its_own_subtree(tree: Tree) -> None:
    paths_before = dict(OrgUnit.objects.values_list("pk", "path"))
    with pytest.raises(OrgError) as caught:
        org_unit_move(unit=tree.children_dept, new_parent=tree.daycare)
    assert caught.value.code == OrgErrorCode.UNIT_CYCLE
    assert dict(OrgUnit.objects.values_list("pk", "path")) == paths_before


def test_the_top_unit_cannot_move(tree: Tree) -> None:
    with pytest.raises(OrgError) as caught:
        org_unit_move(unit=tree.root, new_parent=tree.technical_dept)
    assert caught.value.code == OrgErrorCode.ROOT_CANNOT_MOVE


def test_granting_again_updates_the_limits(tree: Tree, requisitioner: User) -> None:
    membership_grant(
        user=requisitioner,
        unit=tree.daycare,
        role=Role.REQUISITIONER,
        order_limit=Decimal("4500.00"),
    )
    membership = Membership.objects.get(user=requisitioner)
    assert membership.order_limit == Decimal("4500.00")
    assert Membership.objects.filter(user=requisitioner).count() == 1


@pytest.mark.usefixtures("english")
def test_only_an_approver_has_an_approval_limit(tree: Tree, requisitioner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        membership_grant(
            user=requisitioner,
            unit=tree.sibling_daycare,
            role=Role.REQUISITIONER,
            approval_limit=Decimal("1000.00"),
        )
    assert caught.value.message_dict["approval_limit"] == [
        "Only an approver has an approval limit."
    ]
    assert Membership.objects.filter(user=requisitioner).count() == 1


@pytest.mark.usefixtures("english")
def test_a_membership_in_another_municipality_is_refused(tree: Tree, stranger: User) -> None:
    with pytest.raises(ValidationError) as caught:
        membership_grant(user=stranger, unit=tree.daycare, role=Role.REQUISITIONER)
    assert caught.value.message_dict["user"] == ["The person belongs to another municipality."]


@pytest.mark.usefixtures("english")
def test_a_negative_order_limit_is_refused(tree: Tree, requisitioner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        membership_grant(
            user=requisitioner,
            unit=tree.daycare,
            role=Role.REQUISITIONER,
            order_limit=Decimal("-1.00"),
        )
    assert "order_limit" in caught.value.message_dict
    assert Membership.objects.get(user=requisitioner).order_limit == Decimal("3000.00")


def test_identifiers_are_stored_compact() -> None:
    municipality = municipality_create(
        name="Fjordby Kommune",
        cvr="DK 29 90 01 24",
        gln="579.9999-000 010",
        order_number_prefix="FK",
    )
    assert (municipality.cvr, municipality.gln) == ("29900124", "5799999000010")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_crossing_moves_at_once_cannot_make_a_cycle(tree: Tree) -> None:
    """Move A under B and B under A at the same moment: one wins, the other is refused."""
    first = OrgUnitFactory.create(municipality=tree.municipality, parent=tree.root, name="A")
    second = OrgUnitFactory.create(municipality=tree.municipality, parent=tree.root, name="B")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(unit_id: int, parent_id: int) -> None:
        try:
            barrier.wait()
            org_unit_move(
                unit=OrgUnit.objects.get(pk=unit_id), new_parent=OrgUnit.objects.get(pk=parent_id)
            )
            outcomes.append("moved")
        except OrgError as error:
            outcomes.append(str(error.code))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(first.pk, second.pk)),
        threading.Thread(target=move, args=(second.pk, first.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["moved", "org_unit_cycle"]
    first.refresh_from_db()
    second.refresh_from_db()
    # exactly one now hangs under the other, and every path matches its parent
    assert (first.parent_id == second.pk) != (second.parent_id == first.pk)
    for unit in OrgUnit.objects.filter(municipality=tree.municipality).select_related("parent"):
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert unit.path == expected, unit.name


def _cross_municipalities(update: Callable[[], int]) -> None:
    with transaction.atomic():
        update()
        connection.check_constraints()  # the keys are deferred to the commit; check them now


@pytest.mark.postgres
def test_the_database_refuses_a_unit_of_another_municipality_than_its_parent(
    tree: Tree, stranger: User
) -> None:
    daycare = OrgUnit.objects.filter(pk=tree.daycare.pk)
    with pytest.raises(IntegrityError):
        _cross_municipalities(lambda: daycare.update(municipality=stranger.municipality))


@pytest.mark.postgres
def test_the_database_refuses_a_membership_of_another_municipality_than_its_unit(
    tree: Tree, requisitioner: User, stranger: User
) -> None:
    memberships = Membership.objects.filter(user=requisitioner)
    with pytest.raises(IntegrityError):
        _cross_municipalities(lambda: memberships.update(municipality=stranger.municipality))
