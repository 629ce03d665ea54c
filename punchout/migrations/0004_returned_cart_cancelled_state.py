"""A returned cart can be cancelled in the web shop (cXML status 204): kept, never taken."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("punchout", "0003_self_test_findings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="returnedcart",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting review"),
                    ("taken", "Taken into the cart"),
                    ("discarded", "Put aside"),
                    ("unreadable", "Could not be read"),
                    ("no_change", "No change"),
                    ("cancelled", "Cancelled in the web shop"),
                ],
                default="pending",
                max_length=16,
                verbose_name="state",
            ),
        ),
    ]
