"""Factories for the organisation. Units are made through `org.services` (they keep the path)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from org.models import Membership, Municipality, OrgUnit, Role, User
from org.services import membership_grant, municipality_create, org_unit_create
from tests.factories.identifiers import cvr_for, gln_for


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Testby {n} Kommune")
    cvr = factory.Sequence(lambda n: cvr_for(n))
    gln = factory.Sequence(lambda n: gln_for(n, prefix="5799990"))
    order_number_prefix = factory.Sequence(
        lambda n: "T" + "".join(chr(65 + int(d)) for d in str(n))
    )

    @classmethod
    def _create(cls, model_class: type[Municipality], *args: Any, **kwargs: Any) -> Municipality:
        return municipality_create(**kwargs)  # with its top unit


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit

    municipality = factory.SubFactory(MunicipalityFactory)
    parent = None
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Enhed {n}")
    kind = OrgUnit.Kind.DEPARTMENT
    gln = factory.Sequence(lambda n: gln_for(n + 1000, prefix="5799991"))

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: Any, **kwargs: Any) -> OrgUnit:
        return org_unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@testby.example")
    password = factory.django.Password("demo")


def grant(
    user: User,
    unit: OrgUnit,
    role: Role,
    *,
    subtree: bool = False,
    order_limit: str = "0",
    approval_limit: str = "0",
) -> Membership:
    """Give `user` `role` in `unit` through the service."""
    return membership_grant(
        user=user,
        unit=unit,
        role=role,
        includes_subtree=subtree,
        order_limit=Decimal(order_limit),
        approval_limit=Decimal(approval_limit),
    )
