"""cXML punch-out, buyer side: the setup request Rekvi writes is valid cXML 1.2.071, and the
supplier's answers (setup response, status, the returned cart) are read exactly."""

from __future__ import annotations

import base64
import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from edi import cxml, safexml, schemas
from tests.conftest import SampleLoader

MALFORMED = Path(__file__).resolve().parent.parent / "fixtures" / "rekvi_punchout"
EXTERNAL_CORPUS = os.environ.get("REKVI_SAMPLE_CORPUS", "")
CET = timezone(timedelta(hours=1))
SECRET = "s3cr3t-Ærø&<>"

POOM = "cxml/PunchOutOrderMessage_friendsofcxml.xml"
POOM_UNSPSC = "cxml/PunchOutOrderMessage_UNSPSC_purchasingplatform.xml"
POOM_PRICE_BASIS = "cxml/PunchOutOrderMessage_PriceBasisQuantity_friendsofcxml.xml"
SETUP_RESPONSE = "cxml/PunchOutSetupResponse_purchasingplatform.xml"
SETUP_REQUEST = "cxml/PunchOutSetupRequest_friendsofcxml.xml"


def malformed(name: str) -> bytes:
    return (MALFORMED / name).read_bytes()


def request_arguments(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "operation": "create",
        "payload_id": "20261126100000.42@rekvi.testby.dk",
        "timestamp": datetime(2026, 11, 26, 10, 0, 0, tzinfo=CET),
        "from_credential": cxml.Credential("NetworkID", "testby-kommune"),
        "to_credential": cxml.Credential("DUNS", "65652314"),
        "sender_credential": cxml.Credential("NetworkID", "testby-kommune"),
        "shared_secret": SECRET,
        "buyer_cookie": "b7f3c2a1d4e5",
        "browser_form_post_url": "https://rekvi.testby.dk/punchout/return/tok-123",
        "extrinsics": {"UserEmail": "anne@testby.dk", "CostCenter": "4711"},
        "contact": cxml.Contact("Anne Andersen", "anne@testby.dk"),
        "ship_to": cxml.ShipTo(
            address_id="0101",
            name="Solsikken",
            street="Solsikkevej 1",
            city="Testby",
            postal_code="8000",
        ),
    }
    arguments.update(overrides)
    return arguments


def cart_line(**overrides: Any) -> cxml.ItemOut:
    values: dict[str, Any] = {
        "supplier_part_id": "KP-100",
        "supplier_part_auxiliary_id": " sess-9 \t line 1 ",
        "quantity": Decimal("12"),
        "unit_price": Decimal("4.5000"),
        "currency": "DKK",
        "description": "Kuglepen, blå, 10 stk.",
        "unit_of_measure": "PK",
        "classifications": {"UNSPSC": "44121704"},
        "line_number": 1,
    }
    values.update(overrides)
    return cxml.ItemOut(**values)


def text(root: safexml.Element, path: str) -> str:
    found = root.find(path)
    assert found is not None, f"{path} is missing"
    return "".join(found.itertext())


# --- the setup request ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "extra"),
    [
        ("create", {"selected_item": "4545321"}),
        ("create", {}),
        ("edit", {"items": [cart_line(), cart_line(supplier_part_id="KP-200", line_number=2)]}),
        ("inspect", {"items": [cart_line(supplier_part_auxiliary_id=None)]}),
    ],
)
def test_every_setup_request_variant_is_valid_cxml(operation: str, extra: dict[str, Any]) -> None:
    # when
    document = cxml.punchout_setup_request(**request_arguments(operation=operation, **extra))
    # then
    parsed = safexml.parse(document)
    assert schemas.validate_cxml(parsed.root) == []
    assert parsed.doctype_system_url == "http://xml.cxml.org/schemas/cXML/1.2.071/cXML.dtd"
    assert parsed.root.find("Request/PunchOutSetupRequest").get("operation") == operation  # type: ignore[union-attr]


