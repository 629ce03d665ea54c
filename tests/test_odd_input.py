"""Odd input never answers 500: every page and API endpoint of the URLconf, walked recursively
(a new endpoint joins by being routed), gets values that hand parsing trips on - digits that
`str.isdigit()` accepts and `int()` refuses, numbers beyond 64 bits, a NUL that PostgreSQL
cannot store - in its path, its query string and its form or JSON body, as people of several
roles. A value that is wrong answers 4xx (or is ignored: 2xx/3xx), never 5xx."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from catalog.models import Supplier
from catalog.services import supplier_punchout_secret_set
from orders.services import (
    cart_get_for,
    cart_line_add,
    delegation_create,
    favourite_line_add,
    favourite_list_create,
    package_create,
)
from org.models import Role, User
from punchout.models import ReturnedCart
from punchout.services import punchout_session_start
from tests.conftest import Tree
from tests.factories.orders import Shop, eggs_and_flour_order, grocery
from tests.factories.org import UserFactory, grant

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"

#: Values that hand-written parsing gets wrong.
SUPERSCRIPT = "²"  # str.isdigit() says yes, int() says no
CIRCLED = "①"  # likewise
BEYOND_64_BITS = str(2**64)
HUGE = str(10**30)
BEYOND_BIGINT = str(2**63)  # one past the largest id PostgreSQL stores
NUL = "a\x00b"  # PostgreSQL stores no NUL in text
ODD_VALUES = (SUPERSCRIPT, CIRCLED, BEYOND_64_BITS, HUGE, BEYOND_BIGINT, "-1", NUL)
#: The few sent to one field at a time (the rest go to all fields at once).
ONE_AT_A_TIME = (SUPERSCRIPT, BEYOND_64_BITS, NUL)

#: Query parameters the pages and the API read (filters, paging, choices).
QUERY_NAMES = (
    "unit",
    "page",
    "offset",
    "month",
    "supplier",
    "agreement",
    "category",
    "status",
    "q",
    "show",
    "next",
    "product",
    "description",
    "eco_label",
    "besked",
    "fault",
)
#: Form and JSON fields the pages and the API read.
BODY_NAMES = (
    "unit",
    "product",
    "quantity",
    "supplier",
    "favourite_list",
    "revision",
    "groups",
    "position",
    "line",
    "reason",
    "account",
    "description",
    "personreference",
    "note_to_supplier",
    "supplier_item_number",
    "link",
    "default_quantity",
    "estimated_unit_price",
    "unit_code",
    "delivery_address",
    "cost_centre",
    "requested_delivery_date",
    "delegate",
    "starts_on",
    "ends_on",
    "sku",
    "name",
    "quantity-1",
    "received-1",
    "unit-1",
    "source-0",
    "key-0",
    "group-0",
)
#: Fields that choose what a form does: sent with each of their meaningful values.
ACTIONS = ("remove", "discard", "reject", "approve", "send_back")


@dataclass(frozen=True)
class Route:
    pattern: str  # a regular expression of the path
    parameters: list[str]
    ours: bool  # Rekvi's view, not one of Django's own (the admin site's, the schema's)


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[Route]:
    """Every route of the URLconf."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + entry.pattern.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
        if isinstance(entry, URLResolver):
            yield from _routes(entry, pattern)
        else:
            assert isinstance(entry, URLPattern)
            module = getattr(entry.callback, "__module__", "") or ""
            yield Route(
                pattern,
                list(entry.pattern.regex.groupindex),
                ours=module.split(".")[0] not in ("django", "drf_spectacular", "rest_framework"),
            )


ROUTES = sorted({route.pattern: route for route in _routes()}.values(), key=str)


def _group(pattern: str) -> str:
    """Routes of one resource go together (one set-up for all): the path up to its first
    parameter, at most three segments deep."""
    fixed = pattern.split("(?P", 1)[0]
    return "/".join(fixed.split("/")[:3])


#: The routes by group, for one test each.
GROUPS: dict[str, list[Route]] = {}
for _route in ROUTES:
    GROUPS.setdefault(_group(_route.pattern), []).append(_route)


