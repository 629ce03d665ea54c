"""Shared fixtures: a small municipality with one actor per role, and a stranger elsewhere.

Testby Kommune (root)
├── Børn og Unge (dept)        approver (50.000 kr., whole subtree)
│   ├── Solsikken (daycare)    requisitioner (3.000 kr.)
│   └── Mælkebøtten (daycare)  sibling of Solsikken
└── Teknik (dept)
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from org.models import Municipality, OrgUnit, Role, User
from tests.factories.org import MunicipalityFactory, OrgUnitFactory, UserFactory, grant


def _demo_supplier_install() -> None:
    """The demo supplier is part of every test run, the PostgreSQL lane included, where
    DEMO_SUPPLIER defaults off. pytest-django loads the settings before any conftest is
    imported, so the variable set here reaches only processes started later (pytest-xdist's
    workers); this process's app registry is told directly, before any URLconf is loaded."""
    os.environ.setdefault("DEMO_SUPPLIER", "on")
    if apps.is_installed("demo_supplier"):
        return
    assert "config.urls" not in sys.modules, "the URLconf was loaded before the demo supplier"
    settings.DEMO_SUPPLIER_ENABLED = True
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "demo_supplier"]
    apps.set_installed_apps(settings.INSTALLED_APPS)


_demo_supplier_install()


def page_text(html: bytes) -> str:
    """A page's text without tags, whitespace collapsed: what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())).strip()


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """Tests marked `postgres` (locks, concurrency) run only on PostgreSQL."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL lane (DATABASE_URL set)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: while Playwright lives, this thread has a running event loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """Every test starts with an empty cache: login and API throttles count there, and one
    test's requests must not slow down the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


PUBLIC_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "public"
SampleLoader = Callable[[str], bytes]


@pytest.fixture
def sample() -> SampleLoader:
    """Bytes of a public sample under tests/fixtures/public; a missing one fails the test."""

    def load(name: str) -> bytes:
        path = PUBLIC_FIXTURES / name
        if not path.is_file():
            pytest.fail(f"sample {name!r} is missing from {PUBLIC_FIXTURES}")
        return path.read_bytes()

    return load


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English for the whole test (Danish is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def danish() -> Iterator[None]:
    with translation.override("da"):
        yield


@dataclass
class Tree:
    municipality: Municipality
    root: OrgUnit
    children_dept: OrgUnit
    daycare: OrgUnit
    sibling_daycare: OrgUnit
    technical_dept: OrgUnit


@pytest.fixture
def tree(db: None) -> Tree:
    municipality = MunicipalityFactory.create(name="Testby Kommune")
    root = OrgUnit.objects.get(municipality=municipality, parent=None)
    children_dept = OrgUnitFactory.create(
        municipality=municipality, parent=root, name="Børn og Unge"
    )
    daycare = OrgUnitFactory.create(
        municipality=municipality, parent=children_dept, name="Solsikken", kind=OrgUnit.Kind.DAYCARE
    )
    sibling = OrgUnitFactory.create(
        municipality=municipality,
        parent=children_dept,
        name="Mælkebøtten",
        kind=OrgUnit.Kind.DAYCARE,
    )
    technical = OrgUnitFactory.create(municipality=municipality, parent=root, name="Teknik")
    return Tree(municipality, root, children_dept, daycare, sibling, technical)


@pytest.fixture
def requisitioner(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="rekvirent")
    grant(user, tree.daycare, Role.REQUISITIONER, order_limit="3000.00")
    return user


@pytest.fixture
def buyer(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="indkoeber")
    grant(user, tree.root, Role.BUYER, subtree=True, order_limit="100000.00")
    return user


@pytest.fixture
def approver(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="godkender")
    grant(
        user,
        tree.children_dept,
        Role.APPROVER,
        subtree=True,
        order_limit="25000.00",
        approval_limit="50000.00",
    )
    return user


@pytest.fixture
def assortment_admin(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="indkoebskonsulent")
    grant(user, tree.root, Role.ASSORTMENT_ADMIN, subtree=True)
    return user


@pytest.fixture
def finance(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="oekonomi")
    grant(user, tree.root, Role.FINANCE, subtree=True)
    return user


@pytest.fixture
def municipality_admin(tree: Tree) -> User:
    user = UserFactory.create(municipality=tree.municipality, username="admin")
    grant(user, tree.root, Role.MUNICIPALITY_ADMIN, subtree=True)
    return user


@pytest.fixture
def stranger(db: None) -> User:
    """A requisitioner of another municipality: must see nothing of Testby."""
    other = MunicipalityFactory.create(name="Andenby Kommune")
    root = OrgUnit.objects.get(municipality=other, parent=None)
    unit = OrgUnitFactory.create(municipality=other, parent=root, name="Andenby Skole")
    user = UserFactory.create(municipality=other, username="fremmed")
    grant(user, unit, Role.REQUISITIONER, order_limit="1000000.00")
    grant(user, root, Role.APPROVER, subtree=True, approval_limit="1000000.00")
    return user
