from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Product, Supplier
from catalog.services import supplier_punchout_secret, supplier_punchout_secret_set
from tests.conftest import Tree
from tests.factories.catalog import ProductFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_an_unknown_unit_code_is_refused_by_name(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    product = ProductFactory.build(
        municipality=tree.municipality, supplier=supplier, unit_code="STK"
    )
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["unit_code"] == [
        "Unit “STK” is not a known UN/ECE Rec 20 code (e.g. EA, PK, KGM)."
    ]


def test_a_peppol_unit_code_is_stored_in_its_neutral_form(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    product = ProductFactory.build(
        municipality=tree.municipality, supplier=supplier, unit_code="XPK"
    )
    product.full_clean()
    assert product.unit_code == "PK"


def test_pack_contents_need_their_unit(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    product = ProductFactory.build(
        municipality=tree.municipality, supplier=supplier, pack_quantity=Decimal("10")
    )
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["pack_unit_code"] == [
        "Give both the pack contents and its unit, or neither."
    ]


def test_an_invalid_gtin_names_field_and_value(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    product = ProductFactory.build(
        municipality=tree.municipality, supplier=supplier, gtin="5799997000013"
    )
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["gtin"] == [
        "GTIN/EAN “5799997000013” is not a valid GTIN/EAN product number: the check digit is wrong."
    ]


def test_unknown_eco_labels_are_named(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    product = ProductFactory.build(
        municipality=tree.municipality, supplier=supplier, eco_labels=["nordic_swan", "x"]
    )
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["eco_labels"] == ["Unknown eco-label(s): x."]


def test_the_same_item_number_twice_at_one_supplier_is_refused(tree: Tree) -> None:
    first = ProductFactory.create(municipality=tree.municipality, supplier_item_number="KH-1001")
    twin = ProductFactory.build(
        municipality=tree.municipality, supplier=first.supplier, supplier_item_number="KH-1001"
    )
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert caught.value.messages == ["This supplier already has a product with this item number."]
    assert Product.objects.count() == 1


def test_a_product_cannot_use_another_municipalitys_supplier(tree: Tree) -> None:
    foreign_supplier = SupplierFactory.create()  # of a municipality of its own
    product = ProductFactory.build(municipality=tree.municipality, supplier=foreign_supplier)
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["supplier"] == ["This belongs to another municipality."]


def test_punchout_needs_a_url_and_email_orders_an_address(tree: Tree) -> None:
    supplier = SupplierFactory.build(
        municipality=tree.municipality,
        order_channel=Supplier.OrderChannel.EMAIL,
        order_email="",
        punchout_protocol=Supplier.PunchoutProtocol.OCI,
        punchout_url="",
    )
    with pytest.raises(ValidationError) as caught:
        supplier.full_clean()
    assert caught.value.message_dict == {
        "order_email": ["Orders go by e-mail: give the order e-mail address."],
        "punchout_url": ["Punch-out needs the supplier's punch-out URL."],
    }


def test_the_punchout_secret_is_kept_encrypted(tree: Tree) -> None:
    supplier = SupplierFactory.create(municipality=tree.municipality)
    supplier_punchout_secret_set(supplier=supplier, secret="del-ikke-mig")
    supplier.refresh_from_db()
    assert supplier.punchout_secret_encrypted is not None
    assert b"del-ikke-mig" not in bytes(supplier.punchout_secret_encrypted)
    assert supplier_punchout_secret(supplier=supplier) == "del-ikke-mig"
    supplier_punchout_secret_set(supplier=supplier, secret="")
    supplier.refresh_from_db()
    assert supplier.punchout_secret_encrypted is None
    assert supplier_punchout_secret(supplier=supplier) == ""
