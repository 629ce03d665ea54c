"""The import benchmark: with the 1,000,000-product catalogue live, import version 2 of every
supplier's file (1,000,000 rows in all: 5 % price changes, 1 % new, 1 % gone), each parsed,
staged, diffed, approved and applied by the importer in one process, as the import_catalogue
command does. The search-index refresh is measured apart, after it.

Each run starts from a fresh copy of the template database, in a process of its own (its peak
memory is the importer's). One more run has a second process searching all along, that checks
every supplier's live catalogue is always wholly version 1 or wholly version 2.

    python -m bench import [--runs 3] [--jobs 2]
    python -m bench import --one-file    one supplier's file of 1,000,000 rows (peak memory)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

from bench.env import BASE_DIR, WORK_DIR, database_name, django_setup, fresh_copy

SEARCH_DURING_IMPORT = (
    "kuglepen blå",
    "printerpapir",
    "sødmælk",
    "toiletpapir",
    "kaffe",
    "skruetrækker",
    "hvede mel",
    "kontorstol",
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _watch(stop: Any, results: Any, totals: dict[str, list[str]]) -> None:
    """A second process: search all along, and check that each supplier's live catalogue
    adds up to version 1 or to version 2, never to anything between."""
    django_setup(database_name())
    from django.db import connection
    from django.utils import timezone

    from catalog.models import Supplier
    from catalog.selectors import SearchFilters, product_search
    from org.models import OrgUnit, User

    user = User.objects.get(username="rekvirent")
    unit = OrgUnit.objects.get(code="SOL")
    number_of = {
        supplier.pk: int(supplier.name.split()[1])
        for supplier in Supplier.objects.filter(municipality_id=unit.municipality_id)
    }
    latencies: list[float] = []
    checks = half_applied = 0
    seen_v2: set[int] = set()
    turn = 0
    while not stop.is_set():
        text = SEARCH_DURING_IMPORT[turn % len(SEARCH_DURING_IMPORT)]
        turn += 1
        started = time.perf_counter()
        product_search(
            user=user, unit=unit, text=text, on=timezone.localdate(), filters=SearchFilters()
        )
        latencies.append((time.perf_counter() - started) * 1000)
        if turn % 4:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT supplier_id, COUNT(*), SUM(unit_price) FROM catalog_product "
                "WHERE is_active GROUP BY supplier_id"
            )
            for supplier_id, count, total in cursor.fetchall():
                rows_v1, sum_v1, rows_v2, sum_v2 = totals[str(number_of[supplier_id])]
                state = (count, Decimal(total))
                checks += 1
                if state == (rows_v2, Decimal(sum_v2)):
                    seen_v2.add(supplier_id)
                elif state != (rows_v1, Decimal(sum_v1)):
                    half_applied += 1
    latencies.sort()
    results.put(
        {
            "searches": len(latencies),
            "search_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "search_p95_ms": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
            "search_max_ms": round(latencies[-1], 1) if latencies else None,
            "consistency_checks": checks,
            "suppliers_seen_switched": len(seen_v2),
            "half_applied_seen": half_applied,
        }
    )


def _import_suppliers(numbers: list[int]) -> dict[str, Any]:
    """Import version 2 of these suppliers' files, one after the other, in this process."""
    from bench.build import AGREEMENTS, agreement_of
    from catalog.models import Agreement, Supplier
    from catalog.services.imports import (
        catalogue_import_apply,
        catalogue_import_approve,
        catalogue_import_receive,
        catalogue_import_run,
    )
    from org.models import User

    officer = User.objects.get(username="konsulent")
    suppliers = {int(s.name.split()[1]): s for s in Supplier.objects.all()}
    agreements = {a.number: a for a in Agreement.objects.all()}
    totals = {"rows": 0, "added": 0, "removed": 0, "changed": 0, "problems": 0}
    phases: dict[str, float] = {}
    for number in numbers:
        path = WORK_DIR / "files" / "v2" / f"supplier-{number:02d}.csv"
        with path.open("rb") as source:
            received = catalogue_import_receive(
                supplier=suppliers[number],
                agreement=agreements[AGREEMENTS[agreement_of(number)][0]],
                file=source,
                file_name=path.name,
                enqueue=False,
            )
        imported = catalogue_import_run(import_id=received.pk)
        catalogue_import_approve(catalogue_import=imported, by=officer, enqueue=False)
        applied = catalogue_import_apply(import_id=received.pk)
        totals["rows"] += applied.rows_read
        totals["added"] += applied.added
        totals["removed"] += applied.removed
        totals["changed"] += applied.changed
        totals["problems"] += applied.problem_count
        for phase, seconds in applied.timings.items():
            phases[phase] = phases.get(phase, 0) + seconds
    return {**totals, "phases": phases, "peak_rss_mb": _peak_rss_mb()}


