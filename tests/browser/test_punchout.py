"""Punch-out in the browser, cross-site as with a real supplier: Rekvi is reached as 127.0.0.1
and the demo supplier's web shop as localhost, so the cart comes back by a cross-site POST that
carries no Rekvi cookie and is trusted only for its single-use return URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from catalog.models import Supplier
from catalog.services import supplier_punchout_point
from orders.models import CartLine, Order
from punchout.models import PunchoutSession, ReturnedCart
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "fjordby-browser-test-secret"


#: Reports each Content-Security-Policy violation of a page to the console (an init script
#: runs in every page before the page's own, and no policy applies to it).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} `
    + `${event.blockedURI} on ${document.location.href}`);
});
"""


@pytest.fixture(autouse=True)
def _no_policy_violations(page: Page) -> Iterator[None]:
    """Every page on the way, Rekvi's and the supplier's, works under its Content-Security-
    Policy: the browser reports no violation (a refused script, style or form post) in any."""
    violations: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(f"{message.type}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield
    assert violations == []


@pytest.fixture
def rekvi(live_server: LiveServer, settings: Any) -> str:
    """Fjordby with its punch-out suppliers pointed at the demo supplier on localhost; the
    address Rekvi itself is reached at (127.0.0.1, another site)."""
    port = live_server.url.rsplit(":", 1)[1]
    settings.OUTBOUND_HTTP_LOCAL = True  # the demo supplier is on this machine, over http
    settings.DEMO_SUPPLIER_BASE_URL = f"http://localhost:{port}/demo-supplier"
    settings.DEMO_SUPPLIER_ACCOUNTS = {"FJORDBY-29900124": SECRET}
    settings.DEMO_SUPPLIER_OCI_ACCOUNTS = {"fjordby": SECRET}
    call_command("seed_demo", verbosity=0)
    return f"http://127.0.0.1:{port}"


def _shop_three(page: Page, host: str = "localhost") -> list[str]:
    """Put the first three products of the demo shop (at `host`) in its cart and send it
    back; their names."""
    expect(page).to_have_url(re.compile(rf"^http://{re.escape(host)}:\d+/demo-supplier/"))
    products = page.url
    names = []
    for index in range(3):
        page.goto(products)
        button = page.get_by_role("button", name=re.compile("^Læg i kurv: ")).nth(index)
        names.append(str(button.get_attribute("aria-label")).removeprefix("Læg i kurv: "))
        button.click()
        expect(page.get_by_role("link", name=re.compile(r"^Kurv \("))).to_have_text(
            f"Kurv ({index + 1})"
        )
    page.get_by_role("button", name="Overfør kurven til dit indkøbssystem").click()
    return names


def test_an_it_buyer_punches_out_by_cxml_and_orders_the_returned_lines(
    page: Page, rekvi: str
) -> None:
    log_in(page, rekvi, "indkoeber")
    page.get_by_role("link", name="Leverandørers webshops").first.click()
    page.get_by_label("Køber til").select_option(label="IT og Digitalisering")
    page.get_by_role("button", name="Vis webshops").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Leverandørers webshops for IT og Digitalisering"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Handl i webshoppen hos Nordlys IT A/S").click()
    names = _shop_three(page)
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/webshops/returned/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurven fra Nordlys IT A/S")
    for name in names:
        expect(page.get_by_role("cell", name=re.compile(f"^{re.escape(name)}"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    expect(page.locator("main")).to_contain_text("3 linjer fra Nordlys IT A/S er i din kurv.")
    assert CartLine.objects.filter(kind=CartLine.Kind.PUNCHOUT).count() == 3
    assert_accessible(page)

    # change a returned line in the supplier's shop (edit): the aux id goes out byte for byte
    keys = set(CartLine.objects.values_list("supplier_part_auxiliary_id", flat=True))
    page.get_by_role("button", name=re.compile("^Ændr i webshoppen")).click()
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/demo-supplier/"))
    page.get_by_role("link", name=re.compile(r"^Kurv \(3\)")).click()
    quantity = page.get_by_role("spinbutton", name=f"Antal af {names[0]}")
    quantity.fill("5")
    page.get_by_role("button", name="Ret antal").first.click()
    page.get_by_role("button", name="Overfør kurven til dit indkøbssystem").click()
    expect(page.locator("main")).to_contain_text(
        "Disse linjer erstatter linjerne fra Nordlys IT A/S i din kurv."
    )
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    lines = list(CartLine.objects.order_by("pk").values_list("description", "quantity"))
    assert (len(lines), dict(lines)[names[0]]) == (3, Decimal("5.000"))
    assert set(CartLine.objects.values_list("supplier_part_auxiliary_id", flat=True)) == keys

    page.get_by_role("link", name="Gå til bestilling").click()
    page.get_by_role("button", name="Bestil", exact=True).click()
    order = Order.objects.get()
    expect(page.locator("main")).to_contain_text(f"Ordre {order.number} til Nordlys IT A/S")
    assert order.lines.filter(is_punchout=True).count() == 3


def _fits(page: Page) -> None:
    """Nothing on the page is wider than a 320 px screen (WCAG 1.4.10, reflow)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url}: {width} px wide on a 320 px screen"


def test_a_requisitioner_punches_out_by_oci_and_takes_the_lines(page: Page, rekvi: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, rekvi, "rekvirent")
    page.goto(f"{rekvi}/webshops/")  # at 320 px the menu is folded away
    _fits(page)
    page.get_by_role("button", name="Handl i webshoppen hos Kontorhuset Danmark A/S").click()
    names = _shop_three(page)
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/webshops/returned/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurven fra Kontorhuset Danmark A/S")
    _fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    expect(page.locator("main")).to_contain_text(
        "3 linjer fra Kontorhuset Danmark A/S er i din kurv."
    )
    assert sorted(CartLine.objects.values_list("description", flat=True)) == sorted(names)
    session = PunchoutSession.objects.get()
    assert (session.protocol, session.state) == ("oci", PunchoutSession.State.RETURNED)
    assert SECRET.encode() not in bytes(ReturnedCart.objects.get().raw)
    assert_accessible(page)
    page.get_by_role("link", name="Gå til bestilling").click()
    page.get_by_role("button", name="Bestil", exact=True).click()
    order = Order.objects.get()
    expect(page.locator("main")).to_contain_text(
        f"Ordre {order.number} til Kontorhuset Danmark A/S er godkendt."
    )
    assert sorted(order.lines.values_list("name", flat=True)) == sorted(names)


def test_a_ream_of_copy_paper_comes_back_from_the_web_shop_and_joins_the_cart(
    page: Page, rekvi: str
) -> None:
    log_in(page, rekvi, "rekvirent")
    page.goto(f"{rekvi}/webshops/")
    page.get_by_role("button", name="Handl i webshoppen hos Kontorhuset Danmark A/S").click()
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/demo-supplier/"))
    page.get_by_role("button", name="Læg i kurv: Kopipapir A4 80 g, 500 ark").click()
    expect(page.locator("main")).to_contain_text("39,00 kr. pr. ris")
    page.get_by_role("button", name="Overfør kurven til dit indkøbssystem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurven fra Kontorhuset Danmark A/S")
    line = page.get_by_role("row", name=re.compile("Kopipapir A4 80 g, 500 ark"))
    expect(line).to_contain_text("1 ris")
    expect(line).not_to_contain_text("Afvist")
    assert_accessible(page)
    page.get_by_role("button", name="Læg 1 linje i kurven").click()
    expect(page.locator("main")).to_contain_text(
        "1 linje fra Kontorhuset Danmark A/S er i din kurv."
    )
    assert list(CartLine.objects.values_list("supplier_item_number", "unit_code")) == [
        ("KH-4004", "RM")
    ]
    page.goto(f"{rekvi}/cart/")
    expect(page.locator("main")).to_contain_text("39,00 kr. / ris")
    assert_accessible(page)


def _self_test(page: Page, rekvi: str, supplier_name: str, fault: str) -> list[str]:
    """Run the web shop test of a supplier pointed at a demo fault mode, sending one item
    back when the shop opens; the report's findings as a person reads them."""
    supplier = Supplier.objects.get(name=supplier_name)
    supplier_punchout_point(
        supplier=supplier,
        url=f"{supplier.punchout_url}?fault={fault}",
        username=supplier.punchout_username,
        secret=SECRET,
    )
    log_in(page, rekvi, "admin")
    page.get_by_role("link", name="Webshoptest").first.click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Test {supplier_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Webshoptest: {supplier_name}")
    assert_accessible(page)
    opener = page.get_by_role("button", name="Åbn webshoppen, og send en testkurv tilbage")
    if opener.count() == 0:
        opener = page.get_by_role("link", name="Åbn webshoppen, og send en testkurv tilbage")
    if opener.count():
        opener.click()
        expect(page).to_have_url(re.compile(r"^http://localhost:\d+/demo-supplier/"))
        if page.get_by_role("heading", name="Sessionen er udløbet").count() == 0:
            page.get_by_role("button", name=re.compile("^Læg i kurv: ")).first.click()
            page.get_by_role("button", name="Overfør kurven til dit indkøbssystem").click()
            expect(page.get_by_role("heading", name="Testkurven")).to_be_visible()
            assert_accessible(page)
    return [" ".join(text.split()) for text in page.locator(".rekvi-findings li").all_inner_texts()]


SETUP_OK = [
    "OK: Opsætnings-URL'en svarede HTTP 200.",
    "OK: Svaret er et gyldigt cXML PunchOutSetupResponse.",
]
OCI_OK = ["OK: Webshoppen tog imod OCI-parametrene (HTTP 302)."]


@pytest.mark.parametrize(
    ("supplier", "fault", "report"),
    [
        (
            "Nordlys IT A/S",
            "expired-session",
            [
                *SETUP_OK,
                "Problem: Startsiden svarede 410 Gone: leverandørens session var allerede "
                "udløbet. En session skal vare, mens personen handler.",
            ],
        ),
        (
            "Nordlys IT A/S",
            "malformed-cart",
            [
                *SETUP_OK,
                "OK: Startsiden åbnede (HTTP 200).",
                "Problem: Kurven kunne ikke læses: not accepted as XML: not well-formed XML: "
                "Premature end of data in tag PunchOutOrderMessage line 23, line 47, column 5 "
                "(line 47)",
            ],
        ),
        (
            "Kontorhuset Danmark A/S",
            "wrong-unit",
            [
                *OCI_OK,
                "Problem: Linje 1 (KH-1001): Enheden “STK” er ikke en enhed, Rekvi kender (unit "
                "'STK' is UN/ECE Rec 20 for 'stick, cigarette', not a unit Rekvi orders in — did "
                "you mean H87/EA?).",
            ],
        ),
        (
            "Kontorhuset Danmark A/S",
            "missing-priceunit",
            [
                *OCI_OK,
                "Problem: Linje 1 (KH-1001): NEW_ITEM-PRICEUNIT[1]: PRICEUNIT missing; the price "
                "is taken to be for 1 unit",
            ],
        ),
    ],
)
def test_the_self_test_reports_each_demo_fault_word_for_word(
    page: Page, rekvi: str, supplier: str, fault: str, report: list[str]
) -> None:
    assert _self_test(page, rekvi, supplier, fault) == report


def test_the_self_test_of_a_working_shop_finds_no_problem(page: Page, rekvi: str) -> None:
    supplier = Supplier.objects.get(name="Nordlys IT A/S")
    log_in(page, rekvi, "admin")
    page.goto(f"{rekvi}/webshops/tests/")
    page.get_by_role("button", name="Test Nordlys IT A/S").click()
    page.get_by_role("link", name="Åbn webshoppen, og send en testkurv tilbage").click()
    page.get_by_role("button", name=re.compile("^Læg i kurv: ")).first.click()
    page.get_by_role("button", name="Overfør kurven til dit indkøbssystem").click()
    expect(page.get_by_role("status")).to_have_text("Ingen problemer fundet indtil videre.")
    findings = [
        " ".join(text.split()) for text in page.locator(".rekvi-findings li").all_inner_texts()
    ]
    assert findings == [
        *SETUP_OK,
        "OK: Startsiden åbnede (HTTP 200).",
        "OK: Kurvens 1 linje overholder standarden og aftalen.",
    ]
    assert supplier.punchout_url.endswith("/nordlys-it/cxml/setup")


def _to_nordlys(page: Page, rekvi: str) -> None:
    """The IT buyer opens Nordlys IT's web shop for IT og Digitalisering."""
    log_in(page, rekvi, "indkoeber")
    page.goto(f"{rekvi}/webshops/")
    page.get_by_label("Køber til").select_option(label="IT og Digitalisering")
    page.get_by_role("button", name="Vis webshops").click()
    page.get_by_role("button", name="Handl i webshoppen hos Nordlys IT A/S").click()


def test_a_cart_the_shop_signs_with_its_own_identity_is_reviewed_and_taken(
    page: Page, rekvi: str
) -> None:
    # Rekvi addresses the shop by another identity than the one it signs its carts with
    Supplier.objects.filter(name="Nordlys IT A/S").update(punchout_to_identity="NORDLYS-PUNCHOUT")
    _to_nordlys(page, rekvi)
    names = _shop_three(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurven fra Nordlys IT A/S")
    expect(page.locator(".alert-warning")).to_have_text(
        "Kurven er underskrevet af NORDLYS-IT-29900078, en identitet, der ikke er opført for "
        "Nordlys IT A/S. Dens engangsreturadresse viser, at den kom tilbage fra denne punch-out, "
        "så dens linjer kan bruges. Hvis NORDLYS-IT-29900078 er webshoppens egen identitet, "
        "tilføjer indkøbsafdelingen den under “identiteter, kurve må komme fra” i "
        "punch-out-indstillingerne for Nordlys IT A/S (Administration › Leverandører › "
        "Nordlys IT A/S)."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    expect(page.locator("main")).to_contain_text("3 linjer fra Nordlys IT A/S er i din kurv.")
    assert sorted(CartLine.objects.values_list("description", flat=True)) == sorted(names)
    assert ReturnedCart.objects.get().unlisted_identities == ["NORDLYS-IT-29900078"]


def test_a_cancelled_change_in_the_shop_leaves_the_cart_as_it_was_and_says_so(
    page: Page, rekvi: str
) -> None:
    _to_nordlys(page, rekvi)
    _shop_three(page)
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    before = list(CartLine.objects.order_by("pk").values_list("pk", "quantity"))
    page.get_by_role("button", name=re.compile("^Ændr i webshoppen")).click()
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/demo-supplier/"))
    page.get_by_role("link", name=re.compile(r"^Kurv \(3\)")).click()
    page.get_by_role("link", name="Annullér og gå tilbage").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/webshops/returned/\d+/$"))
    expect(page.locator(".alert-info")).to_have_text(
        "Webshoppen sendte ingen ændringer: punch-out blev annulleret der, og din kurv er som før."
    )
    expect(page.get_by_role("button", name=re.compile("Fjern|Læg"))).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Gå til din kurv").click()
    expect(page.locator("main").get_by_text("Fra leverandørens webshop")).to_have_count(3)
    assert list(CartLine.objects.order_by("pk").values_list("pk", "quantity")) == before
    assert ReturnedCart.objects.latest("pk").state == ReturnedCart.State.CANCELLED


@pytest.fixture
def rekvi_anywhere(live_server: LiveServer, settings: Any) -> str:
    """Fjordby seeded as `make run` seeds it (the demo supplier's addresses written under
    SITE_URL, port 8000), served instead at the test server's address and port."""
    settings.OUTBOUND_HTTP_LOCAL = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEMO_SUPPLIER_BASE_URL = ""  # the default
    settings.DEMO_SUPPLIER_ACCOUNTS = {"FJORDBY-29900124": SECRET}
    settings.DEMO_SUPPLIER_OCI_ACCOUNTS = {"fjordby": SECRET}
    call_command("seed_demo", verbosity=0)
    return "http://127.0.0.1:" + live_server.url.rsplit(":", 1)[1]


def test_the_demo_punches_out_at_the_address_it_is_opened_at(
    page: Page, rekvi_anywhere: str
) -> None:
    assert rekvi_anywhere != "http://127.0.0.1:8000"
    _to_nordlys(page, rekvi_anywhere)
    names = _shop_three(page, host="127.0.0.1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurven fra Nordlys IT A/S")
    assert_accessible(page)
    page.get_by_role("button", name="Læg 3 linjer i kurven").click()
    assert sorted(CartLine.objects.values_list("description", flat=True)) == sorted(names)
