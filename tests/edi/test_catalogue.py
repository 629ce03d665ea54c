"""The UBL catalogue family, streamed: every sample catalogue is read line by line, with the
values the importer needs, and what is not a catalogue is refused with a reason."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from lxml import etree

from edi.catalogue import (
    CatalogueError,
    CatalogueHeader,
    CatalogueLine,
    DocumentType,
    parse_catalogue,
)
from edi.safexml import XmlRejectedError
from tests.conftest import PUBLIC_FIXTURES

CORPUS = os.environ.get("REKVI_SAMPLE_CORPUS", "")
LINE_TAGS = {
    "Catalogue": "CatalogueLine",
    "CataloguePricingUpdate": "CataloguePricingUpdateLine",
    "CatalogueItemSpecificationUpdate": "CatalogueItemSpecificationUpdateLine",
    "CatalogueDeletion": "",
}


def _read(path: Path) -> tuple[CatalogueHeader, list[CatalogueLine]]:
    with path.open("rb") as source:
        items = list(parse_catalogue(source))
    header, *lines = items
    assert isinstance(header, CatalogueHeader)
    assert all(isinstance(line, CatalogueLine) for line in lines)
    return header, lines  # type: ignore[return-value]


def test_the_own_oioubl_catalogue_is_read_line_by_line() -> None:
    header, lines = _read(PUBLIC_FIXTURES / "rekvi/oioubl/Catalogue.xml")

    assert header == CatalogueHeader(
        document_type=DocumentType.CATALOGUE,
        customization="OIOUBL-2.1",
        document_id="KH-KAT-2026-03",
        action="",
        referenced_catalogue_id="",
        provider_id="DK29900019",
        provider_scheme="DK:CVR",
        provider_name="Kontorhuset Danmark A/S",
    )
    assert [line.supplier_item_number for line in lines] == [
        "KH-1001",
        "KH-1002",
        "KH-1004",
        "KH-1006",
        "KH-1007",
        "KH-1009",
        "KH-2001",
        "KH-3001",
    ]
    first = lines[0]
    assert (first.line, first.action, first.name, first.gtin) == (
        119,
        "Add",
        "Kuglepen blå, medium, 10 stk.",
        "5799997000012",
    )
    assert (first.unit_code, first.price, first.currency, first.base_quantity) == (
        "PK",
        "32.50",
        "DKK",
        "1",
    )
    assert (first.pack_quantity, first.pack_unit_code, first.unspsc) == ("10", "EA", "44121700")


def test_the_own_peppol_catalogue_is_read_with_its_header_action() -> None:
    header, lines = _read(PUBLIC_FIXTURES / "rekvi/peppol/Catalogue.xml")

    assert (header.document_type, header.action, header.provider_scheme) == (
        DocumentType.CATALOGUE,
        "Add",
        "0184",
    )
    assert header.provider_name == "Renhed & Hygiejne A/S"
    assert len(lines) == 10
    assert (lines[1].supplier_item_number, lines[1].unit_code, lines[1].price) == (
        "RH-ARK",
        "XBX",
        "289.00",
    )
    assert (lines[1].pack_quantity, lines[1].pack_unit_code) == ("3750", "EA")


def test_a_pricing_update_names_lines_by_id_and_takes_the_smallest_quantity_band() -> None:
    header, lines = _read(PUBLIC_FIXTURES / "rekvi/oioubl/CataloguePricingUpdate.xml")

    assert header.document_type == DocumentType.PRICING_UPDATE
    assert header.referenced_catalogue_id == "KH-KAT-2026-03"
    assert [(line.line_id, line.price, line.unit_code) for line in lines] == [
        ("KH-1001", "34.10", "PK"),  # the band from 1, not the one from 10 (31.90)
        ("KH-1006", "18.50", "EA"),
    ]
    assert all(line.supplier_item_number == "" and line.name == "" for line in lines)


def test_an_item_specification_update_carries_words_but_no_price() -> None:
    header, lines = _read(PUBLIC_FIXTURES / "rekvi/oioubl/CatalogueItemSpecificationUpdate.xml")

    assert header.document_type == DocumentType.ITEM_UPDATE
    assert [(line.supplier_item_number, line.name, line.brand, line.price) for line in lines] == [
        ("KH-1004", "Limstift 21 g, uden opløsningsmidler", "Kontorhuset", "")
    ]


def test_a_deletion_names_the_catalogue_it_deletes_and_has_no_lines() -> None:
    header, lines = _read(PUBLIC_FIXTURES / "rekvi/oioubl/CatalogueDeletion.xml")

    assert header.document_type == DocumentType.DELETION
    assert header.referenced_catalogue_id == "KH-KAT-2026-03"
    assert header.provider_id == "DK29900019"
    assert lines == []


def test_an_invoice_is_not_taken_for_a_catalogue(sample) -> None:
    with pytest.raises(CatalogueError) as error:
        list(parse_catalogue(io.BytesIO(sample("rekvi/peppol/Invoice.xml"))))

    assert str(error.value) == (
        "its root element is Invoice; a UBL Catalogue, CataloguePricingUpdate, "
        "CatalogueItemSpecificationUpdate or CatalogueDeletion was expected"
    )


def test_a_catalogue_with_an_entity_declaration_is_refused_while_streaming() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE Catalogue [<!ENTITY x "boom">]>'
        b'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        b"<cbc:ID>&x;</cbc:ID><cac:CatalogueLine><cbc:ID>1</cbc:ID></cac:CatalogueLine>"
        b"</Catalogue>"
    )

    with pytest.raises(XmlRejectedError, match="declares entities"):
        list(parse_catalogue(io.BytesIO(document)))


def test_a_large_catalogue_is_streamed_without_keeping_the_lines() -> None:
    line = (
        "<cac:CatalogueLine><cbc:ID>{n}</cbc:ID><cbc:OrderableUnit>EA</cbc:OrderableUnit>"
        "<cac:RequiredItemLocationQuantity><cac:Price>"
        '<cbc:PriceAmount currencyID="DKK">{n}.50</cbc:PriceAmount></cac:Price>'
        "</cac:RequiredItemLocationQuantity><cac:Item><cbc:Name>Vare {n}</cbc:Name>"
        "<cac:SellersItemIdentification><cbc:ID>V-{n}</cbc:ID></cac:SellersItemIdentification>"
        "</cac:Item></cac:CatalogueLine>"
    )
    document = (
        '<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"'
        ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
        ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:ID>K-1</cbc:ID>" + "".join(line.format(n=n) for n in range(5000)) + "</Catalogue>"
    ).encode()

    seen = 0
    for item in parse_catalogue(io.BytesIO(document)):
        if isinstance(item, CatalogueLine):
            assert item.supplier_item_number == f"V-{seen}"
            assert item.price == f"{seen}.50"
            seen += 1
    assert seen == 5000


def _corpus_catalogues() -> list[pytest.param]:  # type: ignore[valid-type]
    if not CORPUS:
        return []
    root = Path(CORPUS)
    found = [
        path
        for path in sorted(root.rglob("*.xml"))
        if "xsd" not in path.parts and "atalog" in path.name
    ]
    return [pytest.param(path, id=str(path.relative_to(root))) for path in found]


@pytest.mark.conformance
@pytest.mark.parametrize("path", _corpus_catalogues())
def test_every_sample_catalogue_of_the_corpus_is_read_whole(path: Path) -> None:
    root_name = etree.QName(etree.parse(str(path)).getroot()).localname
    if root_name not in LINE_TAGS:
        with pytest.raises(CatalogueError, match=f"its root element is {root_name};"):
            _read(path)
        return
    tree = etree.parse(str(path))
    expected_lines = (
        tree.getroot().findall(f"{{*}}{LINE_TAGS[root_name]}") if LINE_TAGS[root_name] else []
    )

    header, lines = _read(path)

    assert header.document_type.value == root_name
    assert header.provider_id != ""
    assert [line.line_id for line in lines] == [
        (element.findtext("{*}ID") or "").strip() for element in expected_lines
    ]
    for line, element in zip(lines, expected_lines, strict=True):
        assert line.line == element.sourceline
        if root_name != "CatalogueItemSpecificationUpdate":
            assert line.price != "", f"line {line.line} has no price"
        if root_name != "CataloguePricingUpdate":
            assert line.name != "", f"line {line.line} has no name"


@pytest.mark.conformance
def test_the_corpus_catalogues_are_there_when_named() -> None:
    if not CORPUS:
        pytest.skip("REKVI_SAMPLE_CORPUS is not set: only the project's own samples are read")
    names = {path.values[0].name for path in _corpus_catalogues()}  # type: ignore[attr-defined]
    assert {
        "OIOUBL_Catalogue_v2p2.xml",
        "OIOUBL_CataloguePricingUpdate_v2p2.xml",
        "OIOUBL_CatalogueItemSpecificationUpdate_v2p2.xml",
        "OIOUBL_CatalogueDeletion_v2p2.xml",
        "Catalogue_Example.xml",
        "catalogue-wo-response-use-case-3.xml",
        "CatalogueResponse_Example.xml",
    } <= names
