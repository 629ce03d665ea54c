"""Units of measure: UN/ECE Recommendation 20 codes (with the Rec 21 package codes as Rec 20
lists them), stored neutrally in Rekvi and mapped per format.

Rekvi stores the code OIOUBL 2.1 uses (`PK`, `BX`, `EA` ...). Peppol BIS wants the Rec 21
package codes with an `X` prefix for packages (`XPK`, `XBX` ...); `peppol_code` and
`from_peppol_code` translate both ways. Names are given in English and Danish for people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str  # as stored in Rekvi and written in OIOUBL
    name_en: str
    name_da: str
    peppol: str  # as written in Peppol BIS documents


_UNITS = (
    # counted
    Unit("EA", "each", "stk.", "EA"),
    Unit("C62", "one (unit)", "styk", "C62"),
    Unit("H87", "piece", "stykke", "H87"),
    Unit("PR", "pair", "par", "PR"),
    Unit("SET", "set", "sæt", "SET"),
    Unit("DZN", "dozen", "dusin", "DZN"),
    # packages (Rec 21, X-prefixed in Peppol)
    Unit("PK", "package", "pakke", "XPK"),
    Unit("BX", "box", "æske", "XBX"),
    Unit("CS", "case", "kasse", "XCS"),
    Unit("CT", "carton", "karton", "XCT"),
    Unit("BO", "bottle", "flaske", "XBO"),
    Unit("BG", "bag", "pose", "XBG"),
    Unit("BE", "bundle", "bundt", "XBE"),
    Unit("RO", "roll", "rulle", "XRO"),
    Unit("TU", "tube", "tube", "XTU"),
    Unit("PF", "pallet", "palle", "XPX"),
    Unit("BLL", "barrel (US)", "tønde (US)", "BLL"),
    Unit("KT", "kit", "kit", "XKT"),
    Unit("NAR", "number of articles", "antal varer", "NAR"),
    Unit("NPR", "number of pairs", "antal par", "NPR"),
    # weight
    Unit("MGM", "milligram", "mg", "MGM"),
    Unit("GRM", "gram", "g", "GRM"),
    Unit("KGM", "kilogram", "kg", "KGM"),
    Unit("TNE", "tonne", "ton", "TNE"),
    Unit("LBR", "pound", "pund", "LBR"),
    # volume
    Unit("MLT", "millilitre", "ml", "MLT"),
    Unit("CLT", "centilitre", "cl", "CLT"),
    Unit("DLT", "decilitre", "dl", "DLT"),
    Unit("LTR", "litre", "liter", "LTR"),
    Unit("MTQ", "cubic metre", "m³", "MTQ"),
    # length and area
    Unit("MMT", "millimetre", "mm", "MMT"),
    Unit("CMT", "centimetre", "cm", "CMT"),
    Unit("MTR", "metre", "meter", "MTR"),
    Unit("KMT", "kilometre", "km", "KMT"),
    Unit("MTK", "square metre", "m²", "MTK"),
    # time
    Unit("MIN", "minute", "minut", "MIN"),
    Unit("HUR", "hour", "time", "HUR"),
    Unit("DAY", "day", "dag", "DAY"),
    Unit("WEE", "week", "uge", "WEE"),
    Unit("MON", "month", "måned", "MON"),
    Unit("ANN", "year", "år", "ANN"),
    # energy and services
    Unit("KWH", "kilowatt hour", "kWh", "KWH"),
    Unit("E48", "service unit", "ydelse", "E48"),
    Unit("LS", "lump sum", "samlet pris", "LS"),
)

UNITS: dict[str, Unit] = {unit.code: unit for unit in _UNITS}
_BY_PEPPOL: dict[str, Unit] = {unit.peppol: unit for unit in _UNITS}


class UnknownUnitError(ValueError):
    """A unit code that is not in Rekvi's list of UN/ECE Rec 20 codes."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"unknown unit code {code!r} (expected a UN/ECE Rec 20 code such as EA, PK, KGM)"
        )
        self.code = code


def unit_get(code: str) -> Unit:
    """The unit for a stored (OIOUBL-style) or Peppol code, in any letter case."""
    key = code.strip().upper()
    unit = UNITS.get(key) or _BY_PEPPOL.get(key)
    if unit is None:
        raise UnknownUnitError(code)
    return unit


def code_map() -> dict[str, str]:
    """Every code Rekvi knows, stored and Peppol forms in upper case, -> the stored code."""
    return {
        **{key: unit.code for key, unit in _BY_PEPPOL.items()},
        **{key: unit.code for key, unit in UNITS.items()},
    }


def is_known(code: str) -> bool:
    """Whether `code` is a unit code Rekvi knows, stored or Peppol form."""
    key = code.strip().upper()
    return key in UNITS or key in _BY_PEPPOL


def peppol_code(code: str) -> str:
    """The code to write in a Peppol BIS document for a stored code."""
    return unit_get(code).peppol


def from_peppol_code(code: str) -> str:
    """The stored code for a code read from a Peppol BIS document (`XPK` -> `PK`)."""
    return unit_get(code).code


def unit_name(code: str, language: str) -> str:
    """The unit's name in `language` ("da" or another: English), or the code if unknown."""
    if not is_known(code):
        return code
    unit = unit_get(code)
    return unit.name_da if language.startswith("da") else unit.name_en


#: Unit spellings seen in suppliers' punch-out carts and price lists that are not Rec 20 codes,
#: with the codes a person most likely meant. Only ever a suggestion: nothing is converted.
_ALIASES: dict[str, tuple[str, ...]] = {
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


def unit_suggest(code: str) -> tuple[str, ...]:
    """The Rec 20 codes a non-Rec 20 unit most likely means (`STK` -> ("H87", "EA")), in
    order of preference; () when the code is known already or nothing fits. Never raises."""
    key = code.strip().upper()
    if not key or is_known(key):
        return ()
    return _ALIASES.get(key, ())


def unit_problem(code: str) -> str | None:
    """An English sentence for a person when `code` is not a Rec 20 code Rekvi knows, with a
    suggestion where there is one; None when the code is known. Never raises:

    "unit 'STK' is not UN/ECE Rec 20 — did you mean H87/EA?"
    """
    if not code.strip():
        return "the unit is missing"
    if is_known(code):
        return None
    suggestions = unit_suggest(code)
    if suggestions:
        return f"unit {code!r} is not UN/ECE Rec 20 — did you mean {'/'.join(suggestions)}?"
    return f"unit {code!r} is not UN/ECE Rec 20, and no likely Rec 20 code is known for it"
