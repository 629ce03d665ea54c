"""The demo supplier's cXML punch-out: the setup request in, the start page, and the
PunchOutOrderMessage the return page posts back, with its fault modes."""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from edi import safexml, schemas
from tests.demo_supplier.conftest import (
    BROWSER_FORM_POST,
    BUYER_COOKIE,
    IDENTITY,
    SECRET,
    ItemOut,
    post_setup,
    return_form,
    setup_request,
    shop_base,
    shop_post,
    start_path,
    text_of,
)


def _start(client: Client, *, supplier: str = "nordlys-it", query: str = "", **request: Any) -> str:
    response = post_setup(client, setup_request(**request), supplier=supplier, query=query)
    assert response.status_code == 200, response.content
    return start_path(response)


def _add(client: Client, base: str, sku: str, quantity: str) -> None:
    response = shop_post(client, f"{base}cart/add/", {"sku": sku, "quantity": quantity})
    assert response.status_code == 302, response.content
    assert response["Location"] == f"{base}cart/?besked=tilfoejet"


def _returned(client: Client, base: str) -> tuple[str, safexml.Element]:
    """The cXML document the return page posts, as text, and parsed."""
    form = return_form(shop_post(client, f"{base}return/", {}))
    text = form.value("cxml-urlencoded")
    return text, safexml.parse(text.encode("utf-8")).root


def _attribute(element: safexml.Element, path: str, name: str) -> str | None:
    found = element.find(path)
    assert found is not None, path
    return found.get(name)


def _items(root: safexml.Element) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for item in root.iterfind("Message/PunchOutOrderMessage/ItemIn"):
        detail = item.find("ItemDetail")
        assert detail is not None
        basis = detail.find("PriceBasisQuantity")
        description = detail.find("Description")
        assert description is not None
        items.append(
            {
                "quantity": item.get("quantity"),
                "lineNumber": item.get("lineNumber"),
                "sku": item.findtext("ItemID/SupplierPartID"),
                "aux": item.findtext("ItemID/SupplierPartAuxiliaryID"),
                "price": detail.findtext("UnitPrice/Money"),
                "currency": _attribute(detail, "UnitPrice/Money", "currency"),
                "lang": description.get("{http://www.w3.org/XML/1998/namespace}lang"),
                "name": description.findtext("ShortName"),
                "unit": detail.findtext("UnitOfMeasure"),
                "basis": None
                if basis is None
                else (
                    basis.get("quantity"),
                    basis.get("conversionFactor"),
                    basis.findtext("UnitOfMeasure"),
                ),
                "unspsc": detail.findtext("Classification[@domain='UNSPSC']"),
                "manufacturer_part": detail.findtext("ManufacturerPartID"),
                "manufacturer": detail.findtext("ManufacturerName"),
                "lead_time": detail.findtext("LeadTime"),
            }
        )
    return items


def _aux(number: int, sku: str) -> re.Pattern[str]:
    return re.compile(rf"DS-[0-9a-f]{{8}} & linje {number}  <{re.escape(sku)}>")


# --- the setup request -------------------------------------------------------------------------


def test_setup_request_answers_a_valid_setup_response_with_a_reachable_start_page(
    client: Client,
) -> None:
    # when
    response = post_setup(client, setup_request())
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.071/cXML.dtd">\n'
    )
    root = safexml.parse(response.content).root
    assert schemas.validate_cxml(root) == []
    status = root.find("Response/Status")
    assert status is not None
    assert (status.get("code"), status.get("text")) == ("200", "OK")
    path = start_path(response)
    assert re.fullmatch(r"/demo-supplier/nordlys-it/shop/[\w.:-]+/", path)
    page = client.get(path)
    assert page.status_code == 200
    text = text_of(page)
    assert "Nordlys IT A/S" in text
    assert 'Bærbar computer 14", 16 GB RAM, 512 GB SSD' in text
    assert "6.495,00 kr. pr. stk." in text


