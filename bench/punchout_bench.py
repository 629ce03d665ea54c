"""The punch-out return benchmark: a cart coming back is parsed, checked line by line against
the agreement's prices and stored as pending, through the real return view (Django's test
client: middleware, token check and all).

    python -m bench punchout

Two carts, on the Fjordby demo data in a database of their own: a 500-line cXML
PunchOutOrderMessage from Nordlys IT and a 1 MB OCI form from Kontorhuset, each 20 times after
3 warm-up returns. The pure parse of the same bytes (edi alone) is measured in the same process
as the baseline. Targets: under 300 ms each.
"""

from __future__ import annotations

import json
import statistics
import time
import urllib.parse
from decimal import Decimal
from typing import Any

from bench.env import WORK_DIR, admin_execute, database_name, django_setup

CXML_LINES = 500
OCI_BYTES = 1024 * 1024


def _poom(buyer_cookie: str, items: list[tuple[str, str, Decimal]]) -> bytes:
    """A PunchOutOrderMessage of `items` (supplier part id, name, unit price)."""
    lines = []
    total = Decimal(0)
    for number, (part, name, price) in enumerate(items, start=1):
        total += price * 2
        lines.append(
            f'<ItemIn quantity="2" lineNumber="{number}"><ItemID><SupplierPartID>{part}'
            f"</SupplierPartID><SupplierPartAuxiliaryID>bench &amp; line {number}"
            f'</SupplierPartAuxiliaryID></ItemID><ItemDetail><UnitPrice><Money currency="DKK">'
            f'{price}</Money></UnitPrice><Description xml:lang="da"><ShortName>{name}'
            f"</ShortName>Benchmark line {number}</Description><UnitOfMeasure>EA"
            f'</UnitOfMeasure><Classification domain="UNSPSC">43211503</Classification>'
            f"<LeadTime>3</LeadTime></ItemDetail></ItemIn>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.071/cXML.dtd">\n'
        '<cXML payloadID="bench@nordlys" timestamp="2026-11-27T10:00:00+01:00" xml:lang="da">'
        '<Header><From><Credential domain="NetworkID"><Identity>NORDLYS-IT-29900078</Identity>'
        '</Credential></From><To><Credential domain="NetworkID"><Identity>FJORDBY-29900124'
        '</Identity></Credential></To><Sender><Credential domain="NetworkID"><Identity>'
        "NORDLYS-IT-29900078</Identity></Credential><UserAgent>bench</UserAgent></Sender>"
        f"</Header><Message><PunchOutOrderMessage><BuyerCookie>{buyer_cookie}</BuyerCookie>"
        '<PunchOutOrderMessageHeader operationAllowed="edit"><Total><Money currency="DKK">'
        f"{total}</Money></Total></PunchOutOrderMessageHeader>{''.join(lines)}"
        "</PunchOutOrderMessage></Message></cXML>"
    ).encode()


def _oci_form(items: list[tuple[str, str, Decimal]], size: int) -> bytes:
    """An OCI form of at most `size` bytes as a browser posts it (ISO-8859-1, urlencoded),
    cycling through `items`."""
    body = b""
    number = 0
    while True:
        number += 1
        part, name, price = items[number % len(items)]
        pairs = [
            (f"NEW_ITEM-DESCRIPTION[{number}]", name),
            (f"NEW_ITEM-VENDORMAT[{number}]", part),
            (f"NEW_ITEM-QUANTITY[{number}]", "3"),
            (f"NEW_ITEM-UNIT[{number}]", "PK"),
            (f"NEW_ITEM-PRICE[{number}]", str(price)),
            (f"NEW_ITEM-PRICEUNIT[{number}]", "1"),
            (f"NEW_ITEM-CURRENCY[{number}]", "DKK"),
            (f"NEW_ITEM-LEADTIME[{number}]", "2"),
            (f"NEW_ITEM-VENDOR[{number}]", "29900019"),
            (f"NEW_ITEM-MATGROUP[{number}]", "44121700"),
            (f"NEW_ITEM-LONGTEXT_{number}:132[]", f"Benchmark line {number}: {name}"),
        ]
        item = urllib.parse.urlencode(pairs, encoding="iso-8859-1").encode()
        if len(body) + len(item) + 1 > size:
            return body
        body = body + b"&" + item if body else item


def _measure(send: Any, runs: int) -> list[float]:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        send()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
    }


