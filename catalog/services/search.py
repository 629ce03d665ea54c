"""Writes to the search index: the vocabulary and every product's tokens."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.bulk import product_search_fields_store
from catalog.models import Product, SearchIndex, SearchTerm
from catalog.search.analysis import Analyzer, fold, item_number_key, vocabulary
from catalog.search.lexicon import base_lexicon

SEARCH_REFRESH_BATCH = 5000


@dataclass(frozen=True)
class SearchRefreshOutcome:
    products: int
    terms: int
    version: int


@transaction.atomic
def search_index_refresh(*, municipality_id: int) -> SearchRefreshOutcome:
    """Rebuild the municipality's search vocabulary from its product names, then every product's
    search tokens with it (new words may split compounds differently), and move the index
    version on so that every process reloads its analyzer."""
    names = Product.objects.filter(municipality_id=municipality_id).values_list("name", flat=True)
    standalone = Counter(
        word
        for word in vocabulary(Analyzer(lexicon=frozenset()), names.iterator())
        if len(word) >= 3
    )
    base = frozenset(fold(word) for word in base_lexicon())
    analyzer = Analyzer(lexicon=base | frozenset(standalone), base=base)
    frequencies: Counter[str] = Counter()
    rows = (
        Product.objects.filter(municipality_id=municipality_id)
        .order_by("pk")
        .values_list("pk", "name", "brand", "description", "supplier_item_number", "category__name")
    )
    batch: list[tuple[int, str, str]] = []
    total = 0
    for pk, name, brand, description, item_number, category in rows.iterator(
        chunk_size=SEARCH_REFRESH_BATCH
    ):
        tokens = analyzer.document_tokens(name, brand, category or "", description)
        frequencies.update(tokens)
        batch.append((pk, " ".join(tokens), item_number_key(item_number)))
        if len(batch) >= SEARCH_REFRESH_BATCH:
            total += product_search_fields_store(batch)
            batch = []
    total += product_search_fields_store(batch)
    SearchTerm.objects.filter(municipality_id=municipality_id).delete()
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(
                municipality_id=municipality_id,
                term=term[:100],
                frequency=count,
                is_word=term in standalone,
            )
            for term, count in frequencies.items()
            if not term.replace(".", "").isdigit()
        ],
        batch_size=SEARCH_REFRESH_BATCH,
    )
    index, _created = SearchIndex.objects.get_or_create(municipality_id=municipality_id)
    SearchIndex.objects.filter(pk=index.pk).update(
        version=F("version") + 1, refreshed_at=timezone.now()
    )
    index.refresh_from_db()
    return SearchRefreshOutcome(products=total, terms=len(frequencies), version=index.version)
