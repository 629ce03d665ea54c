"""The importer's peak memory for hostile files: a Peppol catalogue padded to 10 MB and to
100 MB with `TradingTerms/Information` elements, and an XLSX bomb (a 300 MB shared text packed
into about 300 kB) beside an ordinary workbook of the same shape. Each import runs in a process
of its own, as a Celery worker process would read the file, which reports its own peak
resident memory (bench/import_memory.py). Targets: under 200 MB, and the 100 MB catalogue
within 10 % of the 10 MB one; the bomb refused before it is read.

    python -m bench memory

A database of its own (`<name>_memory` on the benchmark server), migrated and given one
municipality, the supplier of the Peppol example and an agreement; no build needed.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from typing import Any

from bench.env import (
    BASE_DIR,
    BENCH_CREDENTIALS_KEY,
    BENCH_SECRET_KEY,
    WORK_DIR,
    admin_execute,
    database_name,
    django_setup,
    url_for,
)
from bench.hostile_files import MEGABYTE, write_hostile_catalogue, write_xlsx_bomb
from bench.import_memory import import_peak_memory

FILES = (
    ("peppol_padded_10mb", "padded-10mb.xml", 10),
    ("peppol_padded_100mb", "padded-100mb.xml", 100),
    ("xlsx_ordinary", "ordinary.xlsx", 0),
    ("xlsx_bomb_300mb_shared_text", "bomb.xlsx", 300),
)


def _setup() -> tuple[Any, Any]:
    from django.core.management import call_command

    from catalog.models import Agreement, Supplier
    from catalog.services.catalogue import agreement_supplier_add
    from org.services import municipality_create

    call_command("migrate", verbosity=0)
    municipality = municipality_create(
        name="Fjordby Kommune", cvr="29900124", gln="5799999000010", order_number_prefix="FJ"
    )
    supplier = Supplier.objects.create(
        municipality=municipality, name="Renhed & Hygiejne A/S", cvr="29900108"
    )
    agreement = Agreement.objects.create(
        municipality=municipality,
        number="50.24",
        title="Rengøring og hygiejne",
        provider="SKI",
        kind=Agreement.Kind.SKI,
        obligation=Agreement.Obligation.BINDING,
        commodity_area="Rengøring",
        valid_from=date(2026, 3, 1),
        valid_to=date(2027, 5, 31),
        joined_on=date(2026, 3, 1),
    )
    agreement_supplier_add(agreement=agreement, supplier=supplier)
    return supplier, agreement


def memory_bench() -> dict[str, Any]:
    name = f"{database_name()}_memory"
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    django_setup(name)
    from django.conf import settings

    from catalog.services.imports import catalogue_import_receive

    supplier, agreement = _setup()
    env = {
        **os.environ,
        "DATABASE_URL": url_for(name),
        "REKVI_ENV_FILE": str(BASE_DIR / "no-such.env"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", BENCH_SECRET_KEY),
        "CREDENTIALS_KEYS": os.environ.get("CREDENTIALS_KEYS", BENCH_CREDENTIALS_KEY),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    result: dict[str, Any] = {}
    for key, file_name, megabytes in FILES:
        path = WORK_DIR / file_name
        if file_name.endswith(".xml"):
            size = write_hostile_catalogue(path, megabytes * MEGABYTE)
        else:
            size = write_xlsx_bomb(path, megabytes * MEGABYTE or 30)
        with path.open("rb") as source:
            received = catalogue_import_receive(
                supplier=supplier,
                agreement=agreement,
                file=source,
                file_name=file_name,
                enqueue=False,
            )
        path.unlink()
        report = import_peak_memory(received.pk, env)
        result[key] = {"file_bytes": size, **report}
    padded = result["peppol_padded_100mb"]["peak_rss_mb"]
    result["padded_100mb_to_10mb"] = round(padded / result["peppol_padded_10mb"]["peak_rss_mb"], 3)
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"memory-{stamp}.json").write_text(json.dumps(result, indent=2))
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return result
