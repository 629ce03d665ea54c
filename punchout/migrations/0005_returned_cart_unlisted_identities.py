"""A returned cart keeps the identities it was signed with that its supplier does not list."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("punchout", "0004_returned_cart_cancelled_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="returnedcart",
            name="unlisted_identities",
            field=models.JSONField(blank=True, default=list, verbose_name="unlisted identities"),
        ),
    ]
