"""cXML 1.2 punch-out, buyer side: the PunchOutSetupRequest Rekvi sends, and the
PunchOutSetupResponse, Status and PunchOutOrderMessage it reads back. Pure functions over
bytes; no Django, no network.

Written documents (`punchout_setup_request`) carry the cXML 1.2.071 DOCTYPE and are valid
against Rekvi's copy of cXML.dtd (edi/schemas/cxml-1.2.071): the tests check every variant
with `schemas.validate_cxml`. They are UTF-8, and every value is escaped so that it reads back
exactly as given (a carriage return is written as `&#13;`, which the XML parser keeps).

Read documents go through `edi.safexml` (no entities, no DTD or network fetch, size and depth
limits). They are not validated against the DTD, because suppliers' carts often are not valid;
instead every part Rekvi needs is required and checked, and anything wrong raises
`CxmlFormatError` naming the element path and line, e.g.
"cXML/Message/PunchOutOrderMessage/ItemIn[2]/ItemDetail/UnitPrice/Money: '12,5' is not a
number (line 40)". A document refused by safexml raises `CxmlFormatError` too, with the
safexml reason and its `XmlRejectedError` as `__cause__`.

Identifiers are kept exactly as received: SupplierPartID and SupplierPartAuxiliaryID are not
stripped (the XML parser does turn a raw CR LF into LF, as XML requires), and
`ItemOut.from_order_item` writes them back unchanged in an edit or inspect request.

Prices (never float): `OrderItem.price` is the Money of the UnitPrice as received, per
`PriceBasisQuantity` when the supplier gives one. cXML.dtd defines PriceBasisQuantity as
"the quantity as quoted in the UnitPrice", in its own UnitOfMeasure, and `conversionFactor`
as "the conversion ratio from the unit of measure of the order to the unit of measure of the
PriceBasisQuantity". So one ordered unit costs

    unit_price = price * conversionFactor / PriceBasisQuantity@quantity

(e.g. 104.99 USD for 2 BOX, 1 EA = 0.5 BOX: 26.2475 USD per EA). Without PriceBasisQuantity,
`unit_price == price`. The division is exact when it terminates, else rounded half-up to 10
decimal places; the raw price, quantity and factor are kept beside it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from enum import StrEnum
from types import MappingProxyType
from urllib.parse import unquote_plus

from edi import safexml, units

CXML_VERSION = "1.2.071"
DOCTYPE = f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{CXML_VERSION}/cXML.dtd">'
USER_AGENT = "Rekvi"
#: The form field names a PunchOutOrderMessage arrives in, after `_form_key` normalisation.
FORM_URLENCODED = "cxml-urlencoded"
FORM_BASE64 = "cxml-base64"


class Operation(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    INSPECT = "inspect"


class CxmlError(ValueError):
    """Base of the errors this module raises for documents it reads."""


class CxmlFormatError(CxmlError):
    """The document is not the cXML Rekvi expected, or lacks a part it needs. `reason` says
    what is wrong, `path` where (an element path, or a form field), `line` the source line."""

    def __init__(self, reason: str, *, path: str = "", line: int | None = None) -> None:
        where = f"{path}: " if path else ""
        at = f" (line {line})" if line else ""
        super().__init__(f"{where}{reason}{at}")
        self.reason = reason
        self.path = path
        self.line = line


class CxmlStatusError(CxmlError):
    """The other side answered with a cXML Status that is not 2xx. `retryable` is true for
    5xx (try again later) and false for 4xx (stop and tell a person)."""

    def __init__(self, code: int, text: str, detail: str = "") -> None:
        more = f": {detail}" if detail else ""
        super().__init__(f"the supplier answered cXML status {code} {text}{more}")
        self.code = code
        self.text = text
        self.detail = detail

    @property
    def retryable(self) -> bool:
        return self.code >= 500


# --- values for the request ----------------------------------------------------------------


@dataclass(frozen=True)
class Credential:
    """A cXML Credential: the domain (e.g. "NetworkID", "DUNS") and the Identity in it."""

    domain: str
    identity: str


@dataclass(frozen=True)
class Contact:
    """The person punching out (written as Contact role="endUser")."""

    name: str
    email: str


@dataclass(frozen=True)
class ShipTo:
    """The delivery address sent to the supplier; Danish by default."""

    address_id: str
    name: str
    street: str
    city: str
    postal_code: str
    country_code: str = "DK"
    country_name: str = "Danmark"
    deliver_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemOut:
    """One line of the cart sent back in an edit or inspect request.

    `supplier_part_id` and `supplier_part_auxiliary_id` are written exactly as given;
    `unit_price` is written as the UnitPrice Money, per the PriceBasisQuantity when all three
    `price_basis_*` values are given (as the supplier sent them)."""

    supplier_part_id: str
    supplier_part_auxiliary_id: str | None
    quantity: Decimal
    unit_price: Decimal
    currency: str
    description: str
    unit_of_measure: str
    short_name: str = ""
    classifications: Mapping[str, str] = field(default_factory=dict)
    manufacturer_part_id: str | None = None
    manufacturer_name: str | None = None
    line_number: int | None = None
    price_basis_quantity: Decimal | None = None
    price_basis_conversion_factor: Decimal | None = None
    price_basis_unit_of_measure: str | None = None

    @classmethod
    def from_order_item(cls, item: OrderItem) -> ItemOut:
        """The line as the supplier sent it in a PunchOutOrderMessage, to send back."""
        return cls(
            supplier_part_id=item.supplier_part_id,
            supplier_part_auxiliary_id=item.supplier_part_auxiliary_id,
            quantity=item.quantity,
            unit_price=item.price,
            currency=item.currency,
            description=item.description,
            short_name=item.short_name,
            unit_of_measure=item.unit_of_measure,
            classifications=dict(item.classifications),
            manufacturer_part_id=item.manufacturer_part_id,
            manufacturer_name=item.manufacturer_name,
            line_number=item.line_number,
            price_basis_quantity=item.price_basis_quantity,
            price_basis_conversion_factor=item.price_basis_conversion_factor,
            price_basis_unit_of_measure=item.price_basis_unit_of_measure,
        )


# --- values read back -----------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A cXML Status: the code (HTTP-like), its text, and the element's own text, if any."""

    code: int
    text: str
    detail: str = ""

    @property
    def is_success(self) -> bool:
        return 200 <= self.code < 300

    def raise_for_error(self) -> None:
        """Raise CxmlStatusError unless the status is 2xx."""
        if not self.is_success:
            raise CxmlStatusError(self.code, self.text, self.detail)


