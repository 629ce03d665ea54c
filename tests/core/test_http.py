"""Outbound HTTP: what Rekvi calls, what it reads back, and the two kinds of failure."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from core.http import RemoteRejected, RemoteUnavailable, http_get, http_post


class _Supplier(BaseHTTPRequestHandler):
    """A supplier's server on this machine: answers by path."""

    def do_GET(self) -> None:
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://files.example/secret")
            self.end_headers()
            return
        if self.path == "/to-start":
            self.send_response(302)
            self.send_header("Location", "/start")
            self.end_headers()
            return
        status = {"/start": 200, "/gone": 410, "/broken": 503}.get(self.path, 404)
        body = b"<html>start</html>" if status == 200 else b"no"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) * (2 if self.path == "/echo-twice" else 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def supplier_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Supplier)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_answer_is_read_and_redirects_to_http_are_followed(
    supplier_server: str, settings: Any
) -> None:
    settings.OUTBOUND_HTTP_LOCAL = True
    reply = http_post(url=f"{supplier_server}/echo", body=b"<x/>", content_type="text/xml")
    assert (reply.status, reply.body, reply.content_type) == (200, b"<x/>", "text/xml")
    page = http_get(url=f"{supplier_server}/to-start")
    assert (page.status, page.body, page.url) == (
        200,
        b"<html>start</html>",
        f"{supplier_server}/start",
    )


def test_failures_are_either_retry_later_or_stop(supplier_server: str, settings: Any) -> None:
    settings.OUTBOUND_HTTP_LOCAL = True
    with pytest.raises(RemoteRejected) as gone:
        http_get(url=f"{supplier_server}/gone")
    assert (gone.value.status, str(gone.value)) == (410, f"{supplier_server[7:]} answered 410")
    with pytest.raises(RemoteUnavailable) as broken:
        http_get(url=f"{supplier_server}/broken")
    assert broken.value.status == 503
    with pytest.raises(RemoteRejected) as big:
        http_post(
            url=f"{supplier_server}/echo-twice",
            body=b"x" * 600,
            content_type="text/plain",
            max_bytes=1000,
        )
    assert str(big.value) == f"{supplier_server[7:]} answered more than 1000 bytes"


def test_a_redirect_to_another_scheme_is_not_followed(supplier_server: str, settings: Any) -> None:
    settings.OUTBOUND_HTTP_LOCAL = True
    with pytest.raises(RemoteRejected) as caught:
        http_get(url=f"{supplier_server}/to-ftp")
    assert str(caught.value) == "'files.example': only https addresses are called"


def test_real_mode_calls_only_https_and_public_addresses(
    supplier_server: str, settings: Any
) -> None:
    settings.OUTBOUND_HTTP_LOCAL = False
    with pytest.raises(RemoteRejected) as plain:
        http_post(url=f"{supplier_server}/echo", body=b"", content_type="text/xml")
    assert str(plain.value) == f"'{supplier_server[7:]}': only https addresses are called"
    for inside in ("https://127.0.0.1:8443/setup", "https://10.1.2.3/setup", "https://[::1]/x"):
        with pytest.raises(RemoteRejected) as caught:
            http_post(url=inside, body=b"", content_type="text/xml")
        assert str(caught.value).endswith("is not a public address")


def test_a_password_in_an_address_never_reaches_the_message(settings: Any) -> None:
    settings.OUTBOUND_HTTP_LOCAL = True
    with pytest.raises(RemoteUnavailable) as caught:
        http_get(url="http://fjordby:hemmelig@127.0.0.1:9/start", timeout=2)
    assert "hemmelig" not in str(caught.value)
    assert str(caught.value).startswith("127.0.0.1:9 did not answer")
