"""Load the Fjordby demo data set into Rekvi, idempotently, with its dates moved to today.

Creation goes through the services of `org` and `catalog`; a second run finds every row by its
natural key and changes only what depends on the date (agreement validity, budget year).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from catalog.models import Agreement, Category, EcoLabel, Product, Supplier
from catalog.services import (
    agreement_create,
    agreement_validity_set,
    category_create,
    product_create,
    supplier_create,
)
from org.models import (
    CostCentre,
    DeliveryAddress,
    Municipality,
    OrgUnit,
    Role,
    User,
)
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

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password

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

AGREEMENT_KINDS = {
    "ski_faelleskommunal": Agreement.Kind.SKI,
    "ski_faellesoffentlig": Agreement.Kind.SKI,
    "local": Agreement.Kind.OWN,
}
OBLIGATIONS = {
    "forpligtende": Agreement.Obligation.BINDING,
    "kommunal": Agreement.Obligation.BINDING,
    "frivillig": Agreement.Obligation.VOLUNTARY,
}
ECO_LABELS = {
    "Svanemærket": EcoLabel.NORDIC_SWAN,
    "EU Ecolabel": EcoLabel.EU_ECOLABEL,
    "Ø-mærket (økologi)": EcoLabel.ORGANIC_DK,
    "FSC": EcoLabel.FSC,
    "TCO Certified": EcoLabel.TCO_CERTIFIED,
    "EPEAT Gold": EcoLabel.EPEAT_GOLD,
    "Fairtrade": EcoLabel.FAIRTRADE,
    "Blauer Engel": EcoLabel.BLUE_ANGEL,
    "Genbrugsplast (Blauer Engel)": EcoLabel.BLUE_ANGEL,
    "Global Recycled Standard": EcoLabel.GLOBAL_RECYCLED,
    "Fuldkornsmærket": EcoLabel.WHOLEGRAIN,
    "WEEE-certificeret": EcoLabel.WEEE,
}


class DemoDataError(ValueError):
    """The demo data set has something Rekvi cannot load; the message says what and where."""


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, name, roles


def demo_data_load(path: Path) -> dict[str, Any]:
    """The demo data set at `path`, parsed."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError as exc:
        raise DemoDataError(f"{path}: the demo data set is missing") from exc
    except json.JSONDecodeError as exc:
        raise DemoDataError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    return data


def _is_placeholder(value: str | None) -> bool:
    return not value or value.startswith("<")


def _split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.rpartition(" ")
    return (first, last) if first else (full_name, "")


@transaction.atomic
def demo_seed(*, data: dict[str, Any], today: date) -> SeedResult:
    """Load `data` (the Fjordby format) as of `today`. Running it again changes nothing.

    Dates move by (today - the data set's own date): agreements keep their length and stay
    valid around today (their effective end, extensions included); budgets are for today's year.
    """
    result = SeedResult()
    shift = today - date.fromisoformat(data["meta"]["generated"])
    municipality = _seed_municipality(data["municipality"], data["org_units"], result)
    units = _seed_units(municipality, data["org_units"], result)
    centres = _seed_cost_centres(data["cost_centers"], units, result)
    _seed_budgets(data["budgets"], centres, today.year, result)
    root_code = next(raw["code"] for raw in data["org_units"] if raw["parent"] is None)
    people = [*data["people"], {**ADMIN_PERSON, "org_unit": root_code}]
    _seed_people(municipality, people, units, result)
    categories = _seed_categories(municipality, data["categories"], result)
    agreements = _seed_agreements(
        municipality, data["agreements"], data["categories"], shift, result
    )
    suppliers = _seed_suppliers(municipality, data["suppliers"], result)
    _seed_products(municipality, data["products"], suppliers, agreements, categories, result)
    for username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        roles = sorted({str(Role(m.role).label) for m in user.memberships.all()})
        result.logins.append((username, user.get_full_name(), ", ".join(roles)))
    return result


