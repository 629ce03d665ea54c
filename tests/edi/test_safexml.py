from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from edi.safexml import XmlRejectedError, iter_elements, local_name, parse

UBL_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>A1</ID></Invoice>"""


def test_a_plain_document_parses() -> None:
    parsed = parse(UBL_INVOICE)
    assert local_name(parsed.root) == "Invoice"
    assert parsed.doctype_system_url is None


def test_an_xxe_document_is_refused_not_parsed_silently(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-read-me", encoding="utf-8")
    raw = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]><x>&xxe;</x>'
    ).encode()
    with pytest.raises(XmlRejectedError) as caught:
        parse(raw)
    assert caught.value.reason == (
        "the document declares entities (xxe); documents with entity declarations are refused"
    )


def test_a_billion_laughs_document_is_refused() -> None:
    raw = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    with pytest.raises(XmlRejectedError, match=r"declares entities \(lol, lol2\)"):
        parse(raw)


def test_an_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    evil = tmp_path / "evil.dtd"
    evil.write_text('<!ENTITY leak "leaked-from-disk">', encoding="utf-8")
    raw = f'<?xml version="1.0"?><!DOCTYPE x SYSTEM "{evil}"><x>&leak;</x>'.encode()
    with pytest.raises(XmlRejectedError) as caught:
        parse(raw)
    assert "leaked-from-disk" not in str(caught.value)
    assert caught.value.reason == (
        "the document refers to an undeclared entity (Entity 'leak' not defined)"
    )


def test_an_entity_in_an_attribute_is_refused_not_dropped() -> None:
    raw = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "x.dtd"><x a="&leak;"/>'
    with pytest.raises(XmlRejectedError) as caught:
        parse(raw)
    assert caught.value.reason == (
        "the document refers to an undeclared entity (Entity 'leak' not defined)"
    )
    assert caught.value.line == 1


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    included = tmp_path / "secret.xml"
    included.write_text("<secret>do-not-read-me</secret>", encoding="utf-8")
    raw = (
        f'<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{included}"/></x>'
    ).encode()
    parsed = parse(raw)
    assert b"do-not-read-me" not in etree.tostring(parsed.root)


def test_a_doctype_url_is_kept_but_not_fetched() -> None:
    raw = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">\n'
        b'<cXML payloadID="1" timestamp="2026-11-26T10:00:00+01:00"><Header/></cXML>'
    )
    parsed = parse(raw)
    assert parsed.doctype_system_url == "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd"


def test_malformed_xml_is_refused_with_its_line() -> None:
    with pytest.raises(XmlRejectedError) as caught:
        parse(b'<?xml version="1.0"?>\n<Invoice>\n  <ID>A1</Invoice>')
    assert caught.value.line == 3
    assert caught.value.reason.startswith("not well-formed XML: ")


def test_too_deep_and_too_large_documents_are_refused() -> None:
    deep = b"<a>" * 70 + b"</a>" * 70
    with pytest.raises(XmlRejectedError, match="nested deeper than 64 levels"):
        parse(deep)
    with pytest.raises(XmlRejectedError, match="the document is 132 bytes; the limit is 100"):
        parse(UBL_INVOICE, max_bytes=100)


def test_empty_input_and_text_are_refused() -> None:
    with pytest.raises(XmlRejectedError, match="the document is empty"):
        parse(b"  \n")
    with pytest.raises(TypeError, match="takes bytes"):
        parse("<x/>")  # type: ignore[arg-type]


def test_streaming_frees_every_element_once_read_whatever_its_tag_and_depth() -> None:
    document = (
        b"<catalogue><header>H1</header>"
        b"<terms><info>a</info><info>b<note>c</note></info></terms>"
        b"<terms><info>d</info></terms>"
        b"<line><id>1</id><item><name>Pen</name></item></line>"
        b"<terms><info>e</info></terms>"
        b"<line><id>2</id><item><name>Ink</name></item></line></catalogue>"
    )
    seen = []
    source = io.BytesIO(document)

    class Trickle:  # a large file comes a few bytes at a time, not whole
        def read(self, size: int = -1) -> bytes:
            return source.read(8)

    for event, element in iter_elements(
        Trickle(),  # type: ignore[arg-type]
        tags=("line",),
        children_of_root=("header",),
    ):
        if event == "end" and element.tag == "line":
            root = element.getroottree().getroot()
            # the line is whole; everything before it is freed: padding at every depth
            seen.append(
                (
                    element.findtext("id"),
                    element.findtext("item/name"),
                    [(child.tag, len(child), child.text) for child in root],
                )
            )
        elif event == "end":
            seen.append((str(element.tag), element.text, []))
    assert seen == [
        ("header", "H1", []),
        ("1", "Pen", [("line", 2, None)]),
        ("2", "Ink", [("line", 2, None)]),
        ("catalogue", None, []),
    ]
