"""The identities a supplier's web shop may sign its returned carts with, and whether a cart
from another identity is refused or kept with a finding."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0018_product_categories_set_by_hand"),
    ]

    operations = [
        migrations.AddField(
            model_name="supplier",
            name="punchout_cart_identities",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Besides the To identity: the identities the web shop may sign its returned carts with (cXML From, OCI NEW_ITEM-VENDOR), one per line.",
                verbose_name="identities carts may come from",
            ),
        ),
        migrations.AddField(
            model_name="supplier",
            name="punchout_unlisted_identity",
            field=models.CharField(
                choices=[
                    ("flag", "Keep the cart with a finding; its lines can be used"),
                    ("refuse", "Refuse the cart"),
                ],
                default="flag",
                help_text="What happens to a returned cart signed by an identity not listed above. Either way it is kept, and the procurement office sees it among the returned carts.",
                max_length=8,
                verbose_name="a cart from another identity",
            ),
        ),
    ]
