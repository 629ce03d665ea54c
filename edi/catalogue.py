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


def _price(element: safexml.Element) -> safexml.Element | None:
    """The line's price: the one for the smallest minimum quantity (a line may carry a price
    per quantity band), else the first."""
    best: tuple[float, safexml.Element] | None = None
    for place in element.iterfind("cac:RequiredItemLocationQuantity", NS):
        price = place.find("cac:Price", NS)
        if price is None:
            continue
        try:
            minimum = float(_text(place, "cbc:MinimumQuantity") or 0)
        except ValueError:
            minimum = 0
        if best is None or minimum < best[0]:
            best = (minimum, price)
    return best[1] if best else None


def _line(element: safexml.Element) -> CatalogueLine:
    item = element.find("cac:Item", NS)
    gtin = unspsc = name = description = brand = item_number = pack_size = ""
    if item is not None:
        for identifier in item.iterfind("cac:StandardItemIdentification/cbc:ID", NS):
            if (identifier.get("schemeID") or "GTIN") in GTIN_SCHEMES:
                gtin = (identifier.text or "").strip()
                break
        for code in item.iterfind("cac:CommodityClassification/cbc:ItemClassificationCode", NS):
            if (code.get("listID") or "").upper() in ("UNSPSC", "TST"):
                unspsc = (code.text or "").strip()
                break
        name = _text(item, "cbc:Name")
        description = _text(item, "cbc:Description")
        brand = _text(item, "cbc:BrandName")
        item_number = _text(item, "cac:SellersItemIdentification/cbc:ID")
        pack_size = _text(item, "cbc:PackSizeNumeric")
    price = _price(element)
    price_amount = price.find("cbc:PriceAmount", NS) if price is not None else None
    base = price.find("cbc:BaseQuantity", NS) if price is not None else None
    pack_quantity = _text(element, "cbc:ContentUnitQuantity")
    base_unit = (base.get("unitCode") or "").strip() if base is not None else ""
    return CatalogueLine(
        line=element.sourceline or 0,
        line_id=_text(element, "cbc:ID"),
        action=_text(element, "cbc:ActionCode"),
        supplier_item_number=item_number,
        name=name,
        description=description,
        brand=brand,
        gtin=gtin,
        unit_code=_text(element, "cbc:OrderableUnit") or base_unit,
        price=(price_amount.text or "").strip() if price_amount is not None else "",
        currency=(price_amount.get("currencyID") or "").strip() if price_amount is not None else "",
        base_quantity=((base.text or "").strip() if base is not None else "") or "1",
        pack_quantity=pack_quantity or pack_size,
        pack_unit_code=_attribute(element, "cbc:ContentUnitQuantity", "unitCode")
        if pack_quantity
        else "",
        minimum_order_quantity=_text(element, "cbc:MinimumOrderQuantity"),
        unspsc=unspsc,
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


def _header(
    document: DocumentType, root: safexml.Element, provider: safexml.Element | None
) -> CatalogueHeader:
    reference = (
        "cac:DeletedCatalogueReference/cbc:ID"
        if document == DocumentType.DELETION
        else "cac:RelatedCatalogueReference/cbc:ID"
    )
    return CatalogueHeader(
        document_type=document,
        customization=_text(root, "cbc:CustomizationID"),
        document_id=_text(root, "cbc:ID"),
        action=_text(root, "cbc:ActionCode"),
        referenced_catalogue_id=_text(root, reference),
        provider_id=(
            _text(provider, "cbc:EndpointID") or _text(provider, "cac:PartyIdentification/cbc:ID")
        )
        if provider is not None
        else "",
        provider_scheme=(
            _attribute(provider, "cbc:EndpointID", "schemeID")
            or _attribute(provider, "cac:PartyIdentification/cbc:ID", "schemeID")
        )
        if provider is not None
        else "",
        provider_name=(
            _text(provider, "cac:PartyName/cbc:Name")
            or _text(provider, "cac:PartyLegalEntity/cbc:RegistrationName")
        )
        if provider is not None
        else "",
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
    tags = tuple(tag for tag in (root_tag, PROVIDER, line_tag) if tag)
    root: safexml.Element | None = None
    header_sent = False
    for event, element in safexml.iter_elements(source, tags=tags):
        if event == "start":
            if element.tag == root_tag and element.getparent() is None:
                root = element
            continue
        if root is None:
            raise CatalogueError(
                f"{safexml.local_name(element)} is outside a {document.value}",
                line=element.sourceline,
            )
        if element.tag == PROVIDER and element.getparent() is root and not header_sent:
            header_sent = True
            yield _header(document, root, element)
        elif element.tag == line_tag:
            if not header_sent:
                header_sent = True
                yield _header(document, root, None)
            yield _line(element)
        elif element.tag == root_tag and not header_sent:
            header_sent = True
            yield _header(document, root, None)
