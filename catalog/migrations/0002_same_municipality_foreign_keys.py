"""PostgreSQL: a product's supplier, agreement and category belong to the product's
municipality, enforced by composite foreign keys (see org's migration of the same name)."""

from django.db import migrations

UNIQUE_TARGETS = ["catalog_supplier", "catalog_agreement", "catalog_category"]
REFERENCES = [
    ("catalog_product", "supplier_id", "catalog_supplier"),
    ("catalog_product", "agreement_id", "catalog_agreement"),
    ("catalog_product", "category_id", "catalog_category"),
]


def _constraint(table: str, column: str) -> str:
    return f"{table}_{column}_same_municipality"


def add_constraints(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in UNIQUE_TARGETS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_id_municipality_uniq "
            f"UNIQUE (id, municipality_id)"
        )
    for table, column, target in REFERENCES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {_constraint(table, column)} "
            f"FOREIGN KEY ({column}, municipality_id) REFERENCES {target} (id, municipality_id) "
            f"DEFERRABLE INITIALLY DEFERRED"
        )


def drop_constraints(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, _target in REFERENCES:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_constraint(table, column)}")
    for table in UNIQUE_TARGETS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_id_municipality_uniq")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_agreements_suppliers_products")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
