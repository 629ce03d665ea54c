"""Suppliers: the punch-out settings a supplier needs beyond its identities: extrinsics,
OCI parameter names, session lifetime, decimal separator and blocked categories."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_import_changes_carry_new_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="supplier",
            name="punchout_blocked_unspsc",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Returned lines in these UNSPSC codes, or below them, are refused.",
                verbose_name="blocked categories (UNSPSC)",
            ),
        ),
        migrations.AddField(
            model_name="supplier",
            name="punchout_decimal_separator",
            field=models.CharField(
                choices=[(".", "point (12.50)"), (",", "comma (12,50)")],
                default=".",
                max_length=1,
                verbose_name="decimal separator in returned carts",
            ),
        ),
        migrations.AddField(
            model_name="supplier",
            name="punchout_extrinsics",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='cXML: name and value of each Extrinsic, e.g. {"CostCenter": "unit"}.',
                verbose_name="extrinsics to send",
            ),
        ),
        migrations.AddField(
            model_name="supplier",
            name="punchout_oci_parameter_names",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='OCI: the supplier\'s names for standard parameters, e.g. {"USERNAME": "user"}.',
                verbose_name="OCI parameter names",
            ),
        ),
        migrations.AddField(
            model_name="supplier",
            name="punchout_session_minutes",
            field=models.PositiveSmallIntegerField(
                default=60,
                help_text="How long a punch-out may last before its cart can no longer come back.",
                verbose_name="punch-out session lifetime (minutes)",
            ),
        ),
    ]
