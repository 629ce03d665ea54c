"""The demo municipality's reduced assortment and the words of its e-handel policy.

The data set has no assortment, so the demo curates one the way a procurement office would:
office, IT, cleaning and teaching materials for everyone; food for the units with a kitchen;
the sustainable item of each category marked as the sustainable choice; Solsikken's weekly
food list recommended in Solsikken; frozen food left out for the childminders.
"""

from __future__ import annotations

from typing import Any

from catalog.models import Agreement, AssortmentRule, Category, EhandelPolicy, Product
from catalog.services import assortment_rule_create, ehandel_policy_set
from org.models import Municipality, OrgUnit
from shop.demo.outcome import SeedResult

FOR_EVERYONE = ("50.57", "02.31", "50.24", "FK-L-2025-02")
FOOD = ("50.93", "FK-L-2025-01")
KITCHENS = ("BU", "EGE")  # Børn og Unge (daycares and school) and the production kitchen
NO_FROZEN = "DAG"

POLICY_INTRODUCTION = (
    "Fjordby Kommune køber ind på de aftaler, kommunen har tilsluttet sig. Varer på aftaler med "
    "e-handel bestilles i Rekvi – fra kataloget, fra en favoritliste eller ved punch-out til "
    "leverandørens webshop – så ordren og fakturaen kan matches uden manuelt arbejde. "
    "Ordrer over din ordregrænse sendes til godkendelse hos din leder."
)
POLICY_CLOSING = (
    "Er du i tvivl om, hvor du skal købe, så spørg Indkøb i Økonomi & Indkøb. Køb uden for "
    "aftalerne kræver en fritekstordre med en begrundelse."
)


def seed_assortment(
    municipality: Municipality,
    units: dict[str, OrgUnit],
    raw_favourite_lists: list[dict[str, Any]],
    result: SeedResult,
) -> None:
    agreements = {a.number: a for a in Agreement.objects.filter(municipality=municipality)}
    root = next(unit for unit in units.values() if unit.parent_id is None)
    wanted: list[dict[str, Any]] = [
        {"unit": root, "agreement": agreements[number]} for number in FOR_EVERYONE
    ]
    wanted += [
        {"unit": units[code], "agreement": agreements[number]}
        for code in KITCHENS
        for number in FOOD
    ]
    frozen = Category.objects.get(municipality=municipality, code="frozen")
    wanted.append({"unit": units[NO_FROZEN], "category": frozen, "exclude": True})
    # marking a product must not widen the assortment: mark it where its agreement is included
    for product in Product.objects.filter(
        municipality=municipality, is_sustainable=True
    ).select_related("agreement"):
        number = product.agreement.number if product.agreement else ""
        where = [root] if number in FOR_EVERYONE else [units[code] for code in KITCHENS]
        if number in FOR_EVERYONE or number in FOOD:
            wanted += [
                {"unit": unit, "product": product, "is_sustainable_choice": True} for unit in where
            ]
    products = {
        p.supplier_item_number: p for p in Product.objects.filter(municipality=municipality)
    }
    for raw_list in raw_favourite_lists:
        for unit_code in raw_list.get("shared_with_units", []):
            wanted += [
                {
                    "unit": units[unit_code],
                    "product": products[item["supplier_item_no"]],
                    "is_recommended": True,
                }
                for item in raw_list["items"]
                if item["supplier_item_no"] in products
            ]
    existing = {
        (rule.unit_id, rule.target_field, getattr(rule, f"{rule.target_field}_id"))
        for rule in AssortmentRule.objects.filter(municipality=municipality)
    }
    for rule in wanted:
        target = next(field for field in AssortmentRule.TARGETS if field in rule)
        if (rule["unit"].pk, target, rule[target].pk) in existing:
            continue
        existing.add((rule["unit"].pk, target, rule[target].pk))
        assortment_rule_create(
            unit=rule["unit"],
            action=AssortmentRule.Action.EXCLUDE
            if rule.get("exclude")
            else AssortmentRule.Action.INCLUDE,
            is_recommended=rule.get("is_recommended", False),
            is_sustainable_choice=rule.get("is_sustainable_choice", False),
            **{target: rule[target]},
        )
        result.created["assortment rule"] += 1
    if not EhandelPolicy.objects.filter(municipality=municipality).exists():
        ehandel_policy_set(
            municipality=municipality,
            introduction=POLICY_INTRODUCTION,
            closing_text=POLICY_CLOSING,
        )
        result.created["e-handel policy"] += 1
