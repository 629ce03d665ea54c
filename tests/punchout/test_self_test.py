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
