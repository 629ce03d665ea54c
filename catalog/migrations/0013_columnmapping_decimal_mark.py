"""Column mappings say a decimal mark, or leave it to each file's own numbers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0012_agreement_suppliers_from_catalogues"),
    ]

    operations = [
        migrations.AddField(
            model_name="columnmapping",
            name="decimal_mark",
            field=models.CharField(
                blank=True,
                choices=[(",", "decimal comma (1.234,50)"), (".", "decimal point (1,234.50)")],
                default="",
                help_text="Empty: each file's own numbers show it (35,53 or 35.53). Set it only for files whose numbers do not show it, such as 1.234 alone.",
                max_length=1,
                verbose_name="decimal mark",
            ),
        ),
    ]
