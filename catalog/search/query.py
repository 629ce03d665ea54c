"""What a search query asks for: its terms with their acceptable forms, corrections of words the
catalogue does not know, and the identifiers (item number, GTIN) it may be."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from catalog.search.analysis import Analyzer, edit_distance, fold, item_number_key, unfold, words

#: How good a match through each form is (the ranking's scale).
SURFACE, LEMMA, STEM, UNFOLDED, CORRECTED, PREFIX = 1.0, 0.95, 0.85, 0.95, 0.75, 0.6
MIN_PREFIX = 3
MAX_TERMS = 8


@dataclass(frozen=True)
class QueryTerm:
    """One word or number of the query and the index tokens that answer it, with quality."""

    text: str
    alternatives: dict[str, float]
    is_number: bool
    prefix: str = ""  # typed so far, when the person may still be typing this word
    corrected_to: str = ""

    def tokens(self) -> list[str]:
        return sorted(self.alternatives)


@dataclass(frozen=True)
class AnalyzedQuery:
    text: str
    terms: tuple[QueryTerm, ...]
    item_number: str
    gtin: str
    corrections: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.item_number

    @property
    def word_terms(self) -> tuple[QueryTerm, ...]:
        return tuple(term for term in self.terms if not term.is_number)


def _closest(word: str, candidates: Iterable[tuple[str, int]]) -> str:
    """The known word nearest to a misspelt one: at most 1 edit for short words, 2 for long
    ones; ties go to the word more products use. '' if none is near enough."""
    allowed = 1 if len(word) < 8 else 2
    scored = [
        (edit_distance(word, term, limit=allowed), -frequency, term)
        for term, frequency in candidates
        if term != word
    ]
    best = min((entry for entry in scored if entry[0] <= allowed), default=None)
    return best[2] if best else ""


def analyze_query(
    text: str,
    *,
    analyzer: Analyzer,
    known: Callable[[set[str]], set[str]],
    similar: Callable[[str], list[tuple[str, int]]],
) -> AnalyzedQuery:
    """Analyse `text`. `known` answers which tokens the catalogue has; `similar` gives
    vocabulary words that look like a word, with how many products use them."""
    raw_words = words(text)[:MAX_TERMS]
    typing = bool(text) and not text[-1].isspace()
    candidate_tokens: set[str] = set()
    draft: list[tuple[str, dict[str, float], bool]] = []
    for word in raw_words:
        is_number = word.replace(".", "").isdigit()
        alternatives: dict[str, float] = {}
        forms = analyzer.forms(word)
        for token, quality in ((forms.surface, SURFACE), (forms.lemma, LEMMA), (forms.stem, STEM)):
            alternatives[token] = max(alternatives.get(token, 0.0), quality)
        if not is_number and (
            "ae" in forms.surface or "oe" in forms.surface or "aa" in forms.surface
        ):
            danish = analyzer.forms(unfold(word))
            for token in (danish.surface, danish.lemma, danish.stem):
                alternatives.setdefault(token, UNFOLDED)
        draft.append((word, alternatives, is_number))
        candidate_tokens |= set(alternatives)
    found = known(candidate_tokens) if candidate_tokens else set()
    terms: list[QueryTerm] = []
    corrections: dict[str, str] = {}
    for index, (word, alternatives, is_number) in enumerate(draft):
        is_last = index == len(draft) - 1
        prefix = (
            fold(word) if is_last and typing and not is_number and len(word) >= MIN_PREFIX else ""
        )
        corrected = ""
        if not is_number and not (set(alternatives) & found) and len(word) >= 4:
            corrected = _closest(fold(word), similar(fold(word)))
            if corrected:
                corrections[word] = corrected
                forms = analyzer.forms(unfold(corrected))
                for token in forms.tokens() - set(forms.parts) - set(forms.part_stems):
                    alternatives.setdefault(token, CORRECTED)
        terms.append(
            QueryTerm(
                text=word,
                alternatives=alternatives,
                is_number=is_number,
                prefix=prefix,
                corrected_to=corrected,
            )
        )
    compact = item_number_key(text)
    digits = "".join(char for char in text if char.isdigit())
    only_digits = all(char.isdigit() or char in " -" for char in text.strip())
    gtin = digits if only_digits and len(digits) in (8, 12, 13, 14) else ""
    return AnalyzedQuery(
        text=text.strip(),
        terms=tuple(terms),
        item_number=compact if len(compact) >= 3 else "",
        gtin=gtin,
        corrections=corrections,
    )
