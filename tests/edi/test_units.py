from __future__ import annotations

import pytest

from edi.units import UnknownUnitError, from_peppol_code, is_known, peppol_code, unit_get


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