def _fill(pattern: str, values: dict[str, str]) -> str:
    """The path of a route with its parameters set; the language prefix of pages left out."""

    def one(match: re.Match[str]) -> str:
        return values[match.group(1)]

    path = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", one, pattern)
    path = path.replace(r"\.", ".").replace("\\", "")
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)  # i18n: the default language has no prefix
    return "/" + path


@dataclass
class World:
    """Something of each kind for the paths to name, so that a body is read past its lookup."""

    people: dict[str, User]
    ids: dict[str, str]


@pytest.fixture
def world(tree: Tree) -> World:
    shop: Shop = grocery(tree)
    requisitioner = UserFactory.create(municipality=tree.municipality, username="rekvirent")
    grant(requisitioner, tree.daycare, Role.REQUISITIONER, order_limit="3000.00")
    approver = UserFactory.create(municipality=tree.municipality, username="godkender")
    grant(
        approver,
        tree.children_dept,
        Role.APPROVER,
        subtree=True,
        order_limit="25000.00",
        approval_limit="50000.00",
    )
    stand_in = UserFactory.create(municipality=tree.municipality, username="stedfortraeder")
    grant(stand_in, tree.children_dept, Role.APPROVER, subtree=True, approval_limit="50000.00")
    buyer = UserFactory.create(municipality=tree.municipality, username="indkoeber")
    grant(buyer, tree.root, Role.BUYER, subtree=True, order_limit="100000.00")
    curator = UserFactory.create(municipality=tree.municipality, username="indkoebskonsulent")
    grant(curator, tree.root, Role.ASSORTMENT_ADMIN, subtree=True)
    admin = UserFactory.create(municipality=tree.municipality, username="admin")
    grant(admin, tree.root, Role.MUNICIPALITY_ADMIN, subtree=True)
    today = timezone.localdate()
    order = eggs_and_flour_order(shop, tree, requisitioner, "56", today)
    line = cart_line_add(
        cart=cart_get_for(user=requisitioner, unit=tree.daycare),
        product_id=shop.milk.pk,
        quantity="3",
        on=today,
    )
    favourites = favourite_list_create(owner=requisitioner, unit=tree.daycare, name="Kaffe")
    favourite = favourite_line_add(
        favourite_list=favourites, by=requisitioner, product_id=shop.milk.pk, quantity="2", on=today
    )
    package = package_create(by=buyer, name="Bagepakke", lines=[(shop.flour.pk, Decimal(1))])
    delegation = delegation_create(
        approver=approver,
        delegate=stand_in,
        starts_on=today,
        ends_on=today + timedelta(days=7),
        today=today,
    )
    return World(
        people={
            "requisitioner": requisitioner,
            "approver": approver,
            "buyer": buyer,
            "procurement officer": curator,
            "municipality admin": admin,
        },
        ids={
            "unit_id": str(tree.daycare.pk),
            "line_id": str(line.pk),
            "number": order.number,
            "list_id": str(favourites.pk),
            "favourite_line_id": str(favourite.pk),
            "package_id": str(package.pk),
            "delegation_id": str(delegation.pk),
            "supplier_id": str(shop.flour.supplier_id),
            "supplier": "kontorhuset",
            "object_id": str(order.pk),
        },
    )


def _real_path(pattern: str, parameters: list[str], world: World) -> str:
    values = {name: world.ids.get(name, "1") for name in parameters}
    if "list_id" in parameters and "line_id" in parameters:
        values["line_id"] = world.ids["favourite_line_id"]
    return _fill(pattern, values)


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _admitted(client: Client, path: str) -> list[str]:
    """The methods a person gets past the door with: not sent to log in, not refused, not
    405. A method whose empty request already fails is kept, to be reported."""
    methods = []
    for method in ("get", "post", "patch") if path.startswith("/api/") else ("get", "post"):
        answer = getattr(client, method)(path)
        if answer.status_code >= 500 or (
            answer.status_code not in (401, 403, 405)
            and "/login/" not in answer.get("Location", "")
        ):
            methods.append(method)
    return methods


