"""The trusted-schema loader: the only place a DTD or XSD is loaded, always from Rekvi's own
unmodified copies on disk (see schemas/SOURCES.md), never from the network.

Validation results are returned as readable problems ("line 12: ..."), empty when valid.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from edi.safexml import local_name

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
UBL_MAINDOC = SCHEMA_DIR / "ubl-2.1" / "maindoc"
CXML_DTDS = SCHEMA_DIR / "cxml-1.2.071"
UBL_NAMESPACE_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"

#: Which cXML DTD validates which document (each module is self-contained).
CXML_DTD_FOR = {
    "PunchOutSetupRequest": "cXML.dtd",
    "PunchOutSetupResponse": "cXML.dtd",
    "PunchOutOrderMessage": "cXML.dtd",
    "OrderRequest": "cXML.dtd",
    "ConfirmationRequest": "Fulfill.dtd",
    "ShipNoticeRequest": "Fulfill.dtd",
    "InvoiceDetailRequest": "InvoiceDetail.dtd",
    "CatalogUploadRequest": "Catalog.dtd",
}


class UnknownSchemaError(LookupError):
    """Rekvi has no schema for this kind of document."""


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


@functools.cache
def ubl_schema(document: str) -> etree.XMLSchema:
    """The UBL 2.1 schema of `document` (e.g. "Invoice", "Order", "Catalogue")."""
    path = UBL_MAINDOC / f"UBL-{document}-2.1.xsd"
    if not path.is_file():
        raise UnknownSchemaError(f"no UBL 2.1 schema for {document!r}")
    return etree.XMLSchema(etree.parse(str(path), parser=_schema_parser()))


@functools.cache
def cxml_dtd(name: str) -> etree.DTD:
    """One of the cXML 1.2.071 DTDs, by file name."""
    path = CXML_DTDS / name
    if path.suffix != ".dtd" or not path.is_file():
        raise UnknownSchemaError(f"no cXML DTD named {name!r}")
    with path.open("rb") as file:
        return etree.DTD(file)


def _problems(log: etree._ListErrorLog) -> list[str]:
    return [f"line {entry.line}: {entry.message}" for entry in log]


def ubl_document_type(root: etree._Element) -> str:
    """The UBL document type of a root element ("Invoice" for a UBL Invoice)."""
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith(UBL_NAMESPACE_PREFIX):
        raise UnknownSchemaError(
            f"{local_name(root)} is not a UBL document (namespace {namespace!r})"
        )
    return local_name(root)


def validate_ubl(root: etree._Element) -> list[str]:
    """Problems found by the UBL 2.1 schema of the document's type; empty when valid."""
    schema = ubl_schema(ubl_document_type(root))
    if schema.validate(root):
        return []
    return _problems(schema.error_log)


def cxml_message_type(root: etree._Element) -> str:
    """The payload of a cXML envelope: the Request/Response/Message child's element name."""
    if local_name(root) != "cXML":
        raise UnknownSchemaError(f"{local_name(root)} is not a cXML document")
    for section in root:
        if not isinstance(section.tag, str):
            continue
        if local_name(section) in ("Request", "Response", "Message"):
            for payload in section:
                if isinstance(payload.tag, str) and local_name(payload) != "Status":
                    return local_name(payload)
    raise UnknownSchemaError("the cXML document has no Request, Response or Message payload")


def validate_cxml(root: etree._Element) -> list[str]:
    """Problems found by the cXML DTD for the document's payload; empty when valid."""
    payload = cxml_message_type(root)
    if payload not in CXML_DTD_FOR:
        raise UnknownSchemaError(f"no cXML DTD is known for {payload}")
    dtd = cxml_dtd(CXML_DTD_FOR[payload])
    if dtd.validate(root):
        return []
    return _problems(dtd.error_log)
