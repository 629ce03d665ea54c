"""The suppliers' catalogue files of the benchmark: version 1 (loaded into the template
database) and version 2 (imported in the measured runs), one CSV file per supplier, written the
Danish way (semicolons, decimal commas).

Version 2 differs from version 1 as the issue asks: 5 % of the prices change (half up 4 %, half
down 3 %), 1 % of the items are gone and 1 % are new. Both are reproducible from the seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bench.large_catalogue import large_catalogue
from bench.synthetic_catalogue import SyntheticProduct

HEADING = ["Varenr", "Varenavn", "Mærke", "Kategori", "EAN", "Pris", "Enhed"]
CENT = Decimal("0.01")


def danish(amount: Decimal) -> str:
    """1234.5 -> "1.234,50"."""
    return f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _row(product: SyntheticProduct, price: Decimal, item_number: str | None = None) -> list[str]:
    return [
        item_number or product.item_number,
        product.name,
        product.brand,
        product.category,
        product.gtin,
        danish(price),
        product.unit_code,
    ]


@dataclass
class SupplierTotals:
    """What a supplier's live catalogue adds up to before and after version 2 is applied: a
    search that sees anything in between has seen a half-applied catalogue."""

    rows_v1: int = 0
    sum_v1: Decimal = Decimal(0)
    rows_v2: int = 0
    sum_v2: Decimal = Decimal(0)


@dataclass
class CatalogueFiles:
    folder: Path
    suppliers: int
    totals: dict[int, SupplierTotals] = field(default_factory=dict)
    changed: int = 0
    gone: int = 0
    new: int = 0

    def path(self, version: int, supplier: int) -> Path:
        return self.folder / f"v{version}" / f"supplier-{supplier:02d}.csv"


def write_catalogue_files(folder: Path, *, rows: int, suppliers: int = 40) -> CatalogueFiles:
    """Write both versions for every supplier; returns what they hold."""
    files = CatalogueFiles(folder=folder, suppliers=suppliers)
    handles = {}
    writers = {}
    for version in (1, 2):
        (folder / f"v{version}").mkdir(parents=True, exist_ok=True)
        for supplier in range(suppliers):
            handle = files.path(version, supplier).open("w", encoding="utf-8", newline="")
            handles[version, supplier] = handle
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(HEADING)
            writers[version, supplier] = writer
    try:
        for index, product in enumerate(large_catalogue(rows, suppliers=suppliers)):
            totals = files.totals.setdefault(product.supplier, SupplierTotals())
            writers[1, product.supplier].writerow(_row(product, product.price))
            totals.rows_v1 += 1
            totals.sum_v1 += product.price
            if index % 100 == 37:
                files.gone += 1
            else:
                price = product.price
                if index % 20 == 3:
                    factor = Decimal("1.04") if index % 40 == 3 else Decimal("0.97")
                    price = (price * factor).quantize(CENT, rounding=ROUND_HALF_UP)
                    files.changed += 1
                writers[2, product.supplier].writerow(_row(product, price))
                totals.rows_v2 += 1
                totals.sum_v2 += price
            if index % 100 == 71:
                files.new += 1
                writers[2, product.supplier].writerow(
                    _row(product, product.price, item_number=f"{product.item_number}-N")
                )
                totals.rows_v2 += 1
                totals.sum_v2 += product.price
    finally:
        for handle in handles.values():
            handle.close()
    return files