def _failures(client: Client, method: str, path: str, **data: Any) -> list[str]:
    answer = getattr(client, method)(path, **data)
    if answer.status_code >= 500:
        sent = data.get("data", "")
        return [f"{method.upper()} {path!r} {str(sent)[:120]!r} -> {answer.status_code}"]
    return []


class _ReadNames:
    """The names a view looks up in request.GET or request.POST while it is watched: the
    parameters it reads by hand, which get odd values one at a time (a form or a serializer
    reads every field it has at once, so one request with all of them odd covers it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: set[str] = set()
        self.watching = False
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            self._watch(monkeypatch, method)

    def _watch(self, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
        original = getattr(QueryDict, method)
        watcher = self

        def watched(querydict: QueryDict, key: str, *args: Any) -> Any:
            if watcher.watching:
                watcher.names.add(key)
            return original(querydict, key, *args)

        monkeypatch.setattr(QueryDict, method, watched)

    def during(self, client: Client, method: str, path: str, **data: Any) -> set[str]:
        self.names, self.watching = set(), True
        try:
            getattr(client, method)(path, **data)
        finally:
            self.watching = False
        return self.names


def _probe(
    client: Client,
    pattern: str,
    parameters: list[str],
    world: World,
    read: _ReadNames,
    *,
    methods: list[str],
    thorough: bool,
) -> list[str]:
    """Odd values in the path, then, where the person gets in, in the query string and the
    body: to every common name at once, and (`thorough`, for the first person let in) to each
    name the view reads by hand, one at a time."""
    failures: list[str] = []
    path = _real_path(pattern, parameters, world)
    values = ODD_VALUES if thorough else ONE_AT_A_TIME
    for value in values if parameters else ():
        odd_path = _fill(pattern, dict.fromkeys(parameters, value))
        if re.fullmatch(pattern, odd_path.lstrip("/")):  # a converter lets it through
            for method in methods or ["get"]:
                failures += _failures(client, method, odd_path)
    is_api = path.startswith("/api/")
    if "get" in methods:
        for value in values:
            failures += _failures(client, "get", path, data=dict.fromkeys(QUERY_NAMES, value))
        if thorough:
            for name in sorted(read.during(client, "get", path) - {"csrfmiddlewaretoken"}):
                for value in ONE_AT_A_TIME:
                    failures += _failures(client, "get", path, data={name: value})
    for method in [method for method in methods if method != "get"]:
        bodies: list[dict[str, Any]] = [dict.fromkeys(BODY_NAMES, value) for value in values]
        if is_api:
            bodies += [
                {name: {value: "1"}}
                for name in ("quantities", "counts", "received")
                for value in values
            ]
            for body in bodies:
                failures += _failures(
                    client, method, path, data=json.dumps(body), content_type="application/json"
                )
            continue
        if thorough:
            bodies += [
                {**dict.fromkeys(BODY_NAMES, value), "action": action}
                for action in ACTIONS
                for value in (SUPERSCRIPT, NUL)
            ]
            sane = dict.fromkeys(BODY_NAMES, "1")
            for name in sorted(read.during(client, method, path, data=sane)):
                # alone, and with the other fields sane (a view may look at those first)
                bodies += [{name: value} for value in ONE_AT_A_TIME]
                bodies += [{**sane, name: value} for value in ONE_AT_A_TIME]
        for body in bodies:
            failures += _failures(client, method, path, data=body)
        failures += _failures(
            client,
            method,
            path,
            data="product=1&quantity=2",  # encoded in UTF-16 by the test client
            content_type=f"{FORM}; charset=utf-16",
        )
    return failures


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_odd_input_never_answers_a_server_error(
    world: World, group: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each route of the group as each person let in: Rekvi's own views thoroughly as the
    first, and with the sharpest values as the others and in Django's own views (the admin
    site's forms read every field at once)."""
    read = _ReadNames(monkeypatch)
    failures = []
    for route in GROUPS[group]:
        thorough = route.ours
        for user in world.people.values():
            client = _client(user)
            methods = _admitted(client, _real_path(route.pattern, route.parameters, world))
            if not methods:
                continue  # turned away at the door: nothing of the request is read
            failures += _probe(
                client,
                route.pattern,
                route.parameters,
                world,
                read,
                methods=methods,
                thorough=thorough,
            )
            thorough = False
    assert failures == []


