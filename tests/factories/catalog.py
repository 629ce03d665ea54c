"""Factories for the catalogue core."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from catalog.models import Agreement, Product, Supplier
from tests.factories.identifiers import cvr_for, gln_for
from tests.factories.org import MunicipalityFactory


class SupplierFactory(factory.django.DjangoModelFactory[Supplier]):
    class Meta:
        model = Supplier

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Leverandør {n} A/S")
    cvr = factory.Sequence(lambda n: cvr_for(n + 500))
    gln = factory.Sequence(lambda n: gln_for(n, prefix="5799998"))
    order_channel = Supplier.OrderChannel.OIOUBL


class AgreementFactory(factory.django.DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: f"50.{n:02d}")
    title = "Kontor- og skoleartikler"
    provider = "SKI"
    kind = Agreement.Kind.SKI
    obligation = Agreement.Obligation.BINDING
    commodity_area = "Kontorartikler"
    valid_from = date(2025, 1, 1)
    valid_to = date(2028, 12, 31)


class ProductFactory(factory.django.DjangoModelFactory[Product]):
    class Meta:
        model = Product

    municipality = factory.SubFactory(MunicipalityFactory)
    supplier = factory.SubFactory(
        SupplierFactory, municipality=factory.SelfAttribute("..municipality")
    )
    supplier_item_number = factory.Sequence(lambda n: f"KH-{1000 + n}")
    name = factory.Sequence(lambda n: f"Kuglepen {n}")
    unit_code = "EA"
    unit_price = Decimal("32.5000")
