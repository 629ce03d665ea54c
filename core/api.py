"""What every API endpoint shares: throttles and the form of a refusal.

Every refusal of the API has the same form: `detail` (for people, in their language), a
stable `code` (for programs) and the `field` at fault, where one is.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework import authentication, exceptions, views
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from core.client import client_address


class _SettingsRateThrottle(SimpleRateThrottle):
    """A rate from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read when it is used."""

    def get_rate(self) -> str | None:
        rates: Any = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        rate = rates[str(self.scope)]
        return None if rate is None else str(rate)

    def get_ident(self, request: Request) -> str:
        """The client's address by Rekvi's one rule (never a header the client wrote)."""
        return client_address(request._request)


class PersonRateThrottle(_SettingsRateThrottle):
    """Requests per signed-in person (session or token), from any address."""

    scope = "person"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(_SettingsRateThrottle):
    """Requests per client address from no one signed in, and wrong tokens per address
    (`TokenAuthentication` counts those, before permissions would refuse them)."""

    scope = "address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = getattr(request._request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def wait_if_exhausted(self, request: Request) -> float | None:
        """Seconds to wait when the address has used up its rate; None when it has not."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, None)
        if self.key is None:
            return None
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        limit, duration = self.parse_rate(self.rate)
        if limit is None or duration is None:
            return None
        while self.history and self.history[-1] <= self.now - duration:
            self.history.pop()
        return self.wait() if len(self.history) >= limit else None


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, with guessing slowed: a wrong token counts against the
    client address's rate, and once that is used up no token from the address is looked up
    until it frees (429 with Retry-After), the right one included."""

    def authenticate(self, request: Request) -> Any:
        if not authentication.get_authorization_header(request).lower().startswith(b"token "):
            return None
        throttle = AddressRateThrottle()
        wait = throttle.wait_if_exhausted(request)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.allow_request(request, None)  # type: ignore[arg-type]  # no view: counts this wrong token
            raise


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a throttled request answered in Rekvi's form of a refusal."""
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, math.ceil(getattr(exc, "wait", None) or 1))
        return Response(
            {
                "detail": ngettext(
                    "Too many requests. Try again in %(seconds)d second.",
                    "Too many requests. Try again in %(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                "code": "throttled",
                "field": None,
            },
            status=429,
            headers={"Retry-After": str(seconds)},
        )
    return views.exception_handler(exc, context)
