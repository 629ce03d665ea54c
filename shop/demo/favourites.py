"""The data set's favourite lists (Solsikken's weekly food list with the pancake ingredients,
the IT department's laptop list, ...), made through the orders services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from catalog.models import Product
from orders.models import FavouriteList, StandardPackage
from orders.services import (
    CartError,
    favourite_line_add,
    favourite_list_create,
    package_create,
)
from org.models import OrgUnit, User
from shop.demo.organisation import DEMO_LOGINS
from shop.demo.outcome import DemoDataError, SeedResult


def _owner(raw_people: list[dict[str, Any]], person_id: str) -> User:
    usernames = {found: login for login, found in DEMO_LOGINS.items()}
    person = next((raw for raw in raw_people if raw["id"] == person_id), None)
    if person is None:
        raise DemoDataError(f"favourite_lists: unknown owner {person_id!r}")
    username = usernames.get(person_id) or person["email"].split("@")[0]
    return User.objects.get(username=username)


def seed_favourite_lists(
    raw_lists: list[dict[str, Any]],
    raw_people: list[dict[str, Any]],
    units: dict[str, OrgUnit],
    today: date,
    result: SeedResult,
) -> None:
    for raw in raw_lists:
        owner = _owner(raw_people, raw["owner"])
        unit = units[raw["org_unit"]]
        favourite = FavouriteList.objects.filter(owner=owner, unit=unit, name=raw["name"]).first()
        if favourite is not None:
            continue
        favourite = favourite_list_create(
            owner=owner,
            unit=unit,
            name=raw["name"],
            is_shared=raw["org_unit"] in raw.get("shared_with_units", []),
            note=raw.get("note", ""),
        )
        result.created["favourite list"] += 1
        product_ids = _products_of(unit)
        for item in raw["items"]:
            product_id = product_ids.get(item["supplier_item_no"])
            if product_id is None:
                continue
            try:
                favourite_line_add(
                    favourite_list=favourite,
                    by=owner,
                    product_id=product_id,
                    quantity=str(item["default_quantity"]),
                    on=today,
                    note=item.get("note", ""),
                )
            except CartError as exc:
                raise DemoDataError(
                    f"favourite_lists[{raw['id']}], item {item['supplier_item_no']}: {exc.message}"
                ) from exc
            result.created["favourite line"] += 1


def _products_of(unit: OrgUnit) -> dict[str, int]:
    return dict(
        Product.objects.filter(municipality_id=unit.municipality_id).values_list(
            "supplier_item_number", "pk"
        )
    )


def seed_packages(
    raw_lists: list[dict[str, Any]],
    raw_people: list[dict[str, Any]],
    units: dict[str, OrgUnit],
    result: SeedResult,
) -> None:
    """A list that is a bundle rather than a routine (no recurrence: the IT department's laptop
    package) is also a standard package, pre-approved up to its estimated total, its optional
    items left out."""
    for raw in raw_lists:
        if raw.get("recurrence") is not None or "estimated_total_dkk_ex_vat" not in raw:
            continue
        owner = _owner(raw_people, raw["owner"])
        if StandardPackage.objects.filter(
            municipality_id=units[raw["org_unit"]].municipality_id, name=raw["name"]
        ).exists():
            continue
        product_ids = _products_of(units[raw["org_unit"]])
        package_create(
            by=owner,
            name=raw["name"],
            description=raw.get("note", ""),
            pre_approved_up_to=Decimal(str(raw["estimated_total_dkk_ex_vat"])),
            lines=[
                (product_ids[item["supplier_item_no"]], Decimal(str(item["default_quantity"])))
                for item in raw["items"]
                if not item.get("optional") and item["supplier_item_no"] in product_ids
            ],
        )
        result.created["standard package"] += 1
