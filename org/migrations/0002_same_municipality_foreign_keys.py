"""PostgreSQL: a row and the rows it points to belong to the same municipality, enforced by the
database (composite foreign keys on (id, municipality_id)), so that no code path, the admin
included, can attach one municipality's data to another's. SQLite cannot add such constraints
to existing tables; there the models' clean() and the services keep the rule.
"""

from django.db import migrations

#: (table, its key columns, the table it references) - each reference is (x_id, municipality_id)
UNIQUE_TARGETS = ["org_orgunit", "org_user", "org_costcentre"]
REFERENCES = [
    ("org_orgunit", "parent_id", "org_orgunit"),
    ("org_deliveryaddress", "unit_id", "org_orgunit"),
    ("org_costcentre", "unit_id", "org_orgunit"),
    ("org_membership", "unit_id", "org_orgunit"),
    ("org_membership", "user_id", "org_user"),
    ("org_monthlybudget", "cost_centre_id", "org_costcentre"),
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
    dependencies = [("org", "0001_organisation_people_roles_budgets")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