def test_wrong_shared_secret_is_a_401_status_and_the_secret_is_not_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    # when
    with caplog.at_level(logging.DEBUG):
        response = post_setup(client, setup_request(secret="not-the-secret"))
        good = post_setup(client, setup_request())
    # then
    assert response.status_code == 401
    root = safexml.parse(response.content).root
    assert schemas.cxml_dtd("cXML.dtd").validate(root)
    status = root.find("Response/Status")
    assert status is not None
    assert (status.get("code"), status.get("text")) == ("401", "Unauthorized")
    assert status.text == "unknown sender identity or wrong shared secret"
    assert root.find("Response/PunchOutSetupResponse") is None
    assert good.status_code == 200
    assert "not-the-secret" not in caplog.text
    assert SECRET not in caplog.text
    assert IDENTITY in caplog.text


def test_unknown_sender_identity_is_a_401_status(client: Client) -> None:
    response = post_setup(client, setup_request(identity="SOMEONE-ELSE"))
    assert response.status_code == 401
    status = safexml.parse(response.content).root.find("Response/Status")
    assert status is not None
    assert status.get("code") == "401"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<cXML><Header>", "not well-formed XML: "),
        (b"", "the document is empty"),
        (
            b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<cXML>&x;</cXML>",
            "the document declares entities (x); documents with entity declarations are refused",
        ),
        (b"<Invoice/>", "the document is not cXML (its root is 'Invoice')"),
    ],
)
def test_malformed_setup_request_is_a_400_status_with_the_reason(
    client: Client, body: bytes, reason: str
) -> None:
    response = post_setup(client, body)
    assert response.status_code == 400
    root = safexml.parse(response.content).root
    assert schemas.cxml_dtd("cXML.dtd").validate(root)
    status = root.find("Response/Status")
    assert status is not None
    assert (status.get("code"), status.get("text")) == ("400", "Bad Request")
    assert (status.text or "").startswith(reason)


def test_setup_request_without_browser_form_post_is_a_400_status(client: Client) -> None:
    body = setup_request().replace(
        f"<BrowserFormPost><URL>{BROWSER_FORM_POST}</URL></BrowserFormPost>".encode(), b""
    )
    response = post_setup(client, body)
    status = safexml.parse(response.content).root.find("Response/Status")
    assert status is not None
    assert (response.status_code, status.text) == (
        400,
        "PunchOutSetupRequest/BrowserFormPost/URL is missing",
    )


def test_a_return_url_that_is_not_http_is_refused(client: Client) -> None:
    response = post_setup(client, setup_request(url="javascript:alert(1)"))
    status = safexml.parse(response.content).root.find("Response/Status")
    assert status is not None
    assert (response.status_code, status.text) == (
        400,
        "BrowserFormPost/URL must be an http(s) URL",
    )


def test_setup_endpoint_takes_only_post(client: Client) -> None:
    assert client.get("/demo-supplier/nordlys-it/cxml/setup").status_code == 405


def test_unknown_supplier_is_not_found(client: Client) -> None:
    assert post_setup(client, setup_request(), supplier="nobody").status_code == 404


def test_selected_item_starts_at_its_product_page(client: Client) -> None:
    path = _start(client, selected_item="NI-DOCK")
    assert path.endswith("/product/NI-DOCK/")
    assert "Dockingstation USB-C" in text_of(client.get(path))


# --- the returned cart -------------------------------------------------------------------------


