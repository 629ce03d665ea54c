"""The demo municipality's catalogue: categories, agreements with lots, suppliers, products."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from catalog.models import Agreement, AgreementLot, Category, EcoLabel, Product, Supplier
from catalog.services import (
    agreement_create,
    agreement_validity_set,
    category_create,
    lot_create,
    lot_supplier_add,
    product_create,
    supplier_create,
    supplier_punchout_identity_accept,
    supplier_punchout_point,
)
from org.models import Municipality, Role
from shop.demo.outcome import DemoDataError, SeedResult

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


def _is_placeholder(value: str | None) -> bool:
    return not value or value.startswith("<")


def seed_categories(
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


def _terms_for_buyers(raw: dict[str, Any], agreement_ids: dict[str, str]) -> str:
    """The agreement's rules (minimum order, freight, fees, carve-outs) in words for buyers."""
    rules = raw.get("rules") or {}
    lines = []
    if rules.get("min_order_dkk"):
        lines.append(f"Mindsteordre: {_kroner(rules['min_order_dkk'])}.")
    if rules.get("free_delivery_threshold_dkk"):
        lines.append(
            f"Fri fragt ved ordrer over {_kroner(rules['free_delivery_threshold_dkk'])}"
            + (
                f", ellers fragt {_kroner(rules['freight_charge_dkk'])}."
                if rules.get("freight_charge_dkk")
                else "."
            )
        )
    if rules.get("invoice_fee_allowed") is False:
        lines.append("Leverandøren må ikke opkræve fakturagebyr.")
    for carve_out in raw.get("carve_outs", []):
        replacement = agreement_ids.get(carve_out.get("replacement_agreement", ""), "")
        lines.append(
            carve_out["reason"] + (f" (købes på aftale {replacement})." if replacement else ".")
        )
    return "\n".join(lines)


def _kroner(amount: Any) -> str:
    whole, _, cents = f"{Decimal(amount):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{cents} kr."


def seed_agreements(
    municipality: Municipality,
    raw_agreements: list[dict[str, Any]],
    raw_categories: list[dict[str, Any]],
    shift: timedelta,
    result: SeedResult,
) -> tuple[dict[str, Agreement], dict[tuple[str, str], AgreementLot]]:
    """Agreements (valid around today, joined from their start) and their lots, by data id."""
    category_names = {raw["key"]: raw["name"] for raw in raw_categories}
    numbers = {raw["id"]: raw["number"] for raw in raw_agreements}
    agreements: dict[str, Agreement] = {}
    lots: dict[tuple[str, str], AgreementLot] = {}
    for raw in raw_agreements:
        valid_from = date.fromisoformat(raw["valid_from"]) + shift
        valid_to = date.fromisoformat(raw.get("effective_valid_to") or raw["valid_to"]) + shift
        joined_on = valid_from if raw.get("joined") else None
        agreement = Agreement.objects.filter(
            municipality=municipality, number=raw["number"]
        ).first()
        if agreement is None:
            kind = AGREEMENT_KINDS[raw["kind"]]
            agreement = agreement_create(
                municipality=municipality,
                number=raw["number"],
                title=raw["name"],
                provider="SKI" if kind == Agreement.Kind.SKI else municipality.name,
                kind=kind,
                obligation=OBLIGATIONS[raw["type"]],
                commodity_area=", ".join(category_names[key] for key in raw["categories"]),
                valid_from=valid_from,
                valid_to=valid_to,
                joined_on=joined_on,
                is_ehandel_required=raw["e_handel"],
                sustainability_requirements=raw.get("green_requirements", ""),
                terms_for_buyers=_terms_for_buyers(raw, numbers),
            )
            result.created["agreement"] += 1
        elif (agreement.valid_from, agreement.valid_to, agreement.joined_on) != (
            valid_from,
            valid_to,
            joined_on,
        ):
            agreement_validity_set(
                agreement=agreement, valid_from=valid_from, valid_to=valid_to, joined_on=joined_on
            )
            result.updated["agreement"] += 1
        agreements[raw["id"]] = agreement
        existing = {lot.code: lot for lot in agreement.lots.all()}
        for raw_lot in raw["lots"]:
            lot = existing.get(raw_lot["lot"])
            if lot is None:
                lot = lot_create(
                    agreement=agreement,
                    code=raw_lot["lot"],
                    title=raw_lot["name"],
                    is_available=raw_lot["valid_for_fjordby"],
                )
                result.created["lot"] += 1
            lots[(raw["id"], raw_lot["lot"])] = lot
    return agreements, lots


