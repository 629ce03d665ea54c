from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANCAKES = [
    ("hvedemel", "Hvedemel, 2 kg"),
    ("æg", "Æg, str. M, bakke à 30 stk."),
    ("salt", "Salt, fint, 1 kg"),
    ("sukkker", "Sukker, stødt, 1 kg"),  # misspelt on purpose
    ("sødmælk", "Sødmælk 3,5 %"),
    ("olie", "Rapsolie, 1 l"),
]


@pytest.mark.usefixtures("fjordby")
def test_a_requisitioner_finds_the_pancake_ingredients_by_typing(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.get_by_role("link", name="Søg i kataloget").first.click()
    box = page.get_by_role("searchbox", name="Vare, varenummer eller EAN")
    results = page.locator("#search-results")
    for typed, expected in PANCAKES:
        box.fill("")
        box.press_sequentially(typed, delay=40)  # htmx searches as the person types
        first = results.get_by_role("listitem").first
        expect(first.get_by_role("heading")).to_have_text(expected)
        if typed == "sukkker":
            # the first status of the results is the search's (each item has one for the cart)
            expect(results.get_by_role("status").first).to_contain_text(
                "Viser resultater for sukker"
            )
            assert_accessible(page)


@pytest.mark.usefixtures("fjordby")
def test_the_search_works_without_javascript_by_pressing_enter(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server.url, "rekvirent")
    page.goto(f"{live_server.url}/search/?q=kuglepenne")
    expect(page.locator("#search-results").get_by_role("listitem").first).to_contain_text(
        "Kuglepen blå, medium, 10 stk."
    )
    assert_accessible(page)
