"""A synthetic Danish catalogue: realistic product names in families, each in several brands,
sizes and variants (near-duplicates), beside look-alikes (flormelis next to hvedemel, pålæg next
to æg). Seeded and reproducible: the same arguments always give the same rows.

`catalogue(count)` gives the first `count` rows of one deterministic order (families round-robin,
so any prefix covers every family); the search relevance tests use 2,400 of them, the import
benchmark 1,000,000 over 40 suppliers.
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from stdnum import ean


@dataclass(frozen=True)
class Family:
    key: str
    name: str  # the product's noun phrase, e.g. "Hvedemel"
    category: str
    unit_code: str
    sizes: tuple[str, ...]  # appended to the name, e.g. "2 kg"
    variants: tuple[str, ...] = ("",)  # e.g. "blå", "str. L"
    brands: tuple[str, ...] = ("",)
    base_price: str = "10.00"
    eco: bool = False


FAMILIES: tuple[Family, ...] = (
    # food, with look-alikes side by side
    Family(
        "hvedemel",
        "Hvedemel",
        "Kolonial",
        "EA",
        ("1 kg", "2 kg", "5 kg"),
        ("", "økologisk"),
        ("Møllerens", "Nordmølle", "Valsemøllen"),
        "8.50",
    ),
    Family(
        "rugmel",
        "Rugmel",
        "Kolonial",
        "EA",
        ("1 kg", "2 kg"),
        ("", "fuldkorn"),
        ("Møllerens", "Nordmølle"),
        "9.25",
    ),
    Family(
        "flormelis",
        "Flormelis",
        "Kolonial",
        "EA",
        ("500 g", "1 kg"),
        ("",),
        ("Dansukker", "Sukkerhuset"),
        "12.00",
    ),
    Family(
        "sukker",
        "Sukker, stødt",
        "Kolonial",
        "EA",
        ("1 kg", "2 kg", "25 kg"),
        ("",),
        ("Dansukker", "Sukkerhuset"),
        "11.00",
    ),
    Family(
        "roersukker",
        "Rørsukker",
        "Kolonial",
        "EA",
        ("500 g", "1 kg"),
        ("", "økologisk"),
        ("Dansukker",),
        "18.00",
    ),
    Family(
        "salt",
        "Salt",
        "Kolonial",
        "EA",
        ("1 kg", "5 kg"),
        ("fint", "groft"),
        ("Jozo", "Saltværket"),
        "6.50",
    ),
    Family(
        "aeg",
        "Æg",
        "Mejeri og æg",
        "PK",
        ("10 stk.", "30 stk."),
        ("str. M", "str. L", "økologiske str. M"),
        ("Hedegaard", "Gårdæg"),
        "32.00",
    ),
    Family(
        "paalaeg",
        "Pålæg",
        "Kød og pålæg",
        "PK",
        ("100 g", "250 g"),
        ("skinke", "kylling", "hamburgerryg"),
        ("Tulip", "3-Stjernet"),
        "22.00",
    ),
    Family(
        "soedmaelk",
        "Sødmælk 3,5 %",
        "Mejeri og æg",
        "LTR",
        ("1 l",),
        ("", "økologisk"),
        ("Arla", "Thise"),
        "11.75",
    ),
    Family(
        "letmaelk",
        "Letmælk 1,5 %",
        "Mejeri og æg",
        "LTR",
        ("1 l",),
        ("", "økologisk"),
        ("Arla", "Thise"),
        "10.95",
    ),
    Family(
        "skummetmaelk",
        "Skummetmælk 0,1 %",
        "Mejeri og æg",
        "LTR",
        ("1 l",),
        ("",),
        ("Arla",),
        "9.95",
    ),
    Family(
        "rapsolie",
        "Rapsolie",
        "Kolonial",
        "BO",
        ("1 l", "5 l"),
        ("", "koldpresset"),
        ("Ørbæk", "Sønderby"),
        "29.00",
    ),
    Family(
        "olivenolie",
        "Olivenolie, ekstra jomfru",
        "Kolonial",
        "BO",
        ("500 ml", "1 l"),
        ("",),
        ("Borges", "Gaea"),
        "65.00",
    ),
    Family(
        "smoer",
        "Smør",
        "Mejeri og æg",
        "EA",
        ("250 g", "500 g"),
        ("", "saltet", "usaltet"),
        ("Lurpak", "Kærgården"),
        "21.00",
    ),
    Family(
        "havregryn",
        "Havregryn",
        "Kolonial",
        "EA",
        ("500 g", "1 kg"),
        ("", "økologiske"),
        ("OTA", "Urtekram"),
        "14.00",
    ),
    Family(
        "rugbroed",
        "Rugbrød, skiveskåret",
        "Brød",
        "EA",
        ("1 kg",),
        ("", "med kerner"),
        ("Schulstad", "Kohberg"),
        "24.00",
    ),
    Family(
        "gulerod",
        "Gulerødder",
        "Frugt og grønt",
        "KGM",
        ("1 kg", "5 kg"),
        ("", "økologiske"),
        ("Fjordgrønt",),
        "9.00",
    ),
    Family(
        "aeble",
        "Æbler",
        "Frugt og grønt",
        "KGM",
        ("1 kg",),
        ("Ingrid Marie", "Aroma"),
        ("Fjordgrønt",),
        "22.00",
    ),
    Family(
        "kaffe",
        "Kaffe, formalet",
        "Kaffe og te",
        "PK",
        ("500 g", "1 kg"),
        ("", "økologisk"),
        ("BKI", "Merrild", "Peter Larsen"),
        "45.00",
    ),
    Family(
        "te",
        "Te, breve",
        "Kaffe og te",
        "PK",
        ("20 stk.", "100 stk."),
        ("grøn", "earl grey", "kamille"),
        ("Pickwick", "Lipton"),
        "25.00",
    ),
    # office and school
    Family(
        "kuglepen",
        "Kuglepen",
        "Kontorartikler",
        "PK",
        ("10 stk.", "50 stk."),
        ("blå", "sort", "rød"),
        ("BIC", "Pilot", "Kontorhuset"),
        "32.50",
    ),
    Family(
        "gelpen",
        "Gelpen",
        "Kontorartikler",
        "PK",
        ("10 stk.",),
        ("blå", "sort"),
        ("Pilot", "Uni-ball"),
        "59.00",
    ),
    Family(
        "fineliner",
        "Fineliner",
        "Kontorartikler",
        "PK",
        ("10 stk.",),
        ("sort", "assorterede farver"),
        ("Stabilo", "Staedtler"),
        "49.00",
    ),
    Family(
        "blyant",
        "Blyant HB",
        "Skoleartikler",
        "PK",
        ("12 stk.", "72 stk."),
        ("", "med viskelæder"),
        ("Staedtler", "Faber-Castell"),
        "18.00",
    ),
    Family(
        "printerpapir",
        "Printerpapir A4 80 g",
        "Papir",
        "PK",
        ("500 ark", "5 × 500 ark"),
        ("", "FSC", "100 % genbrug"),
        ("Navigator", "Multicopy", "Nordisk Papir"),
        "45.00",
        True,
    ),
    Family(
        "kopipapir_a3",
        "Kopipapir A3 80 g",
        "Papir",
        "PK",
        ("500 ark",),
        ("",),
        ("Navigator", "Multicopy"),
        "89.00",
    ),
    Family(
        "karton",
        "Karton A4 160 g",
        "Papir",
        "PK",
        ("250 ark",),
        ("hvid", "assorterede farver"),
        ("Clairefontaine",),
        "79.00",
    ),
    Family(
        "notesblok",
        "Notesblok A5",
        "Kontorartikler",
        "PK",
        ("10 stk.",),
        ("linjeret", "kvadreret"),
        ("Oxford", "Kontorhuset"),
        "55.00",
    ),
    Family(
        "ringbind",
        "Ringbind A4",
        "Kontorartikler",
        "EA",
        ("40 mm ryg", "75 mm ryg"),
        ("blå", "sort", "genbrugspap"),
        ("Esselte", "Leitz"),
        "24.00",
    ),
    Family(
        "haeftemaskine",
        "Hæftemaskine",
        "Kontorartikler",
        "EA",
        ("20 ark", "50 ark"),
        ("",),
        ("Rapid", "Leitz"),
        "89.00",
    ),
    Family(
        "haefteklammer",
        "Hæfteklammer 24/6",
        "Kontorartikler",
        "PK",
        ("1000 stk.", "5000 stk."),
        ("",),
        ("Rapid", "Leitz"),
        "15.00",
    ),
    Family(
        "tape",
        "Tape, klar",
        "Kontorartikler",
        "EA",
        ("19 mm × 33 m",),
        ("", "usynlig"),
        ("Scotch", "Tesa"),
        "12.00",
    ),
    Family(
        "saks",
        "Saks",
        "Skoleartikler",
        "EA",
        ("13 cm", "21 cm"),
        ("", "venstrehåndet"),
        ("Fiskars", "Maped"),
        "35.00",
    ),
    Family(
        "viskelaeder",
        "Viskelæder",
        "Skoleartikler",
        "PK",
        ("10 stk.",),
        ("",),
        ("Staedtler", "Faber-Castell"),
        "29.00",
    ),
    # cleaning and hygiene
    Family(
        "opvaskemiddel",
        "Opvaskemiddel",
        "Rengøring",
        "BO",
        ("1 l", "5 l"),
        ("", "parfumefri"),
        ("Neutral", "Ecover"),
        "28.00",
        True,
    ),
    Family(
        "haandsaebe",
        "Håndsæbe, flydende",
        "Hygiejne og aftørring",
        "BO",
        ("300 ml", "1 l", "5 l"),
        ("", "parfumefri"),
        ("Neutral", "Budget Care"),
        "19.00",
    ),
    Family(
        "affaldssaek",
        "Affaldssække",
        "Affaldssække",
        "PK",
        ("60 l", "120 l"),
        ("", "genbrugsplast"),
        ("Embalux", "Plastkompagniet"),
        "38.00",
    ),
    Family(
        "nitrilhandske",
        "Nitrilhandsker",
        "Handsker",
        "BX",
        ("100 stk.",),
        ("str. S", "str. M", "str. L", "str. XL"),
        ("Abena", "Hartmann"),
        "62.00",
    ),
    Family(
        "vinylhandske",
        "Vinylhandsker",
        "Handsker",
        "BX",
        ("100 stk.",),
        ("str. M", "str. L"),
        ("Abena",),
        "39.00",
    ),
    Family(
        "koekkenrulle",
        "Køkkenrulle",
        "Hygiejne og aftørring",
        "PK",
        ("4 ruller", "24 ruller"),
        ("",),
        ("Lambi", "Katrin"),
        "29.00",
    ),
    Family(
        "toiletpapir",
        "Toiletpapir, 2-lags",
        "Hygiejne og aftørring",
        "PK",
        ("8 ruller", "64 ruller"),
        ("", "Svanemærket"),
        ("Lambi", "Katrin"),
        "34.00",
        True,
    ),
    Family(
        "servietter",
        "Servietter 33 × 33 cm",
        "Hygiejne og aftørring",
        "PK",
        ("100 stk.", "500 stk."),
        ("hvid", "gul"),
        ("Duni",),
        "25.00",
    ),
    # IT
    Family(
        "usbkabel",
        "USB-C-kabel",
        "It-tilbehør",
        "EA",
        ("1 m", "2 m"),
        ("",),
        ("Belkin", "Deltaco"),
        "89.00",
    ),
    Family(
        "hdmikabel",
        "HDMI-kabel",
        "It-tilbehør",
        "EA",
        ("1,5 m", "3 m"),
        ("",),
        ("Belkin", "Deltaco"),
        "79.00",
    ),
    Family(
        "mus",
        "Mus",
        "It-tilbehør",
        "EA",
        ("",),
        ("kablet", "trådløs"),
        ("Logitech", "Microsoft"),
        "149.00",
    ),
    Family(
        "tastatur",
        "Tastatur, dansk",
        "It-tilbehør",
        "EA",
        ("",),
        ("kablet", "trådløst"),
        ("Logitech", "Microsoft"),
        "299.00",
    ),
    Family(
        "skaerm",
        'Skærm 24"',
        "It-udstyr",
        "EA",
        ("",),
        ("Full HD", "højdejusterbar"),
        ("Dell", "Lenovo", "HP"),
        "1295.00",
    ),
    Family(
        "skaerm27",
        'Skærm 27"',
        "It-udstyr",
        "EA",
        ("",),
        ("QHD", "USB-C"),
        ("Dell", "Lenovo"),
        "2195.00",
    ),
    Family(
        "headset",
        "Headset USB",
        "It-tilbehør",
        "EA",
        ("",),
        ("stereo", "mono"),
        ("Jabra", "EPOS"),
        "399.00",
    ),
    Family(
        "toner",
        "Toner",
        "It-tilbehør",
        "EA",
        ("",),
        ("sort", "cyan", "magenta", "gul"),
        ("HP", "Brother"),
        "649.00",
    ),
    # play and creative
    Family(
        "modellervoks",
        "Modellervoks",
        "Legetøj og kreative materialer",
        "PK",
        ("4 farver", "12 farver"),
        ("",),
        ("Jovi", "Play-Doh"),
        "45.00",
    ),
    Family(
        "farveblyant",
        "Farveblyanter",
        "Skoleartikler",
        "PK",
        ("12 farver", "24 farver"),
        ("",),
        ("Faber-Castell", "Staedtler"),
        "49.00",
    ),
    Family(
        "klodser",
        "Byggeklodser i træ",
        "Legetøj og kreative materialer",
        "SET",
        ("50 stk.", "100 stk."),
        ("",),
        ("Plan Toys", "Legekassen"),
        "349.00",
        True,
    ),
)

SUPPLIER_PREFIXES = tuple(f"{a}{b}" for a, b in itertools.product("ABCDEFGHJKLMNPRS", "KLMNPRST"))[
    :40
]


@dataclass(frozen=True)
class SyntheticProduct:
    key: str  # family/brand/variant/size, for labelling the expected answer of a query
    family: str
    supplier: int  # 0 .. suppliers-1
    item_number: str
    gtin: str
    name: str
    brand: str
    category: str
    unit_code: str
    price: Decimal
    is_sustainable: bool
    eco_labels: tuple[str, ...]


def _combinations(family: Family) -> list[tuple[str, str, str]]:
    return list(itertools.product(family.brands, family.variants, family.sizes))


def _name(family: Family, variant: str, size: str, brand: str, series: int) -> str:
    parts = [family.name]
    if variant:
        parts.append(variant)
    if size:
        parts.append(size)
    name = ", ".join(parts)
    if brand:
        name += f" – {brand}"
    if series:
        name += f", serie {series}"
    return name


def catalogue(count: int, *, suppliers: int = 40, seed: int = 2026) -> Iterator[SyntheticProduct]:
    """`count` products, families round-robin; past every combination, series numbers repeat
    them (as a large catalogue repeats near-identical items)."""
    generator = random.Random(seed)
    combinations = [_combinations(family) for family in FAMILIES]
    produced = 0
    for series in itertools.count():
        for position in range(max(len(c) for c in combinations)):
            for family, options in zip(FAMILIES, combinations, strict=True):
                if position >= len(options):
                    continue
                if produced >= count:
                    return
                brand, variant, size = options[position]
                spread = zlib.crc32(f"{family.key}/{brand}".encode()) % 7
                supplier = (
                    (spread + produced * 13) % suppliers
                    if series
                    else FAMILIES.index(family) % suppliers
                )
                body = (
                    f"5799996{produced:05d}"[:12]
                    if produced < 100_000
                    else f"{produced:012d}"[-12:]
                )
                price = (
                    Decimal(family.base_price) * Decimal(str(1 + generator.random()))
                ).quantize(Decimal("0.01"))
                prefix = SUPPLIER_PREFIXES[supplier % len(SUPPLIER_PREFIXES)]
                eco = family.eco or "økologisk" in variant or variant in ("FSC", "Svanemærket")
                yield SyntheticProduct(
                    key="/".join((family.key, brand, variant, size, str(series))),
                    family=family.key,
                    supplier=supplier,
                    item_number=f"{prefix}-{produced + 10000}",
                    gtin=body + ean.calc_check_digit(body),
                    name=_name(family, variant, size, brand, series),
                    brand=brand,
                    category=family.category,
                    unit_code=family.unit_code,
                    price=price,
                    is_sustainable=eco,
                    eco_labels=("organic_dk",)
                    if "økologisk" in variant or "økologiske" in variant
                    else (),
                )
                produced += 1