def punchout_bench(*, runs: int = 20) -> dict[str, Any]:
    name = f"{database_name()}_punchout"
    admin_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    django_setup(name)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from catalog.models import Product, Supplier
    from core.collector import collector_paused
    from edi import cxml, oci
    from org.models import OrgUnit, User
    from punchout.models import PunchoutSession, ReturnedCart
    from punchout.services import returned_line_price_note
    from punchout.services.sessions import _session_create, return_url_for

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()

    def items_of(supplier: Supplier) -> list[tuple[str, str, Decimal]]:
        known = [
            (product.supplier_item_number, product.name, product.unit_price)
            for product in Product.objects.filter(supplier=supplier).order_by("pk")
        ]
        # agreement items, priced 2 % under the agreement, and as many items not on it
        return [
            (part, name, (price * Decimal("0.98")).quantize(Decimal("0.01")))
            for part, name, price in known
        ] + [(f"WEB-{n}", f"Webshop item {n}", Decimal("99.50")) for n in range(len(known))]

    def start(username: str, supplier: Supplier, unit_code: str) -> tuple[PunchoutSession, str]:
        user = User.objects.get(username=username)
        unit = OrgUnit.objects.get(code=unit_code)
        session, token = _session_create(
            user=user, unit=unit, supplier=supplier, operation="create", purpose="shop"
        )
        return session, return_url_for("http://testserver/", token)

    nordlys = Supplier.objects.get(cvr="29900078")
    kontorhuset = Supplier.objects.get(cvr="29900019")
    cxml_items = items_of(nordlys)
    cxml_items = [cxml_items[n % len(cxml_items)] for n in range(CXML_LINES)]
    oci_items = items_of(kontorhuset)
    form = "application/x-www-form-urlencoded"

    def cxml_return() -> None:
        session, url = start("indkoeber", nordlys, "IT")
        document = _poom(session.buyer_cookie, cxml_items)
        body = urllib.parse.urlencode({"cxml-urlencoded": document.decode()}).encode()
        response = client.post(url.removeprefix("http://testserver"), body, content_type=form)
        assert response.status_code == 303, response.status_code

    oci_body = _oci_form(oci_items, OCI_BYTES)

    def oci_return() -> None:
        _session, url = start("rekvirent", kontorhuset, "SOL")
        response = client.post(url.removeprefix("http://testserver"), oci_body, content_type=form)
        assert response.status_code == 303, response.status_code

    sample_session, _url = start("indkoeber", nordlys, "IT")
    sample_poom = _poom(sample_session.buyer_cookie, cxml_items)
    for _warm in range(3):
        cxml_return()
        oci_return()
    cxml_timings = _measure(cxml_return, runs)
    oci_timings = _measure(oci_return, runs)
    # the baseline: the same bytes through edi alone, with the collector paused as on return
    with collector_paused():
        parse_cxml = _measure(lambda: cxml.punchout_order_message_parse(sample_poom), runs)
        parse_oci = _measure(lambda: oci.cart_parse(oci.form_fields_decode(oci_body, form)), runs)
    last = ReturnedCart.objects.order_by("-pk").first()
    cxml_cart = ReturnedCart.objects.filter(session__supplier=nordlys).order_by("-pk").first()
    assert last is not None
    assert cxml_cart is not None
    result = {
        "cxml": {
            "lines": cxml_cart.lines.count(),
            "bytes": len(sample_poom),
            "flagged_lines": sum(
                1 for line in cxml_cart.lines.all() if returned_line_price_note(line)
            ),
            **_summary(cxml_timings),
            "parse_only_p50_ms": round(statistics.median(parse_cxml), 1),
            "ratio_to_parse_only": round(
                statistics.median(cxml_timings) / statistics.median(parse_cxml), 2
            ),
        },
        "oci": {
            "lines": last.lines.count(),
            "bytes": len(oci_body),
            "flagged_lines": sum(1 for line in last.lines.all() if returned_line_price_note(line)),
            **_summary(oci_timings),
            "parse_only_p50_ms": round(statistics.median(parse_oci), 1),
            "ratio_to_parse_only": round(
                statistics.median(oci_timings) / statistics.median(parse_oci), 2
            ),
        },
        "runs": runs,
    }
    stamp = time.strftime("%Y-%m-%dT%H%M")
    (WORK_DIR / f"punchout-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result
