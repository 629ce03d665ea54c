"""A procurement officer uploads a supplier's price update, follows it, reads the price
changes and approves them, in the browser (keyboard-reachable, WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from catalog.models import Product
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PUBLIC_FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("fjordby")
def test_a_procurement_officer_approves_a_price_update(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server.url, "indkoebskonsulent")
    page.get_by_role("link", name="Katalogimport").first.click()
    expect(page.get_by_role("heading", name="Katalogimport", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Indlæs en katalogfil").click()
    page.get_by_label("Leverandør").select_option(label="Kontorhuset Danmark A/S")
    page.get_by_label("Aftale", exact=True).select_option(label="50.57 Kontor- og skoleartikler")
    page.get_by_label("Katalogfil").set_input_files(
        str(PUBLIC_FIXTURES / "rekvi/oioubl/CataloguePricingUpdate.xml")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Indlæs og kontrollér").click()

    expect(page.get_by_role("heading", name="Katalog fra Kontorhuset Danmark A/S")).to_be_visible()
    expect(page.get_by_text("Afventer godkendelse").first).to_be_visible()
    expect(page.get_by_role("row", name="KH-1006")).to_contain_text("−7,27 %")
    expect(page.get_by_role("row", name="KH-1001")).to_contain_text("+4,92 %")
    assert_accessible(page)

    page.get_by_role("button", name="Godkend og indfør").click()

    expect(page.get_by_text("Importen er godkendt og bliver nu indført.")).to_be_visible()
    expect(page.get_by_text("Indført").first).to_be_visible()
    assert str(Product.objects.get(supplier_item_number="KH-1001").unit_price) == "34.1000"
