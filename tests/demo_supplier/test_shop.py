"""The demo supplier's shop pages: search, product pages, the cart, pictures, and sessions
that are tampered with or too old."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from tests.demo_supplier.conftest import (
    oci_entry_path,
    post_setup,
    return_form,
    setup_request,
    shop_base,
    shop_post,
    start_path,
    text_of,
)


def _shop(client: Client, supplier: str = "nordlys-it") -> str:
    return shop_base(start_path(post_setup(client, setup_request(), supplier=supplier)))


def test_search_finds_by_name_item_number_and_manufacturer(client: Client) -> None:
    base = _shop(client)
    found = text_of(client.get(base, {"q": "SKÆRM højdejusterbar"}))
    assert "1 vare " in found
    assert 'Skærm 24", Full HD, højdejusterbar' in found
    assert 'Skærm 27", QHD, USB-C' not in found
    assert "6 varer" in text_of(client.get(base, {"q": "skærm"}))  # names and descriptions
    assert "1 vare " in text_of(client.get(base, {"q": "kabelhuset kabelbindere"}))
    assert "1 vare " in text_of(client.get(base, {"q": "ni-dock"}))
    assert "Ingen varer matcher søgningen." in text_of(client.get(base, {"q": "blyant"}))


def test_the_product_list_shows_price_unit_and_stock(client: Client) -> None:
    text = text_of(client.get(_shop(client, "kontorhuset")))
    assert "Papirclips 28 mm, forzinkede Varenr. KH-1011 4,90 kr. pr. 100 stk. På lager" in text
    assert "Skrivebordslampe LED, dæmpbar Varenr. KH-4001 349,00 kr. pr. stk. Ikke på lager – " in (
        text
    )
    assert "forventes om 10 dage" in text
    assert "Whiteboardtusch, 4 farver Varenr. KH-1003 36,00 kr. pr. pakke Få på lager" in text


def test_product_page_has_description_related_products_and_add_to_cart(client: Client) -> None:
    base = _shop(client)
    page = client.get(f"{base}product/NI-LAP14/")
    text = text_of(page)
    assert page.status_code == 200
    assert "TCO Certified og EPEAT Gold. 3 års garanti på stedet." in text
    assert "Producent Nordbook, varenr. NB-14-G5-16-512" in text
    assert "Leveringstid 3 hverdage" in text
    assert "Relaterede varer Dockingstation USB-C 1.249,00 kr. pr. stk." in text
    assert "Læg i kurv" in text
    assert client.get(f"{base}product/KH-1001/").status_code == 404  # another supplier's item


def test_cart_quantities_change_and_lines_go(client: Client) -> None:
    base = _shop(client, "kontorhuset")
    for sku in ("KH-1001", "KH-1002", "KH-1003"):
        shop_post(client, f"{base}cart/add/", {"sku": sku, "quantity": "1"})
    # when
    changed = shop_post(client, f"{base}cart/update/", {"position": "0", "quantity": "4"})
    removed = shop_post(client, f"{base}cart/update/", {"position": "1", "remove": "1"})
    # then
    assert changed["Location"] == f"{base}cart/?besked=opdateret"
    assert removed.status_code == 302
    text = text_of(client.get(f"{base}cart/?besked=opdateret"))
    assert "Kurven er opdateret." in text
    assert "Kuglepen blå, medium, 10 stk. Varenr. KH-1001 32,50 kr. pr. pakke" in text
    assert "130,00 kr." in text
    assert "Gule notesblokke" not in text
    assert "I alt ekskl. moms 166,00 kr." in text


def test_a_bad_quantity_is_refused_with_a_reason(client: Client) -> None:
    base = _shop(client)
    shop_post(client, f"{base}cart/add/", {"sku": "NI-KB", "quantity": "1"})
    for quantity, reason in [
        ("to", "Antallet »to« er ikke et tal."),
        ("0", "Antallet skal være mere end 0."),
        ("1,0001", "Antallet må højst have 3 decimaler."),
    ]:
        response = shop_post(client, f"{base}cart/update/", {"position": "0", "quantity": quantity})
        assert response.status_code == 400
        assert reason in text_of(response)
    missing = shop_post(client, f"{base}cart/update/", {"position": "7", "quantity": "1"})
    assert "Linjen findes ikke i kurven." in text_of(missing)


def test_the_shop_forms_need_a_csrf_token(client: Client) -> None:
    base = _shop(client)
    assert client.post(f"{base}cart/add/", {"sku": "NI-KB"}).status_code == 403
    assert client.post(f"{base}return/").status_code == 403


def test_a_tampered_token_is_a_410_page(client: Client) -> None:
    base = _shop(client)
    token = base.rstrip("/").rsplit("/", 1)[1]
    tampered = base.replace(token, token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"))
    page = client.get(tampered)
    assert page.status_code == 410
    assert "Sessionen er udløbet" in text_of(page)
    assert client.get(f"{tampered}cart/").status_code == 410
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_token_of_another_supplier_is_a_410_page(client: Client) -> None:
    base = _shop(client, "nordlys-it")
    assert client.get(base.replace("/nordlys-it/", "/kontorhuset/")).status_code == 410


def test_a_session_lasts_demo_supplier_session_minutes(client: Client, settings: Any) -> None:
    settings.DEMO_SUPPLIER_SESSION_MINUTES = 5
    base = _shop(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=4), tick=False):
        assert client.get(base).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.get(base).status_code == 410


def test_oci_sessions_expire_too(client: Client) -> None:
    location = client.get(oci_entry_path())["Location"]
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert client.get(location).status_code == 410


def test_after_the_return_the_cart_cookie_is_gone(client: Client) -> None:
    base = _shop(client)
    shop_post(client, f"{base}cart/add/", {"sku": "NI-KB", "quantity": "1"})
    return_form(shop_post(client, f"{base}return/", {}))
    assert "Kurven er tom." in text_of(client.get(f"{base}cart/"))


def test_a_picture_is_a_generated_svg_with_initials(client: Client) -> None:
    response = client.get("/demo-supplier/img/NI-LAP14.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"')
    assert 'aria-label="Bærbar computer 14&quot;, 16 GB RAM, 512 GB SSD"' in body
    assert ">BC</text></svg>" in body
    assert "http" not in body.replace("http://www.w3.org/2000/svg", "")
    assert client.get("/demo-supplier/img/NOPE.svg").status_code == 404


def test_the_front_page_lists_the_entry_urls_without_secrets(client: Client) -> None:
    text = text_of(client.get("/demo-supplier/"))
    assert "http://testserver/demo-supplier/nordlys-it/cxml/setup" in text
    assert "http://testserver/demo-supplier/kontorhuset/oci/" in text
    assert "malformed-cart wrong-unit missing-priceunit expired-session" in text
    assert "secret" not in text.replace("DEMO_SUPPLIER_ACCOUNTS", "")
