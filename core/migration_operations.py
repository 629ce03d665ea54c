"""Migration operations shared by the apps. Kept stable: migrations depend on them."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class SameMunicipalityKeys(migrations.operations.base.Operation):
    """PostgreSQL: make the database refuse a row whose foreign key points into another
    municipality, with composite keys on (id, municipality_id).

    `unique` lists the tables referenced (each gets UNIQUE (id, municipality_id)); `references`
    lists (table, column, referenced table). SQLite cannot add constraints to existing tables;
    there the models' clean() and the services keep the rule.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, unique: list[str], references: list[tuple[str, str, str]]) -> None:
        self.unique = unique
        self.references = references

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [], {"unique": self.unique, "references": self.references})

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass  # the models do not change, only the database's guarantees

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in self.unique:
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_id_municipality_uniq "
                "UNIQUE (id, municipality_id)"
            )
        for table, column, target in self.references:
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_same_municipality "
                f"FOREIGN KEY ({column}, municipality_id) "
                f"REFERENCES {target} (id, municipality_id) DEFERRABLE INITIALLY DEFERRED"
            )

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column, _target in self.references:
            schema_editor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_same_municipality"
            )
        for table in self.unique:
            schema_editor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT {table}_id_municipality_uniq"
            )

    def describe(self) -> str:
        return f"Same-municipality keys for {', '.join(t for t, _c, _r in self.references)}"