@dataclass(frozen=True)
class SetupResponse:
    """A successful PunchOutSetupResponse: where to send the user's browser."""

    start_url: str
    status: Status
    payload_id: str


@dataclass(frozen=True)
class OrderItem:
    """One ItemIn of a PunchOutOrderMessage. Text is as received; numbers are Decimal."""

    line: int  # the ItemIn's line in the document
    line_number: int | None  # the lineNumber attribute, if any
    supplier_part_id: str  # exactly as received
    supplier_part_auxiliary_id: str | None  # exactly as received, whitespace kept
    buyer_part_id: str | None
    quantity: Decimal
    price: Decimal  # the UnitPrice Money as received (per price basis, if any)
    unit_price: Decimal  # per one unit_of_measure; see the module docstring
    currency: str
    description: str  # the Description text without its ShortName, stripped
    short_name: str
    unit_of_measure: str  # as received
    unit: str | None  # the Rec 20 code Rekvi stores, None when the UoM is not one
    price_basis_quantity: Decimal | None
    price_basis_conversion_factor: Decimal | None
    price_basis_unit_of_measure: str | None
    classifications: Mapping[str, str]  # domain -> value, first per domain, e.g. UNSPSC
    manufacturer_part_id: str | None
    manufacturer_name: str | None
    lead_time: int | None  # days
    extrinsics: Mapping[str, str]  # ItemDetail's, then ItemIn's; first per name


