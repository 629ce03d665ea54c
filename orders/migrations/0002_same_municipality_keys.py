"""PostgreSQL: a cart, its lines and an order never point into another municipality (a delivery
address gets its (id, municipality) key here, since orders are the first to need it)."""

from django.db import migrations

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_carts_and_orders"),
        ("org", "0002_same_municipality_foreign_keys"),
        ("catalog", "0009_import_changes_carry_new_version"),
    ]

    operations = [
        SameMunicipalityKeys(
            unique=["org_deliveryaddress", "orders_cart", "orders_order"],
            references=[
                ("orders_cart", "unit_id", "org_orgunit"),
                ("orders_cart", "user_id", "org_user"),
                ("orders_cartline", "cart_id", "orders_cart"),
                ("orders_cartline", "product_id", "catalog_product"),
                ("orders_order", "unit_id", "org_orgunit"),
                ("orders_order", "supplier_id", "catalog_supplier"),
                ("orders_order", "placed_by_id", "org_user"),
                ("orders_order", "delivery_address_id", "org_deliveryaddress"),
                ("orders_order", "cost_centre_id", "org_costcentre"),
            ],
        ),
    ]
