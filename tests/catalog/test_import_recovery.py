"""Imports that stop: a worker killed while reading or applying (the sweep, or the task
delivered again, takes over; after a few attempts the import fails and says so), failure text
that a database would refuse, and the decisions left on a failed or stuck import."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.importers.tabular import csv_text
from catalog.models import (
    Agreement,
    CatalogueImport,
    CatalogueImportProblem,
    CatalogueImportRow,
    Product,
    Supplier,
)
from catalog.services.imports import (
    CatalogueImportError,
    ImportErrorCode,
    catalogue_import_approve,
    catalogue_import_receive,
    catalogue_import_reject,
    catalogue_import_run,
    catalogue_imports_sweep,
)
from org.models import User
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


def _left_stuck(
    imported: CatalogueImport, *, status: str = Status.PARSING, attempts: int = 1, minutes: int = 31
) -> CatalogueImport:
    """As a worker killed while it had the import leaves it: claimed, no progress since."""
    CatalogueImport.objects.filter(pk=imported.pk).update(
        status=status,
        attempts=attempts,
        updated_at=timezone.now() - timedelta(minutes=minutes),
    )
    imported.refresh_from_db()
    return imported


def test_the_sweep_starts_a_stuck_import_again_and_it_completes(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> None:
    stuck = _left_stuck(_received(office, csv_text(ROWS)))
    # what the killed worker had staged and found
    CatalogueImportRow.objects.create(
        municipality_id=stuck.municipality_id,
        catalogue_import_id=stuck.pk,
        row_number=2,
        supplier_item_number="KH-1001",
        item_number_key="KH-1001",
        name="Kuglepen blå",
        unit_code="PK",
        unit_price=Decimal("32.5"),
        currency="DKK",
    )

    with django_capture_on_commit_callbacks(execute=True):
        outcome = catalogue_imports_sweep()

    stuck.refresh_from_db()
    assert (outcome.restarted, outcome.failed) == ([stuck.pk], [])
    assert (stuck.status, stuck.attempts) == (Status.READY, 2)
    assert (stuck.rows_read, stuck.rows_staged, stuck.added, stuck.problem_count) == (2, 2, 2, 0)


def test_an_import_past_its_attempts_is_failed_with_a_message(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> None:
    stuck = _left_stuck(_received(office, csv_text(ROWS)), attempts=3)
    stuck_applying = _left_stuck(
        _received(office, csv_text(ROWS)), status=Status.APPLYING, attempts=3
    )
    running = _left_stuck(_received(office, csv_text(ROWS)), minutes=29)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = catalogue_imports_sweep()

    assert (sorted(outcome.failed), outcome.restarted) == ([stuck.pk, stuck_applying.pk], [])
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED
    assert stuck.failure == (
        "Reading the file stopped 3 times without finishing (no progress for 30 minutes each "
        "time; its worker may have been stopped), so the import was stopped. Nothing in the "
        "catalogue has changed. Upload the file again; if it stops again, the operator has the "
        "details."
    )
    stuck_applying.refresh_from_db()
    assert stuck_applying.failure.startswith(
        "Applying the approved import stopped 3 times without finishing"
    )
    running.refresh_from_db()
    assert (running.status, running.attempts) == (Status.PARSING, 1)  # still showing progress


def test_a_stuck_import_being_applied_is_applied_again(
    django_capture_on_commit_callbacks: Capture,
    office: tuple[Supplier, Agreement],
    assortment_admin: User,
) -> None:
    received = _received(office, csv_text(ROWS))
    ready = catalogue_import_run(import_id=received.pk)
    catalogue_import_approve(catalogue_import=ready, by=assortment_admin, enqueue=False)
    stuck = _left_stuck(ready, status=Status.APPLYING, attempts=1)  # its worker was killed

    with django_capture_on_commit_callbacks(execute=True):
        outcome = catalogue_imports_sweep()

    stuck.refresh_from_db()
    assert (outcome.restarted, stuck.status, stuck.attempts) == ([stuck.pk], Status.APPLIED, 2)
    assert Product.objects.filter(supplier=office[0]).count() == 2


def test_the_task_delivered_again_takes_over_a_stale_claim_but_not_a_live_one(
    office: tuple[Supplier, Agreement],
) -> None:
    live = _left_stuck(_received(office, csv_text(ROWS)), minutes=5)
    assert catalogue_import_run(import_id=live.pk).status == Status.PARSING  # left to its worker

    stale = _left_stuck(_received(office, csv_text(ROWS)))
    taken_over = catalogue_import_run(import_id=stale.pk)

    assert (taken_over.status, taken_over.attempts, taken_over.added) == (Status.READY, 2, 2)
    spent = _left_stuck(_received(office, csv_text(ROWS)), attempts=3)
    assert catalogue_import_run(import_id=spent.pk).failure_code == "reading_stopped"


def test_run_periodic_sweeps_stuck_imports_in_embedded_mode(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> None:
    stuck = _left_stuck(_received(office, csv_text(ROWS)))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=io.StringIO())

    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts, stuck.added) == (Status.READY, 2, 2)


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


def test_a_failed_or_stuck_import_can_be_rejected_and_a_running_one_not(
    office: tuple[Supplier, Agreement], assortment_admin: User
) -> None:
    failed = catalogue_import_run(import_id=_received(office, b"Nummer;Tekst\n1;x\n").pk)
    stuck = _left_stuck(_received(office, csv_text(ROWS)))
    running = _left_stuck(_received(office, csv_text(ROWS)), minutes=5)

    for imported in (failed, stuck):
        rejected = catalogue_import_reject(
            catalogue_import=imported, by=assortment_admin, reason="Filen\x00 er forkert."
        )
        assert (rejected.status, rejected.rejection_reason) == (
            Status.REJECTED,
            "Filen\\x00 er forkert.",
        )
        assert rejected.decided_by == assortment_admin
    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import_reject(catalogue_import=running, by=assortment_admin, reason="Nej.")
    assert refused.value.code == ImportErrorCode.STILL_RUNNING
    assert str(refused.value.message) == (
        "The file is still being read. The import can be rejected once it awaits approval, or "
        "if it shows no progress for 30 minutes."
    )
    # the rejected import's reading, if its worker was only slow, stops at its next step
    assert catalogue_import_run(import_id=stuck.pk).status == Status.REJECTED


def test_approving_a_failed_import_says_why_it_cannot_be(
    office: tuple[Supplier, Agreement], assortment_admin: User
) -> None:
    failed = catalogue_import_run(import_id=_received(office, b"Nummer;Tekst\n1;x\n").pk)

    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import_approve(catalogue_import=failed, by=assortment_admin)

    assert refused.value.code == ImportErrorCode.FAILED
    assert str(refused.value.message) == (
        "The import failed, so there is nothing to approve: The file has no column for "
        "varenummer, navn, pris, enhed (headings found: Nummer, Tekst). Upload the file again, "
        "corrected, or reject this import."
    )
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-sig", "utf-32"]
)
def test_a_csv_file_with_a_byte_order_mark_is_read_in_its_encoding(
    office: tuple[Supplier, Agreement], encoding: str
) -> None:
    text = "Varenr;Varenavn;Pris;Enhed\r\nKH-1001;Kuglepen blå;32,50;PK\r\nKH-1002;Æske;4,00;EA\r\n"
    boms = {"utf-16-le-bom": ("\ufeff", "utf-16-le"), "utf-16-be-bom": ("\ufeff", "utf-16-be")}
    prefix, codec = boms.get(encoding, ("", encoding))

    ready = catalogue_import_run(import_id=_received(office, (prefix + text).encode(codec)).pk)

    assert (ready.status, ready.added, ready.problem_count) == (Status.READY, 2, 0)
    assert sorted(ready.changes.values_list("supplier_item_number", "name", "new_unit_price")) == [
        ("KH-1001", "Kuglepen blå", Decimal("32.5000")),
        ("KH-1002", "Æske", Decimal("4.0000")),
    ]


def test_a_csv_file_in_an_encoding_that_cannot_be_read_is_refused_clearly(
    office: tuple[Supplier, Agreement],
) -> None:
    text = "Varenr;Varenavn;Pris;Enhed\r\nKH-1001;Kuglepen blå;32,50;PK\r\n"
    without_bom = catalogue_import_run(import_id=_received(office, text.encode("utf-16-le")).pk)
    cut_short = catalogue_import_run(
        import_id=_received(office, text.encode("utf-16")[:-1]).pk  # half a character at the end
    )

    assert without_bom.failure == (
        "The file looks like UTF-16 text without a byte order mark (BOM), so Rekvi cannot tell "
        "which byte of each character comes first. Save it as UTF-8, or as UTF-16 with a byte "
        "order mark, and upload it again."
    )
    assert cut_short.failure == (
        "The file is read as UTF-16 text, but from row 2 on it holds bytes that are not UTF-16. "
        "Save it as UTF-8 (or UTF-16 with a byte order mark) and upload it again."
    )


def test_a_csv_value_over_the_limit_refuses_the_file_naming_row_and_column(
    office: tuple[Supplier, Agreement], settings: Any
) -> None:
    long_name = "Kuglepen " + "x" * 131072
    content = csv_text([*ROWS, ["KH-1003", long_name, "1,00", "EA"]])

    failed = catalogue_import_run(import_id=_received(office, content).pk)

    assert failed.failure == (
        "Row 4, column Varenavn (2) holds a value of more than 131072 characters; a value in a "
        "CSV catalogue may be at most 131072 characters. Nothing is imported: correct the row "
        "and upload the file again."
    )
    settings.CATALOGUE_CSV_FIELD_MAX_CHARS = 200_000
    raised = catalogue_import_run(import_id=_received(office, content).pk)
    assert (raised.status, raised.added) == (Status.READY, 3)
