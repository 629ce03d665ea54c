"""Punch-out: start a visit to a supplier's web shop (a cXML setup request server to server, or
an OCI form the browser posts), receive the cart it sends back on the session's single-use
return URL, check it, keep it as pending, and put its lines in the person's cart when they say
so. The returned cart is untrusted input: every line is checked before it can join the cart."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeGuard

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.categories import CategoryResolver, category_resolver_for
from catalog.models import Category, Product, Supplier
from catalog.selectors import BuyingRules
from catalog.services import supplier_punchout_secret
from core.collector import collector_paused
from core.errors import ApplicationError
from core.http import RemoteRejected, RemoteUnavailable, http_post
from core.money import money_round
from edi import cxml, oci, units
from orders.models import CartLine, punchout_price_note
from orders.selectors import agreement_unit_prices
from orders.services import (
    MAX_QUANTITY,
    PunchoutLine,
    cart_get_for,
    cart_punchout_lines_put,
)
from orders.services.carts import MAX_ESTIMATED_PRICE
from org.models import OrgUnit, User
from org.selectors import delivery_address_list, org_unit_list_actable
from punchout.models import PunchoutSession, ReturnedCart, ReturnedLine

#: The currencies a returned line may be priced in.
CURRENCIES = ("DKK",)
PRICE_STEP = Decimal("0.0001")
#: A returned cart's total above this is not a cart (it is kept, without its total).
MAX_TOTAL = Decimal(10) ** 11
REDACTED = b"[redacted]"


class PunchoutErrorCode(StrEnum):
    NOT_AVAILABLE = "not_available"
    NOT_ALLOWED = "not_allowed"
    SUPPLIER_FAILED = "supplier_failed"
    UNKNOWN_TOKEN = "unknown_token"  # noqa: S105 - a code, not a password
    REPLAYED = "replayed"
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    NOT_PENDING = "not_pending"
    NOTHING_TO_EDIT = "nothing_to_edit"


class PunchoutError(ApplicationError):
    """A punch-out rule refused the request; nothing was imported."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class PunchoutStart:
    """Where the person's browser goes next: the supplier's start page (cXML), or a form the
    browser posts to the supplier's shop (OCI)."""

    session: PunchoutSession
    redirect_url: str = ""
    form_action: str = ""
    form_fields: list[tuple[str, str]] = field(default_factory=list)
    form_target: str = "_top"


def _credential(domain: str, identity: str) -> cxml.Credential:
    return cxml.Credential(domain=domain or "NetworkID", identity=identity)


def _extrinsics(supplier: Supplier, user: User, unit: OrgUnit | None) -> dict[str, str]:
    """The supplier's extrinsics, with {unit}, {unit_ean}, {name} and {email} filled in."""
    values = {
        "{unit}": unit.name if unit else "",
        "{unit_ean}": unit.gln if unit else "",
        "{name}": user.get_full_name() or user.get_username(),
        "{email}": user.email,
    }
    filled = {}
    for name, template in (supplier.punchout_extrinsics or {}).items():
        text = str(template)
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        filled[str(name)] = text
    return filled


def _edit_items(lines: Sequence[CartLine]) -> list[cxml.ItemOut]:
    return [
        cxml.ItemOut(
            supplier_part_id=line.supplier_item_number,
            supplier_part_auxiliary_id=line.supplier_part_auxiliary_id or None,
            quantity=line.quantity,
            unit_price=line.estimated_unit_price or Decimal(0),
            currency="DKK",
            description=line.description,
            unit_of_measure=line.unit_code,
            classifications={"UNSPSC": line.unspsc_code} if line.unspsc_code else {},
            line_number=number,
        )
        for number, line in enumerate(lines, start=1)
    ]


@transaction.atomic
def _session_create(
    *,
    user: User,
    unit: OrgUnit | None,
    supplier: Supplier,
    operation: str,
    purpose: str,
) -> tuple[PunchoutSession, str]:
    token = secrets.token_urlsafe(32)
    session = PunchoutSession.objects.create(
        municipality_id=supplier.municipality_id,
        user=user,
        unit=unit,
        supplier=supplier,
        protocol=supplier.punchout_protocol,
        operation=operation,
        purpose=purpose,
        token_hash=token_hash(token),
        buyer_cookie=secrets.token_hex(16),
        expires_at=timezone.now() + timedelta(minutes=supplier.punchout_session_minutes or 60),
    )
    return session, token


