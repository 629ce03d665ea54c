"""The UBL 2.1 catalogue family (OIOUBL 2.1 and Peppol BIS Catalogue 3), streamed.

`parse_catalogue` reads one line at a time with the hardened streaming parser, so a catalogue
of any size never sits in memory whole. It gives the document's header once (what kind of
document, its action, who sent it) and each line's values as written (text, not yet numbers):
checking them is the importer's job, which reports a bad line by its line number and goes on.

Four documents are read:

- `Catalogue`: the whole catalogue (Peppol header action Add or Replace), a partial update
  (Peppol header action Update, or OIOUBL lines with action Update/Delete), or the deletion of
  the whole catalogue (Peppol header action Delete);
- `CataloguePricingUpdate` (OIOUBL): new prices for lines named by their catalogue line ID;
- `CatalogueItemSpecificationUpdate` (OIOUBL): new descriptions for items;
- `CatalogueDeletion` (OIOUBL): the whole catalogue it names leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from edi import safexml

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}
PROVIDER = f"{{{CAC}}}ProviderParty"
#: GTIN schemes: Peppol's ISO 6523 code 0160, OIOUBL's "GTIN"
GTIN_SCHEMES = frozenset({"0160", "GTIN"})
HEAD_BYTES = 64 * 1024


class DocumentType(StrEnum):
    CATALOGUE = "Catalogue"
    PRICING_UPDATE = "CataloguePricingUpdate"
    ITEM_UPDATE = "CatalogueItemSpecificationUpdate"
    DELETION = "CatalogueDeletion"


#: Each document's root element and line element.
ROOTS = {
    document: f"{{urn:oasis:names:specification:ubl:schema:xsd:{document.value}-2}}{document.value}"
    for document in DocumentType
}
LINES = {
    DocumentType.CATALOGUE: f"{{{CAC}}}CatalogueLine",
    DocumentType.PRICING_UPDATE: f"{{{CAC}}}CataloguePricingUpdateLine",
    DocumentType.ITEM_UPDATE: f"{{{CAC}}}CatalogueItemSpecificationUpdateLine",
}


class CatalogueError(ValueError):
    """The document is not a UBL catalogue Rekvi can read; `line` says where."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        super().__init__(reason + (f" (line {line})" if line else ""))
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class CatalogueHeader:
    document_type: DocumentType
    customization: str  # "OIOUBL-2.1" or the Peppol customization URN
    document_id: str
    action: str  # the document-level action code (Peppol: Add, Replace, Update, Delete)
    referenced_catalogue_id: str  # the catalogue an update or deletion is about
    provider_id: str  # as written, e.g. "DK29900019" or "5799998000103"
    provider_scheme: str  # e.g. "DK:CVR", "GLN", "0184"
    provider_name: str

    @property
    def is_punch_out(self) -> bool:
        """A Peppol punch-out basket uses the Catalogue syntax but is not a catalogue."""
        return "punch_out" in self.customization


@dataclass(frozen=True)
class CatalogueLine:
    """One line's values as written. Empty string where the document has nothing."""

    line: int
    line_id: str
    action: str  # Add, Update, Delete (line action codes), or ""
    supplier_item_number: str
    name: str
    description: str
    brand: str
    gtin: str
    unit_code: str  # the orderable unit
    price: str
    currency: str
    base_quantity: str  # the price is for this many units
    pack_quantity: str  # content of one orderable unit
    pack_unit_code: str
    minimum_order_quantity: str
    unspsc: str


