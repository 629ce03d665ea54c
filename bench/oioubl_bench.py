"""The streaming benchmark: a 100,000-line OIOUBL 2.1 Catalogue, each line shaped like the
project's own example (tests/fixtures/public/rekvi/oioubl/Catalogue.xml) with its own item
number, name, GTIN and price, read with `edi.catalogue.parse_catalogue` (lxml iterparse through
the hardened parser). Measured: the parser alone, and the parser with every line checked as
the importer checks it. No database.

    python -m bench oioubl
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.env import BASE_DIR, WORK_DIR
from bench.large_catalogue import large_catalogue

LINES = 100_000
EXAMPLE = BASE_DIR / "tests" / "fixtures" / "public" / "rekvi" / "oioubl" / "Catalogue.xml"


def write_catalogue(path: Path, lines: int = LINES) -> int:
    """Write the catalogue; returns its size in bytes."""
    example = EXAMPLE.read_text(encoding="utf-8")
    head = example[: example.index("<cac:CatalogueLine>")]
    first = example.index("<cac:CatalogueLine>")
    line = example[first : example.index("</cac:CatalogueLine>", first)] + "</cac:CatalogueLine>"
    replacements = (
        ("KH-1001", "{number}"),
        ("Kuglepen blå, medium, 10 stk.", "{name}"),
        ("5799997000012", "{gtin}"),
        ("32.50", "{price}"),
    )
    template = line.replace("{", "{{").replace("}", "}}")
    for old, new in replacements:
        template = template.replace(old, new)
    head = head.replace("<cbc:LineCountNumeric>8</cbc:LineCountNumeric>", "")
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for product in large_catalogue(lines):
            out.write("  ")
            out.write(
                template.format(
                    number=product.item_number,
                    name=product.name.replace("&", "&amp;"),
                    gtin=product.gtin,
                    price=f"{product.price:.2f}",
                )
            )
            out.write("\n")
        out.write("</Catalogue>\n")
    return path.stat().st_size


def _parse_only(path: Path) -> tuple[float, int]:
    import django

    django.setup()
    from edi.catalogue import CatalogueLine, parse_catalogue

    started = time.perf_counter()
    count = 0
    with path.open("rb") as source:
        for item in parse_catalogue(source):
            if isinstance(item, CatalogueLine):
                count += 1
    return time.perf_counter() - started, count


def _parse_and_check(path: Path) -> tuple[float, int, Decimal]:
    from catalog.importers.rows import XmlNumbers, clean_row
    from edi.catalogue import CatalogueLine, parse_catalogue

    started = time.perf_counter()
    count = 0
    total = Decimal(0)
    with path.open("rb") as source:
        for item in parse_catalogue(source):
            if isinstance(item, CatalogueLine):
                row = clean_row(
                    {
                        "supplier_item_number": item.supplier_item_number,
                        "name": item.name,
                        "unit_price": item.price,
                        "unit_code": item.unit_code,
                        "gtin": item.gtin,
                        "pack_quantity": item.pack_quantity,
                        "pack_unit_code": item.pack_unit_code,
                        "currency": item.currency,
                    },
                    numbers=XmlNumbers(),
                    base_quantity=item.base_quantity,
                )
                total += row.unit_price
                count += 1
    return time.perf_counter() - started, count, total


def oioubl_bench(runs: int = 3) -> dict[str, Any]:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    path = WORK_DIR / "oioubl-catalogue-100k.xml"
    size = write_catalogue(path)
    megabytes = size / 1_000_000
    parse_runs = [_parse_only(path) for _run in range(runs)]
    check_runs = [_parse_and_check(path) for _run in range(runs)]
    parse_seconds = statistics.median(seconds for seconds, _count in parse_runs)
    check_seconds = statistics.median(seconds for seconds, _count, _total in check_runs)
    result = {
        "lines": parse_runs[0][1],
        "file_mb": round(megabytes, 1),
        "parse_seconds_runs": [round(seconds, 2) for seconds, _count in parse_runs],
        "parse_mb_per_second": round(megabytes / parse_seconds, 1),
        "parse_lines_per_second": round(parse_runs[0][1] / parse_seconds),
        "parse_and_check_seconds_runs": [round(s, 2) for s, _c, _t in check_runs],
        "parse_and_check_mb_per_second": round(megabytes / check_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"oioubl-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result
