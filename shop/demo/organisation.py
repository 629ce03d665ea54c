"""The demo municipality's organisation: units, addresses, cost centres, budgets, people."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from org.models import CostCentre, DeliveryAddress, Municipality, OrgUnit, Role, User
from org.services import (
    budget_set,
    cost_centre_create,
    delivery_address_create,
    membership_grant,
    municipality_create,
    org_unit_create,
    org_unit_update,
    user_create,
)
from shop.demo.outcome import DEMO_PASSWORD, DemoDataError, SeedResult

#: Demo logins, named after the Danish role, and the person in the data set behind each.
DEMO_LOGINS: dict[str, str] = {
    "rekvirent": "P07",
    "indkoeber": "P04",
    "godkender": "P08",
    "indkoebskonsulent": "P01",
    "oekonomi": "P02",
    "admin": "ADMIN",
}
#: The data set has no municipality administrator; the demo adds one, in the data set's form.
ADMIN_PERSON: dict[str, Any] = {
    "id": "ADMIN",
    "name": "Ida Kragh",
    "title": "Systemadministrator, e-handel",
    "email": "idkra@fjordby.example",
    "personreference": "IDKRA",
    "roles": ["municipality_admin"],
    "limits": {"order_max_dkk": None, "approval_max_dkk": None},
    "approves_for_units": [],
}


def _split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.rpartition(" ")
    return (first, last) if first else (full_name, "")


def seed_municipality(
    raw: dict[str, Any], raw_units: list[dict[str, Any]], result: SeedResult
) -> Municipality:
    existing = Municipality.objects.filter(cvr=raw["cvr"]).first()
    if existing is not None:
        return existing
    root = next(unit for unit in raw_units if unit["parent"] is None)
    prefix = raw["order_number_format"]["example"].split("-")[0]
    municipality = municipality_create(
        name=raw["name"],
        cvr=raw["cvr"],
        gln=raw["gln_main"],
        order_number_prefix=prefix,
        street=raw["address"]["street"],
        postal_code=raw["address"]["postal_code"],
        city=raw["address"]["city"],
        country=raw["address"]["country"],
        website=raw.get("website", ""),
    )
    top = OrgUnit.objects.get(municipality=municipality, parent=None)
    org_unit_update(unit=top, code=root["code"], name=root["name"], gln=root["gln"])
    result.created["municipality"] += 1
    return municipality


def seed_units(
    municipality: Municipality, raw_units: list[dict[str, Any]], result: SeedResult
) -> dict[str, OrgUnit]:
    units = {unit.code: unit for unit in OrgUnit.objects.filter(municipality=municipality)}
    for raw in raw_units:  # parents come first in the data set
        unit = units.get(raw["code"])
        if unit is None:
            parent = units.get(raw["parent"]) if raw["parent"] else None
            if raw["parent"] and parent is None:
                raise DemoDataError(
                    f"org_units[{raw['code']}]: parent {raw['parent']!r} comes later or is missing"
                )
            unit = org_unit_create(
                municipality=municipality,
                parent=parent,
                code=raw["code"],
                name=raw["name"],
                kind=OrgUnit.Kind(raw["type"]),
                gln=raw["gln"],
                receives_invoices=raw["receives_invoices"],
            )
            units[unit.code] = unit
            result.created["org unit"] += 1
        known = set(DeliveryAddress.objects.filter(unit=unit).values_list("code", flat=True))
        for address in raw["delivery_addresses"]:
            if address["id"] in known:
                continue
            delivery_address_create(
                unit=unit,
                code=address["id"],
                label=address["label"],
                gln=address.get("gln") or "",
                street=address["street"],
                postal_code=address["postal_code"],
                city=address["city"],
                country=address["country"],
                attention=address.get("attention", ""),
                delivery_note=address.get("delivery_note", ""),
            )
            result.created["delivery address"] += 1
    return units


def seed_cost_centres(
    raw_centres: list[dict[str, Any]], units: dict[str, OrgUnit], result: SeedResult
) -> dict[str, CostCentre]:
    municipality_id = next(iter(units.values())).municipality_id
    centres = {
        centre.code: centre for centre in CostCentre.objects.filter(municipality_id=municipality_id)
    }
    for raw in raw_centres:
        if raw["code"] in centres:
            continue
        centres[raw["code"]] = cost_centre_create(
            unit=units[raw["org_unit"]],
            code=raw["code"],
            name=raw["name"],
            default_account=raw.get("default_account", ""),
        )
        result.created["cost centre"] += 1
    return centres


def seed_budgets(
    raw_budgets: list[dict[str, Any]], centres: dict[str, CostCentre], year: int, result: SeedResult
) -> None:
    for raw in raw_budgets:
        centre = centres[raw["cost_center"]]
        existing = {budget.month: budget.amount for budget in centre.budgets.filter(year=year)}
        for entry in raw["monthly"]:
            month = int(entry["month"].split("-")[1])
            amount = Decimal(entry["amount_dkk"])
            if existing.get(month) == amount:
                continue
            budget_set(cost_centre=centre, year=year, month=month, amount=amount)
            (result.updated if month in existing else result.created)["monthly budget"] += 1


def memberships_of(raw: dict[str, Any], units: dict[str, OrgUnit]) -> list[dict[str, Any]]:
    """The data set's roles as Rekvi memberships."""
    order_limit = Decimal(raw["limits"]["order_max_dkk"] or "0")
    approval_limit = Decimal(raw["limits"]["approval_max_dkk"] or "0")
    root = next(unit for unit in units.values() if unit.parent_id is None)
    home = units[raw["org_unit"]]
    grants: list[dict[str, Any]] = []
    for role in raw["roles"]:
        if role == "requisitioner":
            grants.append({"unit": home, "role": Role.REQUISITIONER, "order_limit": order_limit})
        elif role == "buyer_it":
            grants.append(
                {
                    "unit": root,
                    "role": Role.BUYER,
                    "includes_subtree": True,
                    "order_limit": order_limit,
                }
            )
        elif role == "approver":
            grants.extend(
                {
                    "unit": units[code],
                    "role": Role.APPROVER,
                    "order_limit": order_limit,
                    "approval_limit": approval_limit,
                }
                for code in raw["approves_for_units"]
            )
        elif role == "procurement_admin":
            grants.append({"unit": root, "role": Role.ASSORTMENT_ADMIN, "includes_subtree": True})
        elif role == "finance":
            grants.append({"unit": root, "role": Role.FINANCE, "includes_subtree": True})
        elif role == "municipality_admin":
            grants.append({"unit": root, "role": Role.MUNICIPALITY_ADMIN, "includes_subtree": True})
        else:
            raise DemoDataError(f"people[{raw['id']}]: unknown role {role!r}")
    return grants


