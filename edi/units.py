"""Units of measure: every code of UN/ECE Recommendation 20, the package codes of Recommendation 21
with their `X` prefix, and the older Rec 20 package codes that OIOUBL 2.1 still writes.

Rekvi stores the code OIOUBL 2.1 uses (`EA`, `PK`, `BX` ...). Where an older Rec 20 package code
and a Rec 21 code mean the same package (`PK` and `XPK`), either is read and the OIOUBL form is
stored; `peppol_code` gives the code a Peppol BIS document needs and `from_peppol_code` reads it
back. The published lists are in `edi/codelists/` (edition, source and checks in its README) and
are read once, the first time a unit is looked up; after that every look-up is one dict look-up.

The common units have Danish names and are the ones offered in a plain list
(`unit_list_common`); every other code is known by the English name the list gives it.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

CODELIST_DIR = Path(__file__).resolve().parent / "codelists"
REC20_FILE = CODELIST_DIR / "unece_rec20.csv"
REC21_FILE = CODELIST_DIR / "unece_rec21.csv"


@dataclass(frozen=True)
class Unit:
    code: str  # as stored in Rekvi and written in OIOUBL
    name_en: str
    name_da: str  # "" where Rekvi has no Danish name: the English one is shown
    peppol: str  # as written in Peppol BIS documents


#: The units people choose from in a plain list (code, English name, Danish name), in that list's
#: order. Another part of Rekvi finds the rest by typing.
_COMMON = (
    # counted
    ("EA", "each", "stk."),
    ("C62", "one (unit)", "styk"),
    ("H87", "piece", "stykke"),
    ("PR", "pair", "par"),
    ("SET", "set", "sæt"),
    ("DZN", "dozen", "dusin"),
    # packages
    ("PK", "package", "pakke"),
    ("BX", "box", "æske"),
    ("CS", "case", "kasse"),
    ("CT", "carton", "karton"),
    ("BO", "bottle", "flaske"),
    ("BG", "bag", "pose"),
    ("BE", "bundle", "bundt"),
    ("RO", "roll", "rulle"),
    ("RM", "ream", "ris"),
    ("TU", "tube", "tube"),
    ("PF", "pallet", "palle"),
    ("BLL", "barrel (US)", "tønde (US)"),
    ("KT", "kit", "kit"),
    ("NAR", "number of articles", "antal varer"),
    ("NPR", "number of pairs", "antal par"),
    # weight
    ("MGM", "milligram", "mg"),
    ("GRM", "gram", "g"),
    ("KGM", "kilogram", "kg"),
    ("TNE", "tonne", "ton"),
    ("LBR", "pound", "pund"),
    # volume
    ("MLT", "millilitre", "ml"),
    ("CLT", "centilitre", "cl"),
    ("DLT", "decilitre", "dl"),
    ("LTR", "litre", "liter"),
    ("MTQ", "cubic metre", "m³"),
    # length and area
    ("MMT", "millimetre", "mm"),
    ("CMT", "centimetre", "cm"),
    ("MTR", "metre", "meter"),
    ("KMT", "kilometre", "km"),
    ("MTK", "square metre", "m²"),
    # time
    ("MIN", "minute", "minut"),
    ("HUR", "hour", "time"),
    ("DAY", "day", "dag"),
    ("WEE", "week", "uge"),
    ("MON", "month", "måned"),
    ("ANN", "year", "år"),
    # energy and services
    ("KWH", "kilowatt hour", "kWh"),
    ("E48", "service unit", "ydelse"),
    ("LS", "lump sum", "samlet pris"),
)

#: Codes of earlier Rec 20 revisions that OIOUBL 2.1 documents and Rekvi's stored data use, each
#: a common unit, -> the current code a Peppol BIS document needs (the comments give the name the
#: Rec 20 list gives the older code, which it now marks deprecated). Where that is a Rec 21 code it
#: is the same package: a file or document may use either, and Rekvi stores the older form.
_OLDER_CODES: Mapping[str, str] = MappingProxyType(
    {
        "PK": "XPK",  # pack
        "BX": "XBX",  # box
        "CS": "XCS",  # case
        "CT": "XCT",  # carton
        "BO": "XBO",  # bottle
        "BG": "XBG",  # bag
        "BE": "XBE",  # bundle
        "RO": "XRO",  # roll
        "TU": "XTU",  # tube
        "PF": "XPX",  # pallet (lift); Rec 21's own PF is a pen
        "NPR": "PR",  # number of pairs: a count of pairs is PR now; PR is read back as PR
    }
)

#: Unit spellings seen in suppliers' punch-out carts and price lists that are not units Rekvi
#: takes, with the codes a person most likely meant. Only ever a suggestion: nothing is converted.
_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # counted: Danish/German/SAP-internal piece codes and the old ISO "PCE"
        "STK": ("H87", "EA"),
        "ST": ("H87", "EA"),
        "STYK": ("H87", "EA"),
        "STYKS": ("H87", "EA"),
        "PCS": ("H87", "EA"),
        "PCE": ("H87", "EA"),
        "PC": ("H87", "EA"),
        "EACH": ("EA",),
        "PAR": ("PR",),
        "SÆT": ("SET",),
        "SAET": ("SET",),
        # packages
        "PAK": ("PK",),
        "PAKKE": ("PK",),
        "PCK": ("PK",),
        "PKT": ("PK",),
        "PA": ("PK",),
        "ÆSK": ("BX",),
        "ÆSKE": ("BX",),
        "BOX": ("BX",),
        "KS": ("CS",),
        "KASSE": ("CS",),
        "KRT": ("CT",),
        "FL": ("BO",),
        "RL": ("RO",),
        "PAL": ("PF",),
        # weight, volume, length, area
        "KG": ("KGM",),
        "G": ("GRM",),
        "GR": ("GRM",),
        "L": ("LTR",),
        "LT": ("LTR",),
        "ML": ("MLT",),
        "CL": ("CLT",),
        "DL": ("DLT",),
        "M": ("MTR",),
        "MM": ("MMT",),
        "CM": ("CMT",),
        "KM": ("KMT",),
        "M2": ("MTK",),
        "M3": ("MTQ",),
        # time
        "H": ("HUR",),
        "TIM": ("HUR",),
        "TIME": ("HUR",),
        "DAG": ("DAY",),
    }
)

#: Rec 20 codes Rekvi does not take as units, though the list has them: each names something no
#: municipality orders (STK stick, cigarette; FL flake ton; PAL pascal), and Danish suppliers
#: write the same letters for a common unit (stk., flaske, palle). They are refused with the
#: suggestion `_ALIASES` gives, like a spelling that is no code at all.
_FALSE_FRIENDS = frozenset({"STK", "FL", "PAL"})


@dataclass(frozen=True)
class _Catalogue:
    listed: Mapping[str, str]  # every code of the published lists -> its name there
    units: Mapping[str, Unit]  # every unit Rekvi takes, by stored code, in list order
    lookup: dict[str, Unit]  # every spelling Rekvi reads (upper case) -> its unit; never changed


def _read_list(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        next(rows)  # the heading: code,name
        return [(code, name) for code, name in rows]


@functools.cache
def _catalogue() -> _Catalogue:
    listed = dict(_read_list(REC20_FILE) + _read_list(REC21_FILE))
    common = {code: (name_en, name_da) for code, name_en, name_da in _COMMON}
    twins = {current: older for older, current in _OLDER_CODES.items() if current.startswith("X")}
    units: dict[str, Unit] = {}
    for code, name in listed.items():
        if code in twins or code in _FALSE_FRIENDS:
            continue
        name_en, name_da = common.get(code, (name, ""))
        units[code] = Unit(code, name_en, name_da, code)
    for older, current in _OLDER_CODES.items():
        name_en, name_da = common[older]
        units[older] = Unit(older, name_en, name_da, current)
    lookup = dict(units)
    for current, older in twins.items():
        lookup[current] = units[older]
    return _Catalogue(listed=MappingProxyType(listed), units=MappingProxyType(units), lookup=lookup)


class UnknownUnitError(ValueError):
    """A unit code that is not one Rekvi knows (see `unit_problem` for why and what instead)."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"unknown unit code {code!r} (expected a UN/ECE Rec 20 code such as EA, PK, KGM)"
        )
        self.code = code


