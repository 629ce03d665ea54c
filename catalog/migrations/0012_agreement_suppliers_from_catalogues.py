"""Put on each agreement the suppliers that already have items on it or were awarded one of
its lots, so that their catalogues can still be imported to it."""

from django.db import migrations
from django.utils import timezone


def agreement_suppliers_backfill(apps, schema_editor) -> None:
    AgreementSupplier = apps.get_model("catalog", "AgreementSupplier")
    Product = apps.get_model("catalog", "Product")
    LotSupplier = apps.get_model("catalog", "LotSupplier")
    pairs = set(
        Product.objects.exclude(agreement=None)
        .values_list("municipality_id", "agreement_id", "supplier_id")
        .distinct()
    )
    pairs |= set(
        LotSupplier.objects.values_list("municipality_id", "lot__agreement_id", "supplier_id")
    )
    now = timezone.now()
    AgreementSupplier.objects.bulk_create(
        [
            AgreementSupplier(
                municipality_id=municipality_id,
                agreement_id=agreement_id,
                supplier_id=supplier_id,
                created_at=now,
                updated_at=now,
            )
            for municipality_id, agreement_id, supplier_id in sorted(pairs)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_agreement_suppliers"),
    ]

    operations = [
        migrations.RunPython(agreement_suppliers_backfill, migrations.RunPython.noop),
    ]
