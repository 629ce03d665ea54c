"""The demo supplier's pages and machine endpoints (see urls.py for the map).

Pages are rendered without Rekvi's context processors (the shop is another company's web
site), so the CSRF token is put in the context by hand.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from demo_supplier import cxml, oci, orders
from demo_supplier.catalogue import (
    SUPPLIERS,
    Protocol,
    Supplier,
    kroner,
    product_find,
    product_get,
    product_list,
    product_list_related,
)
from demo_supplier.pictures import picture_svg
from demo_supplier.session import (
    Cart,
    CartError,
    CartLine,
    Fault,
    Operation,
    PunchoutSession,
    SessionExpiredError,
    aux_id_new,
    cart_add,
    cart_change,
    cart_forget,
    cart_get,
    cart_priced,
    cart_save,
    cart_total,
    quantity_clean,
    quantity_parse,
    session_id_new,
    session_load,
    session_token,
)

logger = logging.getLogger(__name__)

CXML_CONTENT_TYPE = "text/xml; charset=utf-8"
FAULT_PARAMETER = "fault"


def _page(
    request: HttpRequest, template: str, context: Mapping[str, Any], *, status: int = 200
) -> HttpResponse:
    full = {"csrf_token": get_token(request), **context}
    return HttpResponse(render_to_string(f"demo_supplier/{template}", full), status=status)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _fault(request: HttpRequest) -> Fault:
    """The fault mode asked for on the entry URL. Raises ValueError for an unknown one."""
    raw = request.GET.get(FAULT_PARAMETER, "").strip()
    try:
        return Fault(raw)
    except ValueError:
        known = ", ".join(fault.value for fault in Fault if fault.value)
        raise ValueError(f"unknown fault mode {raw!r} (known: {known})") from None


def _shop_url(supplier: Supplier, token: str, *, start_sku: str = "", to_cart: bool = False) -> str:
    if to_cart:
        return reverse("demo_supplier:cart", args=[supplier.slug, token])
    if start_sku:
        return reverse("demo_supplier:product", args=[supplier.slug, token, start_sku])
    return reverse("demo_supplier:shop", args=[supplier.slug, token])


def _known_lines(
    supplier: Supplier, session: PunchoutSession, items: Sequence[cxml.ItemOutLine]
) -> tuple[tuple[CartLine, ...], tuple[str, ...]]:
    """The lines of items the shop sells, and the SupplierPartIDs it does not know. A line
    without a SupplierPartAuxiliaryID gets one of ours; one that has it keeps it exactly."""
    known: list[CartLine] = []
    unknown: list[str] = []
    for item in items:
        if product_get(supplier=supplier, sku=item.sku) is None:
            unknown.append(item.sku)
        else:
            aux = item.aux_id
            if aux is None:
                aux = aux_id_new(session, len(known) + 1, item.sku)
            known.append(CartLine(item.sku, quantity_clean(item.quantity), aux))
    return tuple(known), tuple(unknown)


# --- the front page and pictures ---------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What the demo supplier offers, and the URLs to configure in Rekvi."""
    entries = [
        {
            "supplier": supplier,
            "cxml_setup": request.build_absolute_uri(
                reverse("demo_supplier:cxml_setup", args=[supplier.slug])
            ),
            "cxml_order": request.build_absolute_uri(
                reverse("demo_supplier:cxml_order", args=[supplier.slug])
            ),
            "oci": request.build_absolute_uri(reverse("demo_supplier:oci", args=[supplier.slug])),
            "orders": reverse("demo_supplier:orders", args=[supplier.slug]),
        }
        for supplier in SUPPLIERS.values()
    ]
    faults = [fault.value for fault in Fault if fault.value]
    return _page(request, "index.html", {"entries": entries, "faults": faults})


