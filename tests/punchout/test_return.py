"""A punch-out cart coming back: single-use tokens, the checks on every line, the review by its
owner only, and the lines joining the cart."""

from __future__ import annotations

import urllib.parse
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import Supplier
from catalog.services import supplier_punchout_secret_set
from orders.models import CartLine
from org.models import User
from punchout.models import PunchoutSession, ReturnedCart
from punchout.services import (
    PunchoutError,
    PunchoutErrorCode,
    punchout_cart_receive,
    punchout_cart_take,
    punchout_session_start,
)
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
            "Enheden “STK” er ikke en enhed, Rekvi kender (unit 'STK' is not UN/ECE Rec 20 — did "
            "you mean H87/EA?).",
        ),
        (
            "WEB-4",
            Decimal("11.5000"),
            None,
            "Kategori 50202201 kan ikke købes gennem denne webshop.",
        ),
    ]
    assert returned.lines.get(position=1).warnings == [
        "Webshoppens pris 11,50 kr. afviger fra aftalens 12,95 kr. (-11,2 %); ordregrænsen regner "
        "med den højeste."
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


def test_the_shared_secret_is_never_kept_in_the_stored_message(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    token = _start(shop, tree, requisitioner)
    echoed = "&" + urllib.parse.urlencode({"PASSWORD": SECRET, "NOTE": SECRET})
    returned = punchout_cart_receive(token=token, body=_oci(FLOUR, extra=echoed), content_type=FORM)
    raw = bytes(returned.raw)
    for form in (SECRET, urllib.parse.quote(SECRET), urllib.parse.quote_plus(SECRET)):
        assert form.encode() not in raw
    assert b"PASSWORD=[redacted]" in raw


def test_an_unreadable_cart_is_kept_with_the_reason_and_no_lines(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    token = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=token, body=b"NOTHING=here", content_type=FORM)
    assert returned.state == ReturnedCart.State.UNREADABLE
    assert returned.problem.startswith("Kurven kunne ikke læses: ")
    assert bytes(returned.raw) == b"NOTHING=here"
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


def test_an_edit_return_replaces_the_suppliers_lines(
    shop: Shop, tree: Tree, requisitioner: User
) -> None:
    first = _start(shop, tree, requisitioner)
    returned = punchout_cart_receive(token=first, body=_oci(FLOUR), content_type=FORM)
    punchout_cart_take(returned=returned, user=requisitioner, on=TODAY)
    edit = _start(shop, tree, requisitioner, operation="edit")
    changed = punchout_cart_receive(
        token=edit, body=_oci({**FLOUR, "QUANTITY": "9"}), content_type=FORM
    )
    punchout_cart_take(returned=changed, user=requisitioner, on=TODAY)
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [Decimal("9.000")]


def test_a_cxml_cart_from_another_punch_out_is_refused(
    shop: Shop, tree: Tree, requisitioner: User, danish: None
) -> None:
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(punchout_protocol="cxml")
    session = PunchoutSession.objects.create(
        municipality=tree.municipality,
        user=requisitioner,
        unit=tree.daycare,
        supplier=shop.flour.supplier,
        protocol="cxml",
        token_hash="0" * 64,
        buyer_cookie="this-session",
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    document = (PUBLIC_FIXTURES / "cxml" / "PunchOutOrderMessage_friendsofcxml.xml").read_bytes()
    body = urllib.parse.urlencode({"cxml-urlencoded": document.decode()}).encode()
    from punchout import services

    PunchoutSession.objects.filter(pk=session.pk).update(token_hash=services.token_hash("t0k"))
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
