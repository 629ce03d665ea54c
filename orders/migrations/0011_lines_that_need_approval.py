"""A punch-out line whose order needs a godkender's approval whatever its amount keeps why:
returned, in the cart and on the order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0010_cart_and_order_lines_keep_unspsc_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartline",
            name="approval_reason",
            field=models.TextField(blank=True, verbose_name="needs approval because"),
        ),
        migrations.AddField(
            model_name="orderline",
            name="approval_reason",
            field=models.TextField(blank=True, verbose_name="needs approval because"),
        ),
    ]
