"""PostgreSQL: imports, their problems and changes stay inside one municipality; the staging
table is UNLOGGED (it is refilled from the kept file if lost, and loads faster).
SQLite: 0007 rebuilt catalog_product, which dropped its search triggers; they come back."""

from django.db import migrations

from catalog.search.sqlite_schema import product_triggers_restore
from core.migration_operations import SameMunicipalityKeys


def staging_unlogged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_catalogueimportrow SET UNLOGGED")


def staging_logged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_catalogueimportrow SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_catalogue_imports_staging_and_changes")]

    operations = [
        SameMunicipalityKeys(
            unique=["catalog_catalogueimport"],
            references=[
                ("catalog_catalogueimport", "supplier_id", "catalog_supplier"),
                ("catalog_catalogueimport", "agreement_id", "catalog_agreement"),
                ("catalog_catalogueimport", "lot_id", "catalog_agreementlot"),
                (
                    "catalog_catalogueimportproblem",
                    "catalogue_import_id",
                    "catalog_catalogueimport",
                ),
                ("catalog_cataloguechange", "catalogue_import_id", "catalog_catalogueimport"),
                ("catalog_columnmapping", "supplier_id", "catalog_supplier"),
            ],
        ),
        migrations.RunPython(staging_unlogged, staging_logged),
        migrations.RunPython(product_triggers_restore, migrations.RunPython.noop),
    ]