def test_the_walk_covers_pages_api_and_returns() -> None:
    paths = [route.pattern for route in ROUTES]
    assert any(path.startswith("api/v1/orders/") for path in paths)
    assert any("punchout/return" in path for path in paths)
    assert len(paths) > 60


# --- The punch-out return: a supplier's shop posts whatever it posts ----------------------------

SECRET = "s3cret&key"
FLOUR = {
    "DESCRIPTION": "Hvedemel, 2 kg",
    "VENDORMAT": "FØ-0701",
    "QUANTITY": "4",
    "UNIT": "EA",
    "PRICE": "11.50",
    "PRICEUNIT": "1",
    "CURRENCY": "DKK",
}


@pytest.fixture
def oci_token(tree: Tree, requisitioner: User) -> str:
    """The token of an OCI punch-out to the grocer, started by the requisitioner."""
    shop = grocery(tree)
    grocer = shop.flour.supplier
    Supplier.objects.filter(pk=grocer.pk).update(
        punchout_protocol=Supplier.PunchoutProtocol.OCI,
        punchout_url="https://shop.grossisten.example/oci",
        punchout_username="testby",
    )
    grocer.refresh_from_db()
    supplier_punchout_secret_set(supplier=grocer, secret=SECRET)
    started = punchout_session_start(
        user=requisitioner,
        unit=tree.daycare,
        supplier=grocer,
        return_base_url="https://rekvi.testby.example/",
        on=timezone.localdate(),
    )
    hook = dict(started.form_fields)["HOOK_URL"]
    return hook.removeprefix("https://rekvi.testby.example/").strip("/").split("/")[-1]


def _oci(**item: str) -> bytes:
    return urllib.parse.urlencode(
        [(f"NEW_ITEM-{name}[1]", value) for name, value in item.items()]
    ).encode()


def test_a_nul_in_an_oci_description_keeps_the_cart_as_unreadable_saying_where(
    client: Client, oci_token: str, danish: None
) -> None:
    answer = client.post(
        f"/punchout/return/{oci_token}/",
        data=_oci(**{**FLOUR, "DESCRIPTION": "Hvedemel\x00, 2 kg"}),
        content_type=FORM,
    )
    assert answer.status_code == 303
    returned = ReturnedCart.objects.get()
    assert (returned.state, returned.lines.count(), returned.problem) == (
        ReturnedCart.State.UNREADABLE,
        0,
        "Kurven kunne ikke læses: NEW_ITEM-DESCRIPTION[1]: field 1 holds a NUL character "
        "(byte 0x00), which is not text",
    )


def test_a_form_posted_as_utf_16_to_the_return_is_kept_as_unreadable(
    client: Client, oci_token: str, danish: None
) -> None:
    # the test client encodes a text body in the charset the content type names
    body = urllib.parse.urlencode([(f"NEW_ITEM-{name}[1]", value) for name, value in FLOUR.items()])
    answer = client.post(
        f"/punchout/return/{oci_token}/", data=body, content_type=f"{FORM}; charset=utf-16"
    )
    assert answer.status_code == 303
    returned = ReturnedCart.objects.get()
    assert (returned.state, returned.lines.count(), returned.problem) == (
        ReturnedCart.State.UNREADABLE,
        0,
        "Kurven kunne ikke læses: a form cannot be written in utf-16, whose & and = are not "
        "single bytes; post it as UTF-8 or ISO-8859-1",
    )


def test_a_content_length_int_cannot_read_is_refused_as_too_large(
    client: Client, oci_token: str, danish: None
) -> None:
    answer = client.post(
        f"/punchout/return/{oci_token}/", data=_oci(**FLOUR), content_type=FORM, CONTENT_LENGTH="²"
    )
    assert answer.status_code == 413
