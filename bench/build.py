"""Build the benchmark's template database: a municipality with a daycare, 40 suppliers on
nine agreements, an assortment for the daycare, and the 1,000,000-product catalogue loaded
through the importer (version 1 of every supplier's file), then the search index refreshed.

    python -m bench build [--rows 1000000]
"""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.catalogue_files import CatalogueFiles, write_catalogue_files
from bench.env import WORK_DIR, admin_execute, django_setup, template_name
from bench.large_catalogue import AREAS

AGREEMENTS = (
    ("50.10", "Kontorartikler og papir", "Kontorartikler"),
    ("50.20", "IT-udstyr og tilbehør", "IT"),
    ("50.30", "Rengøring og hygiejne", "Rengøring"),
    ("50.40", "Fødevarer", "Fødevarer"),
    ("50.50", "Værktøj og elartikler", "Værktøj"),
    ("50.60", "Møbler", "Møbler"),
    ("50.70", "Pleje og hjælpemidler", "Hjælpemidler"),
    ("50.80", "Legetøj og kreative materialer", "Legetøj"),
    ("50.90", "Køkken og servering", "Køkken"),
)


def _cvr(number: int) -> str:
    weights = (2, 7, 6, 5, 4, 3, 2)
    found, body = -1, 2_000_000
    while True:
        check = -sum(int(d) * w for d, w in zip(f"{body:07d}", weights, strict=True)) % 11
        if check < 10:
            found += 1
            if found == number:
                return f"{body:07d}{check}"
        body += 1


def _organisation() -> dict[str, Any]:
    from stdnum import ean

    from catalog.models import Agreement, AssortmentRule, Category
    from catalog.services import (
        agreement_create,
        agreement_supplier_add,
        assortment_rule_create,
        category_create,
        supplier_create,
    )
    from org.models import OrgUnit, Role
    from org.services import membership_grant, municipality_create, org_unit_create, user_create

    def gln(number: int) -> str:
        body = f"579999{number:06d}"
        return body + ean.calc_check_digit(body)

    municipality = municipality_create(
        name="Benchby Kommune", cvr=_cvr(0), gln=gln(1), order_number_prefix="BEN"
    )
    root = OrgUnit.objects.get(municipality=municipality, parent=None)
    daycare = org_unit_create(
        municipality=municipality,
        parent=root,
        code="SOL",
        name="Børnehuset Solsikken",
        kind=OrgUnit.Kind.DAYCARE,
        gln=gln(2),
    )
    requisitioner = user_create(municipality=municipality, username="rekvirent", password="bench")
    membership_grant(
        user=requisitioner, unit=daycare, role=Role.REQUISITIONER, order_limit=Decimal(5000)
    )
    officer = user_create(municipality=municipality, username="konsulent", password="bench")
    membership_grant(user=officer, unit=root, role=Role.ASSORTMENT_ADMIN, includes_subtree=True)
    for position, area in enumerate(AREAS):
        category_create(municipality=municipality, code=f"area-{position}", name=area.category)
    agreements: list[Agreement] = [
        agreement_create(
            municipality=municipality,
            number=number,
            title=title,
            provider="SKI",
            kind=Agreement.Kind.SKI,
            obligation=Agreement.Obligation.BINDING,
            commodity_area=area,
            valid_from=date(2025, 1, 1),
            valid_to=date(2030, 12, 31),
            is_ehandel_required=True,
            joined_on=date(2025, 1, 1),
        )
        for number, title, area in AGREEMENTS
    ]
    suppliers = [
        supplier_create(
            municipality=municipality,
            name=f"Leverandør {number:02d} A/S",
            cvr=_cvr(number + 1),
            order_channel="oioubl",
        )
        for number in range(40)
    ]
    for number, supplier in enumerate(suppliers):
        agreement_supplier_add(agreement=agreements[agreement_of(number)], supplier=supplier)
    # the daycare buys from every agreement but the furniture one, and never buys IT
    for agreement in agreements:
        if agreement.number != "50.60":
            assortment_rule_create(
                unit=root, action=AssortmentRule.Action.INCLUDE, agreement=agreement
            )
    assortment_rule_create(
        unit=daycare,
        action=AssortmentRule.Action.EXCLUDE,
        category=Category.objects.get(municipality=municipality, name="IT og AV"),
    )
    return {
        "municipality": municipality,
        "daycare": daycare,
        "officer": officer,
        "agreements": agreements,
        "suppliers": suppliers,
    }


def agreement_of(supplier: int) -> int:
    """Each supplier's catalogue is on one agreement."""
    return supplier % len(AGREEMENTS)


def build(rows: int) -> dict[str, Any]:
    name = template_name()
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    django_setup(name)
    from django.core.management import call_command
    from django.db import connection

    from catalog.services import search_index_refresh
    from catalog.services.imports import (
        catalogue_import_apply,
        catalogue_import_approve,
        catalogue_import_receive,
        catalogue_import_run,
    )

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    made = _organisation()
    files: CatalogueFiles = write_catalogue_files(WORK_DIR / "files", rows=rows)
    written = time.monotonic()
    loaded_rows = 0
    for number, supplier in enumerate(made["suppliers"]):
        path = files.path(1, number)
        with path.open("rb") as source:
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=made["agreements"][agreement_of(number)],
                file=source,
                file_name=path.name,
                enqueue=False,
            )
        imported = catalogue_import_run(import_id=received.pk)
        catalogue_import_approve(catalogue_import=imported, by=made["officer"], enqueue=False)
        applied = catalogue_import_apply(import_id=received.pk)
        loaded_rows += applied.added
    loaded = time.monotonic()
    outcome = search_index_refresh(municipality_id=made["municipality"].pk)
    refreshed = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    summary = {
        "rows": rows,
        "products_live": loaded_rows,
        "terms": outcome.terms,
        "seconds_write_files": round(written - started, 1),
        "seconds_first_import": round(loaded - written, 1),
        "seconds_search_index_refresh": round(refreshed - loaded, 1),
        "totals": {
            str(supplier): [t.rows_v1, str(t.sum_v1), t.rows_v2, str(t.sum_v2)]
            for supplier, t in files.totals.items()
        },
        "changed": files.changed,
        "gone": files.gone,
        "new": files.new,
        "municipality_id": made["municipality"].pk,
        "daycare_id": made["daycare"].pk,
    }
    (WORK_DIR / "build.json").write_text(json.dumps(summary, indent=2))
    return summary
