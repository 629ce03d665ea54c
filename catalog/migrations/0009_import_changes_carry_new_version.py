"""A catalogue change carries the whole new version of its item (applying an import reads only
the changes; the staged rows are gone by then) and when its diff was worked out (a later import
makes it stale). Products lose the indexes of their own on municipality and supplier: the
(municipality, GTIN) and (supplier, item number) indexes lead with them, and every index costs
a million-row import time. PostgreSQL: products leave room on each page (fillfactor 85), so that
a price change is a HOT update that touches no index. SQLite: altering the product table rebuilt
it, which dropped its search triggers; they come back."""

import django.db.models.deletion
from django.db import migrations, models

from catalog.search.sqlite_schema import product_triggers_restore


def product_fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_product SET (fillfactor = 85)")


def product_fillfactor_reset(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_product RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_import_keys_and_unlogged_staging"),
        ("org", "0002_same_municipality_foreign_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="cataloguechange",
            name="brand",
            field=models.CharField(blank=True, max_length=200, verbose_name="brand"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="currency",
            field=models.CharField(blank=True, max_length=3, verbose_name="currency"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="description",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="gtin",
            field=models.CharField(blank=True, max_length=14, verbose_name="GTIN"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="is_word_change",
            field=models.BooleanField(default=False, verbose_name="words changed"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="item_number_key",
            field=models.CharField(blank=True, max_length=100, verbose_name="item number key"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="line_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="catalogue line ID"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="min_order_quantity",
            field=models.DecimalField(
                decimal_places=3, max_digits=14, null=True, verbose_name="minimum order quantity"
            ),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="new_category_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="new category"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="new_pack_unit_code",
            field=models.CharField(blank=True, max_length=3, verbose_name="new pack unit"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="search_document",
            field=models.TextField(blank=True, verbose_name="search tokens"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="unspsc_code",
            field=models.CharField(blank=True, max_length=8, verbose_name="UNSPSC code"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="diffed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="compared"),
        ),
        migrations.AlterField(
            model_name="product",
            name="municipality",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.municipality",
                verbose_name="municipality",
            ),
        ),
        migrations.AlterField(
            model_name="product",
            name="supplier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="catalog.supplier",
                verbose_name="supplier",
            ),
        ),
        migrations.RunPython(product_fillfactor, product_fillfactor_reset),
        migrations.RunPython(product_triggers_restore, migrations.RunPython.noop),
    ]
