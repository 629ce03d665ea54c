"""A punch-out cart coming back: single-use tokens, the checks on every line, the review by its
owner only, and the lines joining the cart."""

from __future__ import annotations

import base64
import re
import urllib.parse
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import Supplier
from catalog.services import supplier_punchout_identity_accept, supplier_punchout_secret_set
from edi import safexml
from orders.models import CartLine
from orders.services import CheckoutChoices, cart_checkout, cart_get_for, order_send_back
from org.models import User
from punchout.models import PunchoutSession, ReturnedCart
from punchout.selectors import returned_cart_list_pending
from punchout.services import (
    PunchoutError,
    PunchoutErrorCode,
    punchout_cart_receive,
    punchout_cart_take,
    punchout_session_start,
    returned_cart_identity_note,
    returned_line_price_note,
    token_hash,
)
from punchout.services.sessions import setup_request
from tests.conftest import PUBLIC_FIXTURES, Tree, page_text
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
SECRET = "s3cret&key+Å"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def shop(tree: Tree) -> Shop:
    made = grocery(tree)
    grocer = made.flour.supplier
    Supplier.objects.filter(pk=grocer.pk).update(
        punchout_protocol=Supplier.PunchoutProtocol.OCI,
        punchout_url="https://shop.grossisten.example/oci",
        punchout_username="testby",
        punchout_blocked_unspsc=["5020"],
    )
    grocer.refresh_from_db()
    supplier_punchout_secret_set(supplier=grocer, secret=SECRET)
    return made


def _start(shop: Shop, tree: Tree, user: User, operation: str = "create") -> str:
    """Start an OCI punch-out to the grocer; the token of its return URL."""
    started = punchout_session_start(
        user=user,
        unit=tree.daycare,
        supplier=shop.flour.supplier,
        return_base_url="https://rekvi.testby.example/",
        on=TODAY,
        operation=operation,
    )
    hook = dict(started.form_fields)["HOOK_URL"]
    assert hook.startswith("https://rekvi.testby.example/punchout/return/")
    return hook.removeprefix("https://rekvi.testby.example/punchout/return/").rstrip("/")


def _oci(*items: dict[str, str], extra: str = "") -> bytes:
    pairs = []
    for number, item in enumerate(items, start=1):
        pairs += [(f"NEW_ITEM-{name}[{number}]", value) for name, value in item.items()]
    return (urllib.parse.urlencode(pairs, encoding="iso-8859-1") + extra).encode()


FLOUR = {
    "DESCRIPTION": "Hvedemel, 2 kg",
    "VENDORMAT": "FØ-0701",
    "QUANTITY": "4",
    "UNIT": "EA",
    "PRICE": "11.50",
    "PRICEUNIT": "1",
    "CURRENCY": "DKK",
    "LEADTIME": "2",
}


