"""Text analysis shared by indexing and querying, and by both database backends.

A word is folded (lower case, æ/ø/å written ae/oe/aa, accents dropped), so that "aeg" finds "æg"
and "skaerm" finds "skærm". Each word gives several forms: the surface form, its lemma (from
`lexicon.LEMMAS`, also at the end of a compound), its Snowball stem (unless protected), and the
forms of its compound parts (hvede + mel), so that "kuglepenne" finds "kuglepen" and "mel" finds
"hvedemel" without "mel" finding "flormelis". The database only matches tokens; the ranking that
decides the order reads the forms back (`WordForms`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import snowballstemmer

from catalog.search.lexicon import LEMMAS, LINKS, PROTECTED

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_RUN = re.compile(r"[^\W_]+(?:[.,]\d+)?", re.UNICODE)
_GROUPS = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.UNICODE)
MIN_PART = 3  # compound parts are at least this long (folded)
MIN_UNKNOWN_HEAD = 5  # a head not in the lexicon must be at least this long
#: Known words that are also common endings ("økologi-ske"): after one, the head must be known.
AMBIGUOUS_TAILS = frozenset({"ske", "ene", "ere", "ste", "ige", "lig", "ner", "ter"})


def fold(text: str) -> str:
    """Lower case, æ/ø/å as ae/oe/aa, other accents dropped: "Skærm" -> "skaerm"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def unfold(word: str) -> str:
    """The Danish spelling of a folded word, for a query typed without æ/ø/å."""
    return word.replace("ae", "æ").replace("oe", "ø").replace("aa", "å")


def words(text: str) -> list[str]:
    """The words and numbers of `text`, lower case, unfolded: "Hvedemel, 2,5 kg" ->
    ["hvedemel", "2.5", "kg"]; a mixed run like "A4" or "80g" is kept whole and split."""
    found: list[str] = []
    for run in _RUN.findall(text.casefold()):
        groups = _GROUPS.findall(run)
        if len(groups) == 1:
            found.append(groups[0].replace(",", "."))
            continue
        found.append(run.replace(",", "."))  # "a4", "80g", "usb3" as written
        if groups[0][0].isdigit():  # an amount with its unit: "80g" -> "80" (and "g")
            found.extend(
                group.replace(",", ".") for group in groups if len(group) > 1 or group.isdigit()
            )
    return found


@dataclass(frozen=True)
class WordForms:
    """The forms of one word (all folded): what an index stores and a query may match."""

    surface: str
    lemma: str
    stem: str
    parts: tuple[str, ...] = ()  # lemma forms of compound parts, the semantic head (tail) last
    part_stems: tuple[str, ...] = ()

    def tokens(self) -> set[str]:
        return {self.surface, self.lemma, self.stem, *self.parts, *self.part_stems}


#: The irregular forms' endings, longest first (a compound's tail is looked up by them).
_ENDINGS = tuple(sorted(LEMMAS, key=len, reverse=True))


@functools.lru_cache(maxsize=100_000)
def _lemma(word: str) -> str:
    if word in LEMMAS:
        return LEMMAS[word]
    for ending in _ENDINGS:
        if len(word) - len(ending) >= MIN_PART and word.endswith(ending):
            return word[: -len(ending)] + LEMMAS[ending]
    return word


@dataclass
class Analyzer:
    """Analysis with a lexicon of known words (folded) that compounds split into.

    `base` are the Danish base words (`lexicon.base_lexicon`): a word that is one of them, or
    whose stem is, is never split ("økologiske" is not økologi + ske). The catalogue's own words
    join `lexicon` as parts, but a catalogue word may still be a compound (hvedemel).
    """

    lexicon: frozenset[str]
    base: frozenset[str] = frozenset()
    _stemmer: snowballstemmer.Stemmer = field(
        default_factory=lambda: snowballstemmer.stemmer("danish"), repr=False
    )
    _cache: dict[str, WordForms] = field(default_factory=dict, repr=False)

    def lemma(self, word: str) -> str:
        """The base form of an (unfolded, lower-case) word from the irregular forms table,
        also at the end of a compound."""
        return _lemma(word)

    def stem(self, word: str) -> str:
        if word in PROTECTED or word.isdigit() or any(char.isdigit() for char in word):
            return word
        return str(self._stemmer.stemWord(word))

    def split(self, folded: str) -> tuple[str, ...]:
        """The compound parts of a folded word (head then tail), or () if it is not one.

        The tail must be a known word; the head must be known too, or long enough that it is
        unlikely to be a coincidence ("karamel" is not kara + mel). The longest known tail wins.
        """
        if len(folded) < 2 * MIN_PART:
            return ()
        for cut in range(MIN_PART, len(folded) - MIN_PART + 1):
            head, tail = folded[:cut], folded[cut:]
            if tail not in self.lexicon:
                continue
            heads = [head[: -len(link)] for link in LINKS if head.endswith(link)] + [head]
            heads = [candidate for candidate in heads if len(candidate) >= MIN_PART]
            known = [candidate for candidate in heads if candidate in self.lexicon]
            if known:
                return (known[0], tail)
            if tail in AMBIGUOUS_TAILS:
                continue
            long_heads = [candidate for candidate in heads if len(candidate) >= MIN_UNKNOWN_HEAD]
            if long_heads:
                head = long_heads[-1]  # the head as written: links are not stripped blindly
                return (*(self.split(head) or (head,)), tail)
        return ()

    def forms(self, word: str) -> WordForms:
        """All forms of one word (lower case, as `words` gives it)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        lemma = self.lemma(word)
        stem = self.stem(lemma)
        known = fold(lemma) in self.base or fold(stem) in self.base
        parts = () if known else self.split(fold(lemma))
        forms = WordForms(
            surface=fold(word),
            lemma=fold(lemma),
            stem=fold(stem),
            parts=parts,
            part_stems=tuple(fold(self.stem(unfold(part))) for part in parts),
        )
        if len(self._cache) < 200_000:
            self._cache[word] = forms
        return forms

    def document_forms(self, text: str) -> list[WordForms]:
        return [self.forms(word) for word in words(text)]

    def document_tokens(self, *texts: str) -> list[str]:
        """The tokens to index for a product, sorted: every form of every word of `texts`."""
        tokens: set[str] = set()
        for text in texts:
            for forms in self.document_forms(text):
                tokens |= forms.tokens()
        return sorted(token for token in tokens if token)


def vocabulary(analyzer: Analyzer, names: Iterable[str]) -> Iterator[str]:
    """The surface words of product names, folded, for the lexicon and typo correction."""
    seen: dict[str, str] = {}
    for name in names:
        for word in words(name):
            folded = seen.get(word)
            if folded is None:
                folded = "" if word.replace(".", "").isdigit() else fold(analyzer.lemma(word))
                if len(seen) < 500_000:
                    seen[word] = folded
            if folded:
                yield folded


def edit_distance(first: str, second: str, limit: int = 3) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count 1), or `limit` + 1 once above it."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_row: list[int] | None = None
    row = list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = 0 if char == other else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if (
                previous_row is not None
                and i > 1
                and j > 1
                and char == second[j - 2]
                and first[i - 2] == other
            ):
                current[j] = min(current[j], previous_row[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_row, row = row, current
    return row[-1]


_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def item_number_key(text: str) -> str:
    """A supplier item number in the form search compares: upper case, letters and digits only
    ("kh-1001", "KH 1001" and "KH1001" all give "KH1001")."""
    if text.isascii():
        key = text.replace("-", "").upper()
        return key if key.isalnum() else _NOT_ALNUM.sub("", key)
    return "".join(char for char in fold(text).upper() if char.isalnum())
