"""The cart page benchmark: the daycare requisitioner's cart of 200 lines (items of the unit's
assortment in the 1,000,000-product catalogue), rendered by the real view through Django's
test client (session, middleware, template and all), 30 times after 3 warm-up requests.

    python -m bench cart
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from bench.env import WORK_DIR, database_name, django_setup, fresh_copy

LINES = 200


def cart_bench(*, runs: int = 30) -> dict[str, Any]:
    fresh_copy()
    django_setup(database_name())
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from catalog.selectors import product_list_for_unit
    from orders.services import cart_get_for, cart_line_add
    from org.models import OrgUnit, User

    call_command("migrate", verbosity=0)  # a template built before the orders tables
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.get(username="rekvirent")
    unit = OrgUnit.objects.get(code="SOL")
    today = timezone.localdate()
    product_ids = list(
        product_list_for_unit(user=user, unit=unit, on=today)
        .order_by()
        .values_list("pk", flat=True)[:LINES]
    )
    cart = cart_get_for(user=user, unit=unit)
    for product_id in product_ids:
        cart_line_add(cart=cart, product_id=product_id, quantity="2", on=today)
    client = Client()
    client.force_login(user)
    url = f"/cart/?unit={unit.pk}"
    for _warm in range(3):
        assert client.get(url).status_code == 200
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # request_started resets connection.queries
        response = client.get(url)
    lines_shown = response.content.decode().count('name="quantity"')
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    result = {
        "lines": len(product_ids),
        "lines_shown": lines_shown,
        "queries": len(statements),
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"cart-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result
