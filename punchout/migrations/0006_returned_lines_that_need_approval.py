"""A punch-out line whose order needs a godkender's approval whatever its amount keeps why:
returned, in the cart and on the order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("punchout", "0005_returned_cart_unlisted_identities"),
    ]

    operations = [
        migrations.AddField(
            model_name="returnedline",
            name="approval_reason",
            field=models.TextField(blank=True, verbose_name="needs approval because"),
        ),
    ]
