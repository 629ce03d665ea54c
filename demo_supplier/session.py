"""A punch-out session and its cart, kept without a database.

The session is a signed token in the shop's URLs (django.core.signing, salt
"demo_supplier.session", valid for settings.DEMO_SUPPLIER_SESSION_MINUTES): the supplier, the
protocol, where the cart goes back to, the operation, the fault mode and, for edit and inspect,
the lines the buyer sent. The cart as the person changes it is a signed cookie of its own per
session (salt "demo_supplier.cart", path /demo-supplier/, same lifetime). A tampered or expired
token or cookie is not a session: `SessionExpiredError`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from demo_supplier.catalogue import Product, Protocol, Supplier, kroner, product_get

SESSION_SALT = "demo_supplier.session"
CART_SALT = "demo_supplier.cart"
COOKIE_PATH = "/demo-supplier/"
#: A cart with more lines than this is refused (the cart lives in one cookie).
MAX_LINES = 40
#: The largest quantity of one line.
MAX_QUANTITY = Decimal(100_000)


class Operation(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    INSPECT = "inspect"


class Fault(StrEnum):
    """What goes wrong on purpose, chosen by `?fault=` on the entry URL."""

    NONE = ""
    #: the returned cart is broken: cXML cut off before </PunchOutOrderMessage>; OCI PRICE
    #: written as "32,50 kr." on every line
    MALFORMED_CART = "malformed-cart"
    #: every unit is sent as "STK" instead of a UN/ECE Rec 20 code
    WRONG_UNIT = "wrong-unit"
    #: OCI: no NEW_ITEM-PRICEUNIT fields; cXML: no PriceBasisQuantity (prices stay per 100)
    MISSING_PRICEUNIT = "missing-priceunit"
    #: every shop page, the start page first, answers 410 Gone
    EXPIRED_SESSION = "expired-session"


class SessionExpiredError(Exception):
    """The token or cookie is tampered with, expired, or for another supplier."""


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: Decimal
    aux_id: str  # the cXML SupplierPartAuxiliaryID: ours, or the buyer's, kept byte for byte


@dataclass(frozen=True)
class PricedLine:
    """A cart line with its product; `total` is quantity * price / price unit, to øre."""

    number: int  # from 1
    line: CartLine
    product: Product

    @property
    def total(self) -> Decimal:
        amount = self.line.quantity * self.product.price / self.product.price_unit
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def total_text(self) -> str:
        return kroner(self.total)


@dataclass(frozen=True)
class PunchoutSession:
    supplier: str  # Supplier.slug
    protocol: Protocol
    session_id: str
    return_url: str  # BrowserFormPost URL (cXML) or HOOK_URL (OCI)
    operation: Operation = Operation.CREATE
    fault: Fault = Fault.NONE
    buyer_cookie: str = ""  # cXML
    buyer_domain: str = ""  # cXML: the buyer's From credential, the To of the cart
    buyer_identity: str = ""
    deployment_mode: str = "production"
    oci_echo: tuple[tuple[str, str], ...] = ()  # OCI ~OkCode, ~TARGET, ~CALLER as received
    target: str = ""  # OCI ~TARGET: the return form's target
    lines: tuple[CartLine, ...] = ()  # the cart the session starts with
    unknown_items: tuple[str, ...] = ()  # SupplierPartIDs sent that the shop does not know
    start_sku: str = ""  # the product page to start at

    @property
    def is_read_only(self) -> bool:
        return self.operation is Operation.INSPECT


def session_id_new() -> str:
    return secrets.token_hex(4)


def _seconds() -> int:
    return int(settings.DEMO_SUPPLIER_SESSION_MINUTES) * 60


def _lines_dump(lines: tuple[CartLine, ...]) -> list[list[str]]:
    return [[line.sku, quantity_text(line.quantity), line.aux_id] for line in lines]


def _lines_load(raw: Any) -> tuple[CartLine, ...]:
    return tuple(CartLine(str(sku), Decimal(str(quantity)), str(aux)) for sku, quantity, aux in raw)


def session_token(session: PunchoutSession) -> str:
    """The signed, URL-safe token of `session`."""
    payload = {
        "s": session.supplier,
        "p": session.protocol.value,
        "i": session.session_id,
        "r": session.return_url,
        "o": session.operation.value,
        "f": session.fault.value,
        "c": session.buyer_cookie,
        "bd": session.buyer_domain,
        "bi": session.buyer_identity,
        "d": session.deployment_mode,
        "e": [list(pair) for pair in session.oci_echo],
        "t": session.target,
        "l": _lines_dump(session.lines),
        "u": list(session.unknown_items),
        "st": session.start_sku,
    }
    return signing.dumps(payload, salt=SESSION_SALT, compress=True)


def session_load(token: str, *, supplier: Supplier) -> PunchoutSession:
    """The session in `token`. Raises SessionExpiredError when the token is tampered with,
    older than DEMO_SUPPLIER_SESSION_MINUTES, for another supplier, or its fault mode is
    expired-session."""
    try:
        payload = signing.loads(token, salt=SESSION_SALT, max_age=_seconds())
        session = PunchoutSession(
            supplier=payload["s"],
            protocol=Protocol(payload["p"]),
            session_id=payload["i"],
            return_url=payload["r"],
            operation=Operation(payload["o"]),
            fault=Fault(payload["f"]),
            buyer_cookie=payload["c"],
            buyer_domain=payload["bd"],
            buyer_identity=payload["bi"],
            deployment_mode=payload["d"],
            oci_echo=tuple((str(name), str(value)) for name, value in payload["e"]),
            target=payload["t"],
            lines=_lines_load(payload["l"]),
            unknown_items=tuple(payload["u"]),
            start_sku=payload["st"],
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise SessionExpiredError(str(exc)) from exc
    if session.supplier != supplier.slug:
        raise SessionExpiredError("the session belongs to another supplier")
    if session.fault is Fault.EXPIRED_SESSION:
        raise SessionExpiredError("the session was started with fault=expired-session")
    return session


# --- the cart ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...]
    next_number: int  # for the aux id of the next new line


def _cookie_name(session: PunchoutSession) -> str:
    return f"demo_supplier_cart_{session.session_id}"


def cart_get(request: HttpRequest, session: PunchoutSession) -> Cart:
    """The session's cart: the cookie's when there is one, else the lines the session started
    with. An inspect session always shows the lines it started with."""
    initial = Cart(lines=session.lines, next_number=len(session.lines) + 1)
    if session.is_read_only:
        return initial
    raw = request.get_signed_cookie(
        _cookie_name(session), default=None, salt=CART_SALT, max_age=_seconds()
    )
    if raw is None:
        return initial
    try:
        data = json.loads(raw)
        return Cart(lines=_lines_load(data["l"]), next_number=int(data["n"]))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return initial


def cart_save(
    response: HttpResponse, request: HttpRequest, session: PunchoutSession, cart: Cart
) -> None:
    """Keep `cart` in the session's signed cookie."""
    value = json.dumps({"l": _lines_dump(cart.lines), "n": cart.next_number})
    response.set_signed_cookie(
        _cookie_name(session),
        value,
        salt=CART_SALT,
        max_age=_seconds(),
        path=COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def cart_forget(response: HttpResponse, session: PunchoutSession) -> None:
    """Drop the session's cart cookie (the cart has gone back to the buyer)."""
    response.delete_cookie(_cookie_name(session), path=COOKIE_PATH, samesite="Lax")


def aux_id_new(session: PunchoutSession, number: int, sku: str) -> str:
    """Our SupplierPartAuxiliaryID for a new line: spaces, "&" and "<>" on purpose, so that a
    buyer that does not echo it byte for byte is caught."""
    return f"DS-{session.session_id} & linje {number}  <{sku}>"


class CartError(ValueError):
    """A change to the cart that is refused; the message is Danish, for the person."""


def quantity_parse(raw: str) -> Decimal:
    """A quantity typed by a person ("3", "2,5"). Raises CartError."""
    try:
        quantity = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise CartError(f"Antallet »{raw}« er ikke et tal.") from None
    if not quantity.is_finite() or quantity <= 0:
        raise CartError("Antallet skal være mere end 0.")
    if quantity > MAX_QUANTITY:
        raise CartError(f"Antallet må højst være {MAX_QUANTITY}.")
    if quantity != quantity.quantize(Decimal("0.001")):
        raise CartError("Antallet må højst have 3 decimaler.")
    return quantity_clean(quantity)


def quantity_clean(quantity: Decimal) -> Decimal:
    """The quantity without trailing zeros or an exponent: 3, 2.5, 100."""
    if quantity == quantity.to_integral_value():
        return quantity.quantize(Decimal(1))
    return quantity.normalize()


def quantity_text(quantity: Decimal) -> str:
    """The quantity as written in documents and forms: "3", "2.5"."""
    return format(quantity_clean(quantity), "f")


def cart_add(cart: Cart, *, session: PunchoutSession, sku: str, quantity: Decimal) -> Cart:
    """The cart with `quantity` more of `sku`, on the item's first line or a new one."""
    for position, line in enumerate(cart.lines):
        if line.sku == sku:
            total = line.quantity + quantity
            if total > MAX_QUANTITY:
                raise CartError(f"Antallet må højst være {MAX_QUANTITY}.")
            lines = list(cart.lines)
            lines[position] = replace(line, quantity=total)
            return replace(cart, lines=tuple(lines))
    if len(cart.lines) >= MAX_LINES:
        raise CartError(f"Kurven kan højst have {MAX_LINES} linjer.")
    line = CartLine(sku, quantity, aux_id_new(session, cart.next_number, sku))
    return Cart(lines=(*cart.lines, line), next_number=cart.next_number + 1)


def cart_change(cart: Cart, *, position: int, quantity: Decimal | None) -> Cart:
    """The cart with line `position` (from 0) set to `quantity`, or removed when None."""
    if not 0 <= position < len(cart.lines):
        raise CartError("Linjen findes ikke i kurven.")
    lines = list(cart.lines)
    if quantity is None:
        del lines[position]
    else:
        lines[position] = replace(lines[position], quantity=quantity)
    return replace(cart, lines=tuple(lines))


def cart_priced(cart: Cart, *, supplier: Supplier) -> list[PricedLine]:
    """The cart's lines with their products, numbered from 1; lines of items the shop does not
    sell (any more) are left out."""
    priced: list[PricedLine] = []
    for line in cart.lines:
        product = product_get(supplier=supplier, sku=line.sku)
        if product is not None:
            priced.append(PricedLine(len(priced) + 1, line, product))
    return priced


def cart_total(lines: list[PricedLine]) -> Decimal:
    return sum((line.total for line in lines), Decimal("0.00"))
