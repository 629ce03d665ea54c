"""An everyday shop for order tests: Testby's food and office agreements and their suppliers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from catalog.models import AssortmentRule, Product
from catalog.services import assortment_rule_create
from orders.models import Order
from orders.services import CheckoutChoices, cart_checkout, cart_get_for, cart_line_add
from org.models import CostCentre, DeliveryAddress, User
from org.services import cost_centre_create, delivery_address_create
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory, orderable_product


@dataclass
class Shop:
    flour: Product
    eggs: Product
    milk: Product
    paper: Product
    other_agreement: Product
    address: DeliveryAddress
    centre: CostCentre


def grocery(tree: Tree) -> Shop:
    """Three suppliers on two agreements the whole municipality buys on, one agreement it does
    not, and Solsikken's delivery address and cost centre."""
    food = AgreementFactory.create(municipality=tree.municipality, number="50.93")
    office = AgreementFactory.create(municipality=tree.municipality, number="50.10")
    closed = AgreementFactory.create(municipality=tree.municipality, number="50.57")
    grocer = SupplierFactory.create(municipality=tree.municipality, name="Grossisten")
    dairy = SupplierFactory.create(municipality=tree.municipality, name="Mejeriet")
    stationer = SupplierFactory.create(municipality=tree.municipality, name="Kontorland")
    made = Shop(
        flour=orderable_product(
            supplier=grocer,
            agreement=food,
            name="Hvedemel, 2 kg",
            supplier_item_number="FØ-0701",
            unit_price=Decimal("12.9500"),
        ),
        eggs=orderable_product(
            supplier=grocer, agreement=food, name="Æg, 30 stk.", unit_price=Decimal("54.0000")
        ),
        milk=orderable_product(
            supplier=dairy, agreement=food, name="Sødmælk, 1 l", unit_price=Decimal("11.2500")
        ),
        paper=orderable_product(
            supplier=stationer,
            agreement=office,
            name="Kopipapir A4, 500 ark",
            unit_price=Decimal("31.9900"),
        ),
        other_agreement=orderable_product(
            supplier=grocer, agreement=closed, name="Hvedemel, 25 kg", unit_price=Decimal("90")
        ),
        address=delivery_address_create(
            unit=tree.daycare,
            label="Hovedindgang",
            street="Solsikkevej 1",
            postal_code="9999",
            city="Testby",
        ),
        centre=cost_centre_create(
            unit=tree.daycare, code="51010", name="Solsikken drift", default_account="2210"
        ),
    )
    for agreement in (food, office):
        assortment_rule_create(
            unit=tree.root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
        )
    return made


def eggs_and_flour_order(shop: Shop, tree: Tree, user: User, eggs: str, on: date) -> Order:
    """An order from the grocer for Solsikken: `eggs` trays at 54 kr. and 2 bags of flour at
    12,95 kr. (56 trays: 3.049,90 kr., just above the requisitioner's 3.000 kr.)."""
    cart = cart_get_for(user=user, unit=tree.daycare)
    cart_line_add(cart=cart, product_id=shop.eggs.pk, quantity=eggs, on=on)
    cart_line_add(cart=cart, product_id=shop.flour.pk, quantity="2", on=on)
    [order] = cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=on,
    )
    return order
