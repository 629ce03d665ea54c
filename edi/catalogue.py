"""UBL 2.1 Catalogue (OIOUBL 2.1 and Peppol BIS Catalogue 3), streamed.

`parse_catalogue` reads one CatalogueLine at a time with the hardened streaming parser, so a
catalogue of any size never sits in memory whole, and gives each line's values as written
(text, not yet numbers): checking them is the importer's job, which reports a bad line by its
line number and goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from edi import safexml

CAT = "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}
LINE = f"{{{CAC}}}CatalogueLine"
PROVIDER = f"{{{CAC}}}ProviderParty"
ROOT = f"{{{CAT}}}Catalogue"
#: GTIN schemes: Peppol's ISO 6523 code 0160, OIOUBL's "GTIN"
GTIN_SCHEMES = frozenset({"0160", "GTIN"})


class CatalogueError(ValueError):
    """The document is not a UBL catalogue Rekvi can read; `line` says where."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        super().__init__(reason + (f" (line {line})" if line else ""))
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class CatalogueHeader:
    customization: str  # "OIOUBL-2.1" or the Peppol customization URN
    document_id: str
    provider_id: str  # as written, e.g. "DK29900019" or "5799998000103"
    provider_scheme: str  # e.g. "DK:CVR", "GLN", "0184"
    provider_name: str


@dataclass(frozen=True)
class CatalogueLine:
    """One line's values as written. Empty string where the document has nothing."""

    line: int
    line_id: str
    action: str  # Add, Update, Delete (OIOUBL/Peppol action codes), or ""
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


def _line(element: safexml.Element) -> CatalogueLine:
    gtin = ""
    for identifier in element.iterfind("cac:Item/cac:StandardItemIdentification/cbc:ID", NS):
        if (identifier.get("schemeID") or "GTIN") in GTIN_SCHEMES:
            gtin = (identifier.text or "").strip()
            break
    unspsc = ""
    for code in element.iterfind(
        "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", NS
    ):
        if (code.get("listID") or "").upper() in ("UNSPSC", "TST"):
            unspsc = (code.text or "").strip()
            break
    price_path = "cac:RequiredItemLocationQuantity/cac:Price"
    return CatalogueLine(
        line=element.sourceline or 0,
        line_id=_text(element, "cbc:ID"),
        action=_text(element, "cbc:ActionCode"),
        supplier_item_number=_text(element, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        name=_text(element, "cac:Item/cbc:Name"),
        description=_text(element, "cac:Item/cbc:Description"),
        brand=_text(element, "cac:Item/cbc:BrandName"),
        gtin=gtin,
        unit_code=_text(element, "cbc:OrderableUnit")
        or _attribute(element, f"{price_path}/cbc:BaseQuantity", "unitCode"),
        price=_text(element, f"{price_path}/cbc:PriceAmount"),
        currency=_attribute(element, f"{price_path}/cbc:PriceAmount", "currencyID"),
        base_quantity=_text(element, f"{price_path}/cbc:BaseQuantity") or "1",
        pack_quantity=_text(element, "cbc:ContentUnitQuantity"),
        pack_unit_code=_attribute(element, "cbc:ContentUnitQuantity", "unitCode"),
        minimum_order_quantity=_text(element, "cbc:MinimumOrderQuantity"),
        unspsc=unspsc,
    )


def parse_catalogue(source: BinaryIO) -> Iterator[CatalogueHeader | CatalogueLine]:
    """The header (once its provider is read), then every CatalogueLine, in document order.

    Raises CatalogueError for a document that is not a UBL Catalogue, and
    safexml.XmlRejectedError for one the hardened parser refuses.
    """
    customization = document_id = ""
    for event, element in safexml.iter_elements(source, tags=(ROOT, PROVIDER, LINE)):
        if event == "start":
            if element.tag != ROOT and element.getparent() is None:
                raise CatalogueError(
                    f"the document is a {safexml.local_name(element)}, not a UBL Catalogue",
                    line=element.sourceline,
                )
            continue
        if element.tag == PROVIDER:
            root = element.getparent()
            if root is not None:
                customization = _text(root, "cbc:CustomizationID")
                document_id = _text(root, "cbc:ID")
            yield CatalogueHeader(
                customization=customization,
                document_id=document_id,
                provider_id=_text(element, "cbc:EndpointID")
                or _text(element, "cac:PartyIdentification/cbc:ID"),
                provider_scheme=_attribute(element, "cbc:EndpointID", "schemeID")
                or _attribute(element, "cac:PartyIdentification/cbc:ID", "schemeID"),
                provider_name=_text(element, "cac:PartyName/cbc:Name"),
            )
        elif element.tag == LINE:
            yield _line(element)
