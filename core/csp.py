"""Content-Security-Policy: the one place a page widens the site's policy (django-csp).

The policy itself is in settings (`CONTENT_SECURITY_POLICY`): scripts, styles and everything
else from Rekvi's own origin, no inline script, no framing, forms posted only to Rekvi. A page
that posts a form to a supplier's web shop allows that shop's origin, on that page only.
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlsplit

from django.http import HttpResponseBase

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def url_origin(url: str) -> str:
    """scheme://host[:port] of an absolute http(s) URL; "" for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def csp_allow_form_action(response: ResponseT, url: str) -> ResponseT:
    """Let this response's page post forms to `url`'s origin as well as Rekvi's own."""
    origin = url_origin(url)
    if origin:
        update = dict(getattr(response, "_csp_update", None) or {})
        update["form-action"] = [*update.get("form-action", []), origin]
        response._csp_update = update  # type: ignore[attr-defined]  # read by CSPMiddleware
    return response
