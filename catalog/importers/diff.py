"""The diff of a staged import against the live catalogue, and its application, in SQL.

Both run as a few set-based statements over the whole import (no row-by-row Python), on
PostgreSQL and SQLite alike. The diff is written to `CatalogueChange`: what is new, gone or
changed (with old and new price, unit and pack size). Applying changes the live products in
one transaction, so search never sees a half-applied catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

STAGE = "catalog_catalogueimportrow"
PRODUCT = "catalog_product"
CHANGE = "catalog_cataloguechange"
PROBLEM = "catalog_catalogueimportproblem"

#: The catalogue line ID kept on an item: only where it differs from the item number.
LINE_ID = "CASE WHEN s.line_id = s.supplier_item_number THEN '' ELSE s.line_id END"

#: The file's fields a CSV or Excel file may leave out, and the product columns each fills:
#: without the column, the live item keeps its values of these.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "description": ("description",),
    "brand": ("brand",),
    "gtin": ("gtin",),
    "pack_quantity": ("pack_quantity", "pack_unit_code"),
    "currency": ("currency",),
    "category": ("supplier_category",),
    "unspsc_code": ("unspsc_code",),
    "min_order_quantity": ("min_order_quantity",),
}
#: The staged column of a product column, where the names differ.
STAGED_NAME = {"supplier_category": "category_code"}
#: What can change on an item, in the order the diff lists them (CatalogueChange.changed_fields).
CHANGED_FIELDS = (
    "name",
    "description",
    "brand",
    "gtin",
    "unit_code",
    "pack",
    "unit_price",
    "currency",
    "min_order_quantity",
    "unspsc_code",
    "supplier_category",
    "category",
    "agreement",
    "reactivated",
    "line_id",
)


def _distinct() -> str:
    """The null-safe 'differs' operator of the database."""
    return "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"


def _literal(value: int | None) -> str:
    """An id written into a statement (an integer, never text)."""
    return "NULL" if value is None else str(int(value))


class _Sql:
    """The diff's expressions for one scope: the staged row (s) against its live product (p),
    where a column the file does not have reads the live item's value."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.kept = frozenset(
            column for field in scope.kept_fields for column in OPTIONAL_COLUMNS.get(field, ())
        )

    def staged(self, column: str) -> str:
        name = STAGED_NAME.get(column, column)
        if column in self.kept:
            return f"(CASE WHEN p.id IS NULL THEN s.{name} ELSE p.{column} END)"
        return f"s.{name}"

    def conditions(self) -> dict[str, str]:
        """For a staged row and its product both there: when each field changes."""
        differs = _distinct()
        agreement = _literal(self.scope.agreement_id)
        lot = _literal(self.scope.lot_id)
        staged = self.staged
        return {
            "name": "p.name <> s.name",
            "description": f"p.description <> {staged('description')}",
            "brand": f"p.brand <> {staged('brand')}",
            "gtin": f"p.gtin <> {staged('gtin')}",
            "unit_code": "p.unit_code <> s.unit_code",
            "pack": f"(p.pack_quantity {differs} {staged('pack_quantity')} "
            f"OR p.pack_unit_code <> {staged('pack_unit_code')})",
            "unit_price": "p.unit_price <> s.unit_price",
            "currency": f"p.currency <> {staged('currency')}",
            "min_order_quantity": f"p.min_order_quantity <> {staged('min_order_quantity')}",
            "unspsc_code": f"p.unspsc_code <> {staged('unspsc_code')}",
            "supplier_category": f"p.supplier_category <> {staged('supplier_category')}",
            "category": f"(s.category_id IS NOT NULL AND NOT p.category_is_manual "
            f"AND p.category_id {differs} s.category_id)",
            # a file for no lot leaves each item's lot on the agreement as it is
            "agreement": f"(p.agreement_id {differs} {agreement}"
            + (f" OR p.lot_id {differs} {lot})" if self.scope.lot_id else ")"),
            "reactivated": "NOT p.is_active",
            "line_id": f"(s.line_id <> '' AND p.catalogue_line_id <> {LINE_ID})",
        }

    def differs(self) -> str:
        """When a staged row changes its live product: any field differs, the item is
        inactive, or it moves agreement or lot."""
        return "(" + " OR ".join(self.conditions().values()) + ")"

    def change_columns(self) -> str:
        return ", ".join(column for column, _expression in self._change())

    def change_values(self) -> str:
        """The change row of a staged row (s) against its live product (p), either of which
        may be missing (NULL): new, gone or changed. Parameters: municipality id, import id."""
        return ", ".join(expression for _column, expression in self._change())

    def _change(self) -> list[tuple[str, str]]:
        conditions = self.conditions()
        both = "p.id IS NOT NULL AND s.id IS NOT NULL"
        staged = self.staged
        factor = int(settings.CATALOGUE_PRICE_JUMP_FACTOR)
        listed = " || ".join(
            f"CASE WHEN {conditions[name]} THEN '{name},' ELSE '' END" for name in CHANGED_FIELDS
        )

        def old(condition: str, column: str, empty: str = "NULL") -> str:
            """The live value of a field that changes; `empty` where it does not."""
            value = f"CASE WHEN {both} AND {conditions[condition]} THEN p.{column} END"
            return value if empty == "NULL" else f"COALESCE({value}, {empty})"

        return [
            ("municipality_id", "%s"),
            ("catalogue_import_id", "%s"),
            ("product_id", "p.id"),
            (
                "supplier_item_number",
                "COALESCE(s.supplier_item_number, p.supplier_item_number)",
            ),
            (
                "kind",
                "CASE WHEN p.id IS NULL THEN 'added' WHEN s.id IS NULL THEN 'removed' "
                "ELSE 'changed' END",
            ),
            ("name", "COALESCE(s.name, p.name)"),
            ("old_name", "COALESCE(p.name, '')"),
            ("old_unit_price", "p.unit_price"),
            ("new_unit_price", "s.unit_price"),
            (
                "price_change_percent",
                f"CASE WHEN {both} AND p.unit_price > 0 AND p.unit_price <> s.unit_price "
                f"THEN ROUND((s.unit_price - p.unit_price) * 100 / p.unit_price, 2) END",
            ),
            ("old_unit_code", "COALESCE(p.unit_code, '')"),
            ("new_unit_code", "COALESCE(s.unit_code, '')"),
            ("old_pack_quantity", "p.pack_quantity"),
            ("new_pack_quantity", staged("pack_quantity")),
            (
                "is_price_change",
                f"CASE WHEN {both} THEN p.unit_price <> s.unit_price ELSE FALSE END",
            ),
            (
                "is_unit_change",
                f"CASE WHEN {both} THEN ({conditions['unit_code']} OR {conditions['pack']}) "
                f"ELSE FALSE END",
            ),
            (
                "is_price_jump",
                f"CASE WHEN {both} AND p.unit_price > 0 AND s.unit_price > 0 "
                f"AND (s.unit_price > p.unit_price * {factor} "
                f"OR s.unit_price * {factor} < p.unit_price) THEN TRUE ELSE FALSE END",
            ),
            ("description", f"COALESCE({staged('description')}, '')"),
            ("brand", f"COALESCE({staged('brand')}, '')"),
            ("gtin", f"COALESCE({staged('gtin')}, '')"),
            ("currency", f"COALESCE({staged('currency')}, '')"),
            ("min_order_quantity", staged("min_order_quantity")),
            ("new_pack_unit_code", f"COALESCE({staged('pack_unit_code')}, '')"),
            ("unspsc_code", f"COALESCE({staged('unspsc_code')}, '')"),
            ("supplier_category", f"COALESCE({staged('supplier_category')}, '')"),
            # a category a person chose for the item stays (applying keeps the item's)
            ("new_category_id", "CASE WHEN p.category_is_manual THEN NULL ELSE s.category_id END"),
            ("line_id", "COALESCE(s.line_id, '')"),
            ("item_number_key", "COALESCE(s.item_number_key, '')"),
            ("search_document", "''"),
            (
                "is_word_change",
                f"CASE WHEN s.id IS NULL THEN FALSE WHEN p.id IS NULL THEN TRUE "
                f"ELSE ({conditions['name']} OR {conditions['brand']} "
                f"OR {conditions['description']} OR p.search_document = '' "
                f"OR {conditions['category']}) END",
            ),
            ("changed_fields", f"CASE WHEN {both} THEN {listed} ELSE '' END"),
            ("old_description", old("description", "description", "''")),
            ("old_brand", old("brand", "brand", "''")),
            ("old_gtin", old("gtin", "gtin", "''")),
            ("old_currency", old("currency", "currency", "''")),
            ("old_min_order_quantity", old("min_order_quantity", "min_order_quantity")),
            ("old_pack_unit_code", old("pack", "pack_unit_code", "''")),
            ("old_unspsc_code", old("unspsc_code", "unspsc_code", "''")),
            ("old_category_id", old("category", "category_id")),
            ("old_agreement_id", old("agreement", "agreement_id")),
            ("old_lot_id", old("agreement", "lot_id")),
            ("old_supplier_category", old("supplier_category", "supplier_category", "''")),
            ("old_line_id", old("line_id", "catalogue_line_id", "''")),
        ]