def test_returned_cart_is_a_valid_order_message_with_the_exact_items_and_total(
    client: Client,
) -> None:
    # given a session with a laptop, cable ties priced per 100, and a dock whose web-shop
    # price differs from the agreement price
    base = shop_base(_start(client))
    _add(client, base, "NI-LAP14", "2")
    _add(client, base, "NI-TIE", "250")
    _add(client, base, "NI-DOCK", "1")
    _add(client, base, "NI-LAP14", "1")  # joins the first line
    # when
    form = return_form(shop_post(client, f"{base}return/", {}))
    # then the form posts one field to the BrowserFormPost URL, by itself or by its button
    assert (form.action, form.method, form.target, form.accept_charset) == (
        BROWSER_FORM_POST,
        "post",
        None,
        "UTF-8",
    )
    assert [name for name, _value in form.fields] == ["cxml-urlencoded"]
    # the page posts itself by a script file (no inline script), to the buyer's origin only
    assert form.scripts == ["src=/static/demo_supplier/return.js"]
    assert form.form_action == "'self' https://rekvi.fjordby.example"
    root = safexml.parse(form.value("cxml-urlencoded").encode()).root
    assert schemas.validate_cxml(root) == []
    assert root.findtext("Header/From/Credential/Identity") == "NORDLYS-IT-29900078"
    assert root.findtext("Header/To/Credential/Identity") == IDENTITY
    assert _attribute(root, "Message", "deploymentMode") == "test"
    message = root.find("Message/PunchOutOrderMessage")
    assert message is not None
    assert message.findtext("BuyerCookie") == BUYER_COOKIE
    assert _attribute(message, "PunchOutOrderMessageHeader", "operationAllowed") == "edit"
    assert message.findtext("PunchOutOrderMessageHeader/Total/Money") == "20806.50"
    items = _items(root)
    for number, item in enumerate(items, start=1):
        assert _aux(number, str(item["sku"])).fullmatch(str(item.pop("aux")))
    assert items == [
        {
            "quantity": "3",
            "lineNumber": "1",
            "sku": "NI-LAP14",
            "price": "6495.00",
            "currency": "DKK",
            "lang": "da",
            "name": 'Bærbar computer 14", 16 GB RAM, 512 GB SSD',
            "unit": "EA",
            "basis": None,
            "unspsc": "43211503",
            "manufacturer_part": "NB-14-G5-16-512",
            "manufacturer": "Nordbook",
            "lead_time": "3",
        },
        {
            "quantity": "250",
            "lineNumber": "2",
            "sku": "NI-TIE",
            "price": "29.00",
            "currency": "DKK",
            "lang": "da",
            "name": "Kabelbindere 200 mm, sorte",
            "unit": "EA",
            "basis": ("100", "1", "EA"),
            "unspsc": "39121700",
            "manufacturer_part": "KB-KB200-S",
            "manufacturer": "Kabelhuset",
            "lead_time": "1",
        },
        {
            "quantity": "1",
            "lineNumber": "3",
            "sku": "NI-DOCK",
            "price": "1249.00",
            "currency": "DKK",
            "lang": "da",
            "name": "Dockingstation USB-C",
            "unit": "EA",
            "basis": None,
            "unspsc": "43211603",
            "manufacturer_part": "PF-DOCK-C100",
            "manufacturer": "Perifer",
            "lead_time": "2",
        },
    ]
    assert Decimal("20806.50") == 3 * Decimal("6495.00") + Decimal("72.50") + Decimal("1249.00")


def test_the_description_is_the_long_text_with_the_name_as_short_name(client: Client) -> None:
    base = shop_base(_start(client))
    _add(client, base, "NI-MOUSE", "1")
    _text, root = _returned(client, base)
    description = root.find("Message/PunchOutOrderMessage/ItemIn/ItemDetail/Description")
    assert description is not None
    assert description.text == "Trådløs ergonomisk mus med USB-modtager og Bluetooth."
    assert description.findtext("ShortName") == "Trådløs mus, ergonomisk"


def test_cancel_returns_an_empty_cart_with_status_204_and_total_zero(client: Client) -> None:
    base = shop_base(_start(client))
    _add(client, base, "NI-LAP14", "1")
    # when
    form = return_form(client.get(f"{base}cancel/"))
    # then
    root = safexml.parse(form.value("cxml-urlencoded").encode()).root
    assert schemas.validate_cxml(root) == []
    assert root.findtext("Message/PunchOutOrderMessage/BuyerCookie") == BUYER_COOKIE
    status = root.find("Message/Status")
    assert status is not None
    assert (status.get("code"), status.get("text")) == ("204", "No Content")
    assert (
        root.findtext("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money")
        == "0.00"
    )
    assert root.findall("Message/PunchOutOrderMessage/ItemIn") == []


def test_an_empty_cart_can_be_transferred(client: Client) -> None:
    base = shop_base(_start(client))
    _text, root = _returned(client, base)
    assert schemas.validate_cxml(root) == []
    assert root.findall("Message/PunchOutOrderMessage/ItemIn") == []
    assert root.find("Message/Status") is None  # sent, not cancelled


