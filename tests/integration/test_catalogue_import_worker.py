"""A catalogue import read and applied by a real Celery worker process, as in real mode: the
web process only keeps the file and queues the work."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from django.db import transaction

from catalog.importers.tabular import csv_text
from catalog.models import CatalogueImport, Product
from catalog.services.imports import catalogue_import_approve, catalogue_import_receive
from org.models import Role
from tests.factories.catalog import AgreementFactory, SupplierFactory
from tests.factories.org import MunicipalityFactory, UserFactory, grant
from tests.integration.conftest import Worker

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