def test_a_create_request_carries_everything_the_supplier_needs() -> None:
    # when
    document = cxml.punchout_setup_request(**request_arguments(selected_item="4545321"))
    # then
    assert document.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.071/cXML.dtd">\n'
    )
    root = safexml.parse(document).root
    assert root.get("payloadID") == "20261126100000.42@rekvi.testby.dk"
    assert root.get("timestamp") == "2026-11-26T10:00:00+01:00"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "da-DK"
    assert root.find("Header/From/Credential").get("domain") == "NetworkID"  # type: ignore[union-attr]
    assert text(root, "Header/From/Credential/Identity") == "testby-kommune"
    assert text(root, "Header/To/Credential/Identity") == "65652314"
    assert text(root, "Header/Sender/UserAgent") == "Rekvi"
    setup = root.find("Request/PunchOutSetupRequest")
    assert setup is not None
    assert text(setup, "BuyerCookie") == "b7f3c2a1d4e5"
    assert [(e.get("name"), e.text) for e in setup.findall("Extrinsic")] == [
        ("UserEmail", "anne@testby.dk"),
        ("CostCenter", "4711"),
    ]
    assert text(setup, "BrowserFormPost/URL") == "https://rekvi.testby.dk/punchout/return/tok-123"
    assert text(setup, "Contact/Name") == "Anne Andersen"
    assert text(setup, "Contact/Email") == "anne@testby.dk"
    address = setup.find("ShipTo/Address")
    assert address is not None
    assert address.get("addressID") == "0101"
    assert text(address, "Name") == "Solsikken"
    assert text(address, "PostalAddress/Street") == "Solsikkevej 1"
    assert text(address, "PostalAddress/City") == "Testby"
    assert text(address, "PostalAddress/PostalCode") == "8000"
    assert address.find("PostalAddress/Country").get("isoCountryCode") == "DK"  # type: ignore[union-attr]
    assert text(setup, "SelectedItem/ItemID/SupplierPartID") == "4545321"
    assert setup.findall("ItemOut") == []


def test_the_shared_secret_is_written_only_in_the_sender_credential() -> None:
    # when
    document = cxml.punchout_setup_request(
        **request_arguments(operation="edit", items=[cart_line()])
    )
    # then
    root = safexml.parse(document).root
    secrets = root.findall(".//SharedSecret")
    assert len(secrets) == 1
    assert secrets[0].getparent().getparent().tag == "Sender"  # type: ignore[union-attr]
    assert secrets[0].text == SECRET
    assert document.count(b"s3cr3t") == 1


def test_an_edit_request_sends_the_returned_lines_back_exactly() -> None:
    # given a cart whose auxiliary IDs have spaces, a tab and a newline in them
    cart = cxml.punchout_order_message_parse(malformed("poom_aux_id_whitespace.xml"))
    # when
    document = cxml.punchout_setup_request(
        **request_arguments(
            operation="edit", items=[cxml.ItemOut.from_order_item(item) for item in cart.items]
        )
    )
    # then
    root = safexml.parse(document).root
    assert schemas.validate_cxml(root) == []
    lines = root.findall("Request/PunchOutSetupRequest/ItemOut")
    assert [text(line, "ItemID/SupplierPartAuxiliaryID") for line in lines] == [
        "  1407b4b6\t011c dee2 \n",
        "1407b4b6011cdee21b689d4cbe55c878",
        "1407b4b6011cdee21b689d4cbe55c878",
    ]
    assert [text(line, "ItemID/SupplierPartID") for line in lines] == [
        "T9TB402299",
        "T9TB402463",
        "T9TB1309598",
    ]
    assert [line.get("quantity") for line in lines] == ["1", "10", "1"]
    assert text(lines[1], "ItemDetail/UnitPrice/Money") == "153.85"
    assert lines[1].find("ItemDetail/UnitPrice/Money").get("currency") == "USD"  # type: ignore[union-attr]
    assert text(lines[2], "ItemDetail/Description") == (
        "Gas & Go Polyethylene 25-Gallon Fuel Cart Caddy - UN/DOT and Transport Canada "
        "Approved, GG-25PFC"
    )
    assert text(lines[2], "ItemDetail/UnitOfMeasure") == "EA"
    assert text(lines[2], "ItemDetail/Classification") == "24111802"
    # and read back, the identifiers are the ones received
    reread = ["".join(aux.itertext()) for aux in root.iter("SupplierPartAuxiliaryID")]
    assert reread == [item.supplier_part_auxiliary_id for item in cart.items]


