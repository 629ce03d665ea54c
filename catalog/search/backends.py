"""The two database backends of catalogue search. They only find: which products contain the
tokens a query asks for, and which vocabulary words look like a misspelt one. The analysis
before and the ranking after are shared Python (`analysis`, `query`, `ranking`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from enum import StrEnum
from typing import Literal, Protocol

from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.search.query import AnalyzedQuery, QueryTerm
from core.errors import ApplicationError

Mode = Literal["all", "words", "any"]


def _safe(token: str) -> str:
    """Tokens are analysed text ([a-z0-9.]); anything else never reaches a query."""
    return "".join(char for char in token if char.isalnum() or char == ".")


def _terms_for(query: AnalyzedQuery, mode: Mode) -> list[QueryTerm]:
    return list(query.terms if mode == "all" else query.word_terms)


class Backend(Protocol):
    def filter_matching(
        self, products: QuerySet[Product], query: AnalyzedQuery, mode: Mode
    ) -> QuerySet[Product]: ...

    def similar_terms(self, municipality_id: int, word: str) -> list[tuple[str, int]]: ...

    def through_index(self) -> AbstractContextManager[None]: ...


class PostgresBackend:
    """Full-text search on a stored tsvector (GIN), spelling candidates by pg_trgm."""

    def _tsquery(self, query: AnalyzedQuery, mode: Mode) -> str:
        groups = []
        for term in _terms_for(query, mode):
            options = [f"'{_safe(token)}'" for token in term.tokens() if _safe(token)]
            if term.prefix and _safe(term.prefix):
                options.append(f"'{_safe(term.prefix)}':*")
            if options:
                groups.append("(" + " | ".join(options) + ")")
        return (" | " if mode == "any" else " & ").join(groups)

    def filter_matching(
        self, products: QuerySet[Product], query: AnalyzedQuery, mode: Mode
    ) -> QuerySet[Product]:
        tsquery = self._tsquery(query, mode)
        if not tsquery:
            return products.none()
        return products.extra(
            where=["catalog_product.search_vector @@ to_tsquery('simple', %s)"], params=[tsquery]
        )

    def similar_terms(self, municipality_id: int, word: str) -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, frequency FROM catalog_searchterm "
                "WHERE municipality_id = %s AND term %% %s "
                "ORDER BY similarity(term, %s) DESC, frequency DESC LIMIT 30",
                [municipality_id, word, word],
            )
            return [(term, frequency) for term, frequency in cursor.fetchall()]

    @contextmanager
    def through_index(self) -> Iterator[None]:
        """Find matches through the full-text index, never by reading the table in order.

        For the looser matches, tried when no product has every word: the planner, which
        cannot know how few of a word's products a unit's assortment holds, would otherwise
        read a million rows to find a hundred ("webkamera usb-c" for a daycare, 0.6 s against
        0.1 s). Inside a search's transaction (statement_timeout)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
            )
            row = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), "
                "set_config('enable_indexscan', 'off', true)"
            )
        yield
        # put back only after success: a failed statement aborts the transaction, and rolling
        # it (or its savepoint) back undoes the settings anyway
        if row:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', %s, true), "
                    "set_config('enable_indexscan', %s, true)",
                    [row[0], row[1]],
                )


class SqliteBackend:
    """FTS5 over the tokens; spelling candidates from a trigram FTS5 table."""

    def _match(self, query: AnalyzedQuery, mode: Mode) -> str:
        groups = []
        for term in _terms_for(query, mode):
            options = [f'"{_safe(token)}"' for token in term.tokens() if _safe(token)]
            if term.prefix and _safe(term.prefix):
                options.append(f'"{_safe(term.prefix)}"*')
            if options:
                groups.append("(" + " OR ".join(options) + ")")
        return (" OR " if mode == "any" else " AND ").join(groups)

    def filter_matching(
        self, products: QuerySet[Product], query: AnalyzedQuery, mode: Mode
    ) -> QuerySet[Product]:
        match = self._match(query, mode)
        if not match:
            return products.none()
        return products.extra(
            where=[
                "catalog_product.id IN (SELECT rowid FROM catalog_product_fts "
                "WHERE catalog_product_fts MATCH %s)"
            ],
            params=[match],
        )

    def similar_terms(self, municipality_id: int, word: str) -> list[tuple[str, int]]:
        trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not trigrams:
            return []
        match = " OR ".join(f'"{_safe(trigram)}"' for trigram in sorted(trigrams))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.term, t.frequency FROM catalog_searchterm_trigram AS f "
                "JOIN catalog_searchterm AS t ON t.id = f.rowid "
                "WHERE catalog_searchterm_trigram MATCH %s AND t.municipality_id = %s "
                "ORDER BY f.rank LIMIT 30",
                [match, municipality_id],
            )
            return [(term, frequency) for term, frequency in cursor.fetchall()]

    @contextmanager
    def through_index(self) -> Iterator[None]:
        """FTS5 always answers through its index."""
        yield


def backend() -> Backend:
    """The backend of the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()


class SearchErrorCode(StrEnum):
    TOO_SLOW = "too_slow"


class SearchTimeoutError(ApplicationError):
    """The database did not answer a search in time (a statement ran into the timeout)."""

    def __init__(self) -> None:
        super().__init__(
            SearchErrorCode.TOO_SLOW,
            _(
                "The search took too long and was stopped. Try again in a moment, or add a word "
                "or an item number to narrow it."
            ),
        )


def _is_cancelled(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "57014"  # query_canceled


@contextmanager
def statement_timeout(milliseconds: int) -> Iterator[None]:
    """On PostgreSQL, no statement inside takes longer than `milliseconds`: they run in one
    transaction (or savepoint) with a local statement_timeout, which is put back afterwards.
    A statement that runs into it raises SearchTimeoutError. SQLite has no such limit."""
    if connection.vendor != "postgresql":
        yield
        return
    # SET LOCAL would outlive the block: put it back
    nested = connection.in_atomic_block or not connection.get_autocommit()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH previous AS MATERIALIZED "
                    "(SELECT current_setting('statement_timeout') AS value) "
                    "SELECT value, set_config('statement_timeout', %s, true) FROM previous",
                    [f"{milliseconds}ms"],
                )
                row = cursor.fetchone()
            yield
            if nested and row:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [row[0]])
    except OperationalError as error:
        if _is_cancelled(error):
            raise SearchTimeoutError from error
        raise


def known_tokens(municipality_id: int, tokens: Iterable[str]) -> set[str]:
    """Which of `tokens` the municipality's catalogue has (same on both databases)."""
    from catalog.models import SearchTerm

    wanted = sorted(set(tokens))
    if not wanted:
        return set()
    return set(
        SearchTerm.objects.filter(municipality_id=municipality_id, term__in=wanted).values_list(
            "term", flat=True
        )
    )