def _session_fail(session: PunchoutSession, reason: str) -> None:
    PunchoutSession.objects.filter(pk=session.pk).update(
        state=PunchoutSession.State.FAILED, failure=reason[:2000], updated_at=timezone.now()
    )


def supplier_shop_url(*, url: str, served_from: str) -> str:
    """Where to reach a supplier's punch-out `url` from a request to Rekvi at `served_from`.
    Suppliers' addresses are used as set, except the demo supplier's when this Rekvi serves
    it itself (settings.DEMO_SUPPLIER_BASE_URL unset): seed_demo writes those under
    SITE_URL, and they are reached at the address the person's request came to, so that the
    demo punches out wherever it runs."""
    if not settings.DEMO_SUPPLIER_ENABLED or settings.DEMO_SUPPLIER_BASE_URL:
        return url
    written = f"{settings.SITE_URL}/demo-supplier/"
    if not url.startswith(written):
        return url
    return f"{served_from.rstrip('/')}/demo-supplier/{url.removeprefix(written)}"


def return_url_for(return_base_url: str, token: str) -> str:
    """The session's return URL (where the supplier's shop posts the cart)."""
    return f"{return_base_url.rstrip('/')}/punchout/return/{token}/"


def oci_start_fields(supplier: Supplier, return_url: str) -> list[tuple[str, str]]:
    """The OCI parameters the browser posts to the supplier's shop (its password included)."""
    return oci.outbound_parameters(
        hook_url=return_url,
        username=supplier.punchout_username,
        password=supplier_punchout_secret(supplier=supplier),
        names=supplier.punchout_oci_parameter_names or None,
    )


def setup_request(
    session: PunchoutSession, return_url: str, lines: Sequence[CartLine] = ()
) -> bytes:
    """The cXML PunchOutSetupRequest of the session (the shared secret in its Sender)."""
    supplier, user, unit = session.supplier, session.user, session.unit
    address = delivery_address_list(user=user, unit=unit).first() if unit is not None else None
    return cxml.punchout_setup_request(
        operation=session.operation,
        payload_id=f"{session.pk}.{secrets.token_hex(8)}@rekvi",
        timestamp=timezone.now(),
        from_credential=_credential(supplier.punchout_from_domain, supplier.punchout_from_identity),
        to_credential=_credential(supplier.punchout_to_domain, supplier.punchout_to_identity),
        sender_credential=_credential(
            supplier.punchout_sender_domain or supplier.punchout_from_domain,
            supplier.punchout_sender_identity or supplier.punchout_from_identity,
        ),
        shared_secret=supplier_punchout_secret(supplier=supplier),
        buyer_cookie=session.buyer_cookie,
        browser_form_post_url=return_url,
        extrinsics=_extrinsics(supplier, user, unit),
        contact=cxml.Contact(name=user.get_full_name() or user.get_username(), email=user.email)
        if user.email
        else None,
        ship_to=cxml.ShipTo(
            address_id=str(address.pk),
            name=unit.name if unit else address.label,
            street=address.street,
            city=address.city,
            postal_code=address.postal_code,
        )
        if address is not None
        else None,
        items=_edit_items(lines),
    )


