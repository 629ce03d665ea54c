"""A requisitioner puts items in the cart from the search results and orders them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from core.money import money_text
from orders.models import Order
from org.models import OrgUnit
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("fjordby")
def test_a_requisitioner_orders_from_the_search_results(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.goto(f"{live_server.url}/search/?q=hvedemel")
    item = page.locator("#search-results").get_by_role("listitem").first
    expect(item.get_by_role("heading")).to_have_text("Hvedemel, 2 kg")
    item.get_by_role("textbox", name=re.compile("^Antal")).fill("3")
    item.get_by_role("button", name=re.compile("^Læg i kurven")).click()
    expect(item.locator(".rekvi-cart-add").get_by_role("status")).to_contain_text(
        "Kurven rummer nu 3 af Hvedemel, 2 kg."
    )
    page.get_by_role("link", name="Kurv", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurv for Børnehuset Solsikken")
    expect(page.get_by_role("textbox", name=re.compile("^Antal af Hvedemel"))).to_have_value("3")
    assert_accessible(page)
    page.get_by_role("link", name="Gå til bestilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestilling for Børnehuset Solsikken")
    assert_accessible(page)
    page.get_by_role("button", name="Bestil", exact=True).click()
    order = Order.objects.get()
    expect(page.locator("main")).to_contain_text(
        f"Ordre {order.number} til {order.supplier.name} er godkendt."
    )
    expect(page.get_by_role("link", name=order.number)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ordre {order.number}")
    assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_an_order_over_the_limit_is_approved_by_the_godkender(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")  # orders up to 3.000 kr.
    page.goto(f"{live_server.url}/search/?q=hvedemel")
    item = page.locator("#search-results").get_by_role("listitem").first
    item.get_by_role("textbox", name=re.compile("^Antal")).fill("1000")
    item.get_by_role("button", name=re.compile("^Læg i kurven")).click()
    expect(item.locator(".rekvi-cart-add").get_by_role("status")).to_contain_text(
        "Kurven rummer nu 1.000 af"
    )
    page.goto(f"{live_server.url}/cart/")
    expect(page.locator("main")).to_contain_text("den skal godkendes af en godkender")
    page.get_by_role("link", name="Gå til bestilling").click()
    page.get_by_role("button", name="Bestil", exact=True).click()
    order = Order.objects.get()
    expect(page.locator("main")).to_contain_text(f"Ordre {order.number}")
    expect(page.locator("main")).to_contain_text("afventer godkendelse")
    page.context.clear_cookies()  # the next person at the machine

    log_in(page, live_server.url, "godkender")
    page.get_by_role("link", name="Godkendelser").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ordrer, der venter på din godkendelse"
    )
    assert_accessible(page)
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_role("heading", name="Din beslutning")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Godkend", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"Ordre {order.number} er godkendt.")
    order.refresh_from_db()
    assert order.status == Order.Status.APPROVED
    assert order.approved_by is not None
    assert order.approved_by.username == "godkender"
    page.context.clear_cookies()

    # the requisitioner changes the approved order: it must be approved again
    log_in(page, live_server.url, "rekvirent")
    page.goto(f"{live_server.url}/orders/{order.number}/")
    expect(page.get_by_role("heading", name="Ændr eller annullér")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ændr ordren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ændr ordre {order.number}")
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile("^Antal af Hvedemel")).fill("900")
    page.get_by_role("button", name="Gem ændringerne").click()
    expect(page.locator("main")).to_contain_text(
        f"Ordre {order.number} er ændret og afventer godkendelse."
    )
    expect(page.locator("main")).to_contain_text(
        "Ændret efter godkendelse, så den skal godkendes igen: linje 1: 1.000 → 900."
    )
    order.refresh_from_db()
    assert (order.status, order.approved_by, order.revision) == (
        Order.Status.AWAITING_APPROVAL,
        None,
        2,
    )


@pytest.mark.usefixtures("fjordby")
def test_a_requisitioner_orders_the_pancake_list_from_a_favourite_list(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.get_by_role("link", name="Favoritlister").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Solsikken – ugens madvarer")).click()
    for ingredient in ("Hvedemel, 2 kg", "Æg, str. M, bakke à 30 stk.", "Salt, fint, 1 kg"):
        cell = page.get_by_role("cell", name=re.compile(f"^{re.escape(ingredient)}"))
        expect(cell).to_be_visible()
    page.get_by_role("textbox", name="Antal af Hvedemel, 2 kg denne gang").fill("3")
    assert_accessible(page)
    page.get_by_role("button", name="Læg hele listen i kurven").click()
    expect(page.locator("main")).to_contain_text("varer fra Solsikken – ugens madvarer")
    expect(page.get_by_role("textbox", name=re.compile("^Antal af Hvedemel"))).to_have_value("3")
    page.get_by_role("link", name="Gå til bestilling").click()
    page.get_by_role("button", name="Bestil", exact=True).click()
    orders = list(Order.objects.order_by("number"))
    assert len(orders) == 2  # the list spans two suppliers
    for order in orders:
        expect(page.get_by_role("link", name=order.number)).to_be_visible()
    lines = {line.name for order in orders for line in order.lines.all()}
    assert {"Hvedemel, 2 kg", "Sødmælk 3,5 %", "Rapsolie, 1 l"} <= lines
    page.context.clear_cookies()

    # the leader of the daycare sees the month's orders of their unit
    log_in(page, live_server.url, "godkender")
    page.get_by_role("link", name="Ordrer", exact=True).first.click()
    page.get_by_label("Enhed (med enhederne under den)").select_option(label=orders[0].unit.name)
    page.get_by_label("Måned", exact=True).select_option(timezone.localdate().strftime("%Y-%m"))
    page.get_by_role("button", name="Vis ordrer").click()
    with translation.override("da"):
        total = money_text(sum((order.total for order in orders), Decimal(0)))
    expect(page.get_by_role("status")).to_have_text(
        f"2 ordrer købt, {total} ekskl. moms (afviste og annullerede ordrer tælles ikke med)."
    )
    for order in orders:
        expect(page.get_by_role("link", name=order.number)).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text("pr. måned og omkostningssted")
    assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_a_free_text_order_hints_at_the_agreement_item_first(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.goto(f"{live_server.url}/cart/")
    page.get_by_role("link", name="Bestil noget, der ikke er i kataloget (fritekst)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fritekstordre for")
    page.get_by_role("textbox", name="Hvad har du brug for?").press_sequentially(
        "Hvedemel økologisk", delay=30
    )
    hints = page.locator("#free-text-hints")
    expect(hints).to_contain_text("Det findes på en aftale")
    expect(hints).to_contain_text("Økologisk hvedemel, 2 kg – aftale 50.93")
    assert_accessible(page)
    page.get_by_role("textbox", name="Antal").fill("4")
    page.get_by_role("textbox", name=re.compile("^Anslået pris")).fill("24,50")
    page.get_by_role("combobox", name="Leverandør").select_option(index=1)
    page.get_by_role("button", name="Læg i kurven").click()
    expect(page.locator("main")).to_contain_text("findes på aftale")
    page.get_by_role("textbox", name="Hvorfor fritekst?").fill("Skal være fra den lokale mølle")
    page.get_by_role("button", name="Læg i kurven").click()
    expect(page.locator("main")).to_contain_text("Hvedemel økologisk er i kurven som fritekst.")
    expect(page.locator("main")).to_contain_text("ca. 24,50 kr.")
    assert_accessible(page)


def _fits(page: Page, width: int) -> None:
    """Nothing on the page is wider than the screen (WCAG 1.4.10, reflow at 320 px)."""
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url}: {overflow} px wide on a {width} px screen"


@pytest.mark.usefixtures("fjordby")
def test_ordering_works_by_keyboard_alone_on_a_320_px_screen(
    page: Page, live_server: LiveServer
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_server.url, "rekvirent")
    page.goto(f"{live_server.url}/search/?q=salt")
    _fits(page, 320)
    quantity = (
        page.locator("#search-results")
        .get_by_role("listitem")
        .first.get_by_role("textbox", name=re.compile("^Antal"))
    )
    quantity.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # to "Læg i kurven"
    page.keyboard.press("Enter")
    expect(page.locator(".rekvi-cart-add").first.get_by_role("status")).to_contain_text(
        "Kurven rummer nu 2 af Salt"
    )
    page.goto(f"{live_server.url}/cart/")
    _fits(page, 320)
    checkout = page.get_by_role("link", name="Gå til bestilling")
    checkout.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bestilling for")
    _fits(page, 320)
    page.get_by_role("button", name="Bestil", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ordrer")
    order = Order.objects.get()
    expect(page.locator("main")).to_contain_text(f"Ordre {order.number}")
    _fits(page, 320)
    page.goto(f"{live_server.url}/orders/{order.number}/")
    _fits(page, 320)
    change = page.get_by_role("link", name="Ændr ordren")
    change.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ændr ordre {order.number}")
    _fits(page, 320)
    page.get_by_role("textbox", name=re.compile("^Antal af Salt")).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # submits the change
    expect(page.locator("main")).to_contain_text(f"Ordre {order.number} er ændret og godkendt.")
    assert order.lines.get().quantity == 3
    page.goto(f"{live_server.url}/orders/?month={timezone.localdate():%Y-%m}")
    _fits(page, 320)
    page.goto(f"{live_server.url}/favourites/")
    _fits(page, 320)


@pytest.mark.usefixtures("fjordby")
def test_the_computer_buyer_orders_120_laptop_packages_for_three_units(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "indkoeber")
    page.get_by_role("link", name="Standardpakker").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^IT – standard bærbar-pakke")).click()
    units = [OrgUnit.objects.get(code=code) for code in ("IT", "SKO", "OEK")]
    for unit in units:
        page.get_by_role("textbox", name=f"Pakker til {unit.name}").fill("40")
    assert_accessible(page)
    page.get_by_role("button", name="Læg pakkerne i kurvene").click()
    expect(page.locator("main")).to_contain_text("er i kurvene for 3 enheder")
    for unit in units:
        page.goto(f"{live_server.url}/cart/?unit={unit.pk}")
        page.get_by_role("link", name="Gå til bestilling").click()
        page.get_by_role("button", name="Bestil", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ordrer")
    orders = list(Order.objects.select_related("unit"))
    assert sorted(order.unit.code for order in orders) == ["IT", "OEK", "SKO"]
    # 40 packages each, far above the buyer's order limit, pre-approved as the package
    assert {order.status for order in orders} == {Order.Status.APPROVED}
    laptops = sum(
        line.quantity
        for order in orders
        for line in order.lines.all()
        if line.supplier_item_number == "NI-LAP14"
    )
    assert laptops == 120
