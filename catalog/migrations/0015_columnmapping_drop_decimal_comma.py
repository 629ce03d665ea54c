"""The decimal mark replaces the old "decimal comma" switch of column mappings."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0014_columnmapping_decimal_mark_from_decimal_comma"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="columnmapping",
            name="decimal_comma",
        ),
    ]
