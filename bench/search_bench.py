"""The search benchmark: 200 mixed queries (bench.queries) as the daycare's requisitioner, with
the assortment filter on and the top 20 asked for, through the same selector the shop and the
API use, on the 1,000,000-product catalogue. One client, then 4 clients at once (4 processes),
and as a baseline in the same process what a generic ERP does: `name ILIKE '%word%'` for each
word, no trigram index, the first 20 by name.

    python -m bench search [--runs 3]
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import time
from typing import Any

from bench.env import WORK_DIR, database_name, django_setup, fresh_copy
from bench.queries import BenchQuery, bench_queries


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def _summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
    }


def _searcher() -> Any:
    from django.utils import timezone

    from catalog.selectors import SearchFilters, SearchTimeoutError, product_search
    from org.models import OrgUnit, User

    user = User.objects.get(username="rekvirent")
    unit = OrgUnit.objects.get(code="SOL")
    today = timezone.localdate()

    def search(text: str) -> tuple[float, int]:
        """Milliseconds and results; -1 results for a search stopped by the timeout."""
        started = time.perf_counter()
        try:
            result = product_search(
                user=user, unit=unit, text=text, on=today, filters=SearchFilters(), limit=20
            )
        except SearchTimeoutError:
            return (time.perf_counter() - started) * 1000, -1
        return (time.perf_counter() - started) * 1000, len(result.products)

    return search


def _ilike(text: str) -> tuple[float, int]:
    """What a generic ERP does: every word somewhere in the name, first 20 by name."""
    from django.db import connection

    words = [word for word in text.split() if word]
    where = " AND ".join(["name ILIKE %s"] * len(words)) or "TRUE"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM catalog_product WHERE is_active AND {where} "  # noqa: S608
            f"ORDER BY name LIMIT 20",
            [f"%{word}%" for word in words],
        )
        found = len(cursor.fetchall())
    return (time.perf_counter() - started) * 1000, found


def _client(queries: list[str], start: Any, results: Any) -> None:
    django_setup(database_name())
    search = _searcher()
    search("kuglepen")  # the analyzer is loaded once per process
    start.wait()
    answers = [search(text) for text in queries]
    results.put(answers)


def _concurrent(queries: list[BenchQuery], clients: int) -> list[tuple[float, int]]:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = []
    for client in range(clients):
        shifted = queries[client * 50 :] + queries[: client * 50]
        process = context.Process(
            target=_client, args=([query.text for query in shifted], start, results)
        )
        process.start()
        processes.append(process)
    time.sleep(15)  # every client has loaded Django and its analyzer
    start.set()
    answers: list[tuple[float, int]] = []
    for _process in processes:
        answers += results.get(timeout=600)
    for process in processes:
        process.join(timeout=60)
    return answers


def search_bench(*, runs: int) -> dict[str, Any]:
    fresh_copy()
    django_setup(database_name())
    queries = bench_queries()
    search = _searcher()
    search("kuglepen")  # warm the analyzer and the connection
    for query in queries:  # and the database's caches, as a running server has them
        search(query.text)
    single_runs = []
    by_kind: dict[str, list[float]] = {}
    empty = []
    timed_out = 0
    for _run in range(runs):
        latencies = []
        for query in queries:
            elapsed, found = search(query.text)
            latencies.append(elapsed)
            by_kind.setdefault(query.kind, []).append(elapsed)
            timed_out += found < 0
            if not found and _run == 0:
                empty.append(query.text)
        single_runs.append(_summary(latencies))
    baseline = []
    baseline_empty = 0
    for query in queries:
        elapsed, found = _ilike(query.text)
        baseline.append(elapsed)
        baseline_empty += not found
    ours = [run["p50_ms"] for run in single_runs]
    concurrent_answers = [_concurrent(queries, 4) for _run in range(runs)]
    concurrent_runs = [
        _summary([elapsed for elapsed, _found in answers]) for answers in concurrent_answers
    ]
    result = {
        "queries": len(queries),
        "single_client_runs": single_runs,
        "single_client_median_p50_ms": statistics.median(ours),
        "single_client_median_p95_ms": statistics.median(r["p95_ms"] for r in single_runs),
        "single_client_max_ms": max(r["max_ms"] for r in single_runs),
        "by_kind_p50_ms": {
            kind: round(statistics.median(values), 1) for kind, values in by_kind.items()
        },
        "by_kind_p95_ms": {
            kind: round(_percentile(values, 0.95), 1) for kind, values in by_kind.items()
        },
        "queries_without_results": empty,
        "single_client_timed_out": timed_out,
        "four_clients_runs": concurrent_runs,
        "four_clients_median_p95_ms": statistics.median(r["p95_ms"] for r in concurrent_runs),
        "four_clients_max_ms": max(r["max_ms"] for r in concurrent_runs),
        "four_clients_timed_out": sum(
            found < 0 for answers in concurrent_answers for _elapsed, found in answers
        ),
        "ilike_baseline": _summary(baseline),
        "ilike_queries_without_results": baseline_empty,
        "ilike_to_rekvi_p50_ratio": round(statistics.median(baseline) / statistics.median(ours), 1),
    }
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"search-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result
