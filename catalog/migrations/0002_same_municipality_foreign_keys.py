"""PostgreSQL: a product's supplier, agreement and category belong to the product's
municipality, enforced by the database."""

from django.db import migrations

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_agreements_suppliers_products")]

    operations = [
        SameMunicipalityKeys(
            unique=["catalog_supplier", "catalog_agreement", "catalog_category"],
            references=[
                ("catalog_product", "supplier_id", "catalog_supplier"),
                ("catalog_product", "agreement_id", "catalog_agreement"),
                ("catalog_product", "category_id", "catalog_category"),
            ],
        )
    ]
