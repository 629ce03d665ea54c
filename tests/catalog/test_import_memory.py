"""The importer's memory does not grow with what a file holds: a catalogue padded with
elements nobody reads, and an XLSX "bomb". Each import runs in a process of its own, which
reports its own peak resident memory (libxml2's and openpyxl's included, which `tracemalloc`
does not see; see bench.import_memory). Runs in both lanes: the child process uses the
test's database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from bench.hostile_files import MEGABYTE, write_hostile_catalogue, write_xlsx_bomb
from bench.import_memory import import_peak_memory
from catalog.models import Agreement, CatalogueImport, Supplier
from catalog.services.imports import catalogue_import_receive
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.memory]
Status = CatalogueImport.Status


def child_environment() -> dict[str, str]:
    """The environment of an importer process that works on this test's database."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REKVI_ENV_FILE=str(settings.BASE_DIR / "no-such.env"),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        LOG_LEVEL="WARNING",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = (
            f"postgres://{quote(db.get('USER') or '')}{password}@{db.get('HOST') or '127.0.0.1'}"
            f":{db.get('PORT') or '5432'}/{db['NAME']}"
        )
        env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    return env


def received(supplier: Supplier, agreement: Agreement, path: Path) -> CatalogueImport:
    """The file kept as received (committed), not yet read; the file itself is then deleted."""
    with path.open("rb") as source:
        imported = catalogue_import_receive(
            supplier=supplier, agreement=agreement, file=source, file_name=path.name, enqueue=False
        )
    path.unlink()
    return imported


def run_in_child(imported: CatalogueImport) -> dict[str, Any]:
    report = import_peak_memory(imported.pk, child_environment())
    imported.refresh_from_db()
    return report


@pytest.fixture
def renhed(tree: Tree) -> tuple[Supplier, Agreement]:
    """The sender of the project's Peppol example catalogue."""
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Renhed & Hygiejne A/S", cvr="29900108"
    )
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.24", suppliers=[supplier]
    )
    return supplier, agreement


def test_a_padded_peppol_catalogue_is_read_in_memory_that_does_not_grow_with_the_file(
    tmp_path: Path, renhed: tuple[Supplier, Agreement]
) -> None:
    peaks: dict[int, float] = {}
    for megabytes in (10, 100):
        path = tmp_path / f"padded-{megabytes}mb.xml"
        size = write_hostile_catalogue(path, megabytes * MEGABYTE)
        imported = received(*renhed, path)

        report = run_in_child(imported)

        assert size >= megabytes * MEGABYTE
        assert (report["status"], report["failure_code"]) == (Status.READY, "")
        assert (imported.document_id, imported.rows_read, imported.added) == (
            "RH-KAT-2026-01",
            10,
            10,
        )
        peaks[megabytes] = report["peak_rss_mb"]
    assert peaks[100] < 200, peaks
    assert peaks[100] <= 1.10 * peaks[10], peaks


def test_an_xlsx_bomb_is_refused_without_the_memory_growth(
    tmp_path: Path, renhed: tuple[Supplier, Agreement]
) -> None:
    normal, bomb = tmp_path / "normal.xlsx", tmp_path / "bomb.xlsx"
    write_xlsx_bomb(normal, 30)  # an item name of 30 letters: an ordinary workbook
    size = write_xlsx_bomb(bomb, 300 * MEGABYTE)

    baseline = run_in_child(received(*renhed, normal))
    imported = received(*renhed, bomb)
    report = run_in_child(imported)

    assert (baseline["status"], baseline["failure_code"]) == (Status.READY, "")
    assert size < 400_000
    assert report["peak_rss_mb"] < 200, (report, baseline)
    assert report["peak_rss_mb"] <= 1.10 * baseline["peak_rss_mb"], (report, baseline)
    assert (report["status"], report["failure_code"]) == (Status.FAILED, "xlsx_part_ratio")
    assert imported.failure_params["size"] == 300_000_303