def test_an_oci_cart_is_kept_pending_with_each_line_checked(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    body = _oci(
        FLOUR,
        {**FLOUR, "VENDORMAT": "WEB-1", "DESCRIPTION": "Gratis vare", "PRICE": "0"},
        {**FLOUR, "VENDORMAT": "WEB-2", "DESCRIPTION": "Importvin", "CURRENCY": "EUR"},
        {**FLOUR, "VENDORMAT": "WEB-3", "DESCRIPTION": "Bakke", "UNIT": "STK"},
        {**FLOUR, "VENDORMAT": "WEB-4", "DESCRIPTION": "Rødvin", "MATGROUP": "50202201"},
    )
    returned = punchout_cart_receive(token=token, body=body, content_type=FORM)
    assert returned.state == ReturnedCart.State.PENDING
    rows = [
        (line.supplier_item_number, line.unit_price, line.agreement_unit_price, line.refusal)
        for line in returned.lines.order_by("position")
    ]
    assert rows == [
        ("FØ-0701", Decimal("11.5000"), Decimal("12.9500"), ""),
        (
            "WEB-1",
            Decimal("0.0000"),
            None,
            "Prisen mangler eller er 0; Rekvi bestiller ikke til den pris.",
        ),
        (
            "WEB-2",
            Decimal("11.5000"),
            None,
            "Prisen er i EUR; Rekvi bestiller kun i danske kroner.",
        ),
        (
            "WEB-3",
            Decimal("11.5000"),
            None,
            "Enheden “STK” er ikke en enhed, Rekvi kender (unit 'STK' is UN/ECE Rec 20 for "
            "'stick, cigarette', not a unit Rekvi orders in — did you mean H87/EA?).",
        ),
        (
            "WEB-4",
            Decimal("11.5000"),
            None,
            "Kategori 50202201 kan ikke købes gennem denne webshop.",
        ),
    ]
    assert [returned_line_price_note(line) for line in returned.lines.order_by("position")] == [
        "Webshoppens pris 11,50 kr. afviger fra aftalens 12,95 kr. (-11,2 %); ordregrænsen regner "
        "med den højeste.",
        "",  # refused lines are not priced
        "",
        "",
        "",
    ]


def test_a_token_works_once_and_not_after_its_expiry(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    punchout_cart_receive(token=token, body=_oci(FLOUR), content_type=FORM)
    with pytest.raises(PunchoutError) as caught:
        punchout_cart_receive(token=token, body=_oci(FLOUR), content_type=FORM)
    assert caught.value.code == PunchoutErrorCode.REPLAYED
    late = _start(shop, tree, requisitioner)
    PunchoutSession.objects.filter(state="open").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(PunchoutError) as caught:
        punchout_cart_receive(token=late, body=_oci(FLOUR), content_type=FORM)
    assert (caught.value.code, caught.value.message) == (
        PunchoutErrorCode.EXPIRED,
        "Punch-out til Grossisten udløb, før kurven kom tilbage. Intet blev importeret: start "
        "igen fra Rekvi.",
    )
    with pytest.raises(PunchoutError) as caught:
        punchout_cart_receive(token="made-up", body=_oci(FLOUR), content_type=FORM)
    assert caught.value.code == PunchoutErrorCode.UNKNOWN_TOKEN
    assert ReturnedCart.objects.count() == 1


def _cxml_session(shop: Shop, tree: Tree, user: User, token: str) -> PunchoutSession:
    """An open cXML punch-out to the grocer whose return URL carries `token`."""
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(punchout_protocol="cxml")
    return PunchoutSession.objects.create(
        municipality=tree.municipality,
        user=user,
        unit=tree.daycare,
        supplier=shop.flour.supplier,
        protocol="cxml",
        token_hash=token_hash(token),
        buyer_cookie="this-session",
        expires_at=timezone.now() + timedelta(minutes=5),
    )


def _poom_with(text: str) -> str:
    """The public sample cart, this session's cookie, `text` (XML) in its Sender identity."""
    document = (PUBLIC_FIXTURES / "cxml" / "PunchOutOrderMessage_friendsofcxml.xml").read_text()
    return document.replace("1CX3L4843PPZO", "this-session").replace("website 1", text)


@pytest.mark.parametrize(
    "how",
    ["oci, utf-8", "oci, iso-8859-1", "cxml-urlencoded, as xml", "cxml-base64"],
)
def test_the_shared_secret_is_never_kept_in_the_stored_message(
    shop: Shop, tree: Tree, requisitioner: User, how: str
) -> None:
    escaped = SECRET.replace("&", "&amp;")
    if how.startswith("oci"):
        token = _start(shop, tree, requisitioner)
        encoding = how.removeprefix("oci, ")
        echoed = urllib.parse.urlencode({"PASSWORD": SECRET, "NOTE": SECRET}, encoding=encoding)
        body = _oci(FLOUR, extra="&" + echoed)
    else:
        token = "t0k-" + how
        _cxml_session(shop, tree, requisitioner, token)
        document = _poom_with(escaped)
        field = (
            {"cxml-urlencoded": document}
            if how.startswith("cxml-urlencoded")
            else {"cxml-base64": base64.b64encode(document.encode()).decode()}
        )
        body = urllib.parse.urlencode(field).encode()
    returned = punchout_cart_receive(token=token, body=body, content_type=FORM)
    raw = bytes(returned.raw)
    decoded = urllib.parse.unquote_plus(raw.decode())
    for needle in (SECRET, escaped):
        assert needle not in decoded
        for encoding in ("utf-8", "iso-8859-1"):
            assert urllib.parse.quote_plus(needle, encoding=encoding) not in raw.decode()
    if how == "cxml-base64":
        stored = base64.b64decode(dict(urllib.parse.parse_qsl(raw.decode()))["cxml-base64"])
        assert SECRET.encode() not in stored
        assert escaped.encode() not in stored
        assert b"[redacted]" in stored
    else:
        assert "[redacted]" in decoded
    assert returned.state in (ReturnedCart.State.PENDING, ReturnedCart.State.UNREADABLE)


def test_an_unreadable_cart_is_kept_with_the_reason_and_no_lines(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    body = b"NEW_ITEM-QUANTITY%5B1%5D=2"  # an item with neither description nor price
    returned = punchout_cart_receive(token=token, body=body, content_type=FORM)
    assert returned.state == ReturnedCart.State.UNREADABLE
    assert returned.problem.startswith("Kurven kunne ikke læses: ")
    assert bytes(returned.raw) == body
    assert returned.lines.count() == 0


def test_only_the_owner_takes_the_cart_and_the_accepted_lines_join_it(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    token = _start(shop, tree, requisitioner)
    response = client.post(
        f"/punchout/return/{token}/",
        _oci(FLOUR, {**FLOUR, "VENDORMAT": "WEB-1", "PRICE": "0"}),
        content_type=FORM,
    )
    returned = ReturnedCart.objects.get()
    assert (response.status_code, response["Location"]) == (
        303,
        f"/webshops/returned/{returned.pk}/",
    )
    client.force_login(approver)  # someone else opens the review page
    refused = client.get(f"/webshops/returned/{returned.pk}/")
    assert refused.status_code == 403
    assert "en anden startede" in page_text(refused.content)
    assert client.post(f"/webshops/returned/{returned.pk}/", {"action": "take"}).status_code == 403
    with pytest.raises(PunchoutError) as caught:
        punchout_cart_take(returned=returned, user=approver, on=TODAY)
    assert caught.value.code == PunchoutErrorCode.NOT_YOURS
    assert not CartLine.objects.exists()
    client.force_login(requisitioner)
    review = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert "Kurven fra Grossisten" in review
    assert "Afvist: Prisen mangler eller er 0" in review
    taken = client.post(f"/webshops/returned/{returned.pk}/", {"action": "take"}, follow=True)
    assert "1 linje fra Grossisten er i din kurv." in page_text(taken.content)
    assert list(CartLine.objects.values_list("kind", "supplier_item_number", "quantity")) == [
        (CartLine.Kind.PUNCHOUT, "FØ-0701", Decimal("4.000"))
    ]
    again = client.post(f"/webshops/returned/{returned.pk}/", {"action": "take"}, follow=True)
    assert "Denne kurv er allerede behandlet." in page_text(again.content)
    assert CartLine.objects.count() == 1


def test_a_replayed_or_unknown_return_shows_a_clear_page_and_imports_nothing(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    client.post(f"/punchout/return/{token}/", _oci(FLOUR), content_type=FORM)
    replay = client.post(f"/punchout/return/{token}/", _oci(FLOUR), content_type=FORM)
    assert replay.status_code == 409
    assert "Denne punch-outs kurv er allerede kommet tilbage" in page_text(replay.content)
    unknown = client.post("/punchout/return/nope/", _oci(FLOUR), content_type=FORM)
    assert unknown.status_code == 404
    assert client.get(f"/punchout/return/{token}/").status_code == 405
    assert ReturnedCart.objects.count() == 1


def test_a_ream_returned_in_an_oci_cart_is_accepted_and_joins_the_cart(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    paper = {**FLOUR, "VENDORMAT": "PAP-80", "DESCRIPTION": "Kopipapir A4, 500 ark", "UNIT": "RM"}
    body = _oci(paper, {**paper, "VENDORMAT": "PAP-81", "UNIT": "XRM"})
    returned = punchout_cart_receive(token=token, body=body, content_type=FORM)
    assert [
        (line.supplier_item_number, line.unit_code, line.unit_as_sent, line.refusal)
        for line in returned.lines.order_by("position")
    ] == [
        ("PAP-80", "RM", "RM", ""),
        (
            "PAP-81",
            "",
            "XRM",
            "Enheden “XRM” er ikke en enhed, Rekvi kender (unit 'XRM' is not UN/ECE Rec 20 — "
            "did you mean RM?).",
        ),
    ]
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    assert list(CartLine.objects.values_list("supplier_item_number", "unit_code")) == [
        ("PAP-80", "RM")
    ]


def test_a_ream_returned_in_a_cxml_cart_is_accepted_and_a_peppol_package_stored_as_oioubl(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    _cxml_session(shop, tree, requisitioner, "ream-token")
    document = (
        _poom_with("website 1")
        .replace("USD", "DKK")
        .replace("<UnitOfMeasure>EA</UnitOfMeasure>", "<UnitOfMeasure>RM</UnitOfMeasure>", 1)
        .replace("<UnitOfMeasure>EA</UnitOfMeasure>", "<UnitOfMeasure>XPK</UnitOfMeasure>", 1)
    )
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    returned = punchout_cart_receive(token="ream-token", body=body, content_type=FORM)
    assert [
        (line.supplier_item_number, line.unit_code, line.unit_as_sent, line.refusal)
        for line in returned.lines.order_by("position")
    ] == [("5555", "RM", "RM", ""), ("666", "PK", "XPK", "")]
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    assert list(
        CartLine.objects.order_by("pk").values_list("supplier_item_number", "unit_code")
    ) == [("5555", "RM"), ("666", "PK")]


def test_an_edit_return_replaces_the_suppliers_lines(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    first = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=first, body=_oci(FLOUR), content_type=FORM)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    session = _cxml_session(shop, tree, requisitioner, "edit-token")
    PunchoutSession.objects.filter(pk=session.pk).update(operation="edit")
    document = _poom_with("website 1").replace("USD", "DKK")
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    changed = punchout_cart_receive(token="edit-token", body=body, content_type=FORM)
    punchout_cart_take(returned=changed, user=requisitioner, on=TODAY)
    assert list(
        CartLine.objects.order_by("pk").values_list("supplier_item_number", "quantity")
    ) == [
        ("5555", Decimal("3.000")),
        ("666", Decimal("5.000")),
    ]


def test_a_cxml_cart_from_another_punch_out_is_refused(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    session = _cxml_session(shop, tree, requisitioner, "t0k")
    PunchoutSession.objects.filter(pk=session.pk).update(buyer_cookie="another-session")
    body = urllib.parse.urlencode({"cxml-urlencoded": _poom_with("website 1")}).encode()
    returned = punchout_cart_receive(token="t0k", body=body, content_type=FORM)
    assert (returned.state, returned.problem) == (
        ReturnedCart.State.UNREADABLE,
        "Kurven hører til en anden punch-out (dens buyer cookie er ikke denne).",
    )
    assert returned.lines.count() == 0


def test_the_shared_secret_never_reaches_the_logs(
    shop: Shop, tree: Tree, requisitioner: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    token = _start(shop, tree, requisitioner)
    echoed = "&" + urllib.parse.urlencode({"PASSWORD": SECRET})
    punchout_cart_receive(token=token, body=_oci(FLOUR, extra=echoed), content_type=FORM)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for form in (SECRET, urllib.parse.quote(SECRET), urllib.parse.quote_plus(SECRET)):
        assert form not in logged


@pytest.mark.parametrize("lines", [1, 25])
def test_the_review_page_costs_the_same_queries_for_any_number_of_lines(
    client: Client,
    shop: Shop,
    tree: Tree,
    requisitioner: User,
    lines: int,
    django_assert_max_num_queries: object,
) -> None:
    token = _start(shop, tree, requisitioner)
    items = [{**FLOUR, "VENDORMAT": f"WEB-{number}"} for number in range(lines)]
    returned = punchout_cart_receive(token=token, body=_oci(*items), content_type=FORM)
    client.force_login(requisitioner)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(f"/webshops/returned/{returned.pk}/")
    assert page_text(response.content).count("Ikke i aftalekataloget") == lines


def test_a_cart_beyond_djangos_form_limits_comes_back_while_other_forms_keep_them(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    items = [{**FLOUR, "VENDORMAT": f"WEB-{number}"} for number in range(200)]  # 1,600 fields
    response = client.post(f"/punchout/return/{token}/", _oci(*items), content_type=FORM)
    assert response.status_code == 303
    assert ReturnedCart.objects.get().lines.count() == 200
    client.force_login(requisitioner)
    crowded = {f"field{number}": "x" for number in range(1001)}
    assert client.post("/cart/add/", crowded).status_code == 400


def test_a_cart_above_the_return_limit_is_refused_whole(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, settings: Any
) -> None:
    settings.PUNCHOUT_RETURN_MAX_BYTES = 1000
    token = _start(shop, tree, requisitioner)
    items = [{**FLOUR, "VENDORMAT": f"WEB-{number}"} for number in range(20)]
    response = client.post(f"/punchout/return/{token}/", _oci(*items), content_type=FORM)
    assert response.status_code == 413
    assert "Kurven er større end 1000 bytes. Intet blev importeret." in page_text(response.content)
    assert not ReturnedCart.objects.exists()


def test_absurd_numbers_refuse_their_lines_and_lose_nothing(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    _cxml_session(shop, tree, requisitioner, "t0k")
    document = (
        _poom_with("website 1")
        .replace('quantity="3"', 'quantity="1e30"', 1)
        .replace('quantity="5"', 'quantity="2"', 1)
        .replace("USD", "DKK")
    )
    first_price = document.index("763.20</Money>\n                    </UnitPrice>")
    document = document[:first_price] + document[first_price:].replace("763.20", "1E+12", 2)
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    returned = punchout_cart_receive(token="t0k", body=body, content_type=FORM)
    assert returned.state == ReturnedCart.State.PENDING
    assert list(returned.lines.values_list("quantity", "unit_price", "refusal")) == [
        (
            Decimal(0),
            Decimal(0),
            "Antallet 1E+30 er mere end de 100000, en linje må rumme.",
        ),
        (
            Decimal(2),
            Decimal(0),
            "Prisen 1E+12 er over de 10000000 kr., Rekvi bestiller en linje til.",
        ),
    ]


def test_a_cart_of_a_thousand_lines_and_more_comes_back(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    items = [{**FLOUR, "VENDORMAT": f"WEB-{number}"} for number in range(1100)]
    returned = punchout_cart_receive(token=token, body=_oci(FLOUR, *items), content_type=FORM)
    assert returned.lines.count() == 1101
    assert returned.lines.get(position=1).agreement_unit_price == Decimal("12.9500")


def test_a_cart_left_pending_is_found_again_from_the_cart_page(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=token, body=_oci(FLOUR), content_type=FORM)
    client.force_login(requisitioner)
    page = client.get(f"/cart/?unit={tree.daycare.pk}").content.decode()
    assert "Kurve fra leverandørers webshops venter på, at du ser dem igennem:" in page
    assert f'href="/webshops/returned/{returned.pk}/"' in page


def test_an_oci_shop_is_not_asked_to_change_lines_it_cannot_receive(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=token, body=_oci(FLOUR), content_type=FORM)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    with pytest.raises(PunchoutError) as caught:
        _start(shop, tree, requisitioner, operation="edit")
    assert (caught.value.code, caught.value.message) == (
        PunchoutErrorCode.NOT_AVAILABLE,
        "Webshoppen hos Grossisten kan ikke vise eller ændre linjer, der allerede er i din kurv "
        "(OCI kan ikke sende dem). Ret dem i kurven, eller handl igen.",
    )


def test_the_procurement_office_reads_returned_carts_without_the_secret(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, assortment_admin: User
) -> None:
    token = _start(shop, tree, requisitioner)
    echoed = "&" + urllib.parse.urlencode({"PASSWORD": SECRET})
    returned = punchout_cart_receive(
        token=token, body=b"broken&" + _oci(FLOUR, extra=echoed), content_type=FORM
    )
    client.force_login(assortment_admin)
    listing = page_text(client.get("/admin/punchout/returnedcart/").content)
    assert "Grossisten" in listing
    detail = client.get(f"/admin/punchout/returnedcart/{returned.pk}/change/")
    assert detail.status_code == 200
    assert SECRET not in urllib.parse.unquote_plus(detail.content.decode())


@pytest.mark.parametrize(
    ("answer", "state", "said"),
    [
        ("inspect", "no_change", "Webshoppen sendte ingen ændringer: din kurv er som før."),
        (
            "status 204",
            "cancelled",
            "Punch-out blev annulleret i webshoppen: den sendte ingen kurv tilbage, og intet blev "
            "lagt i din kurv.",
        ),
        ("empty", "no_change", "Webshoppen sendte en tom kurv: intet blev lagt i din kurv."),
    ],
)
def test_an_inspect_return_a_cancel_or_an_empty_new_cart_changes_nothing_and_says_so(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, answer: str, state: str, said: str
) -> None:
    session = _cxml_session(shop, tree, requisitioner, "look")
    if answer == "inspect":
        PunchoutSession.objects.filter(pk=session.pk).update(operation="inspect")
        document = _poom_with("website 1").replace("USD", "DKK")
    elif answer == "empty":
        document = re.sub(r"<ItemIn .*?</ItemIn>", "", _poom_with("website 1"), flags=re.DOTALL)
    else:
        document = (
            '<?xml version="1.0" encoding="UTF-8"?><cXML payloadID="1@s" timestamp="2026-11-27'
            'T10:00:00+01:00"><Response><Status code="204" text="No Content"/></Response></cXML>'
        )
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    returned = punchout_cart_receive(token="look", body=body, content_type=FORM)
    assert returned.state == state
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert said in page
    assert "Læg" not in page.split(said)[1]
    with pytest.raises(PunchoutError) as caught:
        punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    assert caught.value.code == PunchoutErrorCode.NOT_PENDING
    assert not CartLine.objects.exists()
    assert not returned_cart_list_pending(user=requisitioner, unit=tree.daycare).exists()


def _cancel(document: str, *, empty: bool) -> str:
    """The cart `document` as a shop sends it when the person cancels: Status 204 in its
    Message, with no ItemIn when `empty`, else with the lines as they were."""
    cancelled = document.replace(
        "<Message>", '<Message>\n        <Status code="204" text="No Content"/>'
    )
    if empty:
        cancelled = re.sub(r"<ItemIn .*?</ItemIn>", "", cancelled, flags=re.DOTALL)
    return cancelled


@pytest.mark.parametrize("empty", [True, False], ids=["no items", "items as they were"])
def test_a_cancel_of_an_edit_leaves_the_cart_as_it_was_and_offers_nothing(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, empty: bool
) -> None:
    first = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=first, body=_oci(FLOUR), content_type=FORM)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    before = list(CartLine.objects.values_list("pk", "supplier_item_number", "quantity"))
    session = _cxml_session(shop, tree, requisitioner, "cancel-edit")
    PunchoutSession.objects.filter(pk=session.pk).update(operation="edit")
    document = _cancel(_poom_with("website 1").replace("USD", "DKK"), empty=empty)
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    cancelled = punchout_cart_receive(token="cancel-edit", body=body, content_type=FORM)
    assert (cancelled.state, cancelled.lines.count()) == (ReturnedCart.State.CANCELLED, 0)
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{cancelled.pk}/").content)
    assert (
        "Webshoppen sendte ingen ændringer: punch-out blev annulleret der, og din kurv er som "
        "før." in page
    )
    assert "Fjern" not in page
    assert "Læg" not in page.split("Kurven fra Grossisten")[-1]
    refused = client.post(f"/webshops/returned/{cancelled.pk}/", {"action": "take"}, follow=True)
    assert "Denne kurv er allerede behandlet." in page_text(refused.content)
    assert list(CartLine.objects.values_list("pk", "supplier_item_number", "quantity")) == before
    assert before == [(before[0][0], "FØ-0701", Decimal("4.000"))]


OWN_FIXTURES = PUBLIC_FIXTURES.parent / "rekvi_punchout"
SAMPLE_COOKIE = "1407b4b6011cdee21b689d4cbe55c878"
SIGNED_BY = (
    "Kurven er underskrevet af 001472216_from, en identitet, der ikke er opført for Grossisten. "
    "Dens engangsreturadresse viser, at den kom tilbage fra denne punch-out, så dens linjer kan "
    "bruges. Hvis 001472216_from er webshoppens egen identitet, tilføjer indkøbsafdelingen den "
    "under “identiteter, kurve må komme fra” i punch-out-indstillingerne for Grossisten "
    "(Administration › Leverandører › Grossisten)."
)


def _sample_returned(shop: Shop, tree: Tree, user: User) -> ReturnedCart:
    """The public sample cart signed by its shop (From 001472216_from, To 5168_to), in
    kroner, returned to a grocer Rekvi addresses as 5168_to, whose shared secret it echoes."""
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(punchout_to_identity="5168_to")
    supplier_punchout_secret_set(supplier=shop.flour.supplier, secret="theSharedSecret")
    session = _cxml_session(shop, tree, user, "signed")
    PunchoutSession.objects.filter(pk=session.pk).update(buyer_cookie=SAMPLE_COOKIE)
    document = (OWN_FIXTURES / "poom_unspsc_dkk.xml").read_text()
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    return punchout_cart_receive(token="signed", body=body, content_type=FORM)


def test_a_shop_signing_its_cart_with_its_own_identity_is_kept_with_a_finding(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    returned = _sample_returned(shop, tree, requisitioner)
    assert (returned.state, returned.problem, returned.unlisted_identities) == (
        ReturnedCart.State.PENDING,
        "",
        ["001472216_from"],
    )
    assert (returned.currency, returned.total) == ("DKK", Decimal("1919.05"))
    assert list(
        returned.lines.values_list("supplier_item_number", "quantity", "classification", "refusal")
    ) == [
        ("T9TB402299", Decimal(1), "31161500", ""),
        ("T9TB402463", Decimal(10), "31161500", ""),
        ("T9TB1309598", Decimal(1), "24111802", ""),
    ]
    assert b"theSharedSecret" not in bytes(returned.raw)
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert SIGNED_BY in page
    taken = client.post(f"/webshops/returned/{returned.pk}/", {"action": "take"}, follow=True)
    assert "3 linjer fra Grossisten er i din kurv." in page_text(taken.content)
    assert list(CartLine.objects.values_list("supplier_item_number", flat=True)) == [
        "T9TB402299",
        "T9TB402463",
        "T9TB1309598",
    ]


def test_an_identity_the_procurement_office_accepts_signs_carts_without_a_finding(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    supplier_punchout_identity_accept(supplier=shop.flour.supplier, identity=" 001472216_FROM ")
    assert Supplier.objects.get(pk=shop.flour.supplier_id).punchout_cart_identities == [
        "001472216_FROM"
    ]
    returned = _sample_returned(shop, tree, requisitioner)
    assert (returned.state, returned.unlisted_identities) == (ReturnedCart.State.PENDING, [])
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert "underskrevet" not in page
    assert "Læg 3 linjer i kurven" in page


def test_a_cart_from_an_unlisted_identity_is_refused_where_the_supplier_says_so(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(
        punchout_unlisted_identity=Supplier.UnlistedIdentity.REFUSE
    )
    returned = _sample_returned(shop, tree, requisitioner)
    assert (returned.state, returned.unlisted_identities, returned.lines.count()) == (
        ReturnedCart.State.UNREADABLE,
        ["001472216_from"],
        0,
    )
    assert returned.problem == (
        "Kurven er underskrevet af 001472216_from, en identitet, der ikke er opført for "
        "Grossisten, og leverandørens indstillinger afviser sådanne kurve. Hvis 001472216_from er "
        "webshoppens egen identitet, tilføjer indkøbsafdelingen den under “identiteter, kurve må "
        "komme fra” i punch-out-indstillingerne for Grossisten (Administration › Leverandører › "
        "Grossisten)."
    )
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert returned.problem in page
    assert "Intet blev lagt i din kurv." in page


@pytest.mark.parametrize("refuse", [False, True], ids=["flagged", "refused"])
def test_an_oci_cart_whose_vendor_is_not_the_to_identity_is_treated_the_same(
    shop: Shop, tree: Tree, requisitioner: User, refuse: bool, danish: None
) -> None:
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(
        punchout_to_identity="GROSSISTEN-29900999",
        punchout_cart_identities=["100042"],
        punchout_unlisted_identity="refuse" if refuse else "flag",
    )
    token = _start(shop, tree, requisitioner)
    body = _oci(
        {**FLOUR, "VENDOR": "100042"},
        {**FLOUR, "VENDORMAT": "WEB-1", "VENDOR": "0000471100"},
        {**FLOUR, "VENDORMAT": "WEB-2", "VENDOR": "grossisten-29900999"},
    )
    returned = punchout_cart_receive(token=token, body=body, content_type=FORM)
    assert returned.unlisted_identities == ["0000471100"]
    if refuse:
        assert (returned.state, returned.lines.count()) == (ReturnedCart.State.UNREADABLE, 0)
        assert returned.problem.startswith(
            "Kurven er underskrevet af 0000471100, en identitet, der ikke er opført for "
            "Grossisten, og leverandørens indstillinger afviser sådanne kurve."
        )
        assert returned_cart_identity_note(returned) == ""
    else:
        assert returned.state == ReturnedCart.State.PENDING
        assert list(returned.lines.values_list("refusal", flat=True)) == ["", "", ""]
        assert returned_cart_identity_note(returned) == SIGNED_BY.replace(
            "001472216_from", "0000471100"
        )


def test_a_shop_whose_settings_name_no_identity_is_not_flagged_for_naming_its_vendor(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    # OCI shops seldom have a To identity, and send NEW_ITEM-VENDOR all the same
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(
        punchout_to_identity="", punchout_cart_identities=[], punchout_unlisted_identity="refuse"
    )
    token = _start(shop, tree, requisitioner)

    returned = punchout_cart_receive(
        token=token, body=_oci({**FLOUR, "VENDOR": "0000471100"}), content_type=FORM
    )

    assert (returned.state, returned.unlisted_identities) == (ReturnedCart.State.PENDING, [])
    assert returned_cart_identity_note(returned) == ""


def test_an_oci_shop_left_without_a_cart_changes_nothing(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    # OCI has no cancel: the shop posts its hook back without a single NEW_ITEM field
    token = _start(shop, tree, requisitioner)

    returned = punchout_cart_receive(token=token, body=b"~caller=CTLG", content_type=FORM)

    assert (returned.state, returned.problem, returned.lines.count()) == (
        ReturnedCart.State.NO_CHANGE,
        "",
        0,
    )


def test_the_procurement_office_sees_who_signed_a_cart_and_where_to_accept_it(
    client: Client, shop: Shop, tree: Tree, requisitioner: User, assortment_admin: User
) -> None:
    returned = _sample_returned(shop, tree, requisitioner)
    client.force_login(assortment_admin)
    listing = client.get("/admin/punchout/returnedcart/").content.decode()
    assert SIGNED_BY in page_text(listing.encode())
    link = f'<a href="/admin/catalog/supplier/{shop.flour.supplier_id}/change/">'
    assert f"{link}Åbn punch-out-indstillingerne for Grossisten</a>" in listing
    detail = page_text(client.get(f"/admin/punchout/returnedcart/{returned.pk}/change/").content)
    assert SIGNED_BY in detail


def test_an_empty_cart_from_an_edit_removes_the_suppliers_lines(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    first = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=first, body=_oci(FLOUR), content_type=FORM)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    session = _cxml_session(shop, tree, requisitioner, "empty-edit")
    PunchoutSession.objects.filter(pk=session.pk).update(operation="edit")
    document = re.sub(r"<ItemIn .*?</ItemIn>", "", _poom_with("website 1"), flags=re.DOTALL)
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    emptied = punchout_cart_receive(token="empty-edit", body=body, content_type=FORM)
    assert emptied.state == ReturnedCart.State.PENDING
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{emptied.pk}/").content)
    assert (
        "Webshoppen sendte kurven tilbage tom. Bekræft for at fjerne linjerne fra Grossisten fra "
        "din kurv, eller læg den tomme kurv til side for at beholde dem. Fjern linjerne fra "
        "Grossisten fra kurven" in page
    )
    assert CartLine.objects.count() == 1  # until the person confirms
    client.post(f"/webshops/returned/{emptied.pk}/", {"action": "take"})
    assert not CartLine.objects.exists()


def test_an_oci_cart_is_classified_by_the_unspsc_code_in_its_category_fields(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    wine = {
        **FLOUR,
        "VENDORMAT": "WEB-4",
        "DESCRIPTION": "Rødvin",
        "EXT_SCHEMA_TYPE": "UNSPSC",
        "EXT_CATEGORY_ID": "50202201",
    }
    paper = {**wine, "VENDORMAT": "WEB-5", "DESCRIPTION": "Papir", "EXT_CATEGORY_ID": "14111507"}
    returned = punchout_cart_receive(token=token, body=_oci(wine, paper), content_type=FORM)
    assert list(
        returned.lines.values_list("supplier_item_number", "classification", "refusal")
    ) == [
        ("WEB-4", "50202201", "Kategori 50202201 kan ikke købes gennem denne webshop."),
        ("WEB-5", "14111507", ""),
    ]


def test_a_line_in_another_currency_or_none_is_refused_and_shown_in_its_own(
    client: Client, shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    euro = {**FLOUR, "VENDORMAT": "WEB-2", "DESCRIPTION": "Importvin", "CURRENCY": "eur"}
    unpriced = {key: value for key, value in FLOUR.items() if key != "CURRENCY"}
    unpriced.update(VENDORMAT="WEB-3", DESCRIPTION="Bakke")
    returned = punchout_cart_receive(
        token=token, body=_oci(FLOUR, euro, unpriced), content_type=FORM
    )
    assert (returned.currency, returned.total) == ("", None)  # no one currency, no total
    assert list(returned.lines.values_list("supplier_item_number", "currency", "refusal")) == [
        ("FØ-0701", "DKK", ""),
        ("WEB-2", "EUR", "Prisen er i EUR; Rekvi bestiller kun i danske kroner."),
        (
            "WEB-3",
            "",
            "Prisen angiver ingen valuta; Rekvi bestiller kun i danske kroner og går ikke ud "
            "fra dem.",
        ),
    ]
    client.force_login(requisitioner)
    page = page_text(client.get(f"/webshops/returned/{returned.pk}/").content)
    assert "Hvedemel, 2 kg varenr. FØ-0701 · leveres på 2 dage 4 stk. 11,50 kr. aftalepris" in page
    assert "Importvin varenr. WEB-2 · leveres på 2 dage 4 stk. 11,50 EUR Afvist:" in page
    assert "Bakke varenr. WEB-3 · leveres på 2 dage 4 stk. 11,50 (ingen valuta) Afvist:" in page
    assert "EUR)" not in page


def test_an_oci_carts_currency_and_total_are_its_lines(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(
        token=token, body=_oci(FLOUR, {**FLOUR, "VENDORMAT": "WEB-1"}), content_type=FORM
    )
    assert (returned.currency, returned.total) == ("DKK", Decimal("92.00"))


def test_a_punch_out_lines_unspsc_code_travels_to_the_order_and_back_to_the_shop(
    shop: Shop, tree: Tree, requisitioner: User, approver: User
) -> None:
    taken = punchout_cart_take(
        returned=_sample_returned(shop, tree, requisitioner), user=requisitioner, on=TODAY
    )
    assert [line.unspsc_code for line in taken] == ["31161500", "31161500", "24111802"]
    cart = cart_get_for(user=requisitioner, unit=tree.daycare)
    cart.lines.exclude(pk=taken[2].pk).delete()  # eleven fuel cart caddies, above the limit
    cart.lines.update(quantity=11)
    [order] = cart_checkout(
        cart=cart,
        choices=CheckoutChoices(delivery_address=shop.address, cost_centre=shop.centre),
        on=TODAY,
    )
    assert list(order.lines.values_list("supplier_item_number", "unspsc_code")) == [
        ("T9TB1309598", "24111802")
    ]
    order_send_back(order=order, by=approver, reason="Forkert vogn")
    [back] = CartLine.objects.filter(cart=cart)
    assert (back.supplier_item_number, back.unspsc_code) == ("T9TB1309598", "24111802")
    session = _cxml_session(shop, tree, requisitioner, "edit-it")
    PunchoutSession.objects.filter(pk=session.pk).update(operation="edit")
    session.refresh_from_db()
    document = setup_request(session, "https://rekvi.testby.example/punchout/return/t/", [back])
    item = safexml.parse(document).root.find("Request/PunchOutSetupRequest/ItemOut")
    assert item is not None
    assert [
        (classification.get("domain"), classification.text)
        for classification in item.findall("ItemDetail/Classification")
    ] == [("UNSPSC", "24111802")]