def test_a_carriage_return_in_an_identifier_survives_the_round_trip() -> None:
    # when
    document = cxml.punchout_setup_request(
        **request_arguments(
            operation="inspect", items=[cart_line(supplier_part_auxiliary_id="a\r\nb")]
        )
    )
    # then
    assert b"a&#13;\nb" in document
    assert text(safexml.parse(document).root, ".//SupplierPartAuxiliaryID") == "a\r\nb"


def test_an_edit_request_keeps_the_price_basis_of_a_returned_line() -> None:
    # given
    cart = cxml.punchout_order_message_parse(
        (Path(__file__).parents[1] / "fixtures" / "public" / POOM_PRICE_BASIS).read_bytes()
    )
    # when
    document = cxml.punchout_setup_request(
        **request_arguments(operation="edit", items=[cxml.ItemOut.from_order_item(cart.items[0])])
    )
    # then
    root = safexml.parse(document).root
    assert schemas.validate_cxml(root) == []
    basis = root.find(".//ItemOut/ItemDetail/PriceBasisQuantity")
    assert basis is not None
    assert (basis.get("quantity"), basis.get("conversionFactor")) == ("2", "0.5")
    assert text(basis, "UnitOfMeasure") == "BOX"
    assert text(root, ".//ItemOut/ItemDetail/UnitPrice/Money") == "104.99"
    assert text(root, ".//ItemOut/ItemDetail/Description/ShortName") == "Excelsior Desk Chair"


def test_the_same_arguments_give_the_same_bytes() -> None:
    first = cxml.punchout_setup_request(**request_arguments(operation="edit", items=[cart_line()]))
    second = cxml.punchout_setup_request(**request_arguments(operation="edit", items=[cart_line()]))
    assert first == second


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timestamp": datetime(2026, 11, 26, 10, 0)}, "the timestamp must carry its time zone"),  # noqa: DTZ001
        ({"operation": "source"}, "'source' is not a valid Operation"),
        ({"items": [cart_line()]}, "a create request carries no ItemOut lines"),
        ({"operation": "edit"}, "an edit request must carry the cart's lines"),
        (
            {"operation": "inspect", "items": [cart_line()], "selected_item": "1"},
            "only a create request may name a selected item",
        ),
        ({"buyer_cookie": " "}, "the buyer cookie must not be empty"),
        (
            {"operation": "edit", "items": [cart_line(quantity=Decimal(0))]},
            "the quantity of 'KP-100' must be more than 0",
        ),
        ({"buyer_cookie": "a\x00b"}, "holds a character XML 1.0 cannot carry"),
    ],
)
def test_a_request_that_would_be_wrong_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cxml.punchout_setup_request(**request_arguments(**overrides))


# --- the setup response and statuses ---------------------------------------------------------


def test_the_setup_response_gives_the_start_page(sample: SampleLoader) -> None:
    response = cxml.punchout_setup_response_parse(sample(SETUP_RESPONSE))
    assert response == cxml.SetupResponse(
        start_url="https://url.to/cXML/punchOutSetupStartPage",
        status=cxml.Status(code=200, text="success"),
        payload_id="sample_payload_id",
    )