def punchout_session_start(
    *,
    user: User,
    unit: OrgUnit | None,
    supplier: Supplier,
    return_base_url: str,
    on: date,
    operation: str = PunchoutSession.Operation.CREATE,
    purpose: str = PunchoutSession.Purpose.SHOP,
) -> PunchoutStart:
    """Start a visit to the supplier's shop for `unit`. The session is committed first (its
    token is in the return URL), then the supplier is called: cXML answers with the start
    page; OCI gets a form for the browser to post. An edit or inspect sends the person's
    punch-out lines of this supplier. Raises PunchoutError(NOT_AVAILABLE, NOT_ALLOWED,
    NOTHING_TO_EDIT, SUPPLIER_FAILED); the supplier's answer is kept on the failed session."""
    protocol = supplier.punchout_protocol
    if protocol not in (PunchoutSession.Protocol.CXML, PunchoutSession.Protocol.OCI) or not (
        supplier.punchout_url and supplier.is_active
    ):
        raise PunchoutError(
            PunchoutErrorCode.NOT_AVAILABLE,
            _("%(supplier)s has no web shop to punch out to.") % {"supplier": supplier.name},
        )
    lines: list[CartLine] = []
    if purpose == PunchoutSession.Purpose.SHOP:
        if unit is None or not org_unit_list_actable(user=user).filter(pk=unit.pk).exists():
            raise PunchoutError(PunchoutErrorCode.NOT_ALLOWED, _("You cannot order for this unit."))
        if not BuyingRules(user=user, unit=unit, on=on).offers_shop(supplier):
            raise PunchoutError(
                PunchoutErrorCode.NOT_ALLOWED,
                _("%(unit)s has no valid agreement with %(supplier)s.")
                % {"unit": unit.name, "supplier": supplier.name},
            )
        if operation != PunchoutSession.Operation.CREATE:
            if protocol != PunchoutSession.Protocol.CXML:
                raise PunchoutError(
                    PunchoutErrorCode.NOT_AVAILABLE,
                    _(
                        "%(supplier)s's web shop cannot show or change lines already in your "
                        "cart (OCI has no way to send them). Change them in the cart, or shop "
                        "again."
                    )
                    % {"supplier": supplier.name},
                )
            lines = list(
                CartLine.objects.filter(
                    cart__user=user,
                    cart__unit=unit,
                    kind=CartLine.Kind.PUNCHOUT,
                    supplier=supplier,
                ).order_by("pk")
            )
            if not lines:
                raise PunchoutError(
                    PunchoutErrorCode.NOTHING_TO_EDIT,
                    _("Your cart has no lines from %(supplier)s's web shop.")
                    % {"supplier": supplier.name},
                )
    session, token = _session_create(
        user=user, unit=unit, supplier=supplier, operation=operation, purpose=purpose
    )
    return_url = return_url_for(return_base_url, token)
    shop_url = supplier_shop_url(url=supplier.punchout_url, served_from=return_base_url)
    if protocol == PunchoutSession.Protocol.OCI:
        return PunchoutStart(
            session=session,
            form_action=shop_url,
            form_fields=oci_start_fields(supplier, return_url),
        )
    document = setup_request(session, return_url, lines)
    try:
        reply = http_post(url=shop_url, body=document, content_type="text/xml; charset=utf-8")
        answer = cxml.punchout_setup_response_parse(reply.body)
    except (RemoteUnavailable, RemoteRejected, cxml.CxmlError) as error:
        reason = str(error)
        _session_fail(session, reason)
        raise PunchoutError(
            PunchoutErrorCode.SUPPLIER_FAILED,
            _("%(supplier)s's web shop could not be opened: %(reason)s. Try again later.")
            % {"supplier": supplier.name, "reason": reason},
        ) from error
    PunchoutSession.objects.filter(pk=session.pk).update(start_url=answer.start_url[:2000])
    session.start_url = answer.start_url
    return PunchoutStart(session=session, redirect_url=answer.start_url)


# --- the return ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    supplier_item_number: str
    aux_id: str
    description: str
    quantity: Decimal | None
    unit: str | None
    unit_raw: str
    unit_price: Decimal | None
    currency: str
    classification: str
    lead_time: int | None
    notes: tuple[str, ...] = ()


def _close(token: str) -> PunchoutSession:
    """Close the session of `token`: exactly one return can (a conditional update)."""
    digest = token_hash(token)
    now = timezone.now()
    closed = PunchoutSession.objects.filter(
        token_hash=digest, state=PunchoutSession.State.OPEN, expires_at__gt=now
    ).update(state=PunchoutSession.State.RETURNED, returned_at=now, updated_at=now)
    session = (
        PunchoutSession.objects.select_related("supplier", "unit").filter(token_hash=digest).first()
    )
    if session is None:
        raise PunchoutError(
            PunchoutErrorCode.UNKNOWN_TOKEN,
            _("This return address is not one Rekvi gave out. Nothing was imported."),
        )
    if closed != 1:
        if session.state == PunchoutSession.State.OPEN:
            raise PunchoutError(
                PunchoutErrorCode.EXPIRED,
                _(
                    "The punch-out to %(supplier)s expired before the cart came back. Nothing "
                    "was imported: start again from Rekvi."
                )
                % {"supplier": session.supplier.name},
            )
        raise PunchoutError(
            PunchoutErrorCode.REPLAYED,
            _(
                "This punch-out's cart has come back already; a return address works once. "
                "Nothing was imported."
            ),
        )
    return session


def _secret_forms(secret: str) -> list[str]:
    """The ways a secret can be written in a field's text: as is, and escaped as XML."""
    escaped = secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    forms = {secret, escaped, escaped.replace('"', "&quot;").replace("'", "&apos;")}
    return sorted(forms, key=len, reverse=True)


def _blanked(text: str, forms: Sequence[str]) -> str:
    for form in forms:
        text = text.replace(form, REDACTED.decode())
    return text


