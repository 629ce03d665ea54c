"""The benchmark's 200 mixed search queries, drawn reproducibly from the large catalogue: plain
words, very frequent words, phrases, typos, compounds written apart or as a part, æ/ø/å typed
as ae/oe/aa, supplier item numbers in another case or punctuation, and GTINs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.large_catalogue import AREAS, large_catalogue

#: Words that match a large share of the catalogue.
FREQUENT = ("papir", "blå", "hvid", "sort", "økologisk", "plast", "sæt", "stk", "kg", "model")
COMPOUNDS_APART = (
    "toilet papir",
    "printer papir",
    "kopi papir",
    "hvede mel",
    "rug mel",
    "køkken rulle",
    "affalds sække",
    "computer skærm",
    "kontor stol",
    "skrive bord",
    "flipover papir",
    "hånd sæbe",
    "opvaske middel",
    "gulv sæbe",
    "tegne papir",
    "kaffe filtre",
    "rug brød",
    "fryse poser",
    "stege pande",
    "termo kande",
)


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str


def _typo(word: str, generator: random.Random) -> str:
    """One slip of the finger: a letter dropped, doubled or swapped with the next."""
    position = generator.randrange(1, len(word) - 1)
    slip = generator.choice(("drop", "double", "swap"))
    if slip == "drop":
        return word[:position] + word[position + 1 :]
    if slip == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _ascii(text: str) -> str:
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def bench_queries(*, rows: int = 1_000_000, seed: int = 7) -> list[BenchQuery]:
    generator = random.Random(seed)
    nouns = sorted({noun for area in AREAS for noun in area.nouns if " " not in noun})
    single = generator.sample(nouns, 40)
    queries = [BenchQuery("word", noun.lower()) for noun in single]
    queries += [BenchQuery("frequent", word) for word in FREQUENT]
    queries += [BenchQuery("frequent", word) for word in generator.sample(FREQUENT, 10)]
    for area in generator.choices(AREAS, k=40):
        noun = generator.choice(area.nouns).lower()
        attribute = generator.choice([a for a in area.attributes if a])
        size = generator.choice([s for s in area.sizes if s] or [""])
        parts = [noun, attribute.lower()] + ([size] if generator.random() < 0.5 else [])
        queries.append(BenchQuery("phrase", " ".join(parts)))
    long_nouns = [noun for noun in nouns if len(noun) >= 6]
    queries += [
        BenchQuery("typo", _typo(noun.lower(), generator))
        for noun in generator.sample(long_nouns, 30)
    ]
    queries += [BenchQuery("compound", text) for text in COMPOUNDS_APART]
    danish = [noun for noun in nouns if any(char in noun for char in "æøåÆØÅ")]
    queries += [BenchQuery("ascii", _ascii(noun.lower())) for noun in generator.sample(danish, 20)]
    picked = sorted(generator.sample(range(rows), 30))
    products = []
    wanted = iter(picked)
    target = next(wanted)
    for index, product in enumerate(large_catalogue(rows)):
        if index == target:
            products.append(product)
            target = next(wanted, -1)
            if target < 0:
                break
    for product in products[:20]:
        number = product.item_number
        written = generator.choice(
            (number.lower(), number.replace("-", ""), number.replace("-", " "))
        )
        queries.append(BenchQuery("item number", written))
    queries += [BenchQuery("gtin", product.gtin) for product in products[20:30]]
    assert len(queries) == 200, len(queries)
    return queries
