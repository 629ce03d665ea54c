"""The punch-out return endpoint: where a supplier's shop posts the cart, from the person's
browser, cross-site. It is authenticated by the single-use token in its URL, not by the session
cookie (which a cross-site POST does not carry), so it is exempt from CSRF. It keeps the cart
as pending and sends the browser on to Rekvi's own review page, where the owner must be signed
in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from punchout.models import PunchoutSession
from punchout.services import PunchoutError, PunchoutErrorCode, punchout_cart_receive

REFUSAL_STATUS = {
    PunchoutErrorCode.UNKNOWN_TOKEN: 404,
    PunchoutErrorCode.REPLAYED: 409,
    PunchoutErrorCode.EXPIRED: 410,
}


@csrf_exempt
@require_POST
def punchout_return(request: HttpRequest, token: str) -> HttpResponse:
    """Receive a returned cart and answer 303 to its review page. The body is read here, under
    this endpoint's own size limit (a large OCI cart is far above Django's form limits, which
    stay as they are everywhere else)."""
    limit = settings.PUNCHOUT_RETURN_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()) or int(declared) > limit:
        return render(
            request,
            "punchout/refused.html",
            {
                "message": _("The cart is larger than %(limit)s bytes. Nothing was imported.")
                % {"limit": limit}
            },
            status=413,
        )
    body = request.read(limit + 1)
    try:
        returned = punchout_cart_receive(
            token=token, body=body, content_type=request.META.get("CONTENT_TYPE", "")
        )
    except PunchoutError as error:
        return render(
            request,
            "punchout/refused.html",
            {"message": error.message},
            status=REFUSAL_STATUS.get(error.code, 400),  # type: ignore[call-overload]
        )
    response = HttpResponse(status=303)
    if returned.session.purpose == PunchoutSession.Purpose.SELF_TEST:
        response["Location"] = reverse("shop:punchout_self_test", args=[returned.session_id])
    else:
        response["Location"] = reverse("shop:punchout_review", args=[returned.pk])
    return response
