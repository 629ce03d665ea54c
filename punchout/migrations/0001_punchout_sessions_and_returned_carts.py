"""Punch-out sessions (hashed single-use return tokens bound to person, supplier, protocol and
expiry) and the carts that come back, kept as received with their checked lines."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0010_supplier_punchout_settings"),
        ("org", "0003_goods_receipt_setting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PunchoutSession",
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
                    "protocol",
                    models.CharField(
                        choices=[("cxml", "cXML"), ("oci", "OCI")],
                        max_length=8,
                        verbose_name="protocol",
                    ),
                ),
                (
                    "operation",
                    models.CharField(
                        choices=[
                            ("create", "Shop"),
                            ("edit", "Change lines"),
                            ("inspect", "Look at lines"),
                        ],
                        default="create",
                        max_length=8,
                        verbose_name="operation",
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[("shop", "Shopping"), ("self_test", "Supplier self-test")],
                        default="shop",
                        max_length=16,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="token (SHA-256)"),
                ),
                ("buyer_cookie", models.CharField(max_length=64, verbose_name="buyer cookie")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("returned", "Cart returned"),
                            ("failed", "Failed"),
                        ],
                        default="open",
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "returned_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="returned"),
                ),
                (
                    "start_url",
                    models.URLField(blank=True, max_length=2000, verbose_name="start page"),
                ),
                ("failure", models.TextField(blank=True, verbose_name="what went wrong")),
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
                        related_name="+",
                        to="catalog.supplier",
                        verbose_name="supplier",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="unit",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="punchout_sessions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "punch-out session",
                "verbose_name_plural": "punch-out sessions",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ReturnedCart",
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
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting review"),
                            ("taken", "Taken into the cart"),
                            ("discarded", "Put aside"),
                            ("unreadable", "Could not be read"),
                            ("no_change", "No change"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                ("raw", models.BinaryField(verbose_name="message as received")),
                (
                    "content_type",
                    models.CharField(blank=True, max_length=200, verbose_name="content type"),
                ),
                ("currency", models.CharField(blank=True, max_length=3, verbose_name="currency")),
                (
                    "total",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="total excl. VAT",
                    ),
                ),
                ("problem", models.TextField(blank=True, verbose_name="problem")),
                ("taken_at", models.DateTimeField(blank=True, null=True, verbose_name="taken")),
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
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="returned_cart",
                        to="punchout.punchoutsession",
                        verbose_name="punch-out session",
                    ),
                ),
            ],
            options={
                "verbose_name": "returned punch-out cart",
                "verbose_name_plural": "returned punch-out carts",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ReturnedLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="line")),
                (
                    "supplier_item_number",
                    models.CharField(max_length=100, verbose_name="supplier item number"),
                ),
                (
                    "supplier_part_auxiliary_id",
                    models.TextField(blank=True, verbose_name="supplier's line key"),
                ),
                ("description", models.CharField(max_length=300, verbose_name="description")),
                (
                    "quantity",
                    models.DecimalField(decimal_places=3, max_digits=12, verbose_name="quantity"),
                ),
                ("unit_code", models.CharField(blank=True, max_length=3, verbose_name="unit")),
                (
                    "unit_as_sent",
                    models.CharField(blank=True, max_length=20, verbose_name="unit as sent"),
                ),
                (
                    "unit_price",
                    models.DecimalField(
                        decimal_places=4, max_digits=14, verbose_name="unit price excl. VAT"
                    ),
                ),
                ("currency", models.CharField(blank=True, max_length=3, verbose_name="currency")),
                (
                    "agreement_unit_price",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=14,
                        null=True,
                        verbose_name="agreement unit price excl. VAT",
                    ),
                ),
                (
                    "classification",
                    models.CharField(blank=True, max_length=20, verbose_name="UNSPSC"),
                ),
                (
                    "lead_time_days",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="delivery time (days)"
                    ),
                ),
                ("refusal", models.TextField(blank=True, verbose_name="refused because")),
                ("warnings", models.JSONField(blank=True, default=list, verbose_name="warnings")),
                (
                    "cart",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="punchout.returnedcart",
                        verbose_name="returned cart",
                    ),
                ),
            ],
            options={
                "verbose_name": "returned line",
                "verbose_name_plural": "returned lines",
                "ordering": ["cart", "position"],
            },
        ),
        migrations.AddConstraint(
            model_name="punchoutsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("purpose", "self_test"), ("unit__isnull", False), _connector="OR"
                ),
                name="punchout_session_shopping_has_unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="returnedline",
            constraint=models.UniqueConstraint(
                fields=("cart", "position"), name="returned_line_position"
            ),
        ),
    ]