@dataclass(frozen=True)
class OrderMessage:
    """A PunchOutOrderMessage: the cart a supplier returns."""

    payload_id: str
    buyer_cookie: str
    operation_allowed: Operation
    total: Decimal
    currency: str
    items: tuple[OrderItem, ...]
    from_credentials: tuple[Credential, ...]
    to_credentials: tuple[Credential, ...]
    #: The Message's Status (200 OK when it has none). 204 No Content: the person cancelled
    #: in the shop, and whatever cart the message carries is not a change.
    status: Status = Status(code=200, text="OK")


# --- writing --------------------------------------------------------------------------------

_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape_text(value: str) -> str:
    if _NOT_XML_CHAR.search(value):
        raise ValueError(f"{value!r} holds a character XML 1.0 cannot carry")
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


@dataclass(frozen=True)
class _Node:
    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[_Node, ...] = ()
    text: str | None = None


def _el(
    tag: str,
    attributes: Mapping[str, str | None] | None = None,
    *children: _Node | None,
    text: str | None = None,
) -> _Node:
    return _Node(
        tag=tag,
        attributes=tuple((k, v) for k, v in (attributes or {}).items() if v is not None),
        children=tuple(child for child in children if child is not None),
        text=text,
    )


def _inline(node: _Node) -> str:
    attributes = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in node.attributes)
    inner = "".join(_inline(child) for child in node.children) + _escape_text(node.text or "")
    return f"<{node.tag}{attributes}>{inner}</{node.tag}>"


def _serialise(node: _Node, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    attributes = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in node.attributes)
    if node.text is not None:  # text, or mixed content (Description): on one line, unindented
        out.append(pad + _inline(node))
    elif node.children:
        out.append(f"{pad}<{node.tag}{attributes}>")
        for child in node.children:
            _serialise(child, depth + 1, out)
        out.append(f"{pad}</{node.tag}>")
    else:
        out.append(f"{pad}<{node.tag}{attributes}/>")


def _number(value: Decimal, what: str) -> str:
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    return format(value, "f")


def _credential(credential: Credential, shared_secret: str | None = None) -> _Node:
    secret = _el("SharedSecret", text=shared_secret) if shared_secret is not None else None
    return _el(
        "Credential",
        {"domain": credential.domain},
        _el("Identity", text=credential.identity),
        secret,
    )


def _ship_to(ship_to: ShipTo, language: str) -> _Node:
    postal = _el(
        "PostalAddress",
        {"name": "default"},
        *(_el("DeliverTo", text=line) for line in ship_to.deliver_to),
        _el("Street", text=ship_to.street),
        _el("City", text=ship_to.city),
        _el("PostalCode", text=ship_to.postal_code),
        _el("Country", {"isoCountryCode": ship_to.country_code}, text=ship_to.country_name),
    )
    return _el(
        "ShipTo",
        None,
        _el(
            "Address",
            {"isoCountryCode": ship_to.country_code, "addressID": ship_to.address_id},
            _el("Name", {"xml:lang": language}, text=ship_to.name),
            postal,
        ),
    )