def one_file_once() -> dict[str, Any]:
    """In this (fresh) process: one supplier's file of all 1,000,000 rows of version 2, so
    that the importer's peak memory is measured on a file of a million rows."""
    django_setup(database_name())
    from bench.build import AGREEMENTS, agreement_of
    from catalog.models import Agreement, Supplier
    from catalog.services.imports import (
        catalogue_import_apply,
        catalogue_import_approve,
        catalogue_import_receive,
        catalogue_import_run,
    )
    from org.models import User

    path = WORK_DIR / "files" / "one-supplier-1m.csv"
    if not path.exists():
        with path.open("wb") as combined:
            for number in range(40):
                lines = (WORK_DIR / "files" / "v2" / f"supplier-{number:02d}.csv").read_bytes()
                combined.write(lines if number == 0 else lines.split(b"\n", 1)[1])
    officer = User.objects.get(username="konsulent")
    supplier = next(s for s in Supplier.objects.all() if int(s.name.split()[1]) == 0)
    agreement = Agreement.objects.get(number=AGREEMENTS[agreement_of(0)][0])
    started = time.perf_counter()
    with path.open("rb") as source:
        received = catalogue_import_receive(
            supplier=supplier, agreement=agreement, file=source, file_name=path.name, enqueue=False
        )
    imported = catalogue_import_run(import_id=received.pk)
    catalogue_import_approve(catalogue_import=imported, by=officer, enqueue=False)
    applied = catalogue_import_apply(import_id=received.pk)
    seconds = time.perf_counter() - started
    return {
        "file_mb": round(path.stat().st_size / 1_000_000, 1),
        "rows": applied.rows_read,
        "added": applied.added,
        "removed": applied.removed,
        "changed": applied.changed,
        "seconds": round(seconds, 2),
        "rows_per_second": round(applied.rows_read / seconds),
        "peak_rss_mb_importer": round(_peak_rss_mb(), 1),
    }


def one_file_bench() -> dict[str, Any]:
    fresh_copy()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "--one-file"],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-4000:])
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"import-one-file-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result


def _worker(numbers: list[int], start: Any, results: Any) -> None:
    django_setup(database_name())
    from django.db import connection

    connection.ensure_connection()
    start.wait()
    results.put(_import_suppliers(numbers))


