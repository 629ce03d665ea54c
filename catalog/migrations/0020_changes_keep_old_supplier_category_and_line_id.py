"""The diff keeps the previous supplier's category and catalogue line ID of a changed item too,
so that every changed field is shown old -> new."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0019_supplier_punchout_sender_identities"),
    ]

    operations = [
        migrations.AddField(
            model_name="cataloguechange",
            name="old_line_id",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="previous catalogue line ID"
            ),
        ),
        migrations.AddField(
            model_name="cataloguechange",
            name="old_supplier_category",
            field=models.CharField(
                blank=True, max_length=60, verbose_name="previous supplier's category"
            ),
        ),
    ]
