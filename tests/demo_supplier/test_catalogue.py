"""The demo suppliers' catalogues: the agreement items are the Fjordby demo data's, the rest
are the web shop's own, and every text Kontorhuset posts fits ISO-8859-1."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from demo_supplier.catalogue import (
    KONTORHUSET,
    NORDLYS,
    PRODUCTS,
    SUPPLIERS,
    kroner,
    product_get,
    product_list,
    product_list_related,
)
from edi import units

FJORDBY = Path(__file__).resolve().parents[2] / "shop" / "fixtures" / "demo" / "fjordby.json"
SUPPLIER_OF = {"S01": KONTORHUSET, "S06": NORDLYS}


def test_the_agreement_items_are_the_fjordby_demo_datas() -> None:
    # given the agreement catalogue of the demo data
    products = json.loads(FJORDBY.read_text(encoding="utf-8"))["products"]
    agreement = [item for item in products if item["supplier"] in SUPPLIER_OF]
    assert len(agreement) == 25
    differing = []
    for item in agreement:
        product = product_get(supplier=SUPPLIER_OF[item["supplier"]], sku=item["supplier_item_no"])
        assert product is not None, item["supplier_item_no"]
        assert (product.name, product.unit, product.unspsc, product.price_unit) == (
            item["name"],
            item["unit_code"],
            item["unspsc"],
            1,
        )
        agreed = Decimal(item["price_dkk_ex_vat"])
        if product.agreement_price is None:
            assert product.price == agreed, product.sku
        else:
            assert product.agreement_price == agreed
            differing.append((product.sku, product.price, agreed))
    # then two web-shop prices differ on purpose
    assert differing == [
        ("KH-3001", Decimal("519.00"), Decimal("489.00")),
        ("NI-DOCK", Decimal("1249.00"), Decimal("1195.00")),
    ]


def test_each_shop_has_items_beyond_the_agreement_and_items_priced_per_100() -> None:
    products = json.loads(FJORDBY.read_text(encoding="utf-8"))["products"]
    agreed = {item["supplier_item_no"] for item in products}
    for supplier in SUPPLIERS.values():
        items = product_list(supplier=supplier)
        assert len([item for item in items if item.sku not in agreed]) >= 10
        assert [item for item in items if item.price_unit == 100]
    assert len(PRODUCTS) == 49


def test_every_product_is_complete() -> None:
    skus = [product.sku for product in PRODUCTS]
    assert len(skus) == len(set(skus))
    for product in PRODUCTS:
        assert units.is_known(product.unit), product.sku
        assert product.price > 0
        assert product.unspsc.isdigit()
        assert len(product.unspsc) == 8
        assert product.description
        assert product.manufacturer.code
        assert product.manufacturer_part_no
        assert product.lead_time_days > 0
        assert len(product_list_related(product)) == len(product.related)


def test_kontorhusets_texts_are_iso_8859_1() -> None:
    for product in product_list(supplier=KONTORHUSET):
        for text in (
            product.name,
            product.description,
            product.manufacturer.name,
            product.manufacturer.code,
            product.manufacturer_part_no,
        ):
            text.encode("iso-8859-1")


def test_money_is_written_the_danish_way() -> None:
    assert kroner(Decimal("1234.5")) == "1.234,50 kr."
    assert kroner(Decimal("0.005")) == "0,01 kr."
    assert kroner(Decimal("1000000")) == "1.000.000,00 kr."
