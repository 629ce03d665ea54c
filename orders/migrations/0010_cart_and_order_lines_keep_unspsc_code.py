"""Cart and order lines keep their UNSPSC code, so that a punch-out line's classification
travels from the returned cart to the order and back to the shop in an edit."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_order_revision_limit_total_and_punchout_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartline",
            name="unspsc_code",
            field=models.CharField(blank=True, max_length=20, verbose_name="UNSPSC code"),
        ),
        migrations.AddField(
            model_name="orderline",
            name="unspsc_code",
            field=models.CharField(blank=True, max_length=20, verbose_name="UNSPSC code"),
        ),
    ]