def _seed_municipality(
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


def _seed_units(
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


def _seed_cost_centres(
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


def _seed_budgets(
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


def _memberships_of(raw: dict[str, Any], units: dict[str, OrgUnit]) -> list[dict[str, Any]]:
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


def _seed_people(
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
        for grant in _memberships_of(raw, units):
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


def _seed_categories(
    municipality: Municipality, raw_categories: list[dict[str, Any]], result: SeedResult
) -> dict[str, Category]:
    categories = {c.code: c for c in Category.objects.filter(municipality=municipality)}
    for raw in raw_categories:
        if raw["key"] in categories:
            continue
        restricted = raw.get("restricted_to_roles") or []
        categories[raw["key"]] = category_create(
            municipality=municipality,
            code=raw["key"],
            name=raw["name"],
            unspsc_code=raw.get("unspsc_family", ""),
            restricted_to_role=Role.BUYER if "buyer_it" in restricted else "",
        )
        result.created["category"] += 1
    return categories


def _seed_agreements(
    municipality: Municipality,
    raw_agreements: list[dict[str, Any]],
    raw_categories: list[dict[str, Any]],
    shift: timedelta,
    result: SeedResult,
) -> dict[str, Agreement]:
    category_names = {raw["key"]: raw["name"] for raw in raw_categories}
    agreements: dict[str, Agreement] = {}
    for raw in raw_agreements:
        valid_from = date.fromisoformat(raw["valid_from"]) + shift
        valid_to = date.fromisoformat(raw.get("effective_valid_to") or raw["valid_to"]) + shift
        agreement = Agreement.objects.filter(
            municipality=municipality, number=raw["number"]
        ).first()
        if agreement is not None:
            if (agreement.valid_from, agreement.valid_to) != (valid_from, valid_to):
                agreement_validity_set(
                    agreement=agreement, valid_from=valid_from, valid_to=valid_to
                )
                result.updated["agreement"] += 1
            agreements[raw["id"]] = agreement
            continue
        kind = AGREEMENT_KINDS[raw["kind"]]
        agreements[raw["id"]] = agreement_create(
            municipality=municipality,
            number=raw["number"],
            title=raw["name"],
            provider="SKI" if kind == Agreement.Kind.SKI else municipality.name,
            kind=kind,
            obligation=OBLIGATIONS[raw["type"]],
            commodity_area=", ".join(category_names[key] for key in raw["categories"]),
            valid_from=valid_from,
            valid_to=valid_to,
            is_ehandel_required=raw["e_handel"],
        )
        result.created["agreement"] += 1
    return agreements


def _seed_suppliers(
    municipality: Municipality, raw_suppliers: list[dict[str, Any]], result: SeedResult
) -> dict[str, Supplier]:
    suppliers: dict[str, Supplier] = {}
    for raw in raw_suppliers:
        supplier = Supplier.objects.filter(municipality=municipality, cvr=raw["cvr"]).first()
        if supplier is not None:
            suppliers[raw["id"]] = supplier
            continue
        punchout = raw.get("punchout") or {}
        cxml = raw["punchout_protocol"] == Supplier.PunchoutProtocol.CXML
        suppliers[raw["id"]] = supplier_create(
            municipality=municipality,
            name=raw["name"],
            cvr=raw["cvr"],
            vat_number=raw.get("vat_id", ""),
            gln=raw.get("gln") or "",
            industry=raw.get("industry", ""),
            nace_code=raw.get("nace_rev2", ""),
            street=raw["address"]["street"],
            postal_code=raw["address"]["postal_code"],
            city=raw["address"]["city"],
            country=raw["address"]["country"],
            order_email=raw.get("order_email", ""),
            order_channel=raw["ordering_channel"],
            punchout_protocol=raw["punchout_protocol"],
            punchout_url=punchout.get("setup_url") or punchout.get("start_url") or "",
            # the data set names one domain (NetworkID) for both cXML identities
            punchout_from_domain=punchout.get("from_domain", "") if cxml else "",
            punchout_from_identity=punchout.get("from_identity", "") if cxml else "",
            punchout_to_domain=punchout.get("from_domain", "") if cxml else "",
            punchout_to_identity=punchout.get("to_identity", "") if cxml else "",
            punchout_username=""
            if _is_placeholder(punchout.get("username"))
            else punchout["username"],
        )
        result.created["supplier"] += 1
    return suppliers


def _seed_products(
    municipality: Municipality,
    raw_products: list[dict[str, Any]],
    suppliers: dict[str, Supplier],
    agreements: dict[str, Agreement],
    categories: dict[str, Category],
    result: SeedResult,
) -> None:
    existing = set(
        Product.objects.filter(municipality=municipality).values_list(
            "supplier_id", "supplier_item_number"
        )
    )
    for raw in raw_products:
        supplier = suppliers[raw["supplier"]]
        if (supplier.pk, raw["supplier_item_no"]) in existing:
            continue
        unknown = [label for label in raw["eco_labels"] if label not in ECO_LABELS]
        if unknown:
            raise DemoDataError(f"products[{raw['id']}]: unknown eco-label(s) {unknown}")
        pack = raw.get("pack") or {}
        product_create(
            supplier=supplier,
            supplier_item_number=raw["supplier_item_no"],
            gtin=raw.get("gtin") or "",
            name=raw["name"],
            unit_code=raw["unit_code"],
            pack_quantity=Decimal(pack["content_quantity"]) if pack else None,
            pack_unit_code=pack.get("content_unit_code", ""),
            unit_price=Decimal(raw["price_dkk_ex_vat"]),
            min_order_quantity=Decimal(raw.get("min_order_qty", 1)),
            agreement=agreements[raw["agreement"]],
            category=categories[raw["category"]],
            unspsc_code=raw.get("unspsc", ""),
            eco_labels=sorted({str(ECO_LABELS[label]) for label in raw["eco_labels"]}),
            is_sustainable=raw["sustainable"],
            is_service=raw["is_service"],
            # Items of a lot the municipality may not use (50.93 DA2) are kept, not orderable.
            is_active=raw["orderable_in_fjordby"],
        )
        result.created["product"] += 1
