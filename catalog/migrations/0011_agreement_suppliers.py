"""Suppliers on agreements: whose catalogues may be imported to an agreement. On PostgreSQL the
link stays inside one municipality."""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_supplier_punchout_settings"),
        ("org", "0003_goods_receipt_setting"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreementSupplier",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supplier_links",
                        to="catalog.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.municipality",
                        verbose_name="municipality",
                    ),
                ),
                (
                    "supplier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agreement_links",
                        to="catalog.supplier",
                        verbose_name="supplier",
                    ),
                ),
            ],
            options={
                "verbose_name": "supplier on an agreement",
                "verbose_name_plural": "suppliers on the agreement",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agreement", "supplier"),
                        name="agreementsupplier_once_per_agreement",
                        violation_error_message="The supplier is already on this agreement.",
                    )
                ],
            },
        ),
        SameMunicipalityKeys(
            unique=[],
            references=[
                ("catalog_agreementsupplier", "agreement_id", "catalog_agreement"),
                ("catalog_agreementsupplier", "supplier_id", "catalog_supplier"),
            ],
        ),
    ]
