from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("fjordby")
def test_the_requisitioner_logs_in_by_keyboard_and_sees_their_units(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Log ind", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Brugernavn").focus()
    page.keyboard.type("rekvirent")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Mine enheder", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Børnehuset Solsikken"))
    expect(row).to_contain_text("5799999000300")
    expect(row).to_contain_text("Rekvirent")
    expect(row).to_contain_text("3.000,00 kr.")
    expect(page.get_by_role("navigation", name="Hovedmenu").first).to_contain_text("Mine enheder")
    assert_accessible(page)

    page.get_by_role("link", name="Børnehuset Solsikken").click()
    expect(page.get_by_role("heading", name="Børnehuset Solsikken", level=1)).to_be_visible()
    expect(page.get_by_text("Dorthe Madsen (Børnehuset Solsikken) godkender")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Børnehuset Solsikken", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Delivery addresses")).to_be_visible()
    assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_a_wrong_password_is_explained_accessibly(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("rekvirent")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_contain_text("Du kunne ikke logges ind")
    assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_the_front_page_fits_a_320_pixel_screen(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("godkender")
    page.get_by_label("Adgangskode").fill("demo")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Mine enheder", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("button", name="Menu").click()
    drawer_menu = page.get_by_role("dialog").get_by_role("link", name="Mine enheder")
    expect(drawer_menu).to_be_visible()
    assert_accessible(page)
