"""Factories for the catalogue core."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from catalog.models import Agreement, AgreementLot, Category, Product, Supplier
from catalog.services import agreement_supplier_add, lot_supplier_add, product_create
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
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: f"50.{n:02d}")
    title = "Kontor- og skoleartikler"
    provider = "SKI"
    kind = Agreement.Kind.SKI
    obligation = Agreement.Obligation.BINDING
    commodity_area = "Kontorartikler"
    valid_from = date(2025, 1, 1)
    valid_to = date(2028, 12, 31)
    joined_on = date(2025, 1, 1)

    @factory.post_generation
    def suppliers(agreement: Agreement, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805 - factory_boy passes the object made
        """`suppliers=[...]`: the suppliers on the agreement (whose catalogues it takes)."""
        for supplier in extracted or ():
            agreement_supplier_add(agreement=agreement, supplier=supplier)


class LotFactory(factory.django.DjangoModelFactory[AgreementLot]):
    class Meta:
        model = AgreementLot

    agreement = factory.SubFactory(AgreementFactory)
    municipality = factory.SelfAttribute("agreement.municipality")
    code = factory.Sequence(lambda n: f"DA{n}")
    title = "Delaftale"


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


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

    @classmethod
    def _create(cls, model_class: type[Product], *args: Any, **kwargs: Any) -> Product:
        """Through the service, so the product has its search tokens like a real one."""
        kwargs.pop("municipality")  # the supplier's
        return product_create(**kwargs)


def orderable_product(
    *,
    supplier: Supplier,
    agreement: Agreement | None,
    lot: AgreementLot | None = None,
    **fields: object,
) -> Product:
    """A product that can be ordered: on `agreement` (and `lot`, with the supplier awarded it)."""
    if lot is not None and not lot.awards.filter(supplier=supplier).exists():
        lot_supplier_add(lot=lot, supplier=supplier)
    return ProductFactory.create(
        municipality=supplier.municipality,
        supplier=supplier,
        agreement=agreement,
        lot=lot,
        **fields,
    )