@contextmanager
def quick_commits() -> Iterator[None]:
    """PostgreSQL: within the block, a commit does not wait for its WAL to reach the disk
    (synchronous_commit off). An import commits many small steps; after a crash the last
    of them may be lost (never half-written), and the import is run or applied again."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def staging_analyze() -> None:
    """Give the planner the staged rows' statistics (PostgreSQL): the diff joins a freshly
    loaded, unindexed table with a million products."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_statistics_target = 10")  # a quick sample
            cursor.execute(
                f"ANALYZE {STAGE} (catalogue_import_id, supplier_item_number, is_deletion)"
            )


@dataclass(frozen=True)
class Scope:
    """Which import, and which part of the live catalogue it replaces."""

    municipality_id: int
    import_id: int
    supplier_id: int
    agreement_id: int
    lot_id: int | None
    #: CatalogueImport.Mode: full, partial, prices, items or deletion
    mode: str
    #: the file's fields it has no column for (CSV and Excel): live items keep these values
    kept_fields: tuple[str, ...] = ()


def partial_rows_complete(scope: Scope) -> int:
    """For a price or description update: find the live item each staged row is about (by
    catalogue line ID, else by item number, among the supplier's items on the agreement) and
    fill in what the row leaves out from it. A row naming no live item is reported and left
    out. Returns how many were left out."""
    if scope.mode not in ("prices", "items"):
        return 0
    if scope.mode == "prices":
        # the row has a price (and perhaps unit, currency, minimum); the rest is the item's
        fill = (
            "supplier_item_number = p.supplier_item_number, item_number_key = p.item_number_key, "
            "name = p.name, description = p.description, brand = p.brand, gtin = p.gtin, "
            "pack_quantity = p.pack_quantity, pack_unit_code = p.pack_unit_code, "
            "unspsc_code = p.unspsc_code, category_id = p.category_id"
        )
    else:
        # the row has a name and perhaps more words; the price is the item's
        fill = (
            f"supplier_item_number = p.supplier_item_number, "
            f"item_number_key = p.item_number_key, unit_price = p.unit_price, "
            f"description = CASE WHEN {STAGE}.description <> '' THEN {STAGE}.description "
            f"ELSE p.description END, "
            f"brand = CASE WHEN {STAGE}.brand <> '' THEN {STAGE}.brand ELSE p.brand END, "
            f"gtin = CASE WHEN {STAGE}.gtin <> '' THEN {STAGE}.gtin ELSE p.gtin END, "
            f"pack_unit_code = CASE WHEN {STAGE}.pack_quantity IS NULL THEN p.pack_unit_code "
            f"ELSE {STAGE}.pack_unit_code END, "
            f"pack_quantity = COALESCE({STAGE}.pack_quantity, p.pack_quantity), "
            f"unspsc_code = CASE WHEN {STAGE}.unspsc_code <> '' THEN {STAGE}.unspsc_code "
            f"ELSE p.unspsc_code END, category_id = COALESCE({STAGE}.category_id, p.category_id)"
        )
    common = (
        f"product_id = p.id, "
        f"unit_code = CASE WHEN {STAGE}.unit_code = '' THEN p.unit_code "
        f"ELSE {STAGE}.unit_code END, "
        f"currency = CASE WHEN {STAGE}.currency = '' THEN p.currency ELSE {STAGE}.currency END, "
        f"min_order_quantity = COALESCE({STAGE}.min_order_quantity, p.min_order_quantity)"
    )
    lot = "AND p.lot_id = %s " if scope.lot_id else ""
    lot_parameters = [scope.lot_id] if scope.lot_id else []
    with connection.cursor() as cursor:
        for match in (
            f"p.catalogue_line_id = {STAGE}.line_id",
            f"p.supplier_item_number = {STAGE}.supplier_item_number",
        ):
            cursor.execute(
                f"UPDATE {STAGE} SET {fill}, {common} FROM {PRODUCT} AS p "  # noqa: S608
                f"WHERE {STAGE}.catalogue_import_id = %s AND {STAGE}.product_id IS NULL "
                f"AND {STAGE}.line_id <> '' AND p.supplier_id = %s AND p.agreement_id = %s "
                f"{lot}AND {match}",
                [scope.import_id, scope.supplier_id, scope.agreement_id, *lot_parameters],
            )
        cursor.execute(
            f"SELECT id, row_number, line_id FROM {STAGE} "  # noqa: S608
            f"WHERE catalogue_import_id = %s AND product_id IS NULL",
            [scope.import_id],
        )
        unknown = cursor.fetchall()
        if not unknown:
            return 0
        _problems_insert(
            cursor,
            scope,
            [
                (
                    row_number,
                    "cbc:ID",
                    line_id,
                    "unknown_item_price" if scope.mode == "prices" else "unknown_item_description",
                    {"value": line_id},
                )
                for _id, row_number, line_id in unknown
            ],
        )
        _staging_delete(cursor, [row[0] for row in unknown])
    return len(unknown)