def _redacted(raw: bytes, pairs: Sequence[tuple[str, str]], secret: str) -> bytes:
    """The message with the shared secret blanked out, however it was written in it: in the
    form's fields as decoded (text, XML-escaped, or inside a base64 cXML), and else in the
    bytes as sent. A message that held the secret is kept re-encoded (UTF-8) without it."""
    if not secret:
        return raw
    forms = _secret_forms(secret)
    cleaned: list[tuple[str, str]] = []
    touched = False
    for name, value in pairs:
        if name.lower().replace("_", "-") == "cxml-base64":
            try:
                document = base64.b64decode(value, validate=False).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                document = ""
            if any(form in document for form in forms):
                value = base64.b64encode(_blanked(document, forms).encode()).decode()
                touched = True
        elif any(form in value for form in forms):
            value = _blanked(value, forms)
            touched = True
        cleaned.append((name, value))
    if touched:
        return urllib.parse.urlencode(cleaned).encode()
    for form in {
        secret.encode(),
        secret.encode("latin-1", "ignore"),
        urllib.parse.quote(secret).encode(),
        urllib.parse.quote_plus(secret).encode(),
        urllib.parse.quote_plus(secret, encoding="latin-1", errors="ignore").encode(),
    }:
        if form:
            raw = raw.replace(form, REDACTED)
    return raw


def _cxml_document(fields: Mapping[str, str]) -> bytes | None:
    """The cXML document of a returned form, as bytes, if it can be read at all."""
    for name, value in fields.items():
        key = name.lower().replace("_", "-")
        if key == "cxml-urlencoded":
            return value.encode()
        if key == "cxml-base64":
            try:
                return base64.b64decode(value, validate=False)
            except (binascii.Error, ValueError):
                return None
    return None


def _cxml_status_code(fields: Mapping[str, str]) -> int | None:
    """The Status code of a returned form's cXML document, if it can be read at all."""
    document = _cxml_document(fields)
    if document is None:
        return None
    try:
        return cxml.status_parse(document).code
    except cxml.CxmlError:
        return None


@dataclass(frozen=True)
class _Read:
    """What a returned cart holds: its lines, its total and currency (None and '' when it
    has none), and the identities it was signed with that the supplier does not list."""

    lines: list[_Line]
    total: Decimal | None
    currency: str
    unlisted_identities: list[str]


def _folded(identities: Iterable[str]) -> set[str]:
    return {identity.strip().casefold() for identity in identities if identity.strip()}


def _known(identities: Iterable[str]) -> list[str]:
    """The identities, stripped, without blanks and repeats (letter case ignored), sorted."""
    found: dict[str, str] = {}
    for identity in identities:
        if identity.strip():
            found.setdefault(identity.strip().casefold(), identity.strip()[:200])
    return sorted(found.values())


def _cxml_lines(session: PunchoutSession, fields: Mapping[str, str]) -> _Read:
    message = cxml.punchout_order_message_from_form(fields)
    if message.status.code == 204:
        raise _CancelledError
    if message.buyer_cookie != session.buyer_cookie:
        raise _CartRefusedError(
            _("The cart belongs to another punch-out (its buyer cookie is not this one's).")
        )
    # the From credentials are one party's identities in several domains: one listed will do
    senders = {credential.identity for credential in message.from_credentials}
    listed = _folded(session.supplier.punchout_accepted_identities)
    # nothing to compare with where the supplier's settings name no identity
    unlisted = [] if not listed or listed & _folded(senders) else _known(senders)
    lines = [
        _Line(
            supplier_item_number=item.supplier_part_id,
            aux_id=item.supplier_part_auxiliary_id or "",
            description=(item.short_name or item.description)[:300],
            quantity=item.quantity,
            unit=item.unit,
            unit_raw=item.unit_of_measure,
            unit_price=item.unit_price,
            currency=item.currency,
            classification=item.classifications.get("UNSPSC", ""),
            lead_time=item.lead_time,
        )
        for item in message.items
    ]
    return _Read(lines, message.total, message.currency, unlisted)


