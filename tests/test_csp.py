"""Every page of Rekvi carries the Content-Security-Policy: scripts, styles and everything else
from Rekvi's own origin only, no inline script, never framed, forms posted only to Rekvi. The
pages are found, not listed: each demo person follows the links of every page they can see, and
then every route of the URLconf is asked for once more with made-up values (its error pages are
pages too). A page that posts to a supplier's web shop also allows that shop's origin."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from catalog.models import Supplier
from org.models import User
from tests.urlconf import urlconf_routes

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
DEMO_LOGINS = ("rekvirent", "indkoeber", "godkender", "indkoebskonsulent", "oekonomi", "admin")
#: Links a crawl must not follow: they change something, or leave the person's session.
NOT_FOLLOWED = re.compile(r"^/(en/)?(logout/|static/)|/file/$")
PER_ROUTE = 2  # pages of one route a person visits (an order list links to many orders)


def _policy(header: str | None) -> dict[str, str]:
    """A policy as directive -> sources (django-csp writes the directives in no fixed order)."""
    policy = {}
    for part in (header or "").split(";"):
        directive, _space, sources = part.strip().partition(" ")
        if directive:
            policy[directive] = sources
    return policy


def _route_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return str(match.view_name)


def _checked(path: str, response: Any, seen: list[str]) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    seen.append(path)
    assert _policy(response.get("Content-Security-Policy")) == _policy(POLICY), path


def _crawl(client: Client, seen: list[str]) -> set[str]:
    """Every page a person reaches by following links from the front page (both languages)."""
    queue, visited = ["/", "/en/"], set()
    per_route: Counter[str] = Counter()
    while queue:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = client.get(path)
        _checked(path, response, seen)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            link = urlsplit(href.replace("&amp;", "&"))
            if link.netloc or not link.path.startswith("/") or NOT_FOLLOWED.search(link.path):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            name = _route_name(link.path)
            if target not in visited and name and per_route[name] < PER_ROUTE:
                per_route[name] += 1
                queue.append(target)
    return {_route_name(urlsplit(path).path) for path in visited}


def test_every_page_of_the_urlconf_has_the_policy(client: Client) -> None:
    call_command("seed_demo", verbosity=0)
    seen: list[str] = []
    reached: set[str] = set()
    for username in DEMO_LOGINS:
        client.force_login(User.objects.get(username=username))
        reached |= _crawl(client, seen)
    client.force_login(User.objects.get(username="admin"))
    routes = urlconf_routes()
    for route in routes:
        path = route.fill()
        _checked(path, client.get(path), seen)
        _checked(path, client.post(path), seen)
    client.logout()
    for route in routes:  # and as someone not signed in (the login page, the error pages)
        _checked(route.fill(), client.get(route.fill()), seen)
    # the crawl reached the pages people use, with real objects behind them
    assert {
        "shop:home",
        "shop:cart",
        "shop:approval_queue",
        "shop:punchout_suppliers",
        "shop:catalogue_imports",
        "shop:assortment_unit",
        "shop:package_detail",
        "admin:index",
    } <= reached
    assert len(seen) > 2 * len(routes)


def test_the_oci_start_page_may_post_to_the_suppliers_shop_only(
    client: Client, settings: Any
) -> None:
    settings.DEMO_SUPPLIER_BASE_URL = "http://localhost:8123/demo-supplier"
    call_command("seed_demo", verbosity=0)
    client.force_login(User.objects.get(username="rekvirent"))
    kontorhuset = Supplier.objects.get(name__startswith="Kontorhuset")
    response = client.post(f"/webshops/{kontorhuset.pk}/start/")
    assert response.status_code == 200
    assert 'action="http://localhost:8123/demo-supplier/kontorhuset/oci/"' in (
        response.content.decode()
    )
    assert _policy(response["Content-Security-Policy"]) == {
        **_policy(POLICY),
        "form-action": "'self' http://localhost:8123",
    }
    assert _policy(client.get("/webshops/")["Content-Security-Policy"]) == _policy(POLICY)


def test_no_template_has_an_inline_script_style_or_event_handler() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    offending = [
        f"{path.relative_to(root)}: {match[0]}"
        for folder in ("shop", "core", "punchout", "demo_supplier", "org", "catalog", "orders")
        for path in sorted((root / folder).rglob("templates/**/*.html"))
        for match in re.finditer(
            r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", path.read_text()
        )
    ]
    assert offending == []