def test_a_supplier_without_edit_allows_only_create(client: Client) -> None:
    base = shop_base(_start(client, supplier="kontorhuset"))
    _add(client, base, "KH-1011", "300")
    _text, root = _returned(client, base)
    header = root.find("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader")
    assert header is not None
    assert header.get("operationAllowed") == "create"
    assert header.findtext("Total/Money") == "14.70"


def test_return_page_escapes_what_the_buyer_sent(client: Client) -> None:
    # given a buyer cookie and a return URL that try to break out of the page
    cookie = '"><script>alert(1)</script>'
    url = 'https://rekvi.fjordby.example/return/?a="><script>alert(2)</script>&b=1'
    base = shop_base(_start(client, buyer_cookie=cookie, url=url))
    # when
    response = shop_post(client, f"{base}return/", {})
    # then nothing the buyer sent becomes markup, and the form still carries it exactly
    body = response.content.decode()
    assert "<script>alert" not in body
    form = return_form(response)
    assert form.action == url
    root = safexml.parse(form.value("cxml-urlencoded").encode()).root
    assert root.findtext("Message/PunchOutOrderMessage/BuyerCookie") == cookie


def test_the_cart_cookie_is_signed_and_scoped_to_the_demo_supplier(client: Client) -> None:
    base = shop_base(_start(client))
    _add(client, base, "NI-KB", "2")
    [name] = [name for name in client.cookies if name.startswith("demo_supplier_cart_")]
    cookie = client.cookies[name]
    assert cookie["path"] == "/demo-supplier/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # when the cookie is tampered with, the cart is the session's own start again (empty)
    client.cookies[name] = cookie.value.replace("NI-KB", "NI-LAP16")
    _text, root = _returned(client, base)
    assert root.findall("Message/PunchOutOrderMessage/ItemIn") == []


# --- edit and inspect ----------------------------------------------------------------------------

AUX = "  Rekvi linje 7 & <a href='x'>\t tabs & spaces  "


def test_edit_starts_with_the_lines_sent_and_echoes_the_auxiliary_id_byte_for_byte(
    client: Client,
) -> None:
    # given an edit of a cart with our laptop, an item the shop no longer sells, and cable ties
    path = _start(
        client,
        operation="edit",
        items=(
            ItemOut("NI-LAP14", "3", AUX),
            ItemOut("NI-GONE", "1", "x"),
            ItemOut("NI-TIE", "150.0"),
        ),
    )
    # then the session starts in the cart, with the lines it knows
    assert path.endswith("/cart/")
    text = text_of(client.get(path))
    assert "Disse varer fra din kurv findes ikke længere i butikken og er fjernet: NI-GONE" in text
    assert 'Bærbar computer 14", 16 GB RAM, 512 GB SSD' in text
    # when the person adds an item and returns the cart
    base = shop_base(path)
    _add(client, base, "NI-MOUSE", "1")
    raw, root = _returned(client, base)
    # then
    assert schemas.validate_cxml(root) == []
    items = _items(root)
    assert [(item["sku"], item["quantity"]) for item in items] == [
        ("NI-LAP14", "3"),
        ("NI-TIE", "150"),
        ("NI-MOUSE", "1"),
    ]
    assert items[0]["aux"] == AUX
    assert (
        "<SupplierPartAuxiliaryID>  Rekvi linje 7 &amp; &lt;a href='x'&gt;\t tabs &amp; spaces  <"
        in raw
    )
    assert _aux(2, "NI-TIE").fullmatch(str(items[1]["aux"]))
    assert _aux(3, "NI-MOUSE").fullmatch(str(items[2]["aux"]))


def test_edit_keeps_the_auxiliary_id_when_the_quantity_changes(client: Client) -> None:
    base = shop_base(_start(client, operation="edit", items=(ItemOut("NI-LAP14", "3", AUX),)))
    response = shop_post(client, f"{base}cart/update/", {"position": "0", "quantity": "5"})
    assert response.status_code == 302
    _raw, root = _returned(client, base)
    [item] = _items(root)
    assert (item["quantity"], item["aux"]) == ("5", AUX)


