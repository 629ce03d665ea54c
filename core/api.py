"""What every API endpoint shares: throttles and the form of a refusal.

Every refusal of the API has the same form: `detail` (for people, in their language), a
stable `code` (for programs) and the `field` at fault, where one is; whether a serializer
refused the body, a parameter could not be read (core.params.BadInput) or a rate was used up
(429 with Retry-After). A refused body adds `messages`: every field's messages, as the
serializer gave them.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework import authentication, exceptions, serializers, views
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from core.client import client_address
from core.params import BadInput


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


def _first(errors: Any, path: tuple[str, ...] = ()) -> tuple[str, str, str]:
    """The first (field path, message, code) of a serializer's nested errors."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            return _first(value, (*path, str(key)) if key != "non_field_errors" else path)
    if isinstance(errors, list) and errors:
        for number, value in enumerate(errors):
            if value:
                nested = isinstance(value, (dict, list))
                return _first(value, (*path, str(number)) if nested else path)
    return ".".join(path), str(errors), str(getattr(errors, "code", "invalid"))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every refusal answered in Rekvi's form."""
    if isinstance(exc, BadInput):
        return Response({"detail": exc.message, "code": exc.code, "field": exc.field}, status=400)
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
    response = views.exception_handler(exc, context)
    if response is not None and isinstance(exc, serializers.ValidationError):
        field, message, code = _first(exc.detail)
        response.data = {
            "detail": f"{field}: {message}" if field else message,
            "code": code,
            "field": field or None,
            "messages": response.data,
        }
    return response
