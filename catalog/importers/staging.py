"""Bulk load of checked rows into the staging table: COPY on PostgreSQL (psycopg's row writer,
in batches so that progress can be recorded between them), batched INSERT on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from catalog.importers.rows import CleanRow

TABLE = "catalog_catalogueimportrow"
#: The staging columns: the import's, then a CleanRow's fields in its own order, then ours.
COLUMNS = (
    "municipality_id",
    "catalogue_import_id",
    "row_number",
    "line_id",
    *CleanRow._fields[:14],
    "category_id",
    "search_document",
    "is_deletion",
)
BATCH = 20_000


class StagingWriter:
    """Collects rows and writes them in batches; `on_batch(written)` after each batch."""

    def __init__(
        self,
        *,
        municipality_id: int,
        import_id: int,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.municipality_id = municipality_id
        self.import_id = import_id
        self.on_batch = on_batch
        self.pending: list[tuple[Any, ...]] = []
        self.written = 0

    def add(
        self,
        row_number: int,
        row: CleanRow,
        *,
        category_id: int | None,
        is_deletion: bool = False,
        line_id: str = "",
    ) -> None:
        self.pending.append(
            (
                self.municipality_id,
                self.import_id,
                row_number,
                line_id[:100],
                *row[:14],
                category_id,
                "",
                is_deletion,
            )
        )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        self.written += len(self.pending)
        self.pending = []
        if self.on_batch is not None:
            self.on_batch(self.written)

    def _copy(self) -> None:
        statement = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            write = copy.write_row
            for row in self.pending:
                write(row)

    def _insert(self) -> None:
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        statement = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608 - constant names
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(statement, self.pending)
