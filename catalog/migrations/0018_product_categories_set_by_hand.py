"""Items that have a category today got it from the demo data or from a person (imports left
items without one): mark it as chosen for them, so that no mapping moves it."""

from django.db import migrations


def category_is_manual_backfill(apps, schema_editor) -> None:
    Product = apps.get_model("catalog", "Product")
    Product.objects.exclude(category=None).update(category_is_manual=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0017_category_mappings"),
    ]

    operations = [
        migrations.RunPython(category_is_manual_backfill, migrations.RunPython.noop),
    ]
