"""Items that have a category and that no catalogue import ever touched got it from the demo
data or from a person: mark it as chosen for them, so that no mapping moves it. (Items an import
touched keep following the supplier's catalogues and the category mapping.) In batches, so that
a million items are not rewritten in one statement."""

from django.db import migrations
from django.db.models import Exists, OuterRef

BATCH = 10_000


def category_is_manual_backfill(apps, schema_editor) -> None:
    Product = apps.get_model("catalog", "Product")
    CatalogueChange = apps.get_model("catalog", "CatalogueChange")
    imported = CatalogueChange.objects.filter(product_id=OuterRef("pk"))
    chosen = Product.objects.exclude(category=None).filter(~Exists(imported))
    last = 0
    while True:
        ids = list(chosen.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        Product.objects.filter(pk__in=ids).update(category_is_manual=True)
        last = ids[-1]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0017_category_mappings"),
    ]

    operations = [
        migrations.RunPython(category_is_manual_backfill, migrations.RunPython.noop),
    ]