def _oci_lines(session: PunchoutSession, pairs: list[tuple[str, str]]) -> _Read:
    names = [name.strip().lower() for name, _value in pairs]
    if not any(
        name.startswith("new_item-") or name == oci.XML_DOCUMENT_FIELD.lower() for name in names
    ):
        # OCI has no cancel: a shop left without a cart posts back no item at all
        return _Read([], None, "", [])
    cart = oci.cart_parse(pairs, decimal_separator=session.supplier.punchout_decimal_separator)
    # each line names its vendor: every one of them must be listed
    listed = _folded(session.supplier.punchout_accepted_identities)
    unlisted = (
        _known(item.vendor for item in cart.items if item.vendor.casefold() not in listed)
        if listed  # nothing to compare with where the supplier's settings name no identity
        else []
    )
    lines = [
        _Line(
            supplier_item_number=item.vendor_mat or item.ext_product_id or item.matnr,
            aux_id="",
            description=(item.description or item.longtext)[:300],
            quantity=item.quantity,
            unit=item.unit,
            unit_raw=item.unit_raw,
            unit_price=item.unit_price,
            currency=item.currency.upper(),
            classification=item.unspsc,
            lead_time=item.lead_time,
            notes=tuple(f"{problem.field}: {problem.message}" for problem in item.problems),
        )
        for item in cart.items
    ]
    # an OCI cart has no currency of its own: its lines' one, and no total across several
    currencies = {line.currency for line in lines}
    if len(currencies) != 1:
        return _Read(lines, None, "", unlisted)
    total = sum(
        (
            money_round(line.quantity * line.unit_price)
            for line in lines
            if _quantity_usable(line.quantity) and _price_usable(line.unit_price)
        ),
        Decimal(0),
    )
    return _Read(lines, total, currencies.pop(), unlisted)


class _CartRefusedError(Exception):
    """The cart as a whole cannot be used; the message says why."""


class _CancelledError(Exception):
    """The shop says the person cancelled (cXML status 204): nothing is to change."""


def _quantity_usable(quantity: Decimal | None) -> TypeGuard[Decimal]:
    return quantity is not None and quantity.is_finite() and 0 < quantity <= MAX_QUANTITY


def _price_usable(price: Decimal | None) -> TypeGuard[Decimal]:
    return (
        price is not None
        and price.is_finite()
        and PRICE_STEP <= price <= MAX_ESTIMATED_PRICE
        and price.quantize(PRICE_STEP) > 0
    )


def _line_refusal(line: _Line, blocked: Sequence[str]) -> str:
    """Why the line cannot join a cart, with the same limits the cart holds to; '' if it can."""
    if line.quantity is None or not line.quantity.is_finite() or line.quantity <= 0:
        return _("The quantity is missing or not more than 0.")
    if line.quantity > MAX_QUANTITY:
        return _("The quantity %(quantity)s is more than the %(most)s a line may hold.") % {
            "quantity": line.quantity,
            "most": MAX_QUANTITY,
        }
    if line.quantity != line.quantity.quantize(Decimal("0.001")):
        return _("The quantity has more than 3 decimals.")
    if not line.currency:
        return _(
            "The price names no currency; Rekvi orders in Danish kroner only and does not "
            "assume them."
        )
    if line.currency.upper() not in CURRENCIES:
        return _("The price is in %(currency)s; Rekvi orders in Danish kroner only.") % {
            "currency": line.currency
        }
    if line.unit_price is None or not line.unit_price.is_finite() or line.unit_price <= 0:
        return _("The price is missing or 0; Rekvi does not order at that price.")
    if line.unit_price > MAX_ESTIMATED_PRICE:
        return _("The price %(price)s is above the %(most)s kr. Rekvi orders a line at.") % {
            "price": line.unit_price,
            "most": MAX_ESTIMATED_PRICE,
        }
    if not _price_usable(line.unit_price):
        return _("The price is below 0,0001 kr. and cannot be ordered.")
    if line.unit is None:
        return _("The unit “%(unit)s” is not a unit Rekvi knows (%(why)s).") % {
            "unit": line.unit_raw,
            "why": units.unit_problem(line.unit_raw) or "",
        }
    if line.classification and any(line.classification.startswith(code) for code in blocked):
        return _("Category %(code)s cannot be bought through this web shop.") % {
            "code": line.classification
        }
    if not line.supplier_item_number.strip() or len(line.supplier_item_number) > 100:
        return _("The line has no item number of 1 to 100 characters.")
    if not line.description.strip():
        return _("The line has no description.")
    return ""


def _identity_how_to_accept(supplier: Supplier, identities: Sequence[str]) -> str:
    return ngettext(
        "If %(identities)s is the web shop's own identity, the procurement office adds it to "
        "“identities carts may come from” in the punch-out settings of %(supplier)s "
        "(Administration › Suppliers › %(supplier)s).",
        "If %(identities)s are the web shop's own identities, the procurement office adds them "
        "to “identities carts may come from” in the punch-out settings of %(supplier)s "
        "(Administration › Suppliers › %(supplier)s).",
        len(identities),
    ) % {"identities": ", ".join(identities), "supplier": supplier.name}