def run_once(*, watch: bool, jobs: int) -> dict[str, Any]:
    """One measured run, in this (fresh) process: the 40 files by `jobs` importer processes
    (as a Celery worker with that concurrency would take them)."""
    django_setup(database_name())
    from catalog.services import search_index_refresh
    from org.models import User

    build = json.loads((WORK_DIR / "build.json").read_text())
    numbers = list(range(40))
    context = multiprocessing.get_context("spawn")
    watcher = None
    if watch:
        stop, watched_results = context.Event(), context.Queue()
        watcher = context.Process(target=_watch, args=(stop, watched_results, build["totals"]))
        watcher.start()
        time.sleep(3)  # the watcher is searching before the first import starts
    if jobs == 1:
        started = time.perf_counter()
        outcomes = [_import_suppliers(numbers)]
    else:
        start, results = context.Event(), context.Queue()
        workers = [
            context.Process(target=_worker, args=(numbers[job::jobs], start, results))
            for job in range(jobs)
        ]
        for worker in workers:
            worker.start()
        time.sleep(5)  # every worker has loaded Django and connected
        started = time.perf_counter()
        start.set()
        outcomes = [results.get(timeout=1800) for _worker_process in workers]
        for worker in workers:
            worker.join(timeout=60)
    import_seconds = time.perf_counter() - started
    watched = None
    if watcher is not None:
        stop.set()
        watched = watched_results.get(timeout=120)
        watcher.join(timeout=60)
    phases: dict[str, float] = {}
    for outcome in outcomes:
        for phase, seconds in outcome["phases"].items():
            phases[phase] = phases.get(phase, 0) + seconds
    rows = sum(outcome["rows"] for outcome in outcomes)
    officer = User.objects.get(username="konsulent")
    refresh_started = time.perf_counter()
    refreshed = search_index_refresh(municipality_id=int(officer.municipality_id or 0))
    refresh_seconds = time.perf_counter() - refresh_started
    return {
        "jobs": jobs,
        "rows": rows,
        "added": sum(outcome["added"] for outcome in outcomes),
        "removed": sum(outcome["removed"] for outcome in outcomes),
        "changed": sum(outcome["changed"] for outcome in outcomes),
        "problems": sum(outcome["problems"] for outcome in outcomes),
        "seconds": round(import_seconds, 2),
        "rows_per_second": round(rows / import_seconds),
        "phases_seconds": {phase: round(value, 2) for phase, value in phases.items()},
        "peak_rss_mb_importer": round(max(outcome["peak_rss_mb"] for outcome in outcomes), 1),
        "search_index_refresh_seconds": round(refresh_seconds, 1),
        "search_index_refresh_products": refreshed.products,
        "peak_rss_mb_refresh": round(_peak_rss_mb(), 1),
        "watch": watched,
    }


def import_bench(*, runs: int, jobs: int = 2) -> dict[str, Any]:
    """`runs` measured runs with `jobs` importer processes, `runs` with one, then one with a
    searching watcher; medians of the measured runs."""
    plans = [(jobs, False)] * runs + [(1, False)] * runs + [(jobs, True)]
    results = []
    for number, (run_jobs, watch) in enumerate(plans, start=1):
        fresh_copy()
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.import_bench",
                f"--jobs={run_jobs}",
                *(["--watch"] if watch else []),
            ],
            cwd=BASE_DIR,
            env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr[-4000:])
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        result["run"] = number
        print(json.dumps(result), file=sys.stderr)
        results.append(result)

    def median(key: str, run_jobs: int) -> float:
        return statistics.median(
            r[key] for r in results if r["jobs"] == run_jobs and r["watch"] is None
        )

    summary = {
        "runs": results,
        f"median_rows_per_second_{jobs}_processes": median("rows_per_second", jobs),
        f"median_seconds_{jobs}_processes": median("seconds", jobs),
        "median_rows_per_second_1_process": median("rows_per_second", 1),
        "median_seconds_1_process": median("seconds", 1),
        "median_peak_rss_mb_importer": median("peak_rss_mb_importer", 1),
        "median_search_index_refresh_seconds": median("search_index_refresh_seconds", 1),
    }
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"import-{stamp}.json").write_text(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    chosen_jobs = next((int(arg.split("=")[1]) for arg in sys.argv if arg.startswith("--jobs=")), 1)
    if "--one-file" in sys.argv:
        outcome = one_file_once()
    else:
        outcome = run_once(watch="--watch" in sys.argv, jobs=chosen_jobs)
    print(json.dumps(outcome, default=str))