@pytest.mark.parametrize(
    ("name", "code", "text", "detail", "retryable"),
    [
        ("setup_response_401.xml", 401, "Unauthorized", "Invalid shared secret", False),
        ("setup_response_503.xml", 503, "Service Unavailable", "Try again in 5 minutes", True),
    ],
)
def test_an_error_status_raises_with_its_code_and_text(
    name: str, code: int, text: str, detail: str, retryable: bool
) -> None:
    with pytest.raises(cxml.CxmlStatusError) as caught:
        cxml.punchout_setup_response_parse(malformed(name))
    assert (caught.value.code, caught.value.text, caught.value.detail) == (code, text, detail)
    assert caught.value.retryable is retryable
    assert str(caught.value) == f"the supplier answered cXML status {code} {text}: {detail}"


def test_a_no_content_setup_response_is_not_a_start_page() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_setup_response_parse(malformed("setup_response_204.xml"))
    assert str(caught.value) == (
        "cXML/Response: the status is 204 No Content but PunchOutSetupResponse is missing (line 4)"
    )


def test_statuses_are_read_from_responses_and_messages(sample: SampleLoader) -> None:
    assert cxml.status_parse(sample(SETUP_RESPONSE)) == cxml.Status(200, "success")
    assert cxml.status_parse(malformed("setup_response_204.xml")).is_success is True
    unauthorised = cxml.status_parse(malformed("setup_response_401.xml"))
    assert unauthorised == cxml.Status(401, "Unauthorized", "Invalid shared secret")
    assert unauthorised.is_success is False
    # a Message without Status is 200 OK, as the DTD says
    assert cxml.status_parse(sample(POOM)) == cxml.Status(200, "OK")
    with pytest.raises(cxml.CxmlFormatError, match="a Request carries no Status"):
        cxml.status_parse(sample(SETUP_REQUEST))


@pytest.mark.parametrize(
    ("code", "text", "success"),
    [
        (200, "OK", True),
        (201, "Accepted", True),
        (204, "No Content", True),
        (400, "Bad Request", False),
        (403, "Forbidden", False),
        (500, "Internal Server Error", False),
    ],
)
def test_a_status_code_is_success_only_when_2xx(code: int, text: str, success: bool) -> None:
    raw = malformed("setup_response_401.xml").replace(
        b'<Status code="401" text="Unauthorized">Invalid shared secret</Status>',
        f'<Status code="{code}" text="{text}"/>'.encode(),
    )
    status = cxml.status_parse(raw)
    assert (status.code, status.text, status.detail, status.is_success) == (code, text, "", success)
    if success:
        status.raise_for_error()
    else:
        with pytest.raises(cxml.CxmlStatusError) as caught:
            status.raise_for_error()
        assert (caught.value.code, caught.value.retryable) == (code, code >= 500)


# --- the returned cart ----------------------------------------------------------------------


def test_the_friendsofcxml_cart_is_read_exactly(sample: SampleLoader) -> None:
    message = cxml.punchout_order_message_parse(sample(POOM))
    assert message.buyer_cookie == "1CX3L4843PPZO"
    assert message.operation_allowed is cxml.Operation.CREATE
    assert (message.total, message.currency) == (Decimal("763.20"), "USD")
    assert message.payload_id == "933695160894"
    assert message.from_credentials == (cxml.Credential("DUNS", "83528721"),)
    assert message.to_credentials == (cxml.Credential("DUNS", "65652314"),)
    assert len(message.items) == 2
    first, second = message.items
    assert first.supplier_part_id == "5555"
    assert first.supplier_part_auxiliary_id is None
    assert first.buyer_part_id == "KD5555"
    assert first.quantity == Decimal("3")
    assert first.price == first.unit_price == Decimal("763.20")
    assert first.currency == "USD"
    assert (first.description, first.short_name) == ("", "Excelsior Desk Chair")
    assert (first.unit_of_measure, first.unit) == ("EA", "EA")
    assert dict(first.classifications) == {"UNSPSC": "ean1234"}
    assert (first.lead_time, first.line_number, dict(first.extrinsics)) == (None, None, {})
    assert (first.manufacturer_part_id, first.manufacturer_name) == (None, None)
    assert first.line == 30
    assert (second.supplier_part_id, second.quantity, second.short_name) == (
        "666",
        Decimal("5"),
        "22Excelsior Desk Chair",
    )


