"""A catalogue import read and applied by a real Celery worker process, as in real mode: the
web process only keeps the file and queues the work."""

from __future__ import annotations

import io
import signal
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.importers.tabular import csv_text
from catalog.models import CatalogueImport, CatalogueImportRow, Product
from catalog.services.imports import (
    catalogue_import_approve,
    catalogue_import_receive,
    catalogue_imports_sweep,
)
from org.models import Role
from tests.factories.catalog import AgreementFactory, SupplierFactory
from tests.factories.org import MunicipalityFactory, UserFactory, grant
from tests.integration.conftest import Worker, Workers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = CatalogueImport.Status


def _wait_for(import_id: int, status: str, timeout: float = 60) -> CatalogueImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        imported = CatalogueImport.objects.get(pk=import_id)
        if imported.status == status:
            return imported
        if imported.status == Status.FAILED:
            raise AssertionError(f"the import failed: {imported.failure}")
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} did not reach {status} within {timeout} s")


def test_a_worker_reads_diffs_and_applies_an_import(sent_to_the_broker: Worker) -> None:
    municipality = MunicipalityFactory.create(name="Værkby Kommune")
    supplier = SupplierFactory.create(municipality=municipality, cvr="29900019")
    agreement = AgreementFactory.create(
        municipality=municipality, number="50.57", suppliers=[supplier]
    )
    officer = UserFactory.create(municipality=municipality, username="konsulent")
    grant(officer, municipality.units.get(parent=None), Role.ASSORTMENT_ADMIN, subtree=True)
    content = csv_text(
        [
            ["Varenr", "Varenavn", "Pris", "Enhed"],
            ["KH-1001", "Kuglepen blå", "32,50", "PK"],
            ["KH-1002", "Notesblok", "54,00", "PK"],
        ]
    )

    with transaction.atomic():
        received = catalogue_import_receive(
            supplier=supplier, agreement=agreement, file=io.BytesIO(content), file_name="k.csv"
        )
        assert received.status == Status.RECEIVED  # nothing leaves before the commit

    ready = _wait_for(received.pk, Status.READY)
    assert (ready.rows_read, ready.added, ready.problem_count) == (2, 2, 0)
    assert Product.objects.filter(supplier=supplier).count() == 0

    catalogue_import_approve(catalogue_import=ready, by=officer)

    _wait_for(received.pk, Status.APPLIED)
    assert dict(
        Product.objects.filter(supplier=supplier).values_list("supplier_item_number", "unit_price")
    ) == {"KH-1001": Decimal("32.5000"), "KH-1002": Decimal("54.0000")}


def test_an_import_whose_worker_was_killed_is_started_again_and_completes(
    sent_to_the_broker: Worker, celery_workers: Workers
) -> None:
    municipality = MunicipalityFactory.create(name="Værkby Kommune")
    supplier = SupplierFactory.create(municipality=municipality, cvr="29900019")
    agreement = AgreementFactory.create(
        municipality=municipality, number="50.57", suppliers=[supplier]
    )
    rows = 300_000  # long enough to be killed while it reads
    content = csv_text(
        [
            ["Varenr", "Varenavn", "Pris", "Enhed"],
            *([f"KH-{number}", f"Vare {number}", "12,50", "EA"] for number in range(rows)),
        ]
    )
    received = catalogue_import_receive(
        supplier=supplier, agreement=agreement, file=io.BytesIO(content), file_name="k.csv"
    )
    deadline = time.monotonic() + 120
    while CatalogueImport.objects.get(pk=received.pk).rows_read == 0:  # a batch is staged
        assert time.monotonic() < deadline, "the worker did not start reading"
        time.sleep(0.05)

    sent_to_the_broker.process.send_signal(signal.SIGKILL)
    sent_to_the_broker.process.wait(timeout=10)

    killed = CatalogueImport.objects.get(pk=received.pk)
    assert (killed.status, killed.attempts) == (Status.PARSING, 1)
    assert 0 < killed.rows_read < rows
    # the time that passes before the sweep takes it for stuck
    CatalogueImport.objects.filter(pk=received.pk).update(
        updated_at=timezone.now() - timedelta(minutes=31)
    )
    celery_workers.start()

    outcome = catalogue_imports_sweep()

    assert outcome.restarted == [received.pk]
    ready = _wait_for(received.pk, Status.READY, timeout=300)
    assert (ready.attempts, ready.rows_read, ready.rows_staged) == (2, rows, rows)
    assert (ready.added, ready.problem_count) == (rows, 0)
    assert CatalogueImportRow.objects.filter(catalogue_import_id=received.pk).count() == 0
