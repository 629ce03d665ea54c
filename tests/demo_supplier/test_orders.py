"""The demo supplier's order endpoint: a cXML OrderRequest in, recorded in the cache, listed."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

import pytest
from django.test import Client

from demo_supplier.catalogue import KONTORHUSET, NORDLYS
from demo_supplier.orders import ORDERS_KEPT, order_list, order_list_clear
from edi import safexml, schemas
from tests.conftest import SampleLoader
from tests.demo_supplier.conftest import IDENTITY, SECRET, Response, text_of

ORDER_URL = "/demo-supplier/nordlys-it/cxml/order"


@pytest.fixture(autouse=True)
def _no_orders() -> Iterator[None]:
    for supplier in (NORDLYS, KONTORHUSET):
        order_list_clear(supplier=supplier)
    yield
    for supplier in (NORDLYS, KONTORHUSET):
        order_list_clear(supplier=supplier)


def _order(
    sample: SampleLoader, *, secret: str = SECRET, payload_id: str = "", order_id: str = ""
) -> bytes:
    """The public OrderRequest sample, sent by Fjordby (its credentials put in)."""
    raw = sample("cxml/OrderRequest_friendsofcxml.xml")
    sender = b"<Identity>inbound@prominate-platform.com</Identity>\n" + b" " * 16
    raw = raw.replace(
        sender + b"<SharedSecret>coyote",
        f"<Identity>{IDENTITY}</Identity><SharedSecret>{escape(secret)}".encode(),
    )
    if payload_id:
        raw = raw.replace(
            b'payloadID="1625586002.193314.7293@dev"', f'payloadID="{payload_id}"'.encode()
        )
    if order_id:
        raw = raw.replace(b'orderID="DO1234"', f'orderID="{order_id}"'.encode())
    return raw


def _status(response: Response) -> tuple[str | None, str | None, str | None]:
    root = safexml.parse(response.content).root
    assert schemas.cxml_dtd("cXML.dtd").validate(root)
    status = root.find("Response/Status")
    assert status is not None
    return status.get("code"), status.get("text"), status.text


def test_an_order_request_is_recorded_and_answered_200(
    client: Client, sample: SampleLoader
) -> None:
    # when
    response = client.post(ORDER_URL, _order(sample), content_type="text/xml")
    # then
    assert response.status_code == 200
    assert _status(response) == ("200", "OK", None)
    [order] = order_list(supplier=NORDLYS)
    assert (order.order_id, str(order.total), order.currency, order.line_count, order.buyer) == (
        "DO1234",
        "85.00",
        "EUR",
        2,
        IDENTITY,
    )
    assert order.payload_id == "1625586002.193314.7293@dev"
    assert order.times_received == 1
    assert order_list(supplier=KONTORHUSET) == []


def test_the_order_list_shows_the_newest_first(client: Client, sample: SampleLoader) -> None:
    for number in (1, 2):
        client.post(
            ORDER_URL,
            _order(sample, payload_id=f"p{number}@rekvi", order_id=f"FK-2026-00010{number}"),
            content_type="text/xml",
        )
    page = client.get("/demo-supplier/nordlys-it/orders/")
    text = text_of(page)
    assert page.status_code == 200
    assert text.index("FK-2026-000102") < text.index("FK-2026-000101")
    assert "85,00 EUR FJORDBY-29900124 Ja 1" in text


def test_a_resent_order_is_counted_not_added(client: Client, sample: SampleLoader) -> None:
    client.post(ORDER_URL, _order(sample), content_type="text/xml")
    again = client.post(ORDER_URL, _order(sample), content_type="text/xml")
    assert again.status_code == 200
    [order] = order_list(supplier=NORDLYS)
    assert order.times_received == 2


def test_the_list_keeps_the_newest_orders_only(client: Client, sample: SampleLoader) -> None:
    for number in range(ORDERS_KEPT + 2):
        client.post(
            ORDER_URL,
            _order(sample, payload_id=f"p{number}", order_id=f"O{number}"),
            content_type="text/xml",
        )
    orders = order_list(supplier=NORDLYS)
    assert len(orders) == ORDERS_KEPT
    assert (orders[0].order_id, orders[-1].order_id) == (f"O{ORDERS_KEPT + 1}", "O2")


def test_what_cxml_dtd_finds_is_recorded(client: Client, sample: SampleLoader) -> None:
    raw = _order(sample).replace(b' type="new"', b' type="brand-new"')
    assert client.post(ORDER_URL, raw, content_type="text/xml").status_code == 200
    [order] = order_list(supplier=NORDLYS)
    assert len(order.problems) == 1
    assert "type" in order.problems[0]
    assert "brand-new" in order.problems[0]


def test_wrong_credentials_are_a_401_status_and_nothing_is_recorded(
    client: Client, sample: SampleLoader
) -> None:
    response = client.post(ORDER_URL, _order(sample, secret="nope"), content_type="text/xml")
    assert response.status_code == 401
    assert _status(response) == (
        "401",
        "Unauthorized",
        "unknown sender identity or wrong shared secret",
    )
    assert order_list(supplier=NORDLYS) == []


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ((b"</cXML>", b""), "not well-formed XML: "),
        ((b'orderID="DO1234"', b'orderID=""'), "OrderRequestHeader@orderID is missing"),
        ((b">85.00<", b">85,00<"), "OrderRequestHeader/Total/Money: '85,00' is not a number"),
        ((b"<OrderRequest>", b"<OrderRequestX>"), "cXML/Request/OrderRequest is missing"),
    ],
)
def test_a_malformed_order_is_a_400_status_with_the_reason(
    client: Client, sample: SampleLoader, edit: tuple[bytes, bytes], reason: str
) -> None:
    raw = _order(sample).replace(*edit)
    if edit[0] == b"<OrderRequest>":
        raw = raw.replace(b"</OrderRequest>", b"</OrderRequestX>")
    response = client.post(ORDER_URL, raw, content_type="text/xml")
    assert response.status_code == 400
    code, text, detail = _status(response)
    assert (code, text) == ("400", "Bad Request")
    assert (detail or "").startswith(reason)
    assert order_list(supplier=NORDLYS) == []


def test_the_order_endpoint_takes_only_post(client: Client) -> None:
    assert client.get(ORDER_URL).status_code == 405
