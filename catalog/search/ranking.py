"""The order of search results: shared by both backends, decided in Python over the candidates
the database found. Names weigh most; exact forms beat lemmas beat stems beat compound parts;
short, specific names beat long ones; recommended and sustainable items are ranked up."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.search.analysis import Analyzer, WordForms, fold, words
from catalog.search.query import PREFIX, AnalyzedQuery, QueryTerm

FORM_WEIGHT = {"surface": 1.0, "lemma": 0.95, "stem": 0.85}
TAIL_PART, HEAD_PART = 0.75, 0.55
OTHER_FIELD = 0.4  # a match in brand, category or description instead of the name
ALSO_OTHER_FIELD = 0.2  # ... and as well as the name ("papir" in a product of category Papir)
NUMBER_WEIGHT = 0.5
ALL_TERMS_BONUS = 1.0
FIRST_WORD_BONUS = 0.3
EXTRA_WORD_PENALTY = 0.06
RECOMMENDED_BONUS = 0.4
SUSTAINABLE_BONUS = 0.25
IDENTIFIER_BONUS = 100.0
#: Once the best result answers every word in its name, results scoring below this share of
#: its score are left out ("æg" does not list milk of the category "Mejeri og æg").
RELATIVE_CUT = 0.35


@dataclass(frozen=True)
class Candidate:
    """What the ranking reads of a product."""

    id: int
    name: str
    other_text: str  # brand, category, description
    item_number_key: str
    gtin: str
    is_recommended: bool
    is_sustainable_choice: bool


def _term_quality(term: QueryTerm, word: WordForms) -> float:
    best = 0.0
    for form, weight in FORM_WEIGHT.items():
        token = getattr(word, form)
        if token in term.alternatives:
            best = max(best, term.alternatives[token] * weight)
    if best < TAIL_PART and word.parts:
        tail_forms = {word.parts[-1], word.part_stems[-1]}
        head_forms = set(word.parts[:-1]) | set(word.part_stems[:-1])
        for token, quality in term.alternatives.items():
            if token in tail_forms:
                best = max(best, quality * TAIL_PART)
            elif token in head_forms:
                best = max(best, quality * HEAD_PART)
    if best < PREFIX and term.prefix and word.surface.startswith(term.prefix):
        best = max(best, PREFIX)
    return best


class _Scorer:
    """Scores candidates for one query. A word's quality for each query term is worked out
    once per query, however many candidates share the word (the same noun in 300 names)."""

    def __init__(self, query: AnalyzedQuery, analyzer: Analyzer) -> None:
        self.query = query
        self.analyzer = analyzer
        self.terms = query.terms
        self.weights = [NUMBER_WEIGHT if term.is_number else 1.0 for term in query.terms]
        self.first_word = next(
            (index for index, term in enumerate(query.terms) if not term.is_number), None
        )
        self._qualities: dict[str, tuple[float, ...]] = {}
        self._words: dict[str, list[str]] = {}

    def qualities(self, word: str) -> tuple[float, ...]:
        known = self._qualities.get(word)
        if known is None:
            forms = self.analyzer.forms(word)
            known = tuple(_term_quality(term, forms) for term in self.terms)
            self._qualities[word] = known
        return known

    def words_of(self, text: str) -> list[str]:
        known = self._words.get(text)
        if known is None:
            known = self._words[text] = words(text)
        return known

    def score(self, candidate: Candidate) -> float:
        query = self.query
        total = 0.0
        if query.item_number and candidate.item_number_key == query.item_number:
            total += IDENTIFIER_BONUS
        if query.gtin and candidate.gtin == query.gtin:
            total += IDENTIFIER_BONUS
        name_words = self.words_of(candidate.name)
        name_qualities = [self.qualities(word) for word in name_words]
        other_qualities = [self.qualities(word) for word in self.words_of(candidate.other_text)]
        matched_name_words: set[int] = set()
        all_in_name = bool(self.terms)
        for position, term in enumerate(self.terms):
            weight = self.weights[position]
            best, where = 0.0, -1
            for index, qualities in enumerate(name_qualities):
                if qualities[position] >= best:  # the last of equals, as max() of pairs
                    best, where = qualities[position], index
            other = max((qualities[position] for qualities in other_qualities), default=0.0)
            if best > 0:
                matched_name_words.add(where)
                total += weight * (best + ALSO_OTHER_FIELD * other)
                continue
            total += weight * OTHER_FIELD * other
            if not term.is_number:
                all_in_name = False
        if all_in_name and query.word_terms:
            total += ALL_TERMS_BONUS
        if (
            name_qualities
            and 0 in matched_name_words
            and self.first_word is not None
            and name_qualities[0][self.first_word] > 0
        ):
            total += FIRST_WORD_BONUS
        unmatched = sum(
            1
            for index, word in enumerate(name_words)
            if index not in matched_name_words and not word.replace(".", "").isdigit()
        )
        total -= EXTRA_WORD_PENALTY * unmatched
        if candidate.is_recommended:
            total += RECOMMENDED_BONUS
        if candidate.is_sustainable_choice:
            total += SUSTAINABLE_BONUS
        return total


def rank(
    query: AnalyzedQuery, candidates: list[Candidate], analyzer: Analyzer
) -> list[tuple[Candidate, float]]:
    """The candidates best first, with their scores; ties by shorter name, then name. When the
    best answers every word in its name, far weaker candidates are left out."""
    scorer = _Scorer(query, analyzer)
    scored = [(candidate, scorer.score(candidate)) for candidate in candidates]
    ordered = sorted(scored, key=lambda pair: (-pair[1], len(pair[0].name), fold(pair[0].name)))
    if ordered and ordered[0][1] >= ALL_TERMS_BONUS + len(query.word_terms) * TAIL_PART:
        floor = RELATIVE_CUT * ordered[0][1]
        ordered = [pair for pair in ordered if pair[1] >= floor]
    return ordered
