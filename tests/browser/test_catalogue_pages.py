from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("fjordby")
def test_a_requisitioner_reads_the_ehandel_policy(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.get_by_role("link", name="E-handelspolitik").first.click()
    expect(page.get_by_role("heading", name="E-handelspolitik", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="50.57 Kontor- og skoleartikler")).to_be_visible()
    expect(page.get_by_role("heading", name="Ikke e-handel")).to_be_visible()
    assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_a_procurement_officer_checks_a_units_assortment(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "indkoebskonsulent")
    page.get_by_role("link", name="Sortiment").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Dagplejen Nord").click()
    expect(page.get_by_role("heading", name="Sortiment for Dagplejen Nord")).to_be_visible()
    page.get_by_label("Navn, varenummer eller GTIN").fill("ærter")
    page.keyboard.press("Enter")
    row = page.get_by_role("row", name="Ærter, frost")
    expect(row).to_contain_text("Nej")
    expect(row).to_contain_text("Udelad: Frost (på Dagplejen Nord)")
    assert_accessible(page)
