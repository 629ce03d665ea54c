"""Category mappings: the municipality's category for a group of a supplier's items, by the
supplier's own category or by UNSPSC, remembered for its next catalogues; and whether an item's
category was chosen for it by a person (then the mapping leaves it be)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from catalog.search.sqlite_schema import product_triggers_restore
from core.migration_operations import SameMunicipalityKeys


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0016_import_review_safeguards"),
        ("org", "0003_goods_receipt_setting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="category_is_manual",
            field=models.BooleanField(
                default=False,
                help_text="On: the supplier's catalogues and the category mapping do not change the category.",
                verbose_name="category chosen for this item",
            ),
        ),
        migrations.CreateModel(
            name="CategoryMapping",
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
                    "source",
                    models.CharField(
                        choices=[("category", "the supplier's category"), ("unspsc", "UNSPSC")],
                        max_length=8,
                        verbose_name="by",
                    ),
                ),
                ("key", models.CharField(max_length=60, verbose_name="key")),
                ("label", models.CharField(max_length=60, verbose_name="group")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.category",
                        verbose_name="category",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="chosen by",
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
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="category_mappings",
                        to="catalog.supplier",
                        verbose_name="supplier",
                    ),
                ),
            ],
            options={
                "verbose_name": "category mapping",
                "verbose_name_plural": "category mappings",
                "ordering": ["supplier", "source", "key"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("supplier", "source", "key"),
                        name="categorymapping_once_per_supplier_and_key",
                        violation_error_message="This group of the supplier already has a category.",
                    )
                ],
            },
        ),
        SameMunicipalityKeys(
            unique=[],
            references=[
                ("catalog_categorymapping", "supplier_id", "catalog_supplier"),
                ("catalog_categorymapping", "category_id", "catalog_category"),
            ],
        ),
        # SQLite rebuilt catalog_product to add a column: its search triggers went with it
        migrations.RunPython(product_triggers_restore, migrations.RunPython.noop),
    ]
