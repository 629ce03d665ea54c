"""Load the Fjordby demo data set into Rekvi, idempotently, with its dates moved to today.

Creation goes through the services of `org` and `catalog`; a second run finds every row by its
natural key and changes only what depends on the date (agreement validity, budget year).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from catalog.models import SearchIndex
from catalog.services import search_index_refresh
from org.models import Role, User
from shop.demo.assortment import seed_assortment
from shop.demo.catalogue import (
    seed_agreements,
    seed_categories,
    seed_demo_supplier_punchout,
    seed_products,
    seed_suppliers,
)
from shop.demo.favourites import seed_favourite_lists, seed_packages
from shop.demo.organisation import (
    ADMIN_PERSON,
    DEMO_LOGINS,
    seed_budgets,
    seed_cost_centres,
    seed_municipality,
    seed_people,
    seed_units,
)
from shop.demo.outcome import DEMO_PASSWORD, DemoDataError, SeedResult

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DemoDataError",
    "SeedResult",
    "demo_data_load",
    "demo_seed",
]


def demo_data_load(path: Path) -> dict[str, Any]:
    """The demo data set at `path`, parsed (numbers with decimals as Decimal)."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError as exc:
        raise DemoDataError(f"{path}: the demo data set is missing") from exc
    except json.JSONDecodeError as exc:
        raise DemoDataError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    return data


@transaction.atomic
def demo_seed(*, data: dict[str, Any], today: date) -> SeedResult:
    """Load `data` (the Fjordby format) as of `today`. Running it again changes nothing.

    Dates move by (today - the data set's own date): agreements keep their length and stay
    valid around today (their effective end, extensions included); budgets are for today's year.
    """
    result = SeedResult()
    shift = today - date.fromisoformat(data["meta"]["generated"])
    municipality = seed_municipality(data["municipality"], data["org_units"], result)
    units = seed_units(municipality, data["org_units"], result)
    centres = seed_cost_centres(data["cost_centers"], units, result)
    seed_budgets(data["budgets"], centres, today.year, result)
    root_code = next(raw["code"] for raw in data["org_units"] if raw["parent"] is None)
    people = [*data["people"], {**ADMIN_PERSON, "org_unit": root_code}]
    seed_people(municipality, people, units, result)
    categories = seed_categories(municipality, data["categories"], result)
    agreements, lots = seed_agreements(
        municipality, data["agreements"], data["categories"], shift, result
    )
    suppliers = seed_suppliers(municipality, data["suppliers"], lots, result)
    seed_products(municipality, data["products"], suppliers, agreements, lots, categories, result)
    seed_demo_supplier_punchout(suppliers, result)
    seed_assortment(municipality, units, data["favourite_lists"], result)
    seed_favourite_lists(data["favourite_lists"], people, units, today, result)
    seed_packages(data["favourite_lists"], people, units, result)
    if (
        result.created["product"]
        or not SearchIndex.objects.filter(municipality=municipality).exists()
    ):
        search_index_refresh(municipality_id=municipality.pk)
    for username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        roles = sorted({str(Role(m.role).label) for m in user.memberships.all()})
        result.logins.append((username, user.get_full_name(), ", ".join(roles)))
    return result
