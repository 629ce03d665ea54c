"""A column mapping that said "decimal point" keeps saying so; one that said "decimal comma"
(the old default, most often never chosen) lets each file's own numbers show their mark."""

from django.db import migrations


def decimal_mark_from_decimal_comma(apps, schema_editor) -> None:
    ColumnMapping = apps.get_model("catalog", "ColumnMapping")
    ColumnMapping.objects.filter(decimal_comma=False).update(decimal_mark=".")
    ColumnMapping.objects.filter(decimal_comma=True).update(decimal_mark="")


def decimal_comma_from_decimal_mark(apps, schema_editor) -> None:
    ColumnMapping = apps.get_model("catalog", "ColumnMapping")
    ColumnMapping.objects.filter(decimal_mark=".").update(decimal_comma=False)
    ColumnMapping.objects.exclude(decimal_mark=".").update(decimal_comma=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_columnmapping_decimal_mark"),
    ]

    operations = [
        migrations.RunPython(decimal_mark_from_decimal_comma, decimal_comma_from_decimal_mark),
    ]