def test_inspect_shows_the_cart_read_only_and_returns_it_unchanged(client: Client) -> None:
    # given an inspect of two lines
    path = _start(
        client,
        operation="inspect",
        items=(ItemOut("NI-LAP14", "2", AUX), ItemOut("NI-DEP", "2", "dep & 2")),
    )
    page = client.get(path)
    text = text_of(page)
    assert "Kurven vises kun (inspect) og kan ikke ændres. Den sendes uændret tilbage." in text
    assert "Ret antal" not in text
    assert "Fjern" not in text
    assert "Gå tilbage til dit indkøbssystem" in text
    base = shop_base(path)
    # when the person tries to change it anyway
    added = shop_post(client, f"{base}cart/add/", {"sku": "NI-MOUSE", "quantity": "1"})
    changed = shop_post(client, f"{base}cart/update/", {"position": "0", "remove": "1"})
    # then
    assert (added.status_code, changed.status_code) == (400, 400)
    assert "Kurven kan kun ses, ikke ændres." in text_of(added)
    _raw, root = _returned(client, base)
    assert [(item["sku"], item["quantity"], item["aux"]) for item in _items(root)] == [
        ("NI-LAP14", "2", AUX),
        ("NI-DEP", "2", "dep & 2"),
    ]


# --- fault modes ---------------------------------------------------------------------------------


def test_fault_malformed_cart_cuts_the_document_off(client: Client) -> None:
    base = shop_base(_start(client, query="?fault=malformed-cart"))
    _add(client, base, "NI-LAP14", "1")
    form = return_form(shop_post(client, f"{base}return/", {}))
    text = form.value("cxml-urlencoded")
    # then the document ends just before </PunchOutOrderMessage>
    with pytest.raises(safexml.XmlRejectedError):
        safexml.parse(text.encode())
    whole = text + "</PunchOutOrderMessage>\n  </Message>\n</cXML>\n"
    assert schemas.validate_cxml(safexml.parse(whole.encode()).root) == []


def test_fault_wrong_unit_writes_stk(client: Client) -> None:
    base = shop_base(_start(client, query="?fault=wrong-unit"))
    _add(client, base, "NI-LAP14", "1")
    _add(client, base, "NI-TIE", "100")
    _raw, root = _returned(client, base)
    assert schemas.validate_cxml(root) == []
    assert [element.text for element in root.iter("UnitOfMeasure")] == ["STK", "STK", "STK"]


def test_fault_missing_priceunit_leaves_out_the_price_basis(client: Client) -> None:
    base = shop_base(_start(client, query="?fault=missing-priceunit"))
    _add(client, base, "NI-TIE", "250")
    _raw, root = _returned(client, base)
    assert schemas.validate_cxml(root) == []
    [item] = _items(root)
    assert (item["price"], item["unit"], item["basis"]) == ("29.00", "EA", None)
    assert (
        root.findtext("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money")
        == "72.50"
    )


def test_fault_expired_session_answers_410_on_the_start_page(client: Client) -> None:
    path = _start(client, query="?fault=expired-session")
    page = client.get(path)
    assert page.status_code == 410
    assert "Sessionen er udløbet" in text_of(page)


def test_unknown_fault_mode_is_a_400_status(client: Client) -> None:
    response = post_setup(client, setup_request(), query="?fault=nope")
    status = safexml.parse(response.content).root.find("Response/Status")
    assert status is not None
    assert response.status_code == 400
    assert status.text == (
        "unknown fault mode 'nope' (known: malformed-cart, wrong-unit, missing-priceunit, "
        "expired-session)"
    )


def test_edit_echoes_an_empty_auxiliary_id_as_empty(client: Client) -> None:
    base = shop_base(_start(client, operation="edit", items=(ItemOut("NI-KB", "1", ""),)))
    raw, root = _returned(client, base)
    [item] = _items(root)
    assert item["aux"] == ""
    assert "<SupplierPartAuxiliaryID></SupplierPartAuxiliaryID>" in raw


def test_the_source_operation_is_not_acceptable(client: Client) -> None:
    response = post_setup(client, setup_request(operation="source"))
    status = safexml.parse(response.content).root.find("Response/Status")
    assert status is not None
    assert (response.status_code, status.get("code"), status.text) == (
        406,
        "406",
        "PunchOutSetupRequest@operation 'source' is not create, edit or inspect",
    )
