"""The supplier self-test's report on the test cart an administrator sends back."""

from __future__ import annotations

import re
import urllib.parse
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Supplier
from org.models import User
from punchout.models import PunchoutSession, ReturnedCart
from punchout.services import punchout_cart_receive, self_test_cart_findings, token_hash
from tests.conftest import PUBLIC_FIXTURES, Tree
from tests.factories.orders import Shop, grocery

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def shop(tree: Tree) -> Shop:
    made = grocery(tree)
    Supplier.objects.filter(pk=made.flour.supplier_id).update(
        punchout_protocol=Supplier.PunchoutProtocol.CXML,
        punchout_url="https://shop.grossisten.example/cxml/setup",
        punchout_to_identity="83528721",  # the sample cart's From
    )
    made.flour.supplier.refresh_from_db()
    return made


def _self_test(shop: Shop, tree: Tree, admin: User, token: str) -> PunchoutSession:
    """An open self-test of the grocer's cXML shop whose return URL carries `token`."""
    return PunchoutSession.objects.create(
        municipality=tree.municipality,
        user=admin,
        unit=None,
        supplier=shop.flour.supplier,
        protocol="cxml",
        purpose=PunchoutSession.Purpose.SELF_TEST,
        token_hash=token_hash(token),
        buyer_cookie="1CX3L4843PPZO",
        expires_at=timezone.now() + timedelta(minutes=5),
    )


def _returned(document: str) -> ReturnedCart:
    body = urllib.parse.urlencode({"cxml-urlencoded": document}).encode()
    return punchout_cart_receive(token="test-cart", body=body, content_type=FORM)


def _sample() -> str:
    path = PUBLIC_FIXTURES / "cxml" / "PunchOutOrderMessage_friendsofcxml.xml"
    return path.read_text().replace("USD", "DKK")


@pytest.mark.parametrize(
    ("answer", "state", "finding"),
    [
        (
            "status 204",
            ReturnedCart.State.CANCELLED,
            "Webshoppen sendte cXML-status 204 (punch-out blev annulleret), så der er ingen kurv "
            "at kontrollere. Test igen, og send en kurv med mindst én linje.",
        ),
        (
            "empty",
            ReturnedCart.State.NO_CHANGE,
            "Kurven kom tom tilbage. Test igen, og send en kurv med mindst én linje.",
        ),
    ],
)
def test_a_cancelled_or_empty_test_cart_is_reported_as_nothing_to_check(
    shop: Shop,
    tree: Tree,
    municipality_admin: User,
    answer: str,
    state: ReturnedCart.State,
    finding: str,
    danish: None,
) -> None:
    _self_test(shop, tree, municipality_admin, "test-cart")
    document = re.sub(r"<ItemIn .*?</ItemIn>", "", _sample(), flags=re.DOTALL)
    if answer == "status 204":
        document = document.replace("<Message>", '<Message><Status code="204" text="No Content"/>')
    returned = _returned(document)
    assert returned.state == state
    assert self_test_cart_findings(returned=returned) == [{"ok": False, "text": finding}]


def test_a_test_cart_signed_by_an_unlisted_identity_says_which_and_where_to_add_it(
    shop: Shop, tree: Tree, municipality_admin: User, danish: None
) -> None:
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(punchout_to_identity="65652314")
    _self_test(shop, tree, municipality_admin, "test-cart")
    returned = _returned(_sample())
    assert self_test_cart_findings(returned=returned)[0] == {
        "ok": False,
        "text": "Kurven er underskrevet af 83528721, en identitet, der ikke er opført for "
        "Grossisten. Dens engangsreturadresse viser, at den kom tilbage fra denne punch-out, så "
        "dens linjer kan bruges. Hvis 83528721 er webshoppens egen identitet, tilføjer "
        "indkøbsafdelingen den under “identiteter, kurve må komme fra” i "
        "punch-out-indstillingerne for Grossisten (Administration › Leverandører › Grossisten).",
    }
    Supplier.objects.filter(pk=shop.flour.supplier_id).update(punchout_cart_identities=["83528721"])
    returned.session.supplier.refresh_from_db()
    _self_test(shop, tree, municipality_admin, "second-cart")
    body = urllib.parse.urlencode({"cxml-urlencoded": _sample()}).encode()
    again = punchout_cart_receive(token="second-cart", body=body, content_type=FORM)
    assert [finding["text"] for finding in self_test_cart_findings(returned=again)] == [
        "Linje 1 (5555): Ikke i aftalekataloget: webshoppens pris kan ikke sammenlignes.",
        "Linje 2 (666): Ikke i aftalekataloget: webshoppens pris kan ikke sammenlignes.",
    ]