def seed_people(
    municipality: Municipality,
    raw_people: list[dict[str, Any]],
    units: dict[str, OrgUnit],
    result: SeedResult,
) -> None:
    usernames = {person_id: login for login, person_id in DEMO_LOGINS.items()}
    for raw in raw_people:
        username = usernames.get(raw["id"]) or raw["email"].split("@")[0]
        user = User.objects.filter(username=username).first()
        if user is not None and user.municipality_id != municipality.pk:
            raise DemoDataError(
                f"people[{raw['id']}]: the login {username!r} already belongs to another account "
                "(another municipality or a platform operator); seed an empty database"
            )
        if user is None:
            first, last = _split_name(raw["name"])
            user = user_create(
                municipality=municipality,
                username=username,
                first_name=first,
                last_name=last,
                email=raw["email"],
                personreference=raw["personreference"],
                job_title=raw.get("title", ""),
                password=DEMO_PASSWORD,
            )
            result.created["person"] += 1
        for grant in memberships_of(raw, units):
            _grant(user, grant, result)


def _grant(user: User, grant: dict[str, Any], result: SeedResult) -> None:
    wanted = {
        "includes_subtree": grant.get("includes_subtree", False),
        "order_limit": grant.get("order_limit", Decimal("0")),
        "approval_limit": grant.get("approval_limit", Decimal("0")),
    }
    current = user.memberships.filter(unit=grant["unit"], role=grant["role"]).first()
    if current is not None and all(getattr(current, key) == value for key, value in wanted.items()):
        return
    membership_grant(user=user, unit=grant["unit"], role=grant["role"], **wanted)
    (result.created if current is None else result.updated)["membership"] += 1