def test_the_purchasingplatform_cart_with_unspsc_is_read_exactly(sample: SampleLoader) -> None:
    message = cxml.punchout_order_message_parse(sample(POOM_UNSPSC))
    assert message.buyer_cookie == "1407b4b6011cdee21b689d4cbe55c878"
    assert message.operation_allowed is cxml.Operation.EDIT
    assert (message.total, message.currency) == (Decimal("1919.05"), "USD")
    assert message.from_credentials == (cxml.Credential("NetworkID_from", "001472216_from"),)
    assert [
        (item.supplier_part_id, item.quantity, item.unit_price, item.classifications["UNSPSC"])
        for item in message.items
    ] == [
        ("T9TB402299", Decimal("1"), Decimal("90.86"), "31161500"),
        ("T9TB402463", Decimal("10"), Decimal("153.85"), "31161500"),
        ("T9TB1309598", Decimal("1"), Decimal("289.69"), "24111802"),
    ]
    first = message.items[0]
    assert first.supplier_part_auxiliary_id == "1407b4b6011cdee21b689d4cbe55c878"
    assert first.description == (
        "#8 x 1-1/4 Bugle Square Drive Course Thread Type 17 Point Deck Screw 18-8 Stainless "
        "Steel,1500 pcs"
    )
    assert (first.short_name, first.unit_of_measure, first.unit) == ("", "EA", "EA")
    assert message.items[2].description.startswith("Gas & Go Polyethylene 25-Gallon")


def test_a_price_basis_gives_the_price_of_one_ordered_unit(sample: SampleLoader) -> None:
    message = cxml.punchout_order_message_parse(sample(POOM_PRICE_BASIS))
    assert (message.total, message.currency, message.buyer_cookie) == (
        Decimal("104.99"),
        "USD",
        "1CX3L4843PPZO",
    )
    [item] = message.items
    assert (item.supplier_part_id, item.quantity, item.unit_of_measure) == (
        "5555",
        Decimal("2"),
        "EA",
    )
    # 104.99 USD for 2 BOX, and 1 EA is 0.5 BOX: 104.99 * 0.5 / 2 per EA
    assert item.price == Decimal("104.99")
    assert item.price_basis_quantity == Decimal("2")
    assert item.price_basis_conversion_factor == Decimal("0.5")
    assert item.price_basis_unit_of_measure == "BOX"
    assert item.unit_price == Decimal("26.2475")


def test_a_price_that_does_not_divide_evenly_is_rounded_to_ten_places(
    sample: SampleLoader,
) -> None:
    raw = sample(POOM_PRICE_BASIS).replace(
        b'quantity="2" conversionFactor', b'quantity="3" conversionFactor'
    )
    [item] = cxml.punchout_order_message_parse(raw).items
    assert item.unit_price == Decimal("17.4983333333")


def test_no_number_is_a_float(sample: SampleLoader) -> None:
    for name in (POOM, POOM_UNSPSC, POOM_PRICE_BASIS):
        message = cxml.punchout_order_message_parse(sample(name))
        assert isinstance(message.total, Decimal)
        for item in message.items:
            assert all(isinstance(n, Decimal) for n in (item.quantity, item.price, item.unit_price))