def returned_cart_identity_note(returned: ReturnedCart) -> str:
    """What a person should know of who signed a cart that was kept: the identities seen
    that the supplier does not list, that the return itself is authenticated, and how to
    accept them; '' when the cart was signed by a listed identity (or by none). Worked out
    when shown, in the reader's language."""
    identities = [str(identity) for identity in returned.unlisted_identities or []]
    if not identities or returned.state == ReturnedCart.State.UNREADABLE:
        return ""
    supplier = returned.session.supplier
    signed = ngettext(
        "The cart is signed by %(identities)s, an identity not listed for %(supplier)s.",
        "The cart is signed by %(identities)s, identities not listed for %(supplier)s.",
        len(identities),
    ) % {"identities": ", ".join(identities), "supplier": supplier.name}
    trusted = _(
        "Its single-use return address shows that it came back from this punch-out, so its "
        "lines can be used."
    )
    return f"{signed} {trusted} {_identity_how_to_accept(supplier, identities)}"


def returned_line_price_note(line: ReturnedLine) -> str:
    """What a person should know of a usable line's price: that the item is not in the
    agreement catalogue, or how far the web shop's price is from the agreement's; '' if
    nothing (or the line is refused). Worked out when shown, in the reader's language; the
    cart and the order show the same note for the line (`orders.models.punchout_price_note`)."""
    if line.refusal:
        return ""
    return punchout_price_note(price=line.unit_price, agreed=line.agreement_unit_price)


@transaction.atomic
def punchout_cart_receive(*, token: str, body: bytes, content_type: str) -> ReturnedCart:
    """Receive the cart a supplier's shop posted to the return URL of `token`. The session is
    closed (a token works once, before its expiry); the message is kept as received with any
    shared secret blanked; each line is checked (price, currency, unit, category, agreement
    price) and the cart is kept as pending for its owner to review. A cart that cannot be
    read, or that belongs to another punch-out or supplier, is kept with the reason and no
    lines. A cancel (cXML status 204) is kept as cancelled, without lines, whatever the
    message carries; the return of an inspect, and an empty cart from a new punch-out, as no
    change: neither can touch the cart. Raises PunchoutError(UNKNOWN_TOKEN, REPLAYED,
    EXPIRED); then nothing is kept."""
    session = _close(token)
    with collector_paused():  # a large cart is hundreds of thousands of small objects
        return _cart_keep(session, body, content_type)


def _cart_keep(session: PunchoutSession, body: bytes, content_type: str) -> ReturnedCart:
    supplier = session.supplier
    try:
        pairs = oci.form_fields_decode(body, content_type)
        unreadable: oci.OciError | None = None
    except oci.OciError as error:
        pairs, unreadable = [], error
    returned = ReturnedCart(
        municipality_id=session.municipality_id,
        session=session,
        raw=_redacted(body, pairs, supplier_punchout_secret(supplier=supplier)),
        content_type=content_type[:200],
    )
    lines: list[_Line] = []
    try:
        if unreadable is not None:
            raise unreadable
        read = _Read([], None, "", [])
        if session.protocol == PunchoutSession.Protocol.CXML:
            fields = dict(pairs)
            try:
                read = _cxml_lines(session, fields)
            except _CancelledError:
                returned.state = ReturnedCart.State.CANCELLED
            except cxml.CxmlFormatError:
                # a 204 without a cart: a Message or Response that carries only the Status
                if _cxml_status_code(fields) != 204:
                    raise
                returned.state = ReturnedCart.State.CANCELLED
        else:
            read = _oci_lines(session, pairs)
        lines, total = read.lines, read.total
        sane = total is not None and total.is_finite() and abs(total) < MAX_TOTAL
        returned.total = total.quantize(Decimal("0.01")) if sane and total is not None else None
        returned.currency = read.currency[:3]
        returned.unlisted_identities = read.unlisted_identities
        if read.unlisted_identities and (
            supplier.punchout_unlisted_identity == Supplier.UnlistedIdentity.REFUSE
        ):
            raise _CartRefusedError(
                ngettext(
                    "The cart is signed by %(identities)s, an identity not listed for "
                    "%(supplier)s, and the supplier's settings refuse such carts.",
                    "The cart is signed by %(identities)s, identities not listed for "
                    "%(supplier)s, and the supplier's settings refuse such carts.",
                    len(read.unlisted_identities),
                )
                % {"identities": ", ".join(read.unlisted_identities), "supplier": supplier.name}
                + " "
                + _identity_how_to_accept(supplier, read.unlisted_identities)
            )
    except (cxml.CxmlError, oci.OciError) as error:
        returned.state = ReturnedCart.State.UNREADABLE
        returned.problem = _("The cart could not be read: %(reason)s") % {"reason": error}
        lines = []
    except _CartRefusedError as refusal:
        returned.state = ReturnedCart.State.UNREADABLE
        returned.problem = str(refusal)
        lines = []
    if returned.state == ReturnedCart.State.PENDING and (
        session.operation == PunchoutSession.Operation.INSPECT
        or (session.operation == PunchoutSession.Operation.CREATE and not lines)
    ):
        # a look changes nothing, nor does an empty cart from a new punch-out; an empty cart
        # from an edit waits for the person to confirm that the supplier's lines go
        returned.state = ReturnedCart.State.NO_CHANGE
    returned.save()
    prices = agreement_unit_prices(
        municipality_id=session.municipality_id,
        items=[(supplier.pk, line.supplier_item_number) for line in lines],
        on=timezone.localdate(),
    )
    blocked = [str(code) for code in (supplier.punchout_blocked_unspsc or [])]
    judge = _PersonsRules.of(session, lines) if lines else None
    _lines_store(
        [
            _returned_line(
                returned.pk,
                position,
                line,
                prices.get((supplier.pk, line.supplier_item_number)),
                blocked,
                judge,
            )
            for position, line in enumerate(lines, start=1)
        ]
    )
    return returned