def _problems_insert(
    cursor: Any, scope: Scope, problems: list[tuple[int, str, str, str, dict[str, object]]]
) -> None:
    """Record rows left out: (row number, column, value, code, message parameters)."""
    cursor.executemany(
        f"INSERT INTO {PROBLEM} (municipality_id, catalogue_import_id, row_number, "  # noqa: S608
        f"{connection.ops.quote_name('column')}, value, code, params, is_row_left_out) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (
                scope.municipality_id,
                scope.import_id,
                row,
                column,
                value[:300],
                code,
                json.dumps(params),
                True,
            )
            for row, column, value, code, params in problems
        ],
    )


def _staging_delete(cursor: Any, ids: list[int]) -> None:
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        cursor.execute(
            f"DELETE FROM {STAGE} WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
            chunk,
        )


def categories_from_live_items(scope: Scope, resolve: Callable[[str, str], int | None]) -> None:
    """For a file that names no supplier category: find each staged row's category from the
    live item's supplier category with the row's UNSPSC code, so that a category chosen for
    the supplier's group holds. One pass over the distinct pairs, one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT p.supplier_category, s.unspsc_code FROM {STAGE} AS s "  # noqa: S608
            f"JOIN {PRODUCT} AS p ON p.supplier_id = %s "
            f"AND p.supplier_item_number = s.supplier_item_number "
            f"WHERE s.catalogue_import_id = %s AND p.supplier_category <> ''",
            [scope.supplier_id, scope.import_id],
        )
        decided = [(name, code, resolve(name, code)) for name, code in cursor.fetchall()]
        if not decided:
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS import_categories (supplier_category "
            "varchar(60) NOT NULL, unspsc_code varchar(8) NOT NULL, category_id bigint NULL)"
        )
        cursor.execute("DELETE FROM import_categories")
        cursor.executemany(
            "INSERT INTO import_categories (supplier_category, unspsc_code, category_id) "
            "VALUES (%s, %s, %s)",
            decided,
        )
        cursor.execute(
            f"UPDATE {STAGE} SET category_id = t.category_id "  # noqa: S608
            f"FROM {PRODUCT} AS p, import_categories AS t "
            f"WHERE {STAGE}.catalogue_import_id = %s AND p.supplier_id = %s "
            f"AND p.supplier_item_number = {STAGE}.supplier_item_number "
            f"AND t.supplier_category = p.supplier_category "
            f"AND t.unspsc_code = {STAGE}.unspsc_code",
            [scope.import_id, scope.supplier_id],
        )


def duplicates_drop(scope: Scope, *, column: str) -> int:
    """Report every repeat of an item number in the file (the first occurrence stays) and
    drop it from staging. Returns how many were dropped."""
    ranked = (
        f"SELECT id, row_number, supplier_item_number, "  # noqa: S608 - constant names
        f"ROW_NUMBER() OVER (PARTITION BY supplier_item_number ORDER BY row_number) AS place, "
        f"MIN(row_number) OVER (PARTITION BY supplier_item_number) AS first_row "
        f"FROM {STAGE} WHERE catalogue_import_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {STAGE} WHERE catalogue_import_id = %s "  # noqa: S608
            f"GROUP BY supplier_item_number HAVING COUNT(*) > 1 LIMIT 1",
            [scope.import_id],
        )
        if cursor.fetchone() is None:
            return 0
        cursor.execute(
            f"SELECT id, row_number, supplier_item_number, first_row FROM ({ranked}) AS r "  # noqa: S608
            f"WHERE place > 1",
            [scope.import_id],
        )
        repeats = cursor.fetchall()
        if not repeats:
            return 0
        _problems_insert(
            cursor,
            scope,
            [
                (
                    row_number,
                    column,
                    item_number,
                    "duplicate_item_number",
                    {"value": item_number, "first_row": first_row},
                )
                for _id, row_number, item_number, first_row in repeats
            ],
        )
        _staging_delete(cursor, [row[0] for row in repeats])
    return len(repeats)


@dataclass(frozen=True)
class DiffCounts:
    added: int
    removed: int
    changed: int
    unchanged: int
    price_increases: int
    price_decreases: int
    unit_changes: int
    price_jumps: int


def _full_diff_in_one_pass(cursor: Any, scope: Scope) -> None:
    """PostgreSQL, whole catalogue: new, changed and gone items in one full join of the
    staged rows with the supplier's products (one hash join instead of three)."""
    sql = _Sql(scope)
    lot_filter = "AND p.lot_id = %s " if scope.lot_id else ""
    cursor.execute(
        f"INSERT INTO {CHANGE} ({sql.change_columns()}) SELECT {sql.change_values()} "  # noqa: S608
        f"FROM (SELECT * FROM {STAGE} WHERE catalogue_import_id = %s AND NOT is_deletion) AS s "
        f"FULL OUTER JOIN (SELECT * FROM {PRODUCT} WHERE supplier_id = %s) AS p "
        f"ON p.supplier_item_number = s.supplier_item_number "
        f"WHERE p.id IS NULL "
        f"OR (s.id IS NULL AND p.is_active AND p.agreement_id = %s {lot_filter}) "
        f"OR (s.id IS NOT NULL AND p.id IS NOT NULL AND {sql.differs()})",
        [
            scope.municipality_id,
            scope.import_id,
            scope.import_id,
            scope.supplier_id,
            scope.agreement_id,
            *([scope.lot_id] if scope.lot_id else []),
        ],
    )


