"""A procurement officer uploads a supplier's price update, follows it, reads the price
changes and approves them, in the browser (keyboard-reachable, WCAG 2.1 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from catalog.importers.tabular import csv_text
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


def _upload(page: Page, tmp_path: Path, rows: list[list[str]], name: str) -> None:
    path = tmp_path / name
    path.write_bytes(csv_text(rows))
    page.get_by_role("link", name="Katalogimport").first.click()
    page.get_by_role("link", name="Indlæs en katalogfil").click()
    page.get_by_label("Leverandør").select_option(label="Kontorhuset Danmark A/S")
    page.get_by_label("Aftale", exact=True).select_option(label="50.57 Kontor- og skoleartikler")
    page.get_by_label("Katalogfil").set_input_files(str(path))
    page.get_by_role("button", name="Indlæs og kontrollér").click()
    expect(page.get_by_role("heading", name="Katalog fra Kontorhuset Danmark A/S")).to_be_visible()


@pytest.mark.usefixtures("fjordby")
def test_a_price_file_written_with_points_is_read_right_and_its_risks_confirmed(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    log_in(page, live_server.url, "indkoebskonsulent")
    # a wholesaler's file: Danish headings, prices with a decimal point, no UNSPSC column, one
    # price typed a hundred times too high, and only three of the supplier's 14 items
    rows = [
        ["Varenr", "Varenavn", "Pris", "Enhed"],
        ["KH-1001", "Kuglepen blå, medium, 10 stk.", "35.53", "PK"],
        ["KH-1002", "Gule notesblokke 76×76 mm, 12 blokke", "5400.00", "PK"],
        ["KH-1003", "Whiteboardtusch, 4 farver", "36.00", "PK"],
    ]

    _upload(page, tmp_path, rows, "prisliste.csv")

    expect(
        page.get_by_text("decimalpunktum (1,234.50), vist af række 2, kolonne Pris: “35.53”")
    ).to_be_visible()
    expect(
        page.get_by_text("Ikke i filen, eller tom i alle rækker: beholdes som de er")
    ).to_be_visible()
    expect(
        page.get_by_text("1 pris ændres mere end 5 gange og kan være fejllæst", exact=False)
    ).to_be_visible()
    expect(
        page.get_by_text("11 af leverandørens 14 varer på aftalen udgår af kataloget.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sandsynligt fejllæste priser (1)").click()
    expect(page.get_by_role("row", name="KH-1002")).to_contain_text("sandsynligt fejllæst")
    expect(page.get_by_role("row", name="KH-1002")).to_contain_text(
        "Pris: 54,00 kr. → 5.400,00 kr."
    )

    page.get_by_role("button", name="Godkend og indfør").click()  # nothing confirmed yet
    expect(page.get_by_text("Afventer godkendelse").first).to_be_visible()
    page.get_by_label("Jeg har set på den 1 sandsynligt fejllæste pris, og den er rigtig").check()
    page.get_by_label("De 11 varer, som filen udelader, skal ud af kataloget").check()
    page.get_by_role("button", name="Godkend og indfør").click()

    expect(page.get_by_text("Importen er godkendt og bliver nu indført.")).to_be_visible()
    expect(page.get_by_text("Bekræftet ved godkendelsen")).to_be_visible()
    pen = Product.objects.get(supplier_item_number="KH-1001")
    assert (str(pen.unit_price), pen.unspsc_code) == ("35.5300", "44121700")
    assert Product.objects.filter(supplier=pen.supplier, is_active=True).count() == 3


@pytest.mark.usefixtures("fjordby")
def test_the_procurement_office_gives_new_items_their_category(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    log_in(page, live_server.url, "indkoebskonsulent")
    rows = [
        ["Varenr", "Varenavn", "Pris", "Enhed", "Varegruppe", "UNSPSC"],
        ["KH-5001", "Laminerlommer A4, 100 stk.", "79,00", "PK", "Laminering", "44122000"],
        ["KH-5002", "Lamineringsmaskine A4", "499,00", "EA", "Laminering", "44101800"],
    ]
    _upload(page, tmp_path, rows, "nyheder.csv")
    expect(page.get_by_text("Varer uden kategori")).to_be_visible()

    page.get_by_role("link", name="vælg kategorier for leverandørens grupper").click()

    expect(
        page.get_by_role("heading", name="Kategorier for varer fra Kontorhuset Danmark A/S")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Kategori for Laminering").select_option(label="Kontorartikler")
    page.get_by_role("button", name="Gem kategorierne").click()

    expect(page.get_by_text("Kategorierne er gemt; 2 varer er flyttet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Katalog fra Kontorhuset Danmark A/S")).to_be_visible()
    page.get_by_label("De 14 varer, som filen udelader, skal ud af kataloget").check()
    page.get_by_role("button", name="Godkend og indfør").click()
    expect(page.get_by_text("Importen er godkendt og bliver nu indført.")).to_be_visible()
    assert {
        product.category.name if product.category else ""
        for product in Product.objects.filter(supplier_item_number__in=["KH-5001", "KH-5002"])
    } == {"Kontorartikler"}