def _text(element: safexml.Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _attribute(element: safexml.Element, path: str, name: str) -> str:
    found = element.find(path, NS)
    return (found.get(name) or "").strip() if found is not None else ""


def _q(prefix: str, name: str) -> str:
    return f"{{{CAC if prefix == 'cac' else CBC}}}{name}"


# The tags a line is read by (Clark notation: compared, never searched for).
_ID, _ACTION, _ORDERABLE_UNIT = _q("cbc", "ID"), _q("cbc", "ActionCode"), _q("cbc", "OrderableUnit")
_CONTENT, _MINIMUM = _q("cbc", "ContentUnitQuantity"), _q("cbc", "MinimumOrderQuantity")
_PLACE, _PRICE, _ITEM = (
    _q("cac", "RequiredItemLocationQuantity"),
    _q("cac", "Price"),
    _q("cac", "Item"),
)
_MINIMUM_QUANTITY, _AMOUNT, _BASE = (
    _q("cbc", "MinimumQuantity"),
    _q("cbc", "PriceAmount"),
    _q("cbc", "BaseQuantity"),
)
_NAME, _DESCRIPTION, _BRAND, _PACK_SIZE = (
    _q("cbc", "Name"),
    _q("cbc", "Description"),
    _q("cbc", "BrandName"),
    _q("cbc", "PackSizeNumeric"),
)
_SELLERS, _STANDARD, _CLASSIFICATION, _CLASSIFICATION_CODE = (
    _q("cac", "SellersItemIdentification"),
    _q("cac", "StandardItemIdentification"),
    _q("cac", "CommodityClassification"),
    _q("cbc", "ItemClassificationCode"),
)


def _stripped(element: safexml.Element) -> str:
    return (element.text or "").strip()


def _price(place: safexml.Element) -> tuple[float, safexml.Element | None]:
    """(minimum quantity, Price element) of a RequiredItemLocationQuantity."""
    minimum, price = 0.0, None
    for child in place:
        if child.tag == _PRICE:
            price = child
        elif child.tag == _MINIMUM_QUANTITY:
            try:
                minimum = float(_stripped(child) or 0)
            except ValueError:
                minimum = 0.0
    return minimum, price


def _item(item: safexml.Element, values: dict[str, str]) -> None:
    for child in item:
        tag = child.tag
        if tag == _NAME and "name" not in values:
            values["name"] = _stripped(child)
        elif tag == _DESCRIPTION and "description" not in values:
            values["description"] = _stripped(child)
        elif tag == _BRAND and "brand" not in values:
            values["brand"] = _stripped(child)
        elif tag == _PACK_SIZE and "pack_size" not in values:
            values["pack_size"] = _stripped(child)
        elif tag == _SELLERS:
            found = child.find(_ID)
            values["item_number"] = _stripped(found) if found is not None else ""
        elif tag == _STANDARD and "gtin" not in values:
            found = child.find(_ID)
            if found is not None and (found.get("schemeID") or "GTIN") in GTIN_SCHEMES:
                values["gtin"] = _stripped(found)
        elif tag == _CLASSIFICATION and "unspsc" not in values:
            found = child.find(_CLASSIFICATION_CODE)
            if found is not None and (found.get("listID") or "").upper() in ("UNSPSC", "TST"):
                values["unspsc"] = _stripped(found)


def _line(element: safexml.Element) -> CatalogueLine:
    """One line's values, in one pass over its children (a catalogue has 100,000s of lines)."""
    values: dict[str, str] = {}
    best: tuple[float, safexml.Element | None] | None = None
    content: safexml.Element | None = None
    for child in element:
        tag = child.tag
        if tag == _ID:
            values["line_id"] = _stripped(child)
        elif tag == _ACTION:
            values["action"] = _stripped(child)
        elif tag == _ORDERABLE_UNIT:
            values["unit"] = _stripped(child)
        elif tag == _CONTENT:
            content = child
        elif tag == _MINIMUM:
            values["minimum"] = _stripped(child)
        elif tag == _PLACE:
            band = _price(child)
            if band[1] is not None and (best is None or band[0] < best[0]):
                best = band
        elif tag == _ITEM:
            _item(child, values)
    amount = base = None
    if best is not None and best[1] is not None:
        for part in best[1]:
            if part.tag == _AMOUNT:
                amount = part
            elif part.tag == _BASE:
                base = part
    pack_quantity = _stripped(content) if content is not None else ""
    return CatalogueLine(
        line=element.sourceline or 0,
        line_id=values.get("line_id", ""),
        action=values.get("action", ""),
        supplier_item_number=values.get("item_number", ""),
        name=values.get("name", ""),
        description=values.get("description", ""),
        brand=values.get("brand", ""),
        gtin=values.get("gtin", ""),
        unit_code=values.get("unit", "")
        or ((base.get("unitCode") or "").strip() if base is not None else ""),
        price=_stripped(amount) if amount is not None else "",
        currency=(amount.get("currencyID") or "").strip() if amount is not None else "",
        base_quantity=(_stripped(base) if base is not None else "") or "1",
        pack_quantity=pack_quantity or values.get("pack_size", ""),
        pack_unit_code=(content.get("unitCode") or "").strip()
        if content is not None and pack_quantity
        else "",
        minimum_order_quantity=values.get("minimum", ""),
        unspsc=values.get("unspsc", ""),
    )


def document_type_of(source: BinaryIO) -> DocumentType:
    """Which catalogue document `source` holds, from its root element (the stream is put
    back at its start). Raises CatalogueError for any other document."""
    head = source.read(HEAD_BYTES)
    source.seek(0)
    root = safexml.root_tag(head)
    for document, tag in ROOTS.items():
        if root == tag:
            return document
    name = root.rpartition("}")[2] or root
    raise CatalogueError(
        (f"its root element is {name}" if name else "it has no root element")
        + "; a UBL Catalogue, CataloguePricingUpdate, CatalogueItemSpecificationUpdate or "
        "CatalogueDeletion was expected"
    )


#: The root's children a header is read from, each read at its end (then freed).
_HEADER_FIELDS = {
    _q("cbc", "CustomizationID"): "customization",
    _ID: "document_id",
    _ACTION: "action",
}
_REFERENCES = {
    _q("cac", "RelatedCatalogueReference"): DocumentType.CATALOGUE,
    _q("cac", "DeletedCatalogueReference"): DocumentType.DELETION,
}


def _provider(provider: safexml.Element) -> dict[str, str]:
    return {
        "provider_id": _text(provider, "cbc:EndpointID")
        or _text(provider, "cac:PartyIdentification/cbc:ID"),
        "provider_scheme": _attribute(provider, "cbc:EndpointID", "schemeID")
        or _attribute(provider, "cac:PartyIdentification/cbc:ID", "schemeID"),
        "provider_name": _text(provider, "cac:PartyName/cbc:Name")
        or _text(provider, "cac:PartyLegalEntity/cbc:RegistrationName"),
    }


def _header_value(document: DocumentType, element: safexml.Element, values: dict[str, str]) -> None:
    """Keep what a header child of the root says (the first of each kind counts)."""
    tag = str(element.tag)
    if tag in _HEADER_FIELDS:
        values.setdefault(_HEADER_FIELDS[tag], _stripped(element))
    elif tag in _REFERENCES:
        # a deletion names the deleted catalogue; any other document the related one
        if (_REFERENCES[tag] == DocumentType.DELETION) == (document == DocumentType.DELETION):
            values.setdefault("referenced_catalogue_id", _text(element, "cbc:ID"))
    elif tag == PROVIDER and "provider_id" not in values:
        values.update(_provider(element))


def _header(document: DocumentType, values: dict[str, str]) -> CatalogueHeader:
    return CatalogueHeader(
        document_type=document,
        customization=values.get("customization", ""),
        document_id=values.get("document_id", ""),
        action=values.get("action", ""),
        referenced_catalogue_id=values.get("referenced_catalogue_id", ""),
        provider_id=values.get("provider_id", ""),
        provider_scheme=values.get("provider_scheme", ""),
        provider_name=values.get("provider_name", ""),
    )


def parse_catalogue(source: BinaryIO) -> Iterator[CatalogueHeader | CatalogueLine]:
    """The header (first, once), then every line, in document order. `source` must be
    seekable (its root element is read first).

    Raises CatalogueError for a document that is not one of the four, and
    safexml.XmlRejectedError for one the hardened parser refuses.
    """
    document = document_type_of(source)
    root_tag = ROOTS[document]
    line_tag = LINES.get(document, "")
    # The root's header children are read one by one as they end (every element is freed
    # once read, so they are gone by the time a later element ends).
    header_tags = (*_HEADER_FIELDS, *_REFERENCES, PROVIDER)
    root: safexml.Element | None = None
    values: dict[str, str] = {}
    header_sent = False
    for event, element in safexml.iter_elements(
        source, tags=(line_tag,) if line_tag else (), children_of_root=header_tags
    ):
        if event == "start":
            if root is None and element.tag == root_tag:
                root = element
            continue
        if root is None:
            raise CatalogueError(
                f"{safexml.local_name(element)} is outside a {document.value}",
                line=element.sourceline,
            )
        if element.tag == line_tag and element is not root:
            if not header_sent:
                header_sent = True
                yield _header(document, values)
            yield _line(element)
        elif element is root:
            if not header_sent:
                header_sent = True
                yield _header(document, values)
        elif not header_sent:
            _header_value(document, element, values)
            if element.tag == PROVIDER:
                header_sent = True
                yield _header(document, values)
