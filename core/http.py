"""Outbound HTTP: every call Rekvi makes to a supplier goes through here, with a timeout, a cap on
what is read back, and two kinds of failure: RemoteUnavailable (no answer, a timeout or a 5xx:
try again later) and RemoteRejected (a 4xx: the request is wrong; stop and tell a person).

Never log request bodies: they may carry a supplier's shared secret."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RemoteRejected(f"{url!r} is not an http(s) address", status=0)


def _send(
    request: urllib.request.Request, *, follow: bool, timeout: float, max_bytes: int
) -> HttpReply:
    handlers: list[urllib.request.BaseHandler] = [] if follow else [_NoRedirects()]
    opener = urllib.request.build_opener(*handlers)
    where = urlsplit(request.full_url).netloc
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            status, content_type, url = (
                response.status,
                response.headers.get("Content-Type", ""),
                response.url,
            )
    except urllib.error.HTTPError as error:
        body = error.read(max_bytes + 1) if error.fp else b""
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
