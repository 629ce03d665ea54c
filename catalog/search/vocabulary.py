"""The analyzer of a municipality's catalogue (base lexicon + the catalogue's own words),
cached per process and reloaded when the search index's version moves on."""

from __future__ import annotations

import threading

from catalog.models import SearchIndex, SearchTerm
from catalog.search.analysis import Analyzer, fold
from catalog.search.lexicon import base_lexicon

_LOCK = threading.Lock()
_ANALYZERS: dict[int, tuple[tuple[int, str], Analyzer]] = {}


def index_version(municipality_id: int) -> tuple[int, str]:
    """The index's version and refresh time: a new refresh always gives a new value."""
    row = (
        SearchIndex.objects.filter(municipality_id=municipality_id)
        .values_list("version", "refreshed_at")
        .first()
    )
    return (row[0], str(row[1])) if row else (0, "")


def analyzer_for(municipality_id: int) -> Analyzer:
    """The analyzer for the municipality's catalogue as of its latest index refresh."""
    version = index_version(municipality_id)
    with _LOCK:
        cached = _ANALYZERS.get(municipality_id)
        if cached is not None and cached[0] == version:
            return cached[1]
    words = SearchTerm.objects.filter(municipality_id=municipality_id, is_word=True).values_list(
        "term", flat=True
    )
    base = frozenset(fold(word) for word in base_lexicon())
    analyzer = Analyzer(lexicon=base | frozenset(words), base=base)
    with _LOCK:
        _ANALYZERS[municipality_id] = (version, analyzer)
    return analyzer