def test_item_details_beyond_the_samples_are_read(sample: SampleLoader) -> None:
    # given a copy of a sample with the optional parts a cart may carry
    raw = (
        sample(POOM)
        .replace(
            b'<Classification domain="UNSPSC">ean1234</Classification>\n'
            b"                </ItemDetail>",
            b'<Classification domain="UNSPSC">ean1234</Classification>\n'
            b'<Classification domain="eClass">24-30-01-01</Classification>\n'
            b"<ManufacturerPartID>MX-1</ManufacturerPartID><ManufacturerName>Excelsior</ManufacturerName>"
            b'<LeadTime>5</LeadTime><Extrinsic name="color">red</Extrinsic></ItemDetail>'
            b'<Extrinsic name="color">blue</Extrinsic><Extrinsic name="size">L</Extrinsic>',
            1,
        )
        .replace(b'<ItemIn quantity="3">', b'<ItemIn quantity="3" lineNumber="7">')
    )
    # when
    first = cxml.punchout_order_message_parse(raw).items[0]
    # then
    assert dict(first.classifications) == {"UNSPSC": "ean1234", "eClass": "24-30-01-01"}
    assert (first.manufacturer_part_id, first.manufacturer_name) == ("MX-1", "Excelsior")
    assert (first.lead_time, first.line_number) == (5, 7)
    assert dict(first.extrinsics) == {"color": "red", "size": "L"}


@pytest.mark.parametrize(
    "name",
    ["cxml-urlencoded", "cXML-urlencoded", "CXML-URLENCODED", "cxml_urlencoded", "cXML_urlencoded"],
)
def test_the_cart_is_read_from_any_spelling_of_the_urlencoded_field(
    name: str, sample: SampleLoader
) -> None:
    fields = {"HOOK": "x", name: sample(POOM).decode("utf-8")}
    message = cxml.punchout_order_message_from_form(fields)
    assert message == cxml.punchout_order_message_parse(sample(POOM))


@pytest.mark.parametrize("name", ["cxml-base64", "cXML-base64", "CXML_BASE64"])
def test_the_cart_is_read_from_base64_with_or_without_line_breaks(
    name: str, sample: SampleLoader
) -> None:
    encoded = base64.encodebytes(sample(POOM_UNSPSC)).decode("ascii")  # 76-character lines
    assert "\n" in encoded.strip()
    message = cxml.punchout_order_message_from_form({name: encoded})
    assert message.buyer_cookie == "1407b4b6011cdee21b689d4cbe55c878"
    assert len(message.items) == 3


def test_a_cart_encoded_twice_by_the_sender_is_read(sample: SampleLoader) -> None:
    twice = quote_plus(sample(POOM).decode("utf-8"))
    message = cxml.punchout_order_message_from_form({"cxml-urlencoded": twice})
    assert message.total == Decimal("763.20")


def test_a_cart_declared_in_latin1_is_encoded_back_in_latin1(sample: SampleLoader) -> None:
    document = (
        sample(POOM)
        .decode("utf-8")
        .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        .replace("Excelsior Desk Chair]]>", "Skrivebordsstol Ærø]]>", 1)
    )
    message = cxml.punchout_order_message_from_form({"cxml-urlencoded": document})
    assert message.items[0].short_name == "Skrivebordsstol Ærø"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"foo": "1", "bar": "2"},
            "the form has no cxml-urlencoded or cxml-base64 field (fields: bar, foo)",
        ),
        (
            {"cxml-urlencoded": "<a/>", "cxml-base64": "PGEvPg=="},
            "cxml-urlencoded: the form has both",
        ),
        (
            {"cxml-urlencoded": "<a/>", "cXML-urlencoded": "<b/>"},
            "cXML-urlencoded: the form has both",
        ),
        ({"cxml-urlencoded": "  "}, "cxml-urlencoded: the field is empty"),
        (
            {"cxml-base64": "PGEvPg"},
            "cxml-base64: the value is not valid base64 (Incorrect padding)",
        ),
    ],
)
def test_a_form_without_one_clear_cart_is_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_from_form(fields)
    assert str(caught.value).startswith(message)


# --- what is wrong, and where ----------------------------------------------------------------


def test_a_missing_total_is_named_with_its_path_and_line() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(malformed("poom_no_total.xml"))
    assert caught.value.reason == "Total is missing"
    assert caught.value.path == "cXML/Message/PunchOutOrderMessage/PunchOutOrderMessageHeader"
    assert caught.value.line == 25


