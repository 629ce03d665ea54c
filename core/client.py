"""The address of the person (client) a request comes from, one rule for every use.

Without the proxy setting it is the connection's own address (REMOTE_ADDR): a header a client
sends is never believed. Behind the trusted proxy (`DJANGO_BEHIND_TLS_PROXY=on`), the proxy
connects and appends the address it saw to `X-Forwarded-For`, overwriting or after anything the
client wrote there, so only the LAST address of that header is the client's.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as the rule above says; "" when there is none."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", "") or "")
