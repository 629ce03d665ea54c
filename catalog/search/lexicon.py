"""Danish word knowledge for search: base words for compound splitting, irregular forms the
stemmer gets wrong, and words it must leave alone."""

from __future__ import annotations

import functools
from pathlib import Path

#: Inflected forms -> base form, where the Danish Snowball stemmer does not bring them together
#: (kuglepen -> "kuglep" but kuglepenne -> "kuglepen"; æg -> "æg" but æggene -> "ægg") or
#: where the plural changes the stem vowel. Applied also to the end of compounds
#: ("kuglepenne" ends in "penne" -> "kuglepen").
LEMMAS: dict[str, str] = {
    "penne": "pen",
    "pennen": "pen",
    "pennene": "pen",
    "ægget": "æg",
    "æggene": "æg",
    "æggets": "æg",
    "kabler": "kabel",
    "kablerne": "kabel",
    "kablets": "kabel",
    "gulerødder": "gulerod",
    "gulerødderne": "gulerod",
    "kartofler": "kartoffel",
    "kartoflerne": "kartoffel",
    "gafler": "gaffel",
    "nøgler": "nøgle",
    "æbler": "æble",
    "æblerne": "æble",
    "handsker": "handske",
    "handskerne": "handske",
    "sække": "sæk",
    "sækkene": "sæk",
    "poser": "pose",
    "poserne": "pose",
    "skærme": "skærm",
    "skærmene": "skærm",
    "bøger": "bog",
    "bøgerne": "bog",
    "tænder": "tand",
    "hænder": "hånd",
    "fødder": "fod",
    "børn": "barn",
    "børnene": "barn",
    "tallerkener": "tallerken",
    "tallerkenerne": "tallerken",
    "sakse": "saks",
    "knive": "kniv",
    "skeer": "ske",
    "spande": "spand",
    "lamper": "lampe",
    "batterier": "batteri",
    "servietter": "serviet",
    "tonere": "toner",
    "printere": "printer",
    "mapper": "mappe",
    "tusser": "tus",
    "blyanter": "blyant",
    "klodser": "klods",
    "kopper": "kop",
    "glassene": "glas",
    "ruller": "rulle",
    "kasser": "kasse",
    "æsker": "æske",
    "flasker": "flaske",
    "dåser": "dåse",
    "bakker": "bakke",
    "pakker": "pakke",
    "mus": "mus",
}

#: Words whose stem would join them to a word of another meaning: "kablet" (wired) must not
#: meet "kabler" (cables), "toner" (printer toner) not "ton".
PROTECTED: frozenset[str] = frozenset({"kablet", "toner", "tonere", "trådløs", "trådløse"})

#: Linking letters between the parts of a compound (affald-s-sæk, børne-have).
LINKS = ("s", "e")


@functools.cache
def base_lexicon() -> frozenset[str]:
    """Danish base words (lower case) that compounds are split into, beside the catalogue's own
    words: food, office and school supplies, cleaning, IT, care and play."""
    path = Path(__file__).with_name("da_lexicon.txt")
    words = {
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return frozenset(words)