def test_a_price_that_is_not_a_number_is_named_with_its_path_and_line() -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(malformed("poom_bad_money.xml"))
    assert str(caught.value) == (
        "cXML/Message/PunchOutOrderMessage/ItemIn[2]/ItemDetail/UnitPrice/Money: "
        "the price '12,5x' is not a number (line 53)"
    )


def test_a_document_that_is_not_a_cart_says_what_it_is(sample: SampleLoader) -> None:
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(sample(SETUP_RESPONSE))
    assert (
        caught.value.reason == "the document is a PunchOutSetupResponse, not a PunchOutOrderMessage"
    )


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (b"<BuyerCookie>1CX3L4843PPZO</BuyerCookie>", b"", "BuyerCookie is missing"),
        (
            b'operationAllowed="create"',
            b'operationAllowed="delete"',
            "operationAllowed 'delete' is not create, edit or inspect",
        ),
        (b'<ItemIn quantity="3">', b'<ItemIn quantity="0">', "the quantity 0 must be more than 0"),
        (
            b'<ItemIn quantity="3">',
            b'<ItemIn quantity="three">',
            "the quantity 'three' is not a number",
        ),
        (
            b'<Money currency="USD">763.20</Money>\n                    </UnitPrice>',
            b"</UnitPrice>",
            "Money is missing",
        ),
        (b"<UnitOfMeasure>EA</UnitOfMeasure>", b"", "UnitOfMeasure is missing"),
        (
            b"<SupplierPartID>5555</SupplierPartID>",
            b"<SupplierPartID><b>5555</b></SupplierPartID>",
            "holds a b element",
        ),
    ],
)
def test_a_cart_lacking_a_required_part_is_refused(
    old: bytes, new: bytes, reason: str, sample: SampleLoader
) -> None:
    raw = sample(POOM).replace(old, new, 1)
    assert raw != sample(POOM)
    with pytest.raises(cxml.CxmlFormatError) as caught:
        cxml.punchout_order_message_parse(raw)
    assert caught.value.reason.startswith(reason)
    assert caught.value.line is not None


def test_a_cart_with_an_error_status_raises_the_status(sample: SampleLoader) -> None:
    raw = sample(POOM).replace(
        b"<Message>", b'<Message><Status code="500" text="Internal Server Error"/>', 1
    )
    with pytest.raises(cxml.CxmlStatusError) as caught:
        cxml.punchout_order_message_parse(raw)
    assert (caught.value.code, caught.value.retryable) == (500, True)


def test_a_cart_keeps_its_status_and_a_204_says_the_person_cancelled(
    sample: SampleLoader,
) -> None:
    assert cxml.punchout_order_message_parse(sample(POOM)).status == cxml.Status(200, "OK")
    raw = sample(POOM).replace(b"<Message>", b'<Message><Status code="204" text="No Content"/>', 1)
    cancelled = cxml.punchout_order_message_parse(raw)
    assert (cancelled.status, len(cancelled.items)) == (cxml.Status(204, "No Content"), 2)


def test_text_instead_of_bytes_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="read from bytes"):
        cxml.punchout_order_message_parse("<cXML/>")  # type: ignore[arg-type]


def test_every_cart_in_an_external_corpus_is_read() -> None:
    if not EXTERNAL_CORPUS:
        pytest.skip("REKVI_SAMPLE_CORPUS is not set: only the project's own samples are read")
    carts = sorted((Path(EXTERNAL_CORPUS) / "cxml").glob("PunchOutOrderMessage*.xml"))
    assert carts
    for path in carts:
        message = cxml.punchout_order_message_parse(path.read_bytes())
        assert message.items, path.name
    for path in sorted((Path(EXTERNAL_CORPUS) / "cxml").glob("PunchOutSetupResponse*.xml")):
        assert cxml.punchout_setup_response_parse(path.read_bytes()).start_url