def seed_suppliers(
    municipality: Municipality,
    raw_suppliers: list[dict[str, Any]],
    lots: dict[tuple[str, str], AgreementLot],
    result: SeedResult,
) -> dict[str, Supplier]:
    """Suppliers, by data id, each on the lots it was awarded."""
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
        for award in raw["agreements"]:
            lot_supplier_add(
                lot=lots[(award["agreement"], award["lot"])], supplier=suppliers[raw["id"]]
            )
            result.created["supplier on a lot"] += 1
    return suppliers


def seed_products(
    municipality: Municipality,
    raw_products: list[dict[str, Any]],
    suppliers: dict[str, Supplier],
    agreements: dict[str, Agreement],
    lots: dict[tuple[str, str], AgreementLot],
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
            lot=lots[(raw["agreement"], raw["lot"])],
            category=categories[raw["category"]],
            unspsc_code=raw.get("unspsc", ""),
            eco_labels=sorted({str(ECO_LABELS[label]) for label in raw["eco_labels"]}),
            is_sustainable=raw["sustainable"],
            is_service=raw["is_service"],
        )
        result.created["product"] += 1


#: The demo data's punch-out suppliers (by CVR) and their shops in the demo supplier.
DEMO_SHOPS = {"29900078": "nordlys-it", "29900019": "kontorhuset"}


def seed_demo_supplier_punchout(suppliers: dict[str, Supplier], result: SeedResult) -> None:
    """Point the punch-out suppliers at the demo supplier (settings.DEMO_SUPPLIER_BASE_URL, or
    when that is unset the one this Rekvi serves, written under SITE_URL and reached at the
    address of each punch-out's request) with its demo accounts, instead of the addresses in
    the data set, when it is installed. Done on every seed, so a changed address takes
    effect."""
    if not settings.DEMO_SUPPLIER_ENABLED:
        return
    base = settings.DEMO_SUPPLIER_BASE_URL or f"{settings.SITE_URL}/demo-supplier"
    for supplier in suppliers.values():
        shop = DEMO_SHOPS.get(supplier.cvr)
        if shop is None:
            continue
        cxml = supplier.punchout_protocol == Supplier.PunchoutProtocol.CXML
        if cxml:
            identity = supplier.punchout_sender_identity or supplier.punchout_from_identity
            url, username = f"{base}/{shop}/cxml/setup", ""
            secret = settings.DEMO_SUPPLIER_ACCOUNTS.get(identity, "")
        elif supplier.punchout_protocol == Supplier.PunchoutProtocol.OCI:
            url = f"{base}/{shop}/oci/"
            username, secret = next(iter(settings.DEMO_SUPPLIER_OCI_ACCOUNTS.items()), ("", ""))
            # the demo supplier signs its OCI carts with the supplier's CVR (NEW_ITEM-VENDOR)
            supplier_punchout_identity_accept(supplier=supplier, identity=supplier.cvr)
        else:
            continue
        if (supplier.punchout_url, supplier.punchout_username, supplier.has_punchout_secret) == (
            url,
            username,
            bool(secret),
        ):
            continue  # pointed there already
        supplier_punchout_point(
            supplier=supplier,
            url=url,
            username=username,
            secret=secret,
            order_url=f"{base}/{shop}/cxml/order" if cxml else "",
        )
        result.created["supplier pointed at the demo supplier"] += 1
