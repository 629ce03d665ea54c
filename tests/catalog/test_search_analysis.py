from __future__ import annotations

import pytest

from catalog.search.analysis import (
    Analyzer,
    edit_distance,
    fold,
    item_number_key,
    unfold,
    words,
)
from catalog.search.lexicon import base_lexicon
from catalog.search.query import analyze_query

BASE = frozenset(fold(word) for word in base_lexicon())


@pytest.fixture
def analyzer() -> Analyzer:
    return Analyzer(lexicon=BASE | {"flormelis", "hvedemel"}, base=BASE)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Skærm", "skaerm"), ("Æg", "aeg"), ("Pålæg", "paalaeg"), ("Crème brûlée", "creme brulee")],
)
def test_folding_writes_danish_letters_as_typed_without_them(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_unfolding_restores_the_danish_letters() -> None:
    assert unfold("skaerm") == "skærm"
    assert unfold("paalaeg") == "pålæg"


def test_words_keep_numbers_sizes_and_paper_formats() -> None:
    assert words("Hvedemel, 2,5 kg") == ["hvedemel", "2.5", "kg"]
    assert words("Printerpapir A4 80g") == ["printerpapir", "a4", "80g", "80"]
    assert words("Kabel USB-C, 2 m") == ["kabel", "usb", "c", "2", "m"]


def test_inflections_meet_their_base_form(analyzer: Analyzer) -> None:
    assert analyzer.forms("kuglepenne").lemma == "kuglepen"
    assert analyzer.forms("kuglepen").surface == "kuglepen"
    assert analyzer.forms("æggene").lemma == "aeg"
    assert analyzer.forms("papirer").stem == analyzer.forms("papir").stem == "papir"


def test_kablet_is_not_kabler(analyzer: Analyzer) -> None:
    wired, cables = analyzer.forms("kablet"), analyzer.forms("kabler")
    assert wired.tokens() == {"kablet"}
    assert cables.lemma == "kabel"
    assert not wired.tokens() & cables.tokens()


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("hvedemel", ("hvede", "mel")),
        ("printerpapir", ("printer", "papir")),
        ("affaldssække", ("affald", "saek")),
        ("nitrilhandsker", ("nitril", "handske")),
        ("flormelis", ()),  # not flor + mel + is
        ("karamel", ()),  # not kara + mel
        ("økologiske", ()),  # not økologi + ske
        ("pålæg", ()),
    ],
)
def test_compounds_split_into_known_words_only(
    analyzer: Analyzer, word: str, parts: tuple[str, ...]
) -> None:
    assert analyzer.forms(word).parts == parts


def test_mel_is_in_hvedemel_but_not_in_flormelis(analyzer: Analyzer) -> None:
    assert "mel" in analyzer.document_tokens("Hvedemel, 2 kg")
    assert "mel" not in analyzer.document_tokens("Flormelis, 500 g")
    assert "aeg" not in analyzer.document_tokens("Pålæg, skinke")


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("hvedemeel", "hvedemel", 1),
        ("tastatru", "tastatur", 1),
        ("kuglepne", "kuglepen", 1),
        ("sukker", "sukker", 0),
        ("mel", "melis", 2),
    ],
)
def test_edit_distance_counts_swaps_as_one(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second) == distance


def test_item_numbers_compare_in_any_case_or_punctuation() -> None:
    assert item_number_key("kh-1001") == item_number_key("KH 1001") == "KH1001"
    assert item_number_key("FØ-0701") == "FOE0701"


def test_a_misspelt_word_is_corrected_against_the_vocabulary(analyzer: Analyzer) -> None:
    vocabulary = {"hvedemel": 40, "hvede": 40, "mel": 45, "flormelis": 12}
    query = analyze_query(
        "hvedemeel ",
        analyzer=analyzer,
        known=lambda tokens: tokens & vocabulary.keys(),
        similar=lambda word: sorted(vocabulary.items()),
    )
    [term] = query.terms
    assert query.corrections == {"hvedemeel": "hvedemel"}
    assert term.corrected_to == "hvedemel"
    assert "hvedemel" in term.alternatives
    assert term.prefix == ""  # the query ended with a space: the word is complete


def test_a_known_word_is_never_corrected(analyzer: Analyzer) -> None:
    query = analyze_query(
        "mel",
        analyzer=analyzer,
        known=lambda tokens: tokens & {"mel"},
        similar=lambda word: [("melis", 9)],
    )
    assert query.corrections == {}
    assert query.terms[0].prefix == "mel"  # still typing: also a prefix


def test_identifiers_are_recognised() -> None:
    analyzer = Analyzer(lexicon=BASE, base=BASE)
    query = analyze_query(
        "5799997 000296", analyzer=analyzer, known=lambda t: set(), similar=lambda w: []
    )
    assert (query.gtin, query.item_number) == ("5799997000296", "5799997000296")
