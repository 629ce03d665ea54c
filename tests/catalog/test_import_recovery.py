"""Imports that stop: failure text that a database would refuse."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from catalog.importers.tabular import csv_text
from catalog.models import (
    Agreement,
    CatalogueImport,
    CatalogueImportProblem,
    Supplier,
)
from catalog.services.imports import (
    catalogue_import_receive,
    catalogue_import_run,
)
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = CatalogueImport.Status
Capture = Callable[..., Any]
ROWS = [
    ["Varenr", "Varenavn", "Pris", "Enhed"],
    ["KH-1001", "Kuglepen blå", "32,50", "PK"],
    ["KH-1002", "Notesblok", "54,00", "PK"],
]


@pytest.fixture
def office(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset", cvr="29900019"
    )
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.57", suppliers=[supplier]
    )
    return supplier, agreement


def _received(office: tuple[Supplier, Agreement], content: bytes) -> CatalogueImport:
    supplier, agreement = office
    return catalogue_import_receive(
        supplier=supplier,
        agreement=agreement,
        file=io.BytesIO(content),
        file_name="katalog.csv",
        enqueue=False,
    )


def test_a_failure_whose_text_holds_a_nul_is_stored_cleaned(
    office: tuple[Supplier, Agreement],
) -> None:
    received = _received(office, b"Nummer\x00;Tekst\x07\n1;x\n")

    failed = catalogue_import_run(import_id=received.pk)

    assert failed.status == Status.FAILED
    assert failed.failure_params == {"fields": "varenummer, navn, pris, enhed"} | {
        "headings": "Nummer\\x00, Tekst\\x07"
    }
    assert failed.failure == (
        "The file has no column for varenummer, navn, pris, enhed "
        "(headings found: Nummer\\x00, Tekst\\x07)."
    )


def test_a_problem_whose_value_holds_a_nul_is_stored_cleaned(
    office: tuple[Supplier, Agreement],
) -> None:
    content = csv_text([*ROWS, ["KH-1003", "Saks", "12\x00,00", "EA"]])

    ready = catalogue_import_run(import_id=_received(office, content).pk)

    assert (ready.status, ready.added, ready.problem_count) == (Status.READY, 2, 1)
    problem = CatalogueImportProblem.objects.get(catalogue_import=ready)
    assert (problem.row_number, problem.column, problem.value) == (4, "Pris", "12\\x00,00")
    assert problem.message == "The price “12\\x00,00” is not a number."