def unit_get(code: str) -> Unit:
    """The unit for a stored (OIOUBL-style) or Peppol code, in any letter case."""
    unit = _catalogue().lookup.get(code.strip().upper())
    if unit is None:
        raise UnknownUnitError(code)
    return unit


def unit_list() -> tuple[Unit, ...]:
    """Every unit Rekvi knows, one per stored code: the Rec 20 list, then the Rec 21 package
    codes, in the lists' order, then the older codes."""
    return tuple(_catalogue().units.values())


def unit_list_common() -> tuple[Unit, ...]:
    """The units offered in a plain list, with Danish names, in the order they are offered."""
    units = _catalogue().units
    return tuple(units[code] for code, _name_en, _name_da in _COMMON)


def listed_codes() -> Mapping[str, str]:
    """Every code of the published Rec 20 and Rec 21 lists (as a Peppol BIS or EN 16931
    document may carry it) -> the name the list gives it."""
    return _catalogue().listed


def code_map() -> dict[str, str]:
    """Every code Rekvi reads, stored and Peppol forms in upper case, -> the stored code. A new
    dict: build it once and look codes up in it (a catalogue import does, per row)."""
    return {key: unit.code for key, unit in _catalogue().lookup.items()}


def is_known(code: str) -> bool:
    """Whether `code` is a unit code Rekvi knows, stored or Peppol form."""
    return code.strip().upper() in _catalogue().lookup


