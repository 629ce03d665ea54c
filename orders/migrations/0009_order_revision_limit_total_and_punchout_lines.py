"""Order editing and punch-out lines: cart lines get a kind (catalogue, free text, punch-out);
orders get the total held against limits (punch-out lines at no less than the agreement's
price) and a revision counter, so that a decision is taken on the version the approver saw.
Existing free-text lines get their kind, and existing orders hold their total against limits."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations, models


def existing_rows_forward(apps, schema_editor):
    CartLine = apps.get_model("orders", "CartLine")
    Order = apps.get_model("orders", "Order")
    CartLine.objects.filter(product__isnull=True).update(kind="free_text")
    Order.objects.update(limit_total=models.F("total"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_import_changes_carry_new_version"),
        ("orders", "0008_received_quantities"),
        ("org", "0003_goods_receipt_setting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="cartline",
            name="cart_line_catalogue_or_free_text",
        ),
        migrations.AddField(
            model_name="cartline",
            name="kind",
            field=models.CharField(
                choices=[
                    ("catalogue", "Catalogue"),
                    ("free_text", "Free text"),
                    ("punchout", "Punch-out"),
                ],
                default="catalogue",
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="cartline",
            name="supplier_part_auxiliary_id",
            field=models.TextField(blank=True, verbose_name="supplier's line key"),
        ),
        migrations.AddField(
            model_name="order",
            name="limit_total",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                max_digits=14,
                verbose_name="total held against limits",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="revision",
            field=models.PositiveIntegerField(default=1, verbose_name="revision"),
        ),
        migrations.AddField(
            model_name="orderline",
            name="agreement_unit_price",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                max_digits=14,
                null=True,
                verbose_name="agreement unit price excl. VAT",
            ),
        ),
        migrations.AddField(
            model_name="orderline",
            name="is_punchout",
            field=models.BooleanField(default=False, verbose_name="punch-out"),
        ),
        migrations.AddField(
            model_name="orderline",
            name="supplier_part_auxiliary_id",
            field=models.TextField(blank=True, verbose_name="supplier's line key"),
        ),
        migrations.RunPython(existing_rows_forward, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="cartline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("kind", "catalogue"),
                        ("product__isnull", False),
                        ("supplier__isnull", True),
                    ),
                    models.Q(
                        ("description__gt", ""),
                        ("estimated_unit_price__gte", 0),
                        ("kind", "free_text"),
                        ("product__isnull", True),
                        ("supplier__isnull", False),
                    ),
                    models.Q(
                        ("description__gt", ""),
                        ("estimated_unit_price__gt", 0),
                        ("kind", "punchout"),
                        ("product__isnull", True),
                        ("supplier__isnull", False),
                        ("supplier_item_number__gt", ""),
                    ),
                    _connector="OR",
                ),
                name="cart_line_catalogue_free_text_or_punchout",
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("limit_total__gte", models.F("total"))),
                name="order_limit_total_not_below_total",
            ),
        ),
    ]