def diff_compute(scope: Scope) -> DiffCounts:
    """Write the import's changes against the live catalogue and count them."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CHANGE} WHERE catalogue_import_id = %s", [scope.import_id])  # noqa: S608
        if connection.vendor == "postgresql" and scope.mode == "full":
            _full_diff_in_one_pass(cursor, scope)
            return _counts(cursor, scope)
        sql = _Sql(scope)
        columns, values = sql.change_columns(), sql.change_values()
        # new: staged, not deleted, and the supplier has no such item number
        cursor.execute(
            f"INSERT INTO {CHANGE} ({columns}) SELECT {values} "  # noqa: S608
            f"FROM {STAGE} AS s LEFT JOIN {PRODUCT} AS p "
            f"ON p.supplier_id = %s AND p.supplier_item_number = s.supplier_item_number "
            f"WHERE s.catalogue_import_id = %s AND NOT s.is_deletion AND p.id IS NULL",
            [scope.municipality_id, scope.import_id, scope.supplier_id, scope.import_id],
        )
        # changed: any field differs, the item is inactive, or it moves agreement or lot
        cursor.execute(
            f"INSERT INTO {CHANGE} ({columns}) SELECT {values} "  # noqa: S608
            f"FROM {STAGE} AS s JOIN {PRODUCT} AS p "
            f"ON p.supplier_id = %s AND p.supplier_item_number = s.supplier_item_number "
            f"WHERE s.catalogue_import_id = %s AND NOT s.is_deletion AND {sql.differs()}",
            [scope.municipality_id, scope.import_id, scope.supplier_id, scope.import_id],
        )
        # gone: a full catalogue leaves out an active item of this supplier and agreement
        # (and lot); a partial one names it with action Delete; a deletion takes them all
        lot_filter = "AND p.lot_id = %s " if scope.lot_id else ""
        missing = {
            "full": f"NOT EXISTS (SELECT 1 FROM {STAGE} AS x WHERE x.catalogue_import_id = %s "  # noqa: S608
            f"AND NOT x.is_deletion AND x.supplier_item_number = p.supplier_item_number)",
            "partial": f"EXISTS (SELECT 1 FROM {STAGE} AS x WHERE x.catalogue_import_id = %s "  # noqa: S608
            f"AND x.is_deletion AND x.supplier_item_number = p.supplier_item_number)",
            "deletion": "1 = 1",
        }.get(scope.mode)
        if missing:
            # s: no staged row (the column list reads NULLs from it)
            cursor.execute(
                f"INSERT INTO {CHANGE} ({columns}) SELECT {values} "  # noqa: S608
                f"FROM {PRODUCT} AS p LEFT JOIN {STAGE} AS s ON 1 = 0 "
                f"WHERE p.supplier_id = %s AND p.agreement_id = %s "
                f"AND p.is_active {lot_filter}AND {missing}",
                [
                    scope.municipality_id,
                    scope.import_id,
                    scope.supplier_id,
                    scope.agreement_id,
                    *([scope.lot_id] if scope.lot_id else []),
                    *([scope.import_id] if scope.mode != "deletion" else []),
                ],
            )
        return _counts(cursor, scope)


def _counts(cursor: Any, scope: Scope) -> DiffCounts:
    """Count the import's changes, and the staged rows that change nothing."""
    cursor.execute(
        f"SELECT kind, COUNT(*), "  # noqa: S608
        f"SUM(CASE WHEN is_price_change AND new_unit_price > old_unit_price THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN is_price_change AND new_unit_price < old_unit_price THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN is_unit_change THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN is_price_jump THEN 1 ELSE 0 END) "
        f"FROM {CHANGE} WHERE catalogue_import_id = %s GROUP BY kind",
        [scope.import_id],
    )
    counts = {
        kind: (count, up or 0, down or 0, unit or 0, jumps or 0)
        for kind, count, up, down, unit, jumps in cursor.fetchall()
    }
    cursor.execute(
        f"SELECT COUNT(*) FROM {STAGE} WHERE catalogue_import_id = %s AND NOT is_deletion",  # noqa: S608
        [scope.import_id],
    )
    staged = cursor.fetchone()[0]
    added = counts.get("added", (0, 0, 0, 0, 0))[0]
    changed, up, down, unit, jumps = counts.get("changed", (0, 0, 0, 0, 0))
    return DiffCounts(
        added=added,
        removed=counts.get("removed", (0, 0, 0, 0, 0))[0],
        changed=changed,
        unchanged=staged - added - changed,
        price_increases=up,
        price_decreases=down,
        unit_changes=unit,
        price_jumps=jumps,
    )


