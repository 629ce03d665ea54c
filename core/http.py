"""Outbound HTTP: every call Rekvi makes to a supplier goes through here, with a timeout, a cap on
what is read back, and two kinds of failure: RemoteUnavailable (no answer, a timeout or a 5xx:
try again later) and RemoteRejected (a 4xx: the request is wrong; stop and tell a person).

Never log request bodies: they may carry a supplier's shared secret."""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings

from core.errors import ApplicationError

logger = logging.getLogger(__name__)

#: Seconds to wait for a supplier's answer.
DEFAULT_TIMEOUT = 15.0
#: The most of an answer that is read (a setup response or a start page, not a download).
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
USER_AGENT = "Rekvi"


class RemoteErrorCode(StrEnum):
    UNAVAILABLE = "remote_unavailable"
    REJECTED = "remote_rejected"


class RemoteUnavailable(ApplicationError):  # noqa: N818 - the name the house style uses
    """The remote end did not answer in time, could not be reached or failed (5xx): retry."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(RemoteErrorCode.UNAVAILABLE, message)
        self.status = status


class RemoteRejected(ApplicationError):  # noqa: N818 - the name the house style uses
    """The remote end refused the request (4xx): retrying the same request will not help."""

    def __init__(self, message: str, *, status: int, body: bytes = b"") -> None:
        super().__init__(RemoteErrorCode.REJECTED, message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes
    content_type: str
    url: str  # the address answered from, after any redirects (GET only)


def _where(url: str) -> str:
    """The host (and port) of a URL, for messages and logs: never its user or password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def _check_url(url: str) -> None:
    """Refuse what Rekvi must not call: anything but https (http too where local calls are
    allowed, as in development and tests), and in real mode any address that is not a public
    one (loopback, private, link-local...), so a supplier's address cannot reach inside."""
    parts = urlsplit(url)
    local = settings.OUTBOUND_HTTP_LOCAL
    if parts.scheme not in (("https", "http") if local else ("https",)) or not parts.hostname:
        raise RemoteRejected(
            f"{_where(url) if parts.hostname else url[:100]!r}: only https addresses are called",
            status=0,
        )
    if local:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError as error:
        raise RemoteUnavailable(f"{_where(url)} could not be looked up: {error}") from error
    for address in addresses:
        if not ipaddress.ip_address(str(address).split("%")[0]).is_global:
            raise RemoteRejected(f"{_where(url)} is not a public address", status=0)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address Rekvi may call."""

    def redirect_request(
        self,
        request: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        _check_url(newurl)
        return super().redirect_request(request, fp, code, msg, headers, newurl)


def _read(response: Any, max_bytes: int, deadline: float, where: str) -> bytes:
    """At most max_bytes + 1 of the body, within the deadline (a trickling server is cut off)."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise RemoteUnavailable(f"{where} took too long to answer")
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _send(
    request: urllib.request.Request, *, follow: bool, timeout: float, max_bytes: int
) -> HttpReply:
    handler = _CheckedRedirects() if follow else _NoRedirects()
    opener = urllib.request.build_opener(handler)
    where = _where(request.full_url)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read(response, max_bytes, deadline, where)
            status, content_type, url = (
                response.status,
                response.headers.get("Content-Type", ""),
                response.url,
            )
    except urllib.error.HTTPError as error:
        body = _read(error, max_bytes, deadline, where) if error.fp else b""
        status, content_type, url = error.code, error.headers.get("Content-Type", ""), error.url
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        logger.info("no answer from %s: %s", where, reason)
        raise RemoteUnavailable(f"{where} did not answer: {reason}") from error
    if len(body) > max_bytes:
        raise RemoteRejected(
            f"{where} answered more than {max_bytes} bytes", status=status, body=body[:2048]
        )
    if status >= 500:
        raise RemoteUnavailable(f"{where} answered {status}", status=status)
    if status >= 400:
        raise RemoteRejected(f"{where} answered {status}", status=status, body=body)
    return HttpReply(status=status, body=body, content_type=content_type, url=url)


def http_post(
    *,
    url: str,
    body: bytes,
    content_type: str,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> HttpReply:
    """POST `body` to `url` and return the answer (redirects are not followed). Raises
    RemoteUnavailable (no answer, timeout, 5xx) or RemoteRejected (4xx, bad address, too big)."""
    _check_url(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": content_type, "User-Agent": USER_AGENT},
    )
    return _send(request, follow=False, timeout=timeout, max_bytes=max_bytes)


def http_get(
    *, url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
) -> HttpReply:
    """GET `url`, following redirects, and return the answer. Raises like http_post."""
    _check_url(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, method="GET", headers={"User-Agent": USER_AGENT}
    )
    return _send(request, follow=True, timeout=timeout, max_bytes=max_bytes)