@dataclass
class _PersonsRules:
    """What the person who punched out may buy for the session's unit, applied to the lines
    that come back: a line whose UNSPSC code maps to a category they may not buy is refused;
    a line of no known category from a shop that also sells what they may not buy makes its
    order go to a godkender."""

    rules: BuyingRules
    resolver: CategoryResolver
    supplier: Supplier
    categories: dict[int, Category]
    #: the category of the supplier's catalogue items, by item number
    catalogued: dict[str, int]
    #: who punched out, as the godkender reads it
    person: str

    @classmethod
    def of(cls, session: PunchoutSession, lines: Sequence[_Line]) -> _PersonsRules | None:
        if session.purpose != PunchoutSession.Purpose.SHOP or session.unit is None:
            return None  # a self-test buys nothing
        supplier = session.supplier
        return cls(
            rules=BuyingRules(user=session.user, unit=session.unit, on=timezone.localdate()),
            resolver=category_resolver_for(
                supplier_id=supplier.pk, municipality_id=supplier.municipality_id
            ),
            supplier=supplier,
            categories=Category.objects.filter(municipality_id=supplier.municipality_id).in_bulk(),
            catalogued=dict(
                Product.objects.filter(
                    supplier=supplier,
                    supplier_item_number__in={line.supplier_item_number for line in lines},
                    category__isnull=False,
                ).values_list("supplier_item_number", "category_id")
            ),
            person=session.user.get_full_name() or session.user.username,
        )

    def judge(self, item_number: str, classification: str) -> tuple[str, str]:
        """(why the line is refused, why its order needs approval); '' where not. The line's
        category is the catalogue item's of the same number, else its UNSPSC code's."""
        code = classification.strip()
        category_id = self.catalogued.get(item_number)
        if category_id is None and code.isdigit() and len(code) == 8:  # a UNSPSC commodity
            category_id = self.resolver.resolve("", code)[0]
        if category_id is not None:
            return self.rules.category_refusal(self.supplier, self.categories[category_id]), ""
        _covered, forbidden = self.rules.shop_categories(self.supplier)
        if not forbidden:
            return "", ""
        return "", _(
            "The web shop did not say which of the municipality's categories the line is in, "
            "and %(supplier)s also sells what %(person)s may not buy for %(unit)s "
            "(%(categories)s): a godkender approves the order."
        ) % {
            "supplier": self.supplier.name,
            "person": self.person,
            "unit": self.rules.unit.name,
            "categories": ", ".join(category.name for category in forbidden),
        }


#: The columns of a returned line, in the order _returned_line gives them.
_LINE_COLUMNS = (
    "cart_id",
    "position",
    "supplier_item_number",
    "supplier_part_auxiliary_id",
    "description",
    "quantity",
    "unit_code",
    "unit_as_sent",
    "unit_price",
    "currency",
    "agreement_unit_price",
    "classification",
    "lead_time_days",
    "refusal",
    "approval_reason",
    "warnings",  # last: written as JSON
)


