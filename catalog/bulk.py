"""Set-based writes the ORM does slowly: a million products' search fields, a vocabulary's
counts. PostgreSQL: COPY into a temporary table and one UPDATE (or INSERT ... ON CONFLICT);
SQLite (embedded, small catalogues): plain statements in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

PRODUCT = "catalog_product"
TERM = "catalog_searchterm"


def product_search_fields_store(rows: Iterable[tuple[int, str, str]]) -> int:
    """Set (product id, search tokens, item number key) for each row; returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {PRODUCT} SET search_document = %s, item_number_key = %s "  # noqa: S608
                f"WHERE id = %s",
                [(document, key, pk) for pk, document, key in rows],
            )
            return len(rows)
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS bulk_search_fields "
            "(id bigint PRIMARY KEY, document text NOT NULL, item_key text NOT NULL)"
        )
        cursor.execute("TRUNCATE bulk_search_fields")
        with cursor.copy("COPY bulk_search_fields (id, document, item_key) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {PRODUCT} AS p SET search_document = b.document, "  # noqa: S608
            f"item_number_key = b.item_key FROM bulk_search_fields AS b WHERE p.id = b.id "
            f"AND (p.search_document <> b.document OR p.item_number_key <> b.item_key)"
        )
    return len(rows)


def search_terms_add(municipality_id: int, counts: dict[str, int]) -> None:
    """Add `counts` to the vocabulary's frequencies, creating the terms that are new."""
    if not counts:
        return
    terms = [term[:100] for term in counts]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {TERM} (municipality_id, term, frequency, is_word) "  # noqa: S608
                f"SELECT %s, term, frequency, FALSE "
                f"FROM unnest(%s::text[], %s::int[]) AS t (term, frequency) "
                f"ON CONFLICT (municipality_id, term) "
                f"DO UPDATE SET frequency = {TERM}.frequency + excluded.frequency",
                [municipality_id, terms, list(counts.values())],
            )
            return
        cursor.executemany(
            f"INSERT INTO {TERM} (municipality_id, term, frequency, is_word) "  # noqa: S608
            f"VALUES (%s, %s, %s, FALSE) ON CONFLICT (municipality_id, term) "
            f"DO UPDATE SET frequency = {TERM}.frequency + excluded.frequency",
            [
                (municipality_id, term, count)
                for term, count in zip(terms, counts.values(), strict=True)
            ],
        )
