"""Bulk load of checked rows into the staging table: COPY on PostgreSQL (text format, in
batches so that progress can be recorded between them), batched INSERT on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from catalog.importers.rows import CleanRow

TABLE = "catalog_catalogueimportrow"
COLUMNS = (
    "municipality_id",
    "catalogue_import_id",
    "row_number",
    "line_id",
    "supplier_item_number",
    "item_number_key",
    "name",
    "description",
    "brand",
    "gtin",
    "unit_code",
    "pack_quantity",
    "pack_unit_code",
    "unit_price",
    "currency",
    "min_order_quantity",
    "category_code",
    "category_id",
    "unspsc_code",
    "search_document",
    "is_deletion",
)
BATCH = 20_000
#: COPY's text format: backslash, tab, newline and carriage return are escaped.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_field(value: object) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Decimal | int):
        return str(value)
    return str(value).translate(_ESCAPE)


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
                row.supplier_item_number,
                row.item_number_key,
                row.name,
                row.description,
                row.brand,
                row.gtin,
                row.unit_code,
                row.pack_quantity,
                row.pack_unit_code,
                row.unit_price,
                row.currency,
                row.min_order_quantity,
                row.category_code,
                category_id,
                row.unspsc_code,
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
        text = "".join("\t".join(copy_field(value) for value in row) + "\n" for row in self.pending)
        statement = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(text)

    def _insert(self) -> None:
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        statement = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608 - constant names
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(statement, self.pending)