def _returned_line(
    cart_id: int,
    position: int,
    line: _Line,
    agreed: Decimal | None,
    blocked: Sequence[str],
    judge: _PersonsRules | None,
) -> tuple[object, ...]:
    """A returned line's values, in _LINE_COLUMNS order, with the checks' findings."""
    refusal = _line_refusal(line, blocked)
    approval_reason = ""
    if not refusal and judge is not None:
        refusal, approval_reason = judge.judge(line.supplier_item_number, line.classification)
    # a finding of the format that the refusal already says is not repeated
    warnings = [note for note in line.notes if note.split(": ", 1)[-1] not in refusal]
    quantity = line.quantity if _quantity_usable(line.quantity) else None
    price = line.unit_price if _price_usable(line.unit_price) else None
    lead_time = line.lead_time
    return (
        cart_id,
        position,
        line.supplier_item_number[:100],
        line.aux_id,
        line.description[:300] or "–",
        (quantity or Decimal(0)).quantize(Decimal("0.001")),
        line.unit or "",
        line.unit_raw[:20],
        (price or Decimal(0)).quantize(PRICE_STEP),
        line.currency[:3],
        agreed,
        line.classification[:20],
        lead_time if lead_time is not None and 0 < lead_time <= 3650 else None,
        refusal,
        approval_reason,
        warnings,
    )


def _lines_store(rows: list[tuple[object, ...]]) -> None:
    """Write the returned lines: on PostgreSQL by COPY (a cart of thousands of lines in a few
    milliseconds), elsewhere in batches."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        ReturnedLine.objects.bulk_create(
            [ReturnedLine(**dict(zip(_LINE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=500,
        )
        return
    columns = ", ".join(_LINE_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {ReturnedLine._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((*row[:-1], json.dumps(row[-1])))


def _owned(returned: ReturnedCart, user: User) -> None:
    if returned.session.user_id != user.pk:
        raise PunchoutError(
            PunchoutErrorCode.NOT_YOURS,
            _(
                "This cart came back from a punch-out someone else started. Nothing was "
                "imported; start the punch-out yourself from Rekvi."
            ),
        )


@transaction.atomic
def punchout_cart_take(*, returned: ReturnedCart, user: User, on: date) -> list[CartLine]:
    """Put the returned cart's lines that passed the checks in the owner's cart for the
    session's unit. The return of an edit replaces the supplier's punch-out lines (an empty
    one removes them). Raises PunchoutError(NOT_YOURS, NOT_PENDING) and the cart's CartError."""
    _owned(returned, user)
    session = returned.session
    taken = ReturnedCart.objects.filter(pk=returned.pk, state=ReturnedCart.State.PENDING).update(
        state=ReturnedCart.State.TAKEN, taken_at=timezone.now(), updated_at=timezone.now()
    )
    if taken != 1 or session.unit is None:
        raise PunchoutError(
            PunchoutErrorCode.NOT_PENDING,
            _("This cart has been dealt with already. Look at your cart."),
        )
    cart = cart_get_for(user=user, unit=session.unit)
    accepted = [line for line in returned.lines.order_by("position") if not line.refusal]
    return cart_punchout_lines_put(
        cart=cart,
        supplier_id=session.supplier_id,
        lines=[
            PunchoutLine(
                supplier_item_number=line.supplier_item_number,
                description=line.description,
                quantity=line.quantity,
                unit_code=line.unit_code,
                unit_price=line.unit_price,
                supplier_part_auxiliary_id=line.supplier_part_auxiliary_id,
                unspsc_code=line.classification,
                approval_reason=line.approval_reason,
            )
            for line in accepted
        ],
        replace=session.operation == PunchoutSession.Operation.EDIT,
        on=on,
    )


@transaction.atomic
def punchout_cart_discard(*, returned: ReturnedCart, user: User) -> None:
    """Put a returned cart aside without taking its lines. Raises PunchoutError(NOT_YOURS,
    NOT_PENDING)."""
    _owned(returned, user)
    done = ReturnedCart.objects.filter(pk=returned.pk, state=ReturnedCart.State.PENDING).update(
        state=ReturnedCart.State.DISCARDED, updated_at=timezone.now()
    )
    if done != 1:
        raise PunchoutError(
            PunchoutErrorCode.NOT_PENDING,
            _("This cart has been dealt with already. Look at your cart."),
        )