def removals_keep(scope: Scope, item_numbers: Iterable[str]) -> DiffCounts:
    """Keep live the items whose rows the file has but that were left out for a problem: a
    bad row is not a retired item. Returns the counts again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS import_refused (item_number varchar(100) "
            "NOT NULL)"
        )
        cursor.execute("DELETE FROM import_refused")
        if connection.vendor == "postgresql":
            with cursor.copy("COPY import_refused (item_number) FROM STDIN") as copy:
                for number in item_numbers:
                    copy.write_row((number,))
        else:
            cursor.executemany(
                "INSERT INTO import_refused (item_number) VALUES (%s)",
                [(number,) for number in item_numbers],
            )
        cursor.execute(
            f"DELETE FROM {CHANGE} WHERE catalogue_import_id = %s AND kind = 'removed' "  # noqa: S608
            f"AND supplier_item_number IN (SELECT item_number FROM import_refused)",
            [scope.import_id],
        )
        return _counts(cursor, scope)


def uncategorised_count(scope: Scope) -> int:
    """The import's items that will have no category: none found for the row, and none on
    the live item."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {STAGE} AS s LEFT JOIN {PRODUCT} AS p "  # noqa: S608
            f"ON p.supplier_id = %s AND p.supplier_item_number = s.supplier_item_number "
            f"WHERE s.catalogue_import_id = %s AND NOT s.is_deletion "
            f"AND s.category_id IS NULL AND p.category_id IS NULL",
            [scope.supplier_id, scope.import_id],
        )
        return int(cursor.fetchone()[0])