@require_GET
@cache_control(public=True, max_age=86400)
def picture(request: HttpRequest, sku: str) -> HttpResponse:
    product = product_find(sku)
    if product is None:
        raise Http404("no such product")
    response = HttpResponse(picture_svg(product), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# --- cXML ------------------------------------------------------------------------------------


def _cxml_response(body: bytes, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=CXML_CONTENT_TYPE)


def _cxml_status(supplier: Supplier, code: int, detail: str) -> HttpResponse:
    """A cXML Response with only a Status; the HTTP status is the cXML code."""
    now = timezone.localtime()
    body = cxml.status_response(
        code=code, detail=detail, payload_id=cxml.payload_id_new(supplier, now), timestamp=now
    )
    return _cxml_response(body, code)


def _sender_is_known(header: cxml.Header) -> str | None:
    """The Sender identity whose SharedSecret matches settings.DEMO_SUPPLIER_ACCOUNTS."""
    accounts: Mapping[str, str] = settings.DEMO_SUPPLIER_ACCOUNTS
    for sender in header.senders:
        expected = accounts.get(sender.identity)
        if expected is not None and hmac.compare_digest(
            expected.encode(), sender.shared_secret.encode()
        ):
            return sender.identity
    return None


@csrf_exempt
@require_POST
def cxml_setup(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """A PunchOutSetupRequest in, a PunchOutSetupResponse (or an error Status) out."""
    try:
        fault = _fault(request)
        setup = cxml.setup_request_parse(request.body)
    except cxml.CxmlRequestError as exc:
        return _cxml_status(supplier, exc.code, str(exc))
    except ValueError as exc:
        return _cxml_status(supplier, 400, str(exc))
    identity = _sender_is_known(setup.header)
    if identity is None:
        logger.warning(
            "demo supplier %s: cXML setup refused for sender %s",
            supplier.slug,
            ", ".join(sender.identity for sender in setup.header.senders) or "(none)",
        )
        return _cxml_status(supplier, 401, "unknown sender identity or wrong shared secret")
    if not _is_web_url(setup.browser_form_post_url):
        return _cxml_status(supplier, 400, "BrowserFormPost/URL must be an http(s) URL")
    session = PunchoutSession(
        supplier=supplier.slug,
        protocol=Protocol.CXML,
        session_id=session_id_new(),
        return_url=setup.browser_form_post_url,
        operation=setup.operation,
        fault=fault,
        buyer_cookie=setup.buyer_cookie,
        buyer_domain=setup.header.from_domain,
        buyer_identity=setup.header.from_identity or identity,
        deployment_mode=setup.deployment_mode,
    )
    lines, unknown = _known_lines(supplier, session, setup.items)
    selected = setup.selected_item
    start_sku = selected if selected and product_get(supplier=supplier, sku=selected) else ""
    session = replace(session, lines=lines, unknown_items=unknown, start_sku=start_sku)
    token = session_token(session)
    start = request.build_absolute_uri(
        _shop_url(
            supplier,
            token,
            start_sku=start_sku,
            to_cart=session.operation is not Operation.CREATE,
        )
    )
    logger.info(
        "demo supplier %s: cXML %s session %s for %s (fault: %s)",
        supplier.slug,
        session.operation.value,
        session.session_id,
        identity,
        fault.value or "none",
    )
    now = timezone.localtime()
    body = cxml.setup_response(
        start_url=start, payload_id=cxml.payload_id_new(supplier, now), timestamp=now
    )
    return _cxml_response(body, 200)


@csrf_exempt
@require_POST
def cxml_order(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """An OrderRequest in, recorded in the list of received orders; Status 200 out."""
    try:
        order = cxml.order_request_parse(request.body)
    except cxml.CxmlRequestError as exc:
        return _cxml_status(supplier, exc.code, str(exc))
    identity = _sender_is_known(order.header)
    if identity is None:
        logger.warning("demo supplier %s: cXML order refused (sender unknown)", supplier.slug)
        return _cxml_status(supplier, 401, "unknown sender identity or wrong shared secret")
    received = orders.order_record(
        supplier=supplier, order=order, buyer=identity, received_at=timezone.now()
    )
    logger.info(
        "demo supplier %s: order %s received (%s lines, %s problems, %s times)",
        supplier.slug,
        received.order_id,
        received.line_count,
        len(received.problems),
        received.times_received,
    )
    return _cxml_status(supplier, 200, "")


@require_GET
@never_cache
def order_list(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """The orders received, newest first."""
    return _page(
        request,
        "orders.html",
        {"supplier": supplier, "orders": orders.order_list(supplier=supplier)},
    )


# --- OCI -------------------------------------------------------------------------------------


def _oci_error(
    request: HttpRequest, supplier: Supplier, heading: str, text: str, status: int
) -> HttpResponse:
    return _page(
        request,
        "error.html",
        {"supplier": supplier, "heading": heading, "text": text},
        status=status,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def oci_entry(request: HttpRequest, supplier: Supplier) -> HttpResponse:
    """The OCI outbound call: check USERNAME and PASSWORD, then send the person into the shop
    (FUNCTION=DETAIL: the PRODUCTID's page; FUNCTION=VALIDATE: the cart with PRODUCTID)."""
    posted = list(request.POST.lists()) if request.method == "POST" else []
    fields = [*posted, *request.GET.lists()]  # a posted parameter wins over the query's
    parameters = oci.outbound_parameters_read(
        (name, values[0]) for name, values in fields if values
    )
    try:
        fault = _fault(request)
    except ValueError as exc:
        return _oci_error(request, supplier, "Ukendt fejltilstand", str(exc), 400)
    accounts: Mapping[str, str] = settings.DEMO_SUPPLIER_OCI_ACCOUNTS
    expected = accounts.get(parameters.username)
    if expected is None or not hmac.compare_digest(expected.encode(), parameters.password.encode()):
        logger.warning(
            "demo supplier %s: OCI log-in refused for user %r", supplier.slug, parameters.username
        )
        return _oci_error(
            request,
            supplier,
            "Log-in mislykkedes",
            "Brugernavn eller adgangskode er forkert (USERNAME og PASSWORD). Ret leverandørens "
            "punch-out-opsætning i indkøbssystemet, og prøv igen.",
            401,
        )
    if not _is_web_url(parameters.hook_url):
        return _oci_error(
            request,
            supplier,
            "HOOK_URL mangler",
            "Indkøbssystemet sendte ingen gyldig HOOK_URL (en http- eller https-adresse), så "
            "kurven kan ikke sendes tilbage.",
            400,
        )
    if parameters.function not in ("", "DETAIL", "VALIDATE"):
        return _oci_error(
            request,
            supplier,
            "Funktionen understøttes ikke",
            f"FUNCTION={parameters.function} understøttes ikke af demo-leverandøren "
            "(kun DETAIL og VALIDATE).",
            400,
        )
    session = PunchoutSession(
        supplier=supplier.slug,
        protocol=Protocol.OCI,
        session_id=session_id_new(),
        return_url=parameters.hook_url,
        fault=fault,
        oci_echo=parameters.echoed,
        target=parameters.target,
    )
    product = product_get(supplier=supplier, sku=parameters.product_id)
    start_sku = product.sku if product is not None and parameters.function == "DETAIL" else ""
    lines: tuple[CartLine, ...] = ()
    if product is not None and parameters.function == "VALIDATE":
        try:
            quantity = quantity_parse(parameters.quantity or "1")
        except CartError as exc:
            return _oci_error(request, supplier, "Ugyldigt antal", str(exc), 400)
        lines = (CartLine(product.sku, quantity, aux_id_new(session, 1, product.sku)),)
    session = replace(session, lines=lines, start_sku=start_sku)
    logger.info(
        "demo supplier %s: OCI session %s for %s (fault: %s)",
        supplier.slug,
        session.session_id,
        parameters.username,
        fault.value or "none",
    )
    token = session_token(session)
    return HttpResponseRedirect(
        _shop_url(supplier, token, start_sku=start_sku, to_cart=bool(lines))
    )


# --- the shop --------------------------------------------------------------------------------


def _shop_context(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession, cart: Cart
) -> dict[str, Any]:
    priced = cart_priced(cart, supplier=supplier)
    return {
        "supplier": supplier,
        "session": session,
        "token": token,
        "cart_lines": priced,
        "cart_count": len(priced),
        "cart_total_text": kroner(cart_total(priced)),
        "query": request.GET.get("q", ""),
    }


def shop_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The shop pages' decorator: the session from the token (the 410 page when there is
    none), and no caching."""

    @functools.wraps(view)
    def wrapped(
        request: HttpRequest, supplier: Supplier, token: str, **kwargs: Any
    ) -> HttpResponse:
        try:
            session = session_load(token, supplier=supplier)
        except SessionExpiredError as exc:
            logger.info("demo supplier %s: no session (%s)", supplier.slug, exc)
            response = _page(request, "expired.html", {"supplier": supplier}, status=410)
        else:
            response = view(request, supplier, token, session, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


@require_GET
@shop_view
def shop(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    """The start page: the product list, searchable with ?q=."""
    cart = cart_get(request, session)
    context = _shop_context(request, supplier, token, session, cart)
    context["products"] = product_list(supplier=supplier, query=context["query"])
    return _page(request, "product_list.html", context)


@require_GET
@shop_view
def product(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession, sku: str
) -> HttpResponse:
    item = product_get(supplier=supplier, sku=sku)
    if item is None:
        raise Http404("no such product")
    context = _shop_context(request, supplier, token, session, cart_get(request, session))
    context.update(product=item, related=product_list_related(item))
    return _page(request, "product_detail.html", context)


_CART_MESSAGES = {"tilfoejet": "Varen er lagt i kurven.", "opdateret": "Kurven er opdateret."}


@require_GET
@shop_view
def cart(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    context = _shop_context(request, supplier, token, session, cart_get(request, session))
    context["notice"] = _CART_MESSAGES.get(request.GET.get("besked", ""), "")
    return _page(request, "cart.html", context)


def _cart_refused(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession, text: str
) -> HttpResponse:
    context = _shop_context(request, supplier, token, session, cart_get(request, session))
    context["error"] = text
    return _page(request, "cart.html", context, status=400)


def _cart_saved(
    request: HttpRequest,
    supplier: Supplier,
    token: str,
    session: PunchoutSession,
    cart: Cart,
    note: str,
) -> HttpResponse:
    response = HttpResponseRedirect(
        f"{reverse('demo_supplier:cart', args=[supplier.slug, token])}?besked={note}"
    )
    cart_save(response, request, session, cart)
    return response


@require_POST
@shop_view
def cart_add_view(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    """The "Læg i kurv" button: POST sku and quantity."""
    if session.is_read_only:
        return _cart_refused(request, supplier, token, session, "Kurven kan kun ses, ikke ændres.")
    item = product_get(supplier=supplier, sku=request.POST.get("sku", ""))
    if item is None:
        raise Http404("no such product")
    try:
        quantity = quantity_parse(request.POST.get("quantity", "1") or "1")
        updated = cart_add(
            cart_get(request, session), session=session, sku=item.sku, quantity=quantity
        )
    except CartError as exc:
        return _cart_refused(request, supplier, token, session, str(exc))
    return _cart_saved(request, supplier, token, session, updated, "tilfoejet")


@require_POST
@shop_view
def cart_update(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    """Change a line's quantity (POST position, quantity) or remove it (POST position, remove)."""
    if session.is_read_only:
        return _cart_refused(request, supplier, token, session, "Kurven kan kun ses, ikke ændres.")
    try:
        position = int(request.POST.get("position", ""))
        quantity = (
            None if "remove" in request.POST else quantity_parse(request.POST.get("quantity", ""))
        )
        updated = cart_change(cart_get(request, session), position=position, quantity=quantity)
    except ValueError as exc:  # CartError is a ValueError
        text = str(exc) if isinstance(exc, CartError) else "Linjen findes ikke i kurven."
        return _cart_refused(request, supplier, token, session, text)
    return _cart_saved(request, supplier, token, session, updated, "opdateret")


def _return_page(
    request: HttpRequest,
    supplier: Supplier,
    session: PunchoutSession,
    cart: Cart,
    *,
    cancelled: bool,
) -> HttpResponse:
    priced = cart_priced(cart, supplier=supplier)
    total = cart_total(priced)
    if session.protocol is Protocol.CXML:
        now = timezone.localtime()
        document = cxml.order_message(
            supplier=supplier,
            buyer_domain=session.buyer_domain,
            buyer_identity=session.buyer_identity,
            buyer_cookie=session.buyer_cookie,
            deployment_mode=session.deployment_mode,
            lines=priced,
            total=total,
            fault=session.fault,
            payload_id=cxml.payload_id_new(supplier, now),
            timestamp=now,
            cancelled=cancelled,
        )
        fields = [("cxml-urlencoded", document.decode("utf-8"))]
        charset = "UTF-8"
    else:
        fields = oci.cart_fields(
            supplier=supplier, lines=priced, fault=session.fault, echoed=session.oci_echo
        )
        charset = supplier.oci_charset
    context = {
        "supplier": supplier,
        "session": session,
        "action": session.return_url,
        "target": session.target if session.protocol is Protocol.OCI else "",
        "charset": charset,
        "fields": fields,
        "cart_lines": priced,
        "cart_total_text": kroner(total),
        "cancelled": cancelled,
    }
    response = _page(request, "return.html", context)
    # the page posts to the buyer's system: its Content-Security-Policy allows that origin
    return_url = urlsplit(session.return_url)
    if return_url.scheme in ("http", "https") and return_url.netloc:
        response._csp_update = {  # type: ignore[attr-defined]  # read by django-csp
            "form-action": [f"{return_url.scheme}://{return_url.netloc}"]
        }
    cart_forget(response, session)
    return response


@require_POST
@shop_view
def cart_return(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    """The "Overfør kurven til dit indkøbssystem" button: the page that posts the cart back."""
    return _return_page(request, supplier, session, cart_get(request, session), cancelled=False)


@require_GET
@shop_view
def cart_cancel(
    request: HttpRequest, supplier: Supplier, token: str, session: PunchoutSession
) -> HttpResponse:
    """The "Annullér og gå tilbage" link: an empty cart goes back to the buyer (cXML: with
    Status 204, which says the person cancelled)."""
    empty = Cart(lines=(), next_number=1)
    return _return_page(request, supplier, session, empty, cancelled=True)