def _item_out(item: ItemOut, language: str) -> _Node:
    if item.quantity <= 0:
        raise ValueError(f"the quantity of {item.supplier_part_id!r} must be more than 0")
    aux = item.supplier_part_auxiliary_id
    description = _el(
        "Description",
        {"xml:lang": language},
        _el("ShortName", text=item.short_name) if item.short_name else None,
        text=item.description,
    )
    basis = None
    if (
        item.price_basis_quantity is not None
        and item.price_basis_conversion_factor is not None
        and item.price_basis_unit_of_measure is not None
    ):
        basis = _el(
            "PriceBasisQuantity",
            {
                "quantity": _number(item.price_basis_quantity, "the price basis quantity"),
                "conversionFactor": _number(
                    item.price_basis_conversion_factor, "the conversion factor"
                ),
            },
            _el("UnitOfMeasure", text=item.price_basis_unit_of_measure),
        )
    # cXML.dtd requires one Classification or more; an empty UNSPSC one stands for "none".
    classifications = [
        _el("Classification", {"domain": domain}, text=value)
        for domain, value in item.classifications.items()
    ] or [_el("Classification", {"domain": "UNSPSC"}, text="")]
    return _el(
        "ItemOut",
        {
            "quantity": _number(item.quantity, "the quantity"),
            "lineNumber": str(item.line_number) if item.line_number is not None else None,
        },
        _el(
            "ItemID",
            None,
            _el("SupplierPartID", text=item.supplier_part_id),
            _el("SupplierPartAuxiliaryID", text=aux) if aux is not None else None,
        ),
        _el(
            "ItemDetail",
            None,
            _el(
                "UnitPrice",
                None,
                _el(
                    "Money",
                    {"currency": item.currency},
                    text=_number(item.unit_price, "the unit price"),
                ),
            ),
            description,
            _el("UnitOfMeasure", text=item.unit_of_measure),
            basis,
            *classifications,
            _el("ManufacturerPartID", text=item.manufacturer_part_id)
            if item.manufacturer_part_id is not None
            else None,
            _el("ManufacturerName", text=item.manufacturer_name)
            if item.manufacturer_name is not None
            else None,
        ),
    )