def live_items_count(scope: Scope) -> int:
    """The supplier's live items the import may replace: active, on its agreement (and lot)."""
    lot_filter = "AND lot_id = %s " if scope.lot_id else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {PRODUCT} WHERE supplier_id = %s AND agreement_id = %s "  # noqa: S608
            f"{lot_filter}AND is_active",
            [scope.supplier_id, scope.agreement_id, *([scope.lot_id] if scope.lot_id else [])],
        )
        return int(cursor.fetchone()[0])


def rows_needing_tokens(
    scope: Scope, *, batch: int = 5000
) -> Iterator[list[tuple[int, str, str, str, str]]]:
    """Batches of (change id, name, brand, description, category name) of the import's new
    items and of those whose words changed: only these need their search tokens worked out.
    Read with a server-side cursor on PostgreSQL, so a first import of a million items is
    never held in memory whole."""
    statement = (
        f"SELECT c.id, c.name, c.brand, c.description, COALESCE(cat.name, '') "  # noqa: S608
        f"FROM {CHANGE} AS c LEFT JOIN {PRODUCT} AS p ON p.id = c.product_id "
        f"LEFT JOIN catalog_category AS cat "
        f"ON cat.id = COALESCE(c.new_category_id, p.category_id) "
        f"WHERE c.catalogue_import_id = %s AND c.is_word_change"
    )
    parameters = [scope.import_id]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(statement, parameters)
            rows = cursor.fetchall()
        for start in range(0, len(rows), batch):
            yield [tuple(row) for row in rows[start : start + batch]]
        return
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(statement, parameters)
        while rows := cursor.fetchmany(batch):
            yield [tuple(row) for row in rows]


