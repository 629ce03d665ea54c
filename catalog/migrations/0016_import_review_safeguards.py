"""Imports show how the file writes decimals, which columns it lacks (their values stay),
likely misread prices and large removals to confirm, and each changed field old -> new; items
keep their supplier's own category."""

from django.db import migrations, models

from catalog.search.sqlite_schema import product_triggers_restore


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0015_columnmapping_drop_decimal_comma"),
    ]

    operations = [
        migrations.AddField(
            model_name="cataloguechange",
            name="changed_fields",
            field=models.CharField(blank=True, max_length=300, verbose_name="changed fields"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="is_price_jump",
            field=models.BooleanField(default=False, verbose_name="likely misread price"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_agreement_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="previous agreement"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_brand",
            field=models.CharField(blank=True, max_length=200, verbose_name="previous brand"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_category_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="previous category"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_currency",
            field=models.CharField(blank=True, max_length=3, verbose_name="previous currency"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_description",
            field=models.TextField(blank=True, verbose_name="previous description"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_gtin",
            field=models.CharField(blank=True, max_length=14, verbose_name="previous GTIN"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_lot_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="previous lot"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_min_order_quantity",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                max_digits=14,
                null=True,
                verbose_name="previous minimum order quantity",
            ),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_pack_unit_code",
            field=models.CharField(blank=True, max_length=3, verbose_name="previous pack unit"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_unspsc_code",
            field=models.CharField(blank=True, max_length=8, verbose_name="previous UNSPSC code"),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="supplier_category",
            field=models.CharField(blank=True, max_length=60, verbose_name="supplier's category"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="confirmed",
            field=models.JSONField(blank=True, default=dict, verbose_name="confirmed"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="decimal_mark",
            field=models.CharField(
                blank=True,
                choices=[(",", "decimal comma (1.234,50)"), (".", "decimal point (1,234.50)")],
                max_length=1,
                verbose_name="decimal mark",
            ),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="decimal_mark_shown_by",
            field=models.JSONField(blank=True, default=dict, verbose_name="decimal mark shown by"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="is_large_removal",
            field=models.BooleanField(default=False, verbose_name="retires many items"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="kept_fields",
            field=models.JSONField(
                blank=True, default=list, verbose_name="fields kept as they are"
            ),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="live_items",
            field=models.PositiveIntegerField(default=0, verbose_name="live items before"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="price_jumps",
            field=models.PositiveIntegerField(default=0, verbose_name="likely misread prices"),
        ),
        migrations.AddField(
            model_name="catalogueimport",
            name="uncategorised",
            field=models.PositiveIntegerField(default=0, verbose_name="items without a category"),
        ),
        migrations.AddField(
            model_name="product",
            name="supplier_category",
            field=models.CharField(blank=True, max_length=60, verbose_name="supplier's category"),
        ),
        # SQLite rebuilt catalog_product to add a column: its search triggers went with it
        migrations.RunPython(product_triggers_restore, migrations.RunPython.noop),
    ]
