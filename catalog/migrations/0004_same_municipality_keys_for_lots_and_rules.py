"""PostgreSQL: lots, their suppliers and assortment rules stay inside one municipality."""

from django.db import migrations

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_agreement_lots_clauses_assortment_policy"),
        ("org", "0002_same_municipality_foreign_keys"),
    ]

    operations = [
        SameMunicipalityKeys(
            unique=["catalog_agreementlot", "catalog_product"],
            references=[
                ("catalog_agreementlot", "agreement_id", "catalog_agreement"),
                ("catalog_lotsupplier", "lot_id", "catalog_agreementlot"),
                ("catalog_lotsupplier", "supplier_id", "catalog_supplier"),
                ("catalog_product", "lot_id", "catalog_agreementlot"),
                ("catalog_assortmentrule", "unit_id", "org_orgunit"),
                ("catalog_assortmentrule", "agreement_id", "catalog_agreement"),
                ("catalog_assortmentrule", "supplier_id", "catalog_supplier"),
                ("catalog_assortmentrule", "category_id", "catalog_category"),
                ("catalog_assortmentrule", "product_id", "catalog_product"),
            ],
        )
    ]
