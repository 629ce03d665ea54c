from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from org.models import User
from org.services import org_unit_update
from tests.conftest import Tree, page_text

pytestmark = pytest.mark.django_db


def _menu(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    nav = html.split('<ul class="mainmenu">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<span>([^<]+)</span>", nav)


def test_the_front_page_asks_a_visitor_to_log_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_is_danish_by_default_and_english_under_en(client: Client) -> None:
    danish = client.get("/login/")
    assert '<html lang="da">' in danish.content.decode()
    assert "Log ind for at købe på kommunens aftaler." in page_text(danish.content)
    english = client.get("/en/login/")
    assert '<html lang="en">' in english.content.decode()
    assert "Log in to buy on the municipality's agreements." in page_text(english.content)


def test_a_wrong_password_is_refused_with_a_message(client: Client, requisitioner: User) -> None:
    response = client.post("/login/", {"username": "rekvirent", "password": "forkert"})
    assert response.status_code == 200
    assert "Du kunne ikke logges ind" in page_text(response.content)
    assert "_auth_user_id" not in client.session


def test_a_requisitioner_sees_their_unit_role_and_limit(
    client: Client, tree: Tree, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    text = page_text(client.get("/").content)
    assert "Mine enheder" in text
    assert f"Solsikken {tree.daycare.gln} Rekvirent Kun denne enhed 3.000,00 kr." in text
    assert "Mælkebøtten" not in text


def test_a_sibling_unit_is_not_found(client: Client, tree: Tree, requisitioner: User) -> None:
    client.force_login(requisitioner)
    assert client.get(f"/units/{tree.daycare.pk}/").status_code == 200
    assert client.get(f"/units/{tree.sibling_daycare.pk}/").status_code == 404


def test_a_unit_page_names_its_approvers_and_shows_budgets_to_leaders(
    client: Client, tree: Tree, approver: User, requisitioner: User
) -> None:
    client.force_login(requisitioner)
    text = page_text(client.get(f"/units/{tree.daycare.pk}/").content)
    assert (
        f"{approver.get_full_name()} (Børn og Unge) godkender ordrer op til 50.000,00 kr." in text
    )
    assert "Budget" not in text


def test_the_menu_follows_the_roles(
    client: Client, requisitioner: User, municipality_admin: User, assortment_admin: User
) -> None:
    client.force_login(requisitioner)
    assert _menu(client) == [
        "Mine enheder",
        "Søg i kataloget",
        "Favoritlister",
        "Leverandørers webshops",
        "Kurv",
        "Ordrer",
        "E-handelspolitik",
    ]
    client.force_login(assortment_admin)
    assert _menu(client) == [
        "Mine enheder",
        "E-handelspolitik",
        "Sortiment",
        "Katalogimport",
        "Webshoptest",
        "Administration",
    ]
    client.force_login(municipality_admin)
    assert _menu(client) == [
        "Mine enheder",
        "E-handelspolitik",
        "Sortiment",
        "Katalogimport",
        "Webshoptest",
        "Driftsstatus",
        "Administration",
    ]


def test_system_status_is_for_administrators_only(
    client: Client, requisitioner: User, municipality_admin: User, settings: Any
) -> None:
    client.force_login(requisitioner)
    assert client.get("/status/").status_code == 403
    client.force_login(municipality_admin)
    text = page_text(client.get("/status/").content)
    assert ("Indlejret drift" in text) is (settings.REKVI_MODE == "embedded")
    assert "Periodisk arbejde har ikke kørt endnu." in text


def test_the_language_links_point_at_the_same_page(client: Client, requisitioner: User) -> None:
    client.force_login(requisitioner)
    html = client.get("/").content.decode()
    assert '<a href="/en/" lang="en" hreflang="en">English</a>' in html
    assert '<a href="/" lang="da" hreflang="da" aria-current="true">Dansk</a>' in html


def test_logging_out_needs_a_post(client: Client, requisitioner: User) -> None:
    client.force_login(requisitioner)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_pages_carry_no_inline_javascript(client: Client, requisitioner: User, tree: Tree) -> None:
    client.force_login(requisitioner)
    for url in ("/", f"/units/{tree.daycare.pk}/", "/en/"):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
        assert scripts, url
        assert all('src="' in attributes and body == "" for attributes, body in scripts), url
        assert re.findall(r"\son[a-z]+=", html) == [], url


def test_another_municipalitys_unit_is_not_found(
    client: Client, tree: Tree, stranger: User
) -> None:
    client.force_login(stranger)
    assert client.get(f"/units/{tree.daycare.pk}/").status_code == 404


def test_login_never_sends_people_off_site(client: Client, requisitioner: User) -> None:
    for target in ("https://evil.example/", "//evil.example/"):
        response = client.post(
            f"/login/?next={target}", {"username": "rekvirent", "password": "demo"}
        )
        assert response["Location"] == "/", target


def test_an_inactive_unit_gives_no_reach_below_it(
    client: Client, tree: Tree, approver: User
) -> None:
    org_unit_update(unit=tree.children_dept, is_active=False)
    client.force_login(approver)
    assert client.get(f"/units/{tree.daycare.pk}/").status_code == 404


def test_amounts_read_as_kroner_in_each_language(client: Client, requisitioner: User) -> None:
    client.force_login(requisitioner)
    assert "3.000,00 kr." in page_text(client.get("/").content)
    assert "DKK 3,000.00" in page_text(client.get("/en/").content)