def punchout_setup_request(
    *,
    operation: Operation | str,
    payload_id: str,
    timestamp: datetime,
    from_credential: Credential,
    to_credential: Credential,
    sender_credential: Credential,
    shared_secret: str,
    buyer_cookie: str,
    browser_form_post_url: str,
    extrinsics: Mapping[str, str] | None = None,
    contact: Contact | None = None,
    ship_to: ShipTo | None = None,
    selected_item: str | None = None,
    items: Sequence[ItemOut] = (),
    language: str = "da-DK",
    deployment_mode: str = "production",
) -> bytes:
    """A cXML 1.2.071 PunchOutSetupRequest, UTF-8, valid against cXML.dtd.

    `operation` is create, edit or inspect. A create may name a `selected_item` (the
    SupplierPartID to start at) and carries no `items`; an edit or an inspect carries the
    cart's lines as `items` (at least one) and no `selected_item`. The shared secret is
    written only in the Sender credential; the UserAgent is "Rekvi". `timestamp` must carry
    its time zone. The same arguments always give the same bytes.

    Raises ValueError for arguments that would make an invalid or ambiguous document (an
    unknown operation, a naive timestamp, an empty payload ID or buyer cookie, items on a
    create, none on an edit, a quantity of 0 or less, a character XML cannot carry).
    """
    operation = Operation(operation)
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise ValueError("the timestamp must carry its time zone")
    if not payload_id.strip():
        raise ValueError("the payload ID must not be empty")
    if not buyer_cookie.strip():
        raise ValueError("the buyer cookie must not be empty")
    if deployment_mode not in ("production", "test"):
        raise ValueError(f"the deployment mode is production or test, not {deployment_mode!r}")
    if operation is Operation.CREATE and items:
        raise ValueError("a create request carries no ItemOut lines; use edit or inspect")
    if operation is not Operation.CREATE and not items:
        raise ValueError(f"an {operation.value} request must carry the cart's lines")
    if operation is not Operation.CREATE and selected_item is not None:
        raise ValueError("only a create request may name a selected item")
    request = _el(
        "PunchOutSetupRequest",
        {"operation": operation.value},
        _el("BuyerCookie", text=buyer_cookie),
        *(
            _el("Extrinsic", {"name": name}, text=value)
            for name, value in (extrinsics or {}).items()
        ),
        _el("BrowserFormPost", None, _el("URL", text=browser_form_post_url)),
        _el(
            "Contact",
            {"role": "endUser"},
            _el("Name", {"xml:lang": language}, text=contact.name),
            _el("Email", text=contact.email),
        )
        if contact is not None
        else None,
        _ship_to(ship_to, language) if ship_to is not None else None,
        _el("SelectedItem", None, _el("ItemID", None, _el("SupplierPartID", text=selected_item)))
        if selected_item is not None
        else None,
        *(_item_out(item, language) for item in items),
    )
    document = _el(
        "cXML",
        {
            "version": CXML_VERSION,
            "payloadID": payload_id,
            "timestamp": timestamp.isoformat(timespec="seconds"),
            "xml:lang": language,
        },
        _el(
            "Header",
            None,
            _el("From", None, _credential(from_credential)),
            _el("To", None, _credential(to_credential)),
            _el(
                "Sender",
                None,
                _credential(sender_credential, shared_secret),
                _el("UserAgent", text=USER_AGENT),
            ),
        ),
        _el("Request", {"deploymentMode": deployment_mode}, request),
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>', DOCTYPE]
    _serialise(document, 0, out)
    return ("\n".join(out) + "\n").encode("utf-8")


# --- reading --------------------------------------------------------------------------------


def _path(element: safexml.Element) -> str:
    """cXML/Message/PunchOutOrderMessage/ItemIn[3]/ItemDetail: where an element is."""
    parts: list[str] = []
    current: safexml.Element | None = element
    while current is not None:
        parent = current.getparent()
        name = safexml.local_name(current)
        if parent is not None:
            same = [child for child in parent if child.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        parts.append(name)
        current = parent
    return "/".join(reversed(parts))


def _fail(element: safexml.Element, reason: str) -> CxmlFormatError:
    return CxmlFormatError(reason, path=_path(element), line=element.sourceline)


def _child(parent: safexml.Element, tag: str) -> safexml.Element | None:
    for child in parent:
        if child.tag == tag:
            return child
    return None


def _children(parent: safexml.Element, tag: str) -> list[safexml.Element]:
    return [child for child in parent if child.tag == tag]


def _require(parent: safexml.Element, tag: str) -> safexml.Element:
    found = _child(parent, tag)
    if found is None:
        raise _fail(parent, f"{tag} is missing")
    return found


def _all_text(element: safexml.Element) -> str:
    """The element's text with its children's, comments left out."""
    return "".join(element.itertext())


def _exact_text(element: safexml.Element) -> str:
    """The element's own text exactly as received; refuses child elements."""
    for child in element:
        if isinstance(child.tag, str):
            raise _fail(
                element,
                f"holds a {safexml.local_name(child)} element; Rekvi keeps this value only as "
                "text, so that it can be sent back exactly",
            )
    return _all_text(element)


def _attribute(element: safexml.Element, name: str) -> str:
    value = element.get(name)
    if value is None or not value.strip():
        raise _fail(element, f"the {name} attribute is missing")
    return value


_CXML_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _decimal(text: str, element: safexml.Element, what: str) -> Decimal:
    value = text.strip()
    if not _CXML_NUMBER.fullmatch(value):
        raise _fail(element, f"{what} {text!r} is not a number")
    return Decimal(value)


def _parse(raw: bytes) -> safexml.Element:
    if not isinstance(raw, bytes):
        raise TypeError("cXML is read from bytes, as received")
    try:
        root = safexml.parse(raw).root
    except safexml.XmlRejectedError as exc:
        raise CxmlFormatError(f"not accepted as XML: {exc.reason}", line=exc.line) from exc
    if root.tag != "cXML":
        raise _fail(root, f"the root element is {safexml.local_name(root)}, not cXML")
    return root


def _status(element: safexml.Element) -> Status:
    code_text = _attribute(element, "code")
    if not code_text.strip().isdigit():
        raise _fail(element, f"the status code {code_text!r} is not a number")
    return Status(
        code=int(code_text.strip()),
        text=element.get("text") or "",
        detail=_all_text(element).strip(),
    )


def _section(root: safexml.Element) -> safexml.Element:
    for child in root:
        if child.tag in ("Request", "Response", "Message"):
            return child
    raise _fail(root, "the document has no Request, Response or Message")


def status_parse(raw: bytes) -> Status:
    """The Status of a cXML Response or Message (a Message without one is 200 OK, as the DTD
    says). Does not raise for a non-2xx status: see `Status.raise_for_error`.
    Raises CxmlFormatError for a Request, a Response without Status, or a refused document."""
    root = _parse(raw)
    section = _section(root)
    found = _child(section, "Status")
    if found is not None:
        return _status(found)
    if section.tag == "Message":
        return Status(code=200, text="OK")
    if section.tag == "Response":
        raise _fail(section, "Status is missing")
    raise _fail(section, "a Request carries no Status; a Response or Message was expected")


def punchout_setup_response_parse(raw: bytes) -> SetupResponse:
    """The StartPage URL of a PunchOutSetupResponse.

    Raises CxmlStatusError when the Status is not 2xx (its code, text and detail), and
    CxmlFormatError when the document is not a cXML Response or a 2xx one has no StartPage
    URL (a 204 No Content included).
    """
    root = _parse(raw)
    response = _section(root)
    if response.tag != "Response":
        raise _fail(response, "a PunchOutSetupResponse comes in a Response")
    status = _status(_require(response, "Status"))
    status.raise_for_error()
    setup = _child(response, "PunchOutSetupResponse")
    if setup is None:
        raise _fail(
            response,
            f"the status is {status.code} {status.text} but PunchOutSetupResponse is missing",
        )
    url_element = _require(_require(setup, "StartPage"), "URL")
    url = _all_text(url_element).strip()
    if not url:
        raise _fail(url_element, "the StartPage URL is empty")
    return SetupResponse(start_url=url, status=status, payload_id=root.get("payloadID") or "")


def _credentials(header: safexml.Element | None, tag: str) -> tuple[Credential, ...]:
    party = _child(header, tag) if header is not None else None
    if party is None:
        return ()
    found = []
    for credential in _children(party, "Credential"):
        identity = _child(credential, "Identity")
        found.append(
            Credential(
                domain=credential.get("domain") or "",
                identity=_all_text(identity).strip() if identity is not None else "",
            )
        )
    return tuple(found)


def _per_unit(price: Decimal, factor: Decimal, basis: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        context.clear_flags()
        result = price * factor / basis
        if context.flags[Inexact]:
            return result.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)
    return result


def _extrinsics(*parents: safexml.Element | None) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for parent in parents:
        if parent is None:
            continue
        for extrinsic in _children(parent, "Extrinsic"):
            name = extrinsic.get("name") or ""
            found.setdefault(name, _all_text(extrinsic).strip())
    return MappingProxyType(found)


def _description(detail: safexml.Element) -> tuple[str, str]:
    description = _require(detail, "Description")
    short = _child(description, "ShortName")
    own = (description.text or "") + "".join(child.tail or "" for child in description)
    return own.strip(), _all_text(short).strip() if short is not None else ""


def _optional_text(parent: safexml.Element, tag: str) -> str | None:
    found = _child(parent, tag)
    return _all_text(found).strip() if found is not None else None


def _order_item(item: safexml.Element) -> OrderItem:
    quantity = _decimal(_attribute(item, "quantity"), item, "the quantity")
    if quantity <= 0:
        raise _fail(item, f"the quantity {quantity} must be more than 0")
    line_number_text = item.get("lineNumber")
    if line_number_text is not None and not line_number_text.strip().isdigit():
        raise _fail(item, f"the lineNumber {line_number_text!r} is not a whole number")
    item_id = _require(item, "ItemID")
    part = _require(item_id, "SupplierPartID")
    supplier_part_id = _exact_text(part)
    if not supplier_part_id.strip():
        raise _fail(part, "the SupplierPartID is empty")
    aux = _child(item_id, "SupplierPartAuxiliaryID")
    detail = _require(item, "ItemDetail")
    money = _require(_require(detail, "UnitPrice"), "Money")
    price = _decimal(_all_text(money), money, "the price")
    currency = _attribute(money, "currency").strip()
    unit_of_measure_element = _require(detail, "UnitOfMeasure")
    unit_of_measure = _all_text(unit_of_measure_element).strip()
    if not unit_of_measure:
        raise _fail(unit_of_measure_element, "the UnitOfMeasure is empty")
    basis_element = _child(detail, "PriceBasisQuantity")
    basis = factor = None
    basis_unit = None
    unit_price = price
    if basis_element is not None:
        basis = _decimal(_attribute(basis_element, "quantity"), basis_element, "the quantity")
        factor = _decimal(
            _attribute(basis_element, "conversionFactor"), basis_element, "the conversionFactor"
        )
        if basis <= 0 or factor <= 0:
            raise _fail(basis_element, "the quantity and conversionFactor must be more than 0")
        basis_unit = _optional_text(basis_element, "UnitOfMeasure")
        unit_price = _per_unit(price, factor, basis)
    lead_time_text = _optional_text(detail, "LeadTime")
    if lead_time_text is not None and not lead_time_text.isdigit():
        raise _fail(_require(detail, "LeadTime"), f"{lead_time_text!r} is not a number of days")
    description, short_name = _description(detail)
    classifications: dict[str, str] = {}
    for classification in _children(detail, "Classification"):
        domain = classification.get("domain") or ""
        classifications.setdefault(domain, _all_text(classification).strip())
    return OrderItem(
        line=item.sourceline or 0,
        line_number=int(line_number_text) if line_number_text is not None else None,
        supplier_part_id=supplier_part_id,
        supplier_part_auxiliary_id=_exact_text(aux) if aux is not None else None,
        buyer_part_id=_optional_text(item_id, "BuyerPartID"),
        quantity=quantity,
        price=price,
        unit_price=unit_price,
        currency=currency,
        description=description,
        short_name=short_name,
        unit_of_measure=unit_of_measure,
        unit=units.unit_get(unit_of_measure).code if units.is_known(unit_of_measure) else None,
        price_basis_quantity=basis,
        price_basis_conversion_factor=factor,
        price_basis_unit_of_measure=basis_unit,
        classifications=MappingProxyType(classifications),
        manufacturer_part_id=_optional_text(detail, "ManufacturerPartID"),
        manufacturer_name=_optional_text(detail, "ManufacturerName"),
        lead_time=int(lead_time_text) if lead_time_text is not None else None,
        extrinsics=_extrinsics(detail, item),
    )


def punchout_order_message_parse(raw: bytes) -> OrderMessage:
    """The cart of a PunchOutOrderMessage, every ItemIn in document order.

    Guarantees: the buyer cookie, operationAllowed, Total (Money and currency) and, per item,
    ItemID/SupplierPartID, quantity (> 0), UnitPrice Money with currency, Description and
    UnitOfMeasure are present and well formed; numbers are Decimal. Raises CxmlFormatError
    (what, element path, line) when the document is not a PunchOutOrderMessage or lacks one of
    these, or is refused by safexml; CxmlStatusError when its Message Status is not 2xx. A
    2xx Status is kept in `status` (a 204 is a cancel, whatever items come with it).
    """
    root = _parse(raw)
    message = _section(root)
    order = _child(message, "PunchOutOrderMessage") if message.tag == "Message" else None
    if order is None:
        payload = [safexml.local_name(child) for child in message if isinstance(child.tag, str)]
        kind = next((name for name in payload if name != "Status"), safexml.local_name(message))
        raise _fail(message, f"the document is a {kind}, not a PunchOutOrderMessage")
    status_element = _child(message, "Status")
    status = _status(status_element) if status_element is not None else Status(200, "OK")
    status.raise_for_error()
    cookie = _all_text(_require(order, "BuyerCookie")).strip()
    if not cookie:
        raise _fail(_require(order, "BuyerCookie"), "the BuyerCookie is empty")
    header = _require(order, "PunchOutOrderMessageHeader")
    operation_text = _attribute(header, "operationAllowed")
    try:
        operation = Operation(operation_text.strip())
    except ValueError:
        raise _fail(
            header, f"operationAllowed {operation_text!r} is not create, edit or inspect"
        ) from None
    total_money = _require(_require(header, "Total"), "Money")
    envelope = _child(root, "Header")
    return OrderMessage(
        payload_id=root.get("payloadID") or "",
        buyer_cookie=cookie,
        operation_allowed=operation,
        total=_decimal(_all_text(total_money), total_money, "the total"),
        currency=_attribute(total_money, "currency").strip(),
        items=tuple(_order_item(item) for item in _children(order, "ItemIn")),
        from_credentials=_credentials(envelope, "From"),
        to_credentials=_credentials(envelope, "To"),
        status=status,
    )


def _form_key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


_DECLARED_ENCODING = re.compile(
    r"""\A\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"""
)


def _form_bytes(text: str) -> bytes:
    """The text of a cxml-urlencoded field as bytes in the encoding its declaration names."""
    if text.lstrip()[:3].upper() == "%3C":  # encoded twice by the sender: undo the second
        text = unquote_plus(text)
    declared = _DECLARED_ENCODING.match(text)
    encoding = declared.group(1) if declared else "utf-8"
    try:
        return text.encode(encoding)
    except LookupError:
        raise CxmlFormatError(
            f"the XML declaration names an unknown encoding {encoding!r}", path=FORM_URLENCODED
        ) from None
    except UnicodeEncodeError as exc:
        raise CxmlFormatError(
            f"the text holds {exc.object[exc.start : exc.end]!r}, which its declared "
            f"encoding {encoding} cannot carry",
            path=FORM_URLENCODED,
        ) from None


def punchout_order_message_from_form(fields: Mapping[str, str]) -> OrderMessage:
    """The PunchOutOrderMessage posted in a browser form, as `punchout_order_message_parse`.

    The cXML is read from `cxml-urlencoded` (the form field's value is the document's text)
    or `cxml-base64` (strict base64 of its bytes; line breaks allowed). Field names are
    matched ignoring letter case and `_` for `-`, so cXML-urlencoded, CXML-URLENCODED,
    cxml_urlencoded and cXML-base64 are all read.

    Raises CxmlFormatError when no such field is present, when there are two (or both kinds)
    with different values, when the base64 is not valid (saying why), and for every error
    `punchout_order_message_parse` raises; CxmlStatusError as it does.
    """
    found: dict[str, tuple[str, str]] = {}
    for name, value in fields.items():
        key = _form_key(name)
        if key not in (FORM_URLENCODED, FORM_BASE64):
            continue
        if key in found and found[key][1] != value:
            raise CxmlFormatError(
                f"the form has both {found[key][0]!r} and {name!r} with different values",
                path=name,
            )
        found[key] = (name, value)
    if len(found) == 2:
        raise CxmlFormatError(
            "the form has both cxml-urlencoded and cxml-base64; Rekvi reads only one",
            path=found[FORM_URLENCODED][0],
        )
    if not found:
        names = ", ".join(sorted(fields)[:10]) or "none"
        raise CxmlFormatError(
            f"the form has no cxml-urlencoded or cxml-base64 field (fields: {names})"
        )
    if FORM_URLENCODED in found:
        name, value = found[FORM_URLENCODED]
        if not value.strip():
            raise CxmlFormatError("the field is empty", path=name)
        return punchout_order_message_parse(_form_bytes(value))
    name, value = found[FORM_BASE64]
    compact = re.sub(r"[ \t\r\n]+", "", value)
    if not compact:
        raise CxmlFormatError("the field is empty", path=name)
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CxmlFormatError(f"the value is not valid base64 ({exc})", path=name) from None
    return punchout_order_message_parse(raw)


__all__ = [
    "CXML_VERSION",
    "DOCTYPE",
    "Contact",
    "Credential",
    "CxmlError",
    "CxmlFormatError",
    "CxmlStatusError",
    "ItemOut",
    "Operation",
    "OrderItem",
    "OrderMessage",
    "SetupResponse",
    "ShipTo",
    "Status",
    "punchout_order_message_from_form",
    "punchout_order_message_parse",
    "punchout_setup_request",
    "punchout_setup_response_parse",
    "status_parse",
]
