"""Malformed and hostile punch-out input (cXML and OCI) is refused with a clear error and
nothing half-read; large carts are read whole; nothing is ever fetched from the network.

libxml2 opens its own sockets, which pytest-socket cannot see, so the network tests run a real
listener on 127.0.0.1 and assert that it was never connected to. (The libxml2 that lxml bundles
today, 2.14, is built without its HTTP client; these tests keep a build with one, or a system
libxml2, from ever fetching.)"""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest

from edi import cxml, oci, safexml, schemas
from tests.conftest import SampleLoader

MALFORMED = Path(__file__).resolve().parent.parent / "fixtures" / "rekvi_punchout"
POOM = "cxml/PunchOutOrderMessage_friendsofcxml.xml"
SETUP_RESPONSE = "cxml/PunchOutSetupResponse_purchasingplatform.xml"
FORM = "application/x-www-form-urlencoded"
SAMPLE_DOCTYPE = b'<!DOCTYPE cXML SYSTEM "http://xml.cXML.org/schemas/cXML/1.2.050/cXML.dtd">'


def malformed(name: str) -> bytes:
    return (MALFORMED / name).read_bytes()


class LoopbackListener:
    """A TCP listener on 127.0.0.1 (a free port) that records every connection it accepts."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.05)
        self.port: int = self._socket.getsockname()[1]
        self.accepted: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, address = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(address)
            connection.close()

    def connections(self) -> list[tuple[str, int]]:
        """Every connection accepted so far, after giving a late one time to arrive."""
        self._stop.wait(0.3)
        return list(self.accepted)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    running = LoopbackListener()
    yield running
    running.close()


def with_doctype(document: bytes, doctype: bytes) -> bytes:
    assert SAMPLE_DOCTYPE in document
    return document.replace(SAMPLE_DOCTYPE, doctype, 1)


# --- the listener itself ----------------------------------------------------------------------


def test_the_loopback_listener_sees_a_connection(listener: LoopbackListener) -> None:
    # the control: without it, "no connection" below could mean a deaf listener
    with socket.create_connection(("127.0.0.1", listener.port), timeout=2):
        pass
    assert len(listener.connections()) == 1


# --- malformed cXML ---------------------------------------------------------------------------


def test_a_truncated_cart_is_refused() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(malformed("poom_truncated.xml"))
    assert caught.value.reason.startswith("not accepted as XML: not well-formed XML: ")
    assert caught.value.line == 48


def test_a_cart_declared_utf8_in_latin1_bytes_is_refused() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(malformed("poom_latin1_declared_utf8.xml"))
    assert "Invalid bytes in character encoding" in caught.value.reason
    assert caught.value.line == 40
    assert isinstance(caught.value.__cause__, safexml.XmlRejectedError)


def test_a_billion_laughs_cart_is_refused() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(malformed("poom_billion_laughs.xml"))
    assert caught.value.reason.startswith("not accepted as XML: ")
    assert "lol" * 100 not in str(caught.value)


def test_a_billion_laughs_cart_in_a_form_is_refused() -> None:
    encoded = base64.b64encode(malformed("poom_billion_laughs.xml")).decode("ascii")
    with pytest.raises(cxml.CxmlFormatError, match="not accepted as XML"):
        cxml.punchout_order_message_from_form({"cxml-base64": encoded})


def test_an_external_entity_to_a_local_file_is_refused_unread(
    tmp_path: Path, sample: SampleLoader
) -> None:
    # given a secret on disk and a cart that asks for it
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-read-me", encoding="utf-8")
    raw = with_doctype(
        sample(POOM),
        f'<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode(),
    ).replace(b"<BuyerCookie>1CX3L4843PPZO</BuyerCookie>", b"<BuyerCookie>&xxe;</BuyerCookie>")
    # when / then: refused, whether posted as text or as base64
    for attempt in (
        lambda: cxml.punchout_order_message_parse(raw),
        lambda: cxml.punchout_order_message_from_form({"cXML-urlencoded": raw.decode()}),
        lambda: cxml.punchout_order_message_from_form(
            {"cxml-base64": base64.b64encode(raw).decode()}
        ),
    ):
        with pytest.raises(cxml.CxmlFormatError) as caught:
            attempt()
        assert caught.value.reason == (
            "not accepted as XML: the document declares entities (xxe); documents with entity "
            "declarations are refused"
        )
        assert "do-not-read-me" not in str(caught.value)


def test_garbage_base64_in_the_cxml_field_is_refused() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_from_form({"cXML-base64": "PD94bWwg%%%garbage***"})
    assert str(caught.value) == (
        "cXML-base64: the value is not valid base64 (Only base64 data is allowed)"
    )


def test_base64_of_something_that_is_not_xml_is_refused() -> None:
    garbage = base64.b64encode(bytes(range(256))).decode("ascii")
    with pytest.raises(cxml.CxmlFormatError, match="not accepted as XML"):
        cxml.punchout_order_message_from_form({"cxml-base64": garbage})


# --- the network --------------------------------------------------------------------------------


def test_a_doctype_and_an_external_entity_on_loopback_are_never_fetched(
    listener: LoopbackListener, sample: SampleLoader
) -> None:
    # given a cart whose DOCTYPE and an entity both point at the listener
    raw = with_doctype(
        sample(POOM),
        f'<!DOCTYPE cXML SYSTEM "{listener.url}/cXML.dtd" '
        f'[<!ENTITY xxe SYSTEM "{listener.url}/xxe">]>'.encode(),
    ).replace(b"<BuyerCookie>1CX3L4843PPZO</BuyerCookie>", b"<BuyerCookie>&xxe;</BuyerCookie>")
    # when
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(raw)
    # then
    assert "declares entities (xxe)" in caught.value.reason
    assert listener.connections() == []


def test_an_undeclared_entity_with_a_loopback_dtd_is_refused_unfetched(
    listener: LoopbackListener, sample: SampleLoader
) -> None:
    raw = with_doctype(
        sample(POOM), f'<!DOCTYPE cXML SYSTEM "{listener.url}/cXML.dtd">'.encode()
    ).replace(b"<BuyerCookie>1CX3L4843PPZO</BuyerCookie>", b"<BuyerCookie>&leak;</BuyerCookie>")
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(raw)
    assert "undeclared entity" in caught.value.reason
    assert listener.connections() == []


def test_a_parameter_entity_on_loopback_is_never_fetched(
    listener: LoopbackListener, sample: SampleLoader
) -> None:
    raw = with_doctype(
        sample(POOM),
        f'<!DOCTYPE cXML [<!ENTITY % remote SYSTEM "{listener.url}/p.dtd"> %remote;]>'.encode(),
    )
    with pytest.raises(cxml.CxmlFormatError, match="not accepted as XML"):
        cxml.punchout_order_message_parse(raw)
    assert listener.connections() == []


def test_a_loopback_doctype_alone_is_read_and_validated_without_a_fetch(
    listener: LoopbackListener, sample: SampleLoader
) -> None:
    # given valid documents whose DOCTYPE points at the listener
    cart = with_doctype(sample(POOM), f'<!DOCTYPE cXML SYSTEM "{listener.url}/d">'.encode())
    response = sample(SETUP_RESPONSE).replace(
        b"http://xml.cxml.org/schemas/cXML/1.2.011/cXML.dtd", f"{listener.url}/d".encode()
    )
    # when
    message = cxml.punchout_order_message_parse(cart)
    start = cxml.punchout_setup_response_parse(response)
    problems = schemas.validate_cxml(safexml.parse(cart).root)
    # then
    assert (message.total, len(message.items)) == (Decimal("763.20"), 2)
    assert start.start_url == "https://url.to/cXML/punchOutSetupStartPage"
    assert problems == []
    assert listener.connections() == []


def test_an_oci_xml_cart_with_loopback_entities_is_refused_unfetched(
    listener: LoopbackListener,
) -> None:
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE BusinessDocument SYSTEM "{listener.url}/esapo.dtd" '
        f'[<!ENTITY xxe SYSTEM "{listener.url}/xxe">]>\n'
        "<BusinessDocument><Catalog><Product><Description>&xxe;</Description>"
        "</Product></Catalog></BusinessDocument>"
    ).encode()
    form = [("~xmlDocument", base64.b64encode(document).decode()), ("~xml_type", "ESAPO")]
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse(form)
    assert caught.value.field == "~xmlDocument"
    assert "declares entities (xxe)" in caught.value.reason
    assert listener.connections() == []


# --- malformed OCI ------------------------------------------------------------------------------


def test_oci_bytes_invalid_in_the_declared_charset_are_refused() -> None:
    body = malformed("oci_body_latin1.txt").strip()
    with pytest.raises(oci.OciFormatError) as caught:
        oci.form_fields_decode(body, f"{FORM}; charset=utf-8")
    assert caught.value.field == "NEW_ITEM-DESCRIPTION[1]"
    assert caught.value.reason == "the value is not valid utf-8 (byte 0xe5 at position 11)"


def test_oci_bytes_invalid_in_us_ascii_are_refused() -> None:
    with pytest.raises(oci.OciFormatError, match="is not valid ascii"):
        oci.form_fields_decode(b"NEW_ITEM-DESCRIPTION%5B1%5D=bl%C3%A5", f"{FORM}; charset=us-ascii")


def test_garbage_base64_in_the_oci_xml_field_is_refused() -> None:
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse([("~xmlDocument", "PD94bWwg%%%garbage***"), ("~xml_type", "ESAPO")])
    assert str(caught.value) == (
        "~xmlDocument: the value is not valid base64 (Only base64 data is allowed)"
    )


def test_a_truncated_oci_xml_cart_is_refused() -> None:
    document = (MALFORMED / "oci_esapo_cart.xml").read_bytes()
    truncated = document[: len(document) // 2]
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse([("~xmlDocument", base64.b64encode(truncated).decode())])
    assert caught.value.reason.startswith("not accepted as XML: not well-formed XML: ")


def test_a_form_with_too_many_fields_is_refused() -> None:
    body = b"&".join([b"a=1"] * (oci.MAX_FORM_FIELDS + 1))
    with pytest.raises(oci.OciFormatError, match="more than 250000 fields"):
        oci.form_fields_decode(body, FORM)


# --- large carts are read whole ---------------------------------------------------------------


def test_a_cart_of_5000_items_is_read_whole(sample: SampleLoader) -> None:
    # given the sample cart with 5,000 lines
    document = sample(POOM)
    start = document.index(b"<ItemIn ")
    end = document.rindex(b"</ItemIn>") + len(b"</ItemIn>")
    template = document[start : document.index(b"</ItemIn>") + len(b"</ItemIn>")]
    lines = b"\n".join(
        template.replace(b"<SupplierPartID>5555<", b"<SupplierPartID>P-%05d<" % n).replace(
            b'quantity="3"', b'quantity="%d"' % n
        )
        for n in range(1, 5001)
    )
    raw = document[:start] + lines + document[end:]
    assert len(raw) > 2_000_000
    # when
    message = cxml.punchout_order_message_parse(raw)
    # then
    assert len(message.items) == 5000
    last = message.items[-1]
    assert (last.supplier_part_id, last.quantity, last.unit_price) == (
        "P-05000",
        Decimal(5000),
        Decimal("763.20"),
    )
    assert message.items[0].supplier_part_id == "P-00001"


def test_an_oci_cart_of_5000_items_is_read_whole() -> None:
    # given the body a browser posts for 5,000 lines
    fields: list[tuple[str, str]] = []
    for n in range(1, 5001):
        fields += [
            (f"NEW_ITEM-DESCRIPTION[{n}]", f"Vare {n} – blå"),
            (f"NEW_ITEM-QUANTITY[{n}]", "1"),
            (f"NEW_ITEM-UNIT[{n}]", "EA"),
            (f"NEW_ITEM-PRICE[{n}]", f"{n}.25"),
            (f"NEW_ITEM-PRICEUNIT[{n}]", "1"),
            (f"NEW_ITEM-CURRENCY[{n}]", "DKK"),
            (f"NEW_ITEM-LONGTEXT_{n}:132[]", f"Lang tekst {n}"),
        ]
    body = urlencode(fields, encoding="utf-8").encode("ascii")
    # when
    cart = oci.cart_parse(oci.form_fields_decode(body, FORM))
    # then
    assert len(cart.items) == 5000
    assert cart.problems == ()
    last = cart.items[-1]
    assert (last.index, last.description, last.unit_price, last.longtext) == (
        5000,
        "Vare 5000 – blå",
        Decimal("5000.25"),
        "Lang tekst 5000",
    )


def test_an_oci_cart_beyond_the_item_limit_is_refused() -> None:
    fields = [(f"NEW_ITEM-DESCRIPTION[{n}]", "x") for n in range(1, oci.MAX_ITEMS + 2)]
    with pytest.raises(oci.OciFormatError, match="more than 10000 items"):
        oci.cart_parse(fields)