def tokens_store(rows: list[tuple[str, int]]) -> None:
    """Set the search tokens of new and reworded items: (tokens, change id). PostgreSQL: COPY
    into a temporary table and one UPDATE; SQLite: one UPDATE per row."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {CHANGE} SET search_document = %s WHERE id = %s", rows)  # noqa: S608
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS import_tokens "
            "(id bigint PRIMARY KEY, tokens text NOT NULL)"
        )
        cursor.execute("TRUNCATE import_tokens")
        with cursor.copy("COPY import_tokens (id, tokens) FROM STDIN") as copy:
            for tokens, change_id in rows:
                copy.write_row((change_id, tokens))
        cursor.execute(
            f"UPDATE {CHANGE} SET search_document = t.tokens FROM import_tokens AS t "  # noqa: S608
            f"WHERE {CHANGE}.id = t.id"
        )


def changes_apply(scope: Scope, *, now: datetime) -> None:
    """Make the diff live from the change table alone (the staged rows are gone by then):
    update changed products, add new ones, deactivate gone ones. Each statement finds its
    rows by the change table's (import, kind) index and products by primary key. The caller
    holds the transaction."""
    pg = connection.vendor == "postgresql"
    empty_labels = "'[]'::jsonb" if pg else "'[]'"
    line_id = "CASE WHEN c.line_id = c.supplier_item_number THEN '' ELSE c.line_id END"
    # a file for no lot leaves the lot of an item already on the agreement as it is
    lot_kept = (
        "%s"
        if scope.lot_id
        else f"CASE WHEN p.agreement_id = {_literal(scope.agreement_id)} THEN p.lot_id ELSE %s END"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PRODUCT} AS p SET name = c.name, description = c.description, "  # noqa: S608
            f"brand = c.brand, gtin = c.gtin, unit_code = c.new_unit_code, "
            f"pack_quantity = c.new_pack_quantity, pack_unit_code = c.new_pack_unit_code, "
            f"unit_price = c.new_unit_price, currency = c.currency, "
            f"min_order_quantity = COALESCE(c.min_order_quantity, p.min_order_quantity), "
            f"unspsc_code = c.unspsc_code, supplier_category = c.supplier_category, "
            f"item_number_key = c.item_number_key, agreement_id = %s, lot_id = {lot_kept}, "
            f"catalogue_line_id = CASE WHEN c.line_id = '' THEN p.catalogue_line_id "
            f"ELSE {line_id} END, "
            f"category_id = COALESCE(c.new_category_id, p.category_id), is_active = TRUE, "
            f"search_document = CASE WHEN c.search_document <> '' THEN c.search_document "
            f"ELSE p.search_document END, updated_at = %s "
            f"FROM {CHANGE} AS c WHERE c.catalogue_import_id = %s AND c.kind = 'changed' "
            f"AND p.id = c.product_id",
            [scope.agreement_id, scope.lot_id, now, scope.import_id],
        )
        cursor.execute(
            f"INSERT INTO {PRODUCT} (created_at, updated_at, municipality_id, supplier_id, "  # noqa: S608
            f"supplier_item_number, gtin, name, description, brand, unit_code, pack_quantity, "
            f"pack_unit_code, unit_price, currency, min_order_quantity, agreement_id, lot_id, "
            f"category_id, category_is_manual, unspsc_code, supplier_category, eco_labels, "
            f"is_sustainable, is_service, is_active, search_document, item_number_key, "
            f"catalogue_line_id) "
            f"SELECT %s, %s, %s, %s, c.supplier_item_number, c.gtin, c.name, c.description, "
            f"c.brand, c.new_unit_code, c.new_pack_quantity, c.new_pack_unit_code, "
            f"c.new_unit_price, c.currency, COALESCE(c.min_order_quantity, 1), %s, %s, "
            f"c.new_category_id, FALSE, c.unspsc_code, c.supplier_category, {empty_labels}, "
            f"FALSE, FALSE, TRUE, c.search_document, c.item_number_key, {line_id} "
            f"FROM {CHANGE} AS c WHERE c.catalogue_import_id = %s AND c.kind = 'added'",
            [
                now,
                now,
                scope.municipality_id,
                scope.supplier_id,
                scope.agreement_id,
                scope.lot_id,
                scope.import_id,
            ],
        )
        cursor.execute(
            f"UPDATE {CHANGE} SET product_id = (SELECT p.id FROM {PRODUCT} AS p "  # noqa: S608
            f"WHERE p.supplier_id = %s AND p.supplier_item_number = {CHANGE}.supplier_item_number) "
            f"WHERE catalogue_import_id = %s AND kind = 'added'",
            [scope.supplier_id, scope.import_id],
        )
        cursor.execute(
            f"UPDATE {PRODUCT} SET is_active = FALSE, updated_at = %s WHERE id IN "  # noqa: S608
            f"(SELECT product_id FROM {CHANGE} "
            f"WHERE catalogue_import_id = %s AND kind = 'removed')",
            [now, scope.import_id],
        )


def staging_clear(import_id: int) -> None:
    """Drop an import's staged rows (applied, rejected or failed: the file is kept)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAGE} WHERE catalogue_import_id = %s", [import_id])  # noqa: S608
