"""A punch-out self-test keeps what it found before the cart comes back."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("punchout", "0002_same_municipality_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="punchoutsession",
            name="findings",
            field=models.JSONField(blank=True, default=list, verbose_name="self-test findings"),
        ),
    ]
