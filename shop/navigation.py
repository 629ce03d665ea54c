"""The main menu: what each role sees. Only pages that exist are listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.selectors import ASSORTMENT_ROLES
from org.models import ADMIN_ROLES, ORDERING_ROLES, ORGANISATION_ADMIN_ROLES, Role, User
from org.selectors import user_role_set


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[Role] | None  # None: everyone signed in
    current_for: tuple[str, ...]  # view names (or "namespace:" prefixes) under this entry
    superuser_too: bool = False


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    is_current: bool


MENU: Sequence[MenuEntry] = (
    MenuEntry(_("My units"), "shop:home", None, ("shop:home", "shop:unit_detail")),
    MenuEntry(
        _("Search the catalogue"),
        "shop:catalogue_search",
        ORDERING_ROLES,
        ("shop:catalogue_search",),
    ),
    MenuEntry(
        _("Favourite lists"),
        "shop:favourite_lists",
        ORDERING_ROLES,
        ("shop:favourite_lists", "shop:favourite_list"),
    ),
    MenuEntry(
        _("Standard packages"),
        "shop:packages",
        frozenset({Role.BUYER}),
        ("shop:packages", "shop:package_detail"),
    ),
    MenuEntry(
        _("Supplier web shops"),
        "shop:punchout_suppliers",
        ORDERING_ROLES,
        ("shop:punchout_suppliers", "shop:punchout_review"),
    ),
    MenuEntry(_("Cart"), "shop:cart", ORDERING_ROLES, ("shop:cart", "shop:checkout")),
    MenuEntry(
        _("Orders"), "shop:order_list", ORDERING_ROLES, ("shop:order_list", "shop:order_detail")
    ),
    MenuEntry(
        _("Approvals"), "shop:approval_queue", frozenset({Role.APPROVER}), ("shop:approval_queue",)
    ),
    MenuEntry(_("E-handel policy"), "shop:ehandel_policy", None, ("shop:ehandel_policy",)),
    MenuEntry(
        _("Assortment"),
        "shop:assortment_units",
        ASSORTMENT_ROLES,
        ("shop:assortment_units", "shop:assortment_unit"),
        superuser_too=False,
    ),
    MenuEntry(
        _("Catalogue imports"),
        "shop:catalogue_imports",
        ASSORTMENT_ROLES,
        ("shop:catalogue_imports", "shop:catalogue_import_new", "shop:catalogue_import_detail"),
    ),
    MenuEntry(
        _("Web shop tests"),
        "shop:punchout_self_tests",
        ADMIN_ROLES,
        ("shop:punchout_self_tests", "shop:punchout_self_test"),
    ),
    MenuEntry(
        _("System status"),
        "shop:system_status",
        ORGANISATION_ADMIN_ROLES,
        ("shop:system_status",),
        superuser_too=True,
    ),
    MenuEntry(
        _("Administration"),
        "admin:index",
        ADMIN_ROLES,
        ("admin:",),
        superuser_too=True,
    ),
)


def menu_for(*, user: User, view_name: str) -> list[MenuItem]:
    """The menu entries that `user`'s roles open; the one holding `view_name` is current."""
    roles = user_role_set(user=user)
    items = []
    for entry in MENU:
        allowed = (
            entry.roles is None
            or bool(entry.roles & roles)
            or (entry.superuser_too and user.is_superuser)
        )
        if allowed:
            is_current = any(
                view_name.startswith(name) if name.endswith(":") else view_name == name
                for name in entry.current_for
            )
            items.append(
                MenuItem(label=str(entry.label), url=reverse(entry.url_name), is_current=is_current)
            )
    return items


def menu_for_request(request: HttpRequest) -> list[MenuItem]:
    if not request.user.is_authenticated:
        return []
    match = request.resolver_match
    return menu_for(user=request.user, view_name=match.view_name if match else "")
