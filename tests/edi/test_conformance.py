"""Conformance lane: every public sample document parses with the hardened parser and is valid
against its UBL 2.1 schema or cXML DTD.

Runs over the project's own copy (tests/fixtures/public) always, and over a fuller corpus when
REKVI_SAMPLE_CORPUS names its folder (CI sets it when such a corpus is available).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edi import schemas
from edi.safexml import local_name, parse
from tests.conftest import PUBLIC_FIXTURES

EXTERNAL_CORPUS = os.environ.get("REKVI_SAMPLE_CORPUS", "")


def _documents(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.xml") if path.is_file())


def _cases() -> list[pytest.param]:  # type: ignore[valid-type]
    cases = [
        pytest.param(path, id=f"rekvi:{path.relative_to(PUBLIC_FIXTURES)}")
        for path in _documents(PUBLIC_FIXTURES)
    ]
    if EXTERNAL_CORPUS:
        corpus = Path(EXTERNAL_CORPUS)
        cases += [
            pytest.param(path, id=f"corpus:{path.relative_to(corpus)}")
            for path in _documents(corpus)
            if "xsd" not in path.parts
        ]
    return cases


pytestmark = pytest.mark.conformance


def test_the_project_corpus_is_complete() -> None:
    documents = {str(path.relative_to(PUBLIC_FIXTURES)) for path in _documents(PUBLIC_FIXTURES)}
    assert len([name for name in documents if name.startswith("cxml/")]) == 10
    assert len([name for name in documents if name.startswith("oioubl/gobl/")]) == 5
    assert len([name for name in documents if name.startswith("rekvi/oioubl/")]) == 9
    assert len([name for name in documents if name.startswith("rekvi/peppol/")]) == 5


def test_an_external_corpus_when_named_exists_and_has_documents() -> None:
    if not EXTERNAL_CORPUS:
        pytest.skip("REKVI_SAMPLE_CORPUS is not set: only the project's own samples are checked")
    assert Path(EXTERNAL_CORPUS).is_dir(), f"REKVI_SAMPLE_CORPUS={EXTERNAL_CORPUS} is not a folder"
    assert len(_documents(Path(EXTERNAL_CORPUS))) >= 10


@pytest.mark.parametrize("path", _cases())
def test_a_public_document_is_parsed_safely_and_valid(path: Path) -> None:
    parsed = parse(path.read_bytes())
    if local_name(parsed.root) == "cXML":
        problems = schemas.validate_cxml(parsed.root)
    else:
        problems = schemas.validate_ubl(parsed.root)
    assert problems == []
