"""The schemas are the publishers' own files, unmodified, and they find what is wrong."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from edi import schemas
from edi.safexml import parse
from tests.conftest import SampleLoader

SCHEMA_DIR = Path(schemas.__file__).resolve().parent / "schemas"


def _recorded_hashes() -> dict[str, str]:
    text = (SCHEMA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", text, flags=re.MULTILINE))


def test_every_schema_file_is_the_unmodified_published_one() -> None:
    recorded = _recorded_hashes()
    on_disk = {
        str(path.relative_to(SCHEMA_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in SCHEMA_DIR.rglob("*")
        if path.is_file() and path.name != "SOURCES.md"
    }
    assert len(on_disk) == 38  # 14 common + 14 maindoc XSDs, 9 DTDs, the cXML licence
    assert on_disk == recorded


def test_the_cxml_licence_travels_with_the_dtds() -> None:
    licence = (SCHEMA_DIR / "cxml-1.2.071" / "LICENSE-cXML.txt").read_text(encoding="utf-8")
    assert "cXML LICENSE AGREEMENT" in licence


def test_an_invalid_ubl_document_is_explained(sample: SampleLoader) -> None:
    raw = sample("oioubl/gobl/nemkonto.xml")
    broken = raw.replace(b"<cbc:IssueDate>", b"<cbc:IssueDate>not-a-date", 1)
    assert schemas.validate_ubl(parse(broken).root) == [
        "line 8: Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
        "IssueDate': 'not-a-date2026-05-29' is not a valid value of the atomic type 'xs:date'."
    ]


def test_an_invalid_cxml_document_is_explained(sample: SampleLoader) -> None:
    raw = sample("cxml/PunchOutSetupRequest_ShipTo_officeluv.xml")
    broken = raw.replace(b"<BuyerCookie>", b"<Bogus/><BuyerCookie>", 1)
    assert schemas.validate_cxml(parse(broken).root) == [
        "line 19: Element PunchOutSetupRequest content does not follow the DTD, expecting "
        "(BuyerCookie , Extrinsic* , BrowserFormPost? , Contact* , SupplierSetup? , ShipTo? , "
        "SelectedItem? , ItemOut*), got (Bogus BuyerCookie BrowserFormPost SupplierSetup ShipTo )",
        "line 19: No declaration for element Bogus",
    ]


def test_an_unknown_document_type_is_named() -> None:
    root = parse(b'<Nope xmlns="urn:example:nope"/>').root
    with pytest.raises(schemas.UnknownSchemaError, match="Nope is not a UBL document"):
        schemas.validate_ubl(root)
