"""cXML 1.2.071 as the demo supplier speaks it: the PunchOutSetupRequest and OrderRequest it
reads, and the PunchOutSetupResponse, Status responses and PunchOutOrderMessage it writes.

Everything read goes through `edi.safexml.parse`; lxml is used here only to build documents
(Element, SubElement, tostring). Every document written carries the cXML 1.2.071 DOCTYPE and
is valid against cXML.dtd (the tests check it with `edi.schemas`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree  # noqa: TID251 - only builds documents; parsing is edi.safexml's

from demo_supplier.catalogue import Supplier
from demo_supplier.session import Fault, Operation, PricedLine, quantity_text
from edi import safexml, schemas

CXML_VERSION = "1.2.071"
DOCTYPE = f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{CXML_VERSION}/cXML.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
USER_AGENT = "Rekvi demo-leverandør"
#: The unit written instead of a Rec 20 code in the wrong-unit fault mode.
WRONG_UNIT = "STK"
#: The largest document the demo supplier reads.
MAX_BYTES = 5 * 1024 * 1024
STATUS_TEXTS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 406: "Not Acceptable"}


class CxmlRequestError(ValueError):
    """The request is not one the demo supplier can answer; `code` is the cXML status
    (400 for a malformed or incomplete document) and the message says why, in English."""

    def __init__(self, reason: str, *, code: int = 400) -> None:
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class SenderCredential:
    identity: str
    shared_secret: str


@dataclass(frozen=True)
class Header:
    from_domain: str
    from_identity: str
    senders: tuple[SenderCredential, ...]


@dataclass(frozen=True)
class ItemOutLine:
    """An ItemOut of an edit or inspect request: SupplierPartID (stripped), quantity, and the
    SupplierPartAuxiliaryID exactly as received (None when there is no such element)."""

    sku: str
    quantity: Decimal
    aux_id: str | None


@dataclass(frozen=True)
class SetupRequest:
    header: Header
    operation: Operation
    buyer_cookie: str
    browser_form_post_url: str
    deployment_mode: str
    selected_item: str
    items: tuple[ItemOutLine, ...]  # ItemOut lines (edit, inspect), as sent


@dataclass(frozen=True)
class OrderRequest:
    header: Header
    payload_id: str
    order_id: str
    order_date: str
    total: Decimal
    currency: str
    line_count: int
    problems: tuple[str, ...]  # what cXML.dtd finds wrong with the document; empty when valid


# --- reading ---------------------------------------------------------------------------------


def _text(element: safexml.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _root(raw: bytes) -> safexml.Element:
    try:
        root = safexml.parse(raw, max_bytes=MAX_BYTES).root
    except safexml.XmlRejectedError as exc:
        raise CxmlRequestError(str(exc)) from exc
    if not isinstance(root.tag, str) or safexml.local_name(root) != "cXML":
        raise CxmlRequestError(f"the document is not cXML (its root is {root.tag!r})")
    return root


def _header(root: safexml.Element) -> Header:
    header = root.find("Header")
    if header is None:
        raise CxmlRequestError("cXML/Header is missing")
    from_credential = header.find("From/Credential")
    senders = tuple(
        SenderCredential(
            identity=_text(credential.find("Identity")).strip(),
            shared_secret=_text(credential.find("SharedSecret")).strip(),
        )
        for credential in header.iterfind("Sender/Credential")
    )
    return Header(
        from_domain="" if from_credential is None else from_credential.get("domain", ""),
        from_identity=_text(
            None if from_credential is None else from_credential.find("Identity")
        ).strip(),
        senders=senders,
    )


def _decimal(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise CxmlRequestError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite():
        raise CxmlRequestError(f"{where}: {text!r} is not a number")
    return value


def setup_request_parse(raw: bytes) -> SetupRequest:
    """The PunchOutSetupRequest in `raw`. Raises CxmlRequestError (400) naming what is wrong;
    the "source" operation is refused with 406."""
    root = _root(raw)
    request = root.find("Request")
    setup = None if request is None else request.find("PunchOutSetupRequest")
    if request is None or setup is None:
        raise CxmlRequestError("cXML/Request/PunchOutSetupRequest is missing")
    header = _header(root)
    operation_text = setup.get("operation", "")
    try:
        operation = Operation(operation_text)
    except ValueError:
        raise CxmlRequestError(
            f"PunchOutSetupRequest@operation {operation_text!r} is not create, edit or inspect",
            code=406 if operation_text == "source" else 400,
        ) from None
    buyer_cookie = _text(setup.find("BuyerCookie"))
    if not buyer_cookie.strip():
        raise CxmlRequestError("PunchOutSetupRequest/BuyerCookie is missing")
    url = _text(setup.find("BrowserFormPost/URL")).strip()
    if not url:
        raise CxmlRequestError("PunchOutSetupRequest/BrowserFormPost/URL is missing")
    items = []
    for number, item in enumerate(setup.iterfind("ItemOut"), start=1):
        where = f"PunchOutSetupRequest/ItemOut[{number}]"
        part = item.find("ItemID/SupplierPartID")
        if part is None:
            raise CxmlRequestError(f"{where}/ItemID/SupplierPartID is missing")
        quantity = _decimal(item.get("quantity", ""), f"{where}@quantity")
        if quantity <= 0:
            raise CxmlRequestError(f"{where}@quantity must be more than 0")
        aux = item.find("ItemID/SupplierPartAuxiliaryID")
        items.append(
            ItemOutLine(_text(part).strip(), quantity, None if aux is None else _text(aux))
        )
    return SetupRequest(
        header=header,
        operation=operation,
        buyer_cookie=buyer_cookie,
        browser_form_post_url=url,
        deployment_mode=request.get("deploymentMode", "production"),
        selected_item=_text(setup.find("SelectedItem/ItemID/SupplierPartID")).strip(),
        items=tuple(items),
    )


def order_request_parse(raw: bytes) -> OrderRequest:
    """The OrderRequest in `raw`: its orderID, total and number of lines, and what cXML.dtd
    finds wrong with it (recorded, not refused). Raises CxmlRequestError (400) naming what is
    wrong when the parts the demo supplier records are missing or malformed."""
    root = _root(raw)
    order = root.find("Request/OrderRequest")
    if order is None:
        raise CxmlRequestError("cXML/Request/OrderRequest is missing")
    order_header = order.find("OrderRequestHeader")
    if order_header is None:
        raise CxmlRequestError("OrderRequest/OrderRequestHeader is missing")
    order_id = order_header.get("orderID", "").strip()
    if not order_id:
        raise CxmlRequestError("OrderRequestHeader@orderID is missing")
    money = order_header.find("Total/Money")
    if money is None:
        raise CxmlRequestError("OrderRequestHeader/Total/Money is missing")
    return OrderRequest(
        header=_header(root),
        payload_id=root.get("payloadID", ""),
        order_id=order_id,
        order_date=order_header.get("orderDate", ""),
        total=_decimal(_text(money), "OrderRequestHeader/Total/Money"),
        currency=money.get("currency", ""),
        line_count=len(order.findall("ItemOut")),
        problems=tuple(schemas.validate_cxml(root)),
    )


# --- writing ---------------------------------------------------------------------------------


def payload_id_new(supplier: Supplier, now: datetime) -> str:
    return f"{now:%Y%m%d%H%M%S}.{secrets.token_hex(6)}@{supplier.slug}.demo-supplier"


def _sub(
    parent: etree._Element, tag: str, content: str | None = None, /, **attributes: str
) -> etree._Element:
    """A child element with text `content` and `attributes` (a "text" attribute included)."""
    element = etree.SubElement(parent, tag, attributes)
    if content is not None:
        element.text = content
    return element


def _envelope(*, payload_id: str, timestamp: datetime) -> etree._Element:
    root = etree.Element("cXML")
    root.set("version", CXML_VERSION)
    root.set("payloadID", payload_id)
    root.set("timestamp", timestamp.isoformat(timespec="seconds"))
    root.set(XML_LANG, "da-DK")
    return root


def _credential(parent: etree._Element, domain: str, identity: str) -> None:
    credential = _sub(parent, "Credential", domain=domain)
    _sub(credential, "Identity", identity)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(
        root, encoding="UTF-8", xml_declaration=True, doctype=DOCTYPE, pretty_print=True
    )


def status_response(*, code: int, detail: str, payload_id: str, timestamp: datetime) -> bytes:
    """A cXML Response with only a Status (an error, or the 200 OK to an OrderRequest)."""
    root = _envelope(payload_id=payload_id, timestamp=timestamp)
    response = _sub(root, "Response")
    status = _sub(response, "Status", code=str(code), text=STATUS_TEXTS.get(code, "Error"))
    status.set(XML_LANG, "en")
    if detail:
        status.text = detail
    return _bytes(root)


def setup_response(*, start_url: str, payload_id: str, timestamp: datetime) -> bytes:
    """A PunchOutSetupResponse, Status 200, sending the browser to `start_url`."""
    root = _envelope(payload_id=payload_id, timestamp=timestamp)
    response = _sub(root, "Response")
    _sub(response, "Status", code="200", text="OK")
    setup = _sub(response, "PunchOutSetupResponse")
    _sub(_sub(setup, "StartPage"), "URL", start_url)
    return _bytes(root)


def _money(parent: etree._Element, amount: Decimal) -> None:
    _sub(parent, "Money", f"{amount:.2f}", currency="DKK")


def _item_in(message: etree._Element, priced: PricedLine, fault: Fault) -> None:
    product = priced.product
    unit = WRONG_UNIT if fault is Fault.WRONG_UNIT else product.unit
    item = _sub(
        message,
        "ItemIn",
        quantity=quantity_text(priced.line.quantity),
        lineNumber=str(priced.number),
    )
    item_id = _sub(item, "ItemID")
    _sub(item_id, "SupplierPartID", product.sku)
    _sub(item_id, "SupplierPartAuxiliaryID", priced.line.aux_id)
    detail = _sub(item, "ItemDetail")
    _money(_sub(detail, "UnitPrice"), product.price)
    description = _sub(detail, "Description", product.description)
    description.set(XML_LANG, "da")
    _sub(description, "ShortName", product.name)
    _sub(detail, "UnitOfMeasure", unit)
    if product.price_unit != 1 and fault is not Fault.MISSING_PRICEUNIT:
        basis = _sub(
            detail, "PriceBasisQuantity", quantity=str(product.price_unit), conversionFactor="1"
        )
        _sub(basis, "UnitOfMeasure", unit)
    _sub(detail, "Classification", product.unspsc, domain="UNSPSC")
    _sub(detail, "ManufacturerPartID", product.manufacturer_part_no)
    _sub(detail, "ManufacturerName", product.manufacturer.name).set(XML_LANG, "da")
    _sub(detail, "LeadTime", str(product.lead_time_days))


def order_message(
    *,
    supplier: Supplier,
    buyer_domain: str,
    buyer_identity: str,
    buyer_cookie: str,
    deployment_mode: str,
    lines: Sequence[PricedLine],
    total: Decimal,
    fault: Fault,
    payload_id: str,
    timestamp: datetime,
    cancelled: bool = False,
) -> bytes:
    """The PunchOutOrderMessage returning `lines` (none is an empty cart, Total 0.00). A
    `cancelled` punch-out says so as real shops do: its Message carries Status 204 No Content.

    operationAllowed is "edit" when the supplier supports edit, else "create". Each ItemIn
    carries its line's SupplierPartAuxiliaryID as kept, and a PriceBasisQuantity when the
    item's price is for more than one unit. The fault modes change the document: wrong-unit
    writes "STK" as every UnitOfMeasure, missing-priceunit leaves out PriceBasisQuantity, and
    malformed-cart cuts the document off before </PunchOutOrderMessage>.
    """
    root = _envelope(payload_id=payload_id, timestamp=timestamp)
    header = _sub(root, "Header")
    _credential(_sub(header, "From"), "NetworkID", supplier.identity)
    _credential(_sub(header, "To"), buyer_domain or "NetworkID", buyer_identity or "unknown")
    sender = _sub(header, "Sender")
    _credential(sender, "NetworkID", supplier.identity)
    _sub(sender, "UserAgent", USER_AGENT)
    envelope = _sub(
        root, "Message", deploymentMode="test" if deployment_mode == "test" else "production"
    )
    if cancelled:
        _sub(envelope, "Status", code="204", text="No Content")
    message = _sub(envelope, "PunchOutOrderMessage")
    _sub(message, "BuyerCookie", buyer_cookie)
    message_header = _sub(
        message,
        "PunchOutOrderMessageHeader",
        operationAllowed="edit" if supplier.supports_edit else "create",
    )
    _money(_sub(message_header, "Total"), total)
    for priced in lines:
        _item_in(message, priced, fault)
    document = _bytes(root)
    if fault is Fault.MALFORMED_CART:
        return document[: document.index(b"</PunchOutOrderMessage>")]
    return document
