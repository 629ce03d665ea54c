"""The demo supplier's OCI punch-out: the outbound call in, and the NEW_ITEM fields the return
page posts back to the HOOK_URL, with its fault modes."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from django.test import Client

from tests.demo_supplier.conftest import (
    HOOK_URL,
    OCI_PASSWORD,
    OCI_USER,
    oci_entry_path,
    return_form,
    shop_base,
    shop_post,
    text_of,
)

ECHO = [("~OkCode", "ADDI"), ("~TARGET", "_top"), ("~CALLER", "CTLG")]


def _enter(
    client: Client, supplier: str = "kontorhuset", query: str = "", **parameters: str
) -> str:
    response = client.get(oci_entry_path(supplier, query, **parameters))
    assert response.status_code == 302, response.content
    location: str = response["Location"]
    return location


def _add(client: Client, base: str, sku: str, quantity: str) -> None:
    response = shop_post(client, f"{base}cart/add/", {"sku": sku, "quantity": quantity})
    assert response.status_code == 302, response.content


def _fields(client: Client, base: str) -> list[tuple[str, str]]:
    return return_form(shop_post(client, f"{base}return/", {})).fields


def _item(n: int, **values: str) -> list[tuple[str, str]]:
    names = [
        "DESCRIPTION",
        "MATNR",
        "QUANTITY",
        "UNIT",
        "PRICE",
        "PRICEUNIT",
        "CURRENCY",
        "LEADTIME",
        "VENDOR",
        "VENDORMAT",
        "MANUFACTCODE",
        "MANUFACTMAT",
        "MATGROUP",
        "EXT_PRODUCT_ID",
    ]
    fields = [(f"NEW_ITEM-{name}[{n}]", values[name]) for name in names if name in values]
    return fields + [
        (f"NEW_ITEM-LONGTEXT_{n}:132[]", part) for part in values["LONGTEXT"].split("|")
    ]


STAPLER = {
    "DESCRIPTION": "Hæftemaskine, 20 ark",
    "MATNR": "",
    "QUANTITY": "2",
    "UNIT": "EA",
    "PRICE": "69.00",
    "PRICEUNIT": "1",
    "CURRENCY": "DKK",
    "LEADTIME": "1",
    "VENDOR": "29900019",
    "VENDORMAT": "KH-1008",
    "MANUFACTCODE": "KLIPSO",
    "MANUFACTMAT": "KL-HM20",
    "MATGROUP": "44121600",
    "EXT_PRODUCT_ID": "KH-1008",
    "LONGTEXT": "Hæftemaskine til 20 ark, bruger hæfteklammer 24/6 og 26/6.",
}
CLIPS = {
    "DESCRIPTION": "Papirclips 28 mm, forzinkede",
    "MATNR": "",
    "QUANTITY": "300",
    "UNIT": "EA",
    "PRICE": "4.90",
    "PRICEUNIT": "100",
    "CURRENCY": "DKK",
    "LEADTIME": "1",
    "VENDOR": "29900019",
    "VENDORMAT": "KH-1011",
    "MANUFACTCODE": "KLIPSO",
    "MANUFACTMAT": "KL-PC28",
    "MATGROUP": "44122100",
    "EXT_PRODUCT_ID": "KH-1011",
    "LONGTEXT": "Forzinkede papirclips, 28 mm. Prisen er pr. 100 stk.; bestil i hele stk.",
}
TONER_SET = {
    "DESCRIPTION": "Tonersæt farve (cyan, magenta, gul)",
    "MATNR": "",
    "QUANTITY": "1",
    "UNIT": "SET",
    "PRICE": "1199.00",
    "PRICEUNIT": "1",
    "CURRENCY": "DKK",
    "LEADTIME": "5",
    "VENDOR": "29900019",
    "VENDORMAT": "KH-4005",
    "MANUFACTCODE": "TONERIX",
    "MANUFACTMAT": "TX-2500-CMY",
    "MATGROUP": "44103100",
    "EXT_PRODUCT_ID": "KH-4005",
    # the long text in values of at most 132 characters
    "LONGTEXT": "Sæt med tre originale farvetonere (cyan, magenta og gul) til kontorets "
    "multifunktionsprinter. Ca. 2.500 sider pr. farve ved 5 % dækn|ing. Tomme patroner "
    "tages retur uden beregning.",
}


# --- the outbound call ---------------------------------------------------------------------------


def test_oci_entry_sends_the_person_to_the_shop(client: Client) -> None:
    location = _enter(client)
    assert re.fullmatch(r"/demo-supplier/kontorhuset/shop/[\w.:-]+/", location)
    page = client.get(location)
    assert page.status_code == 200
    assert "Kontorhuset Danmark A/S" in text_of(page)
    assert "Kuglepen blå, medium, 10 stk. Varenr. KH-1001 32,50 kr. pr. pakke På lager" in (
        text_of(page)
    )


def test_oci_entry_takes_a_form_post_with_the_fault_on_the_url(client: Client) -> None:
    body = {
        "HOOK_URL": HOOK_URL,
        "USERNAME": OCI_USER,
        "PASSWORD": OCI_PASSWORD,
        "~OkCode": "ADDI",
        "~TARGET": "_top",
        "~CALLER": "CTLG",
    }
    response = client.post("/demo-supplier/kontorhuset/oci/?fault=expired-session", body)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 410


def test_oci_entry_reads_the_parameter_name_variants(client: Client) -> None:
    query = urlencode(
        {
            "hook_url": HOOK_URL,
            "user": OCI_USER,
            "pass": OCI_PASSWORD,
            "okcode": "ADDI",
            "returntarget": "rekvi_frame",
        }
    )
    response = client.get(f"/demo-supplier/kontorhuset/oci/?{query}")
    assert response.status_code == 302
    form = return_form(client.get(f"{shop_base(response['Location'])}cancel/"))
    assert (form.action, form.target) == (HOOK_URL, "rekvi_frame")
    assert form.fields == [("~OkCode", "ADDI"), ("~TARGET", "rekvi_frame")]


def test_wrong_password_is_a_danish_401_page_and_not_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.get(oci_entry_path(PASSWORD="wrong-password-123"))
    assert response.status_code == 401
    assert "Log-in mislykkedes Brugernavn eller adgangskode er forkert (USERNAME og PASSWORD)." in (
        text_of(response)
    )
    assert "wrong-password-123" not in caplog.text
    assert OCI_PASSWORD not in caplog.text


def test_unknown_user_is_a_401_page(client: Client) -> None:
    assert client.get(oci_entry_path(USERNAME="someone")).status_code == 401


@pytest.mark.parametrize("hook_url", ["", "javascript:alert(1)", "/relative/"])
def test_a_missing_or_unusable_hook_url_is_a_400_page(client: Client, hook_url: str) -> None:
    response = client.get(oci_entry_path(HOOK_URL=hook_url))
    assert response.status_code == 400
    assert "HOOK_URL mangler" in text_of(response)


def test_unknown_fault_mode_is_a_400_page(client: Client) -> None:
    response = client.get(oci_entry_path(query="?fault=everything"))
    assert response.status_code == 400
    assert "Ukendt fejltilstand unknown fault mode 'everything'" in text_of(response)


def test_function_detail_starts_at_the_product_page(client: Client) -> None:
    location = _enter(client, FUNCTION="DETAIL", PRODUCTID="KH-1005")
    assert location.endswith("/product/KH-1005/")
    assert "Kontorsaks med blød grebsdel" in text_of(client.get(location))


def test_function_validate_starts_with_the_product_in_the_cart(client: Client) -> None:
    location = _enter(client, FUNCTION="VALIDATE", PRODUCTID="KH-1008", QUANTITY="2")
    assert location.endswith("/cart/")
    assert _fields(client, shop_base(location)) == ECHO + _item(1, **STAPLER)


def test_an_unsupported_function_is_a_400_page(client: Client) -> None:
    response = client.get(oci_entry_path(FUNCTION="BACKGROUND_SEARCH"))
    assert response.status_code == 400
    assert "FUNCTION=BACKGROUND_SEARCH understøttes ikke" in text_of(response)


# --- the returned cart ---------------------------------------------------------------------------


def test_returned_cart_has_the_exact_new_item_fields(client: Client) -> None:
    # given
    base = shop_base(_enter(client))
    _add(client, base, "KH-1008", "2")
    _add(client, base, "KH-1011", "300")
    _add(client, base, "KH-4005", "1")
    # when
    form = return_form(shop_post(client, f"{base}return/", {}))
    # then
    assert (form.action, form.method, form.target, form.accept_charset) == (
        HOOK_URL,
        "post",
        "_top",
        "ISO-8859-1",
    )
    assert form.fields == (ECHO + _item(1, **STAPLER) + _item(2, **CLIPS) + _item(3, **TONER_SET))
    # the page posts itself by a script file (no inline script), to the buyer's origin only
    assert form.scripts == ["src=/static/demo_supplier/return.js"]
    assert form.form_action == "'self' https://rekvi.fjordby.example"


def test_returned_cart_survives_iso_8859_1_as_the_form_posts_it(client: Client) -> None:
    # given a cart whose texts have Danish letters ("Æske", "Hæftemaskine")
    base = shop_base(_enter(client))
    _add(client, base, "KH-1008", "1")
    _add(client, base, "KH-1009", "1")
    fields = _fields(client, base)
    # when the browser encodes the form in its accept-charset
    body = urlencode(fields, encoding="iso-8859-1")
    # then every character is ISO-8859-1, and reads back exactly
    assert "NEW_ITEM-DESCRIPTION%5B1%5D=H%E6ftemaskine%2C+20+ark" in body
    assert (
        "NEW_ITEM-LONGTEXT_2%3A132%5B%5D=Galvaniserede+h%E6fteklammer+24%2F6.+%C6ske+med+1.000+stk."
        in body
    )
    assert parse_qsl(body, keep_blank_values=True, encoding="iso-8859-1") == fields


def test_every_kontorhuset_text_is_iso_8859_1(client: Client) -> None:
    base = shop_base(_enter(client))
    from demo_supplier.catalogue import KONTORHUSET, product_list

    for product in product_list(supplier=KONTORHUSET):
        _add(client, base, product.sku, "1")
    fields = _fields(client, base)
    assert len([name for name, _value in fields if name.startswith("NEW_ITEM-DESCRIPTION")]) == 26
    for _name, value in fields:
        value.encode("iso-8859-1")


def test_the_oci_form_of_a_utf_8_supplier_says_utf_8(client: Client) -> None:
    base = shop_base(_enter(client, supplier="nordlys-it"))
    _add(client, base, "NI-KB", "1")
    form = return_form(shop_post(client, f"{base}return/", {}))
    assert form.accept_charset == "UTF-8"
    assert ("NEW_ITEM-DESCRIPTION[1]", "Tastatur, dansk layout, trådløst") in form.fields
    assert ("NEW_ITEM-VENDOR[1]", "29900078") in form.fields


def test_cancel_returns_no_items(client: Client) -> None:
    base = shop_base(_enter(client))
    _add(client, base, "KH-1008", "1")
    form = return_form(client.get(f"{base}cancel/"))
    assert form.fields == ECHO


# --- fault modes ---------------------------------------------------------------------------------


def test_fault_malformed_cart_writes_prices_that_are_not_numbers(client: Client) -> None:
    base = shop_base(_enter(client, query="?fault=malformed-cart"))
    _add(client, base, "KH-1008", "2")
    _add(client, base, "KH-1011", "300")
    fields = _fields(client, base)
    assert [value for name, value in fields if name.startswith("NEW_ITEM-PRICE[")] == [
        "69,00 kr.",
        "4,90 kr.",
    ]
    assert fields == ECHO + _item(1, **{**STAPLER, "PRICE": "69,00 kr."}) + _item(
        2, **{**CLIPS, "PRICE": "4,90 kr."}
    )


def test_fault_wrong_unit_writes_stk(client: Client) -> None:
    base = shop_base(_enter(client, query="?fault=wrong-unit"))
    _add(client, base, "KH-1008", "2")
    _add(client, base, "KH-4005", "1")
    fields = _fields(client, base)
    assert [value for name, value in fields if name.startswith("NEW_ITEM-UNIT[")] == [
        "STK",
        "STK",
    ]


def test_fault_missing_priceunit_leaves_out_every_priceunit(client: Client) -> None:
    base = shop_base(_enter(client, query="?fault=missing-priceunit"))
    _add(client, base, "KH-1008", "2")
    _add(client, base, "KH-1011", "300")
    fields = _fields(client, base)
    without = {key: value for key, value in CLIPS.items() if key != "PRICEUNIT"}
    stapler = {key: value for key, value in STAPLER.items() if key != "PRICEUNIT"}
    assert fields == ECHO + _item(1, **stapler) + _item(2, **without)
    assert [name for name, _value in fields if "PRICEUNIT" in name] == []


def test_fault_expired_session_answers_410(client: Client) -> None:
    page = client.get(_enter(client, query="?fault=expired-session"))
    assert page.status_code == 410
    assert "Sessionen er udløbet Din indkøbssession hos Kontorhuset Danmark A/S er udløbet" in (
        text_of(page)
    )