def peppol_code(code: str) -> str:
    """The code to write in a Peppol BIS document for a stored code."""
    return unit_get(code).peppol


def from_peppol_code(code: str) -> str:
    """The stored code for a code read from a Peppol BIS document (`XPK` -> `PK`)."""
    return unit_get(code).code


def unit_name(code: str, language: str) -> str:
    """The unit's name in `language` ("da" or another: English), or the code if unknown. A unit
    without a Danish name has its English one in Danish too."""
    unit = _catalogue().lookup.get(code.strip().upper())
    if unit is None:
        return code
    return (unit.name_da if language.startswith("da") else "") or unit.name_en


def unit_suggest(code: str) -> tuple[str, ...]:
    """The stored codes a unit Rekvi does not take most likely means (`STK` -> ("H87", "EA"),
    `XRM` -> ("RM",), `CA` -> ("XCA",)), in order of preference; () when the code is known
    already or nothing fits. Never raises."""
    key = code.strip().upper()
    if not key or is_known(key):
        return ()
    if key in _ALIASES:
        return _ALIASES[key]
    lookup = _catalogue().lookup
    for guess in (key[1:] if key.startswith("X") else "", f"X{key}"):
        if guess in lookup:  # an X too many (XRM for RM) or one too few (CA for XCA)
            return (lookup[guess].code,)
    return ()


def unit_problem(code: str) -> str | None:
    """An English sentence for a person when `code` is not a unit Rekvi knows, with a
    suggestion where there is one; None when the code is known. Never raises:

    "unit 'PCS' is not UN/ECE Rec 20 — did you mean H87/EA?"
    """
    if not code.strip():
        return "the unit is missing"
    if is_known(code):
        return None
    suggestions = "/".join(unit_suggest(code))
    key = code.strip().upper()
    if key in _FALSE_FRIENDS:
        listed = _catalogue().listed[key]
        return (
            f"unit {code!r} is UN/ECE Rec 20 for {listed!r}, not a unit Rekvi orders in — "
            f"did you mean {suggestions}?"
        )
    if suggestions:
        return f"unit {code!r} is not UN/ECE Rec 20 — did you mean {suggestions}?"
    return f"unit {code!r} is not UN/ECE Rec 20, and no likely Rec 20 code is known for it"
