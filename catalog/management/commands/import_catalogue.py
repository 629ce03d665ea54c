"""Import a supplier's catalogue file from the command line, with progress and a summary:

    python manage.py import_catalogue katalog.csv --supplier 29900019 --agreement 50.57

The file is read, staged and diffed in this process; the import then awaits approval in
Rekvi (or is applied at once if the supplier's imports are approved automatically, or if
--approve-as names a procurement officer).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db.models import QuerySet

from catalog.models import Agreement, AgreementLot, CatalogueImport, Supplier
from catalog.selectors import catalogue_import_kept_fields
from catalog.services.imports import (
    CatalogueImportError,
    catalogue_import_apply,
    catalogue_import_approve,
    catalogue_import_receive,
    catalogue_import_run,
)
from core.identifiers import COMPACT
from org.models import Municipality, User

SHOWN_PROBLEMS = 20


def _one(found: QuerySet[Any], what: str, hint: str) -> Any:
    matches = list(found[:2])
    if not matches:
        raise CommandError(f"No {what}.")
    if len(matches) > 1:
        raise CommandError(f"More than one {what}: {hint}")
    return matches[0]


class Command(BaseCommand):
    help = (
        "Import a supplier's catalogue file (CSV, XLSX, OIOUBL or Peppol UBL catalogue): read, "
        "check and diff it against the live catalogue, printing progress and a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The catalogue file.")
        parser.add_argument("--supplier", required=True, help="The supplier's CVR number.")
        parser.add_argument(
            "--agreement", required=True, help="The agreement's number, e.g. 50.57."
        )
        parser.add_argument("--lot", default="", help="The lot's code (delaftale), if any.")
        parser.add_argument(
            "--municipality",
            default="",
            help="The municipality's CVR number (needed where the supplier serves several).",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=[choice.value for choice in CatalogueImport.Format],
            default="",
            help="The file's format, if its name and contents do not tell.",
        )
        parser.add_argument(
            "--approve-as",
            default="",
            metavar="USERNAME",
            help="Apply the import at once, approved by this procurement officer.",
        )
        parser.add_argument(
            "--confirm-price-jumps",
            action="store_true",
            help="With --approve-as: the prices that change many times over are right.",
        )
        parser.add_argument(
            "--confirm-removals",
            action="store_true",
            help="With --approve-as: the many items the file leaves out are to leave.",
        )

    @no_translations  # the command speaks English, whatever the municipality's language
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        supplier = self._supplier(options["supplier"], options["municipality"])
        agreement = _one(
            Agreement.objects.filter(
                municipality_id=supplier.municipality_id, number=options["agreement"]
            ),
            f"agreement {options['agreement']} in {supplier.municipality}",
            "",
        )
        lot = None
        if options["lot"]:
            lot = _one(
                AgreementLot.objects.filter(agreement=agreement, code=options["lot"]),
                f"lot {options['lot']} on agreement {agreement.number}",
                "",
            )
        approver = None
        if options["approve_as"]:
            approver = _one(
                User.objects.filter(
                    username=options["approve_as"], municipality_id=supplier.municipality_id
                ),
                f"user {options['approve_as']} in {supplier.municipality}",
                "",
            )
        size = path.stat().st_size
        self.stdout.write(
            f"Reading {path.name} ({size / 1_000_000:,.1f} MB) from {supplier.name} "
            f"on agreement {agreement.number}{f', lot {lot.code}' if lot else ''}."
        )
        try:
            with path.open("rb") as source:
                received = catalogue_import_receive(
                    supplier=supplier,
                    agreement=agreement,
                    lot=lot,
                    file=source,
                    file_name=path.name,
                    file_format=options["file_format"],
                    enqueue=False,
                )
        except CatalogueImportError as exc:
            raise CommandError(str(exc.message)) from exc
        started = time.monotonic()

        def progress(rows: int, bytes_read: int) -> None:
            share = f" ({bytes_read * 100 // size} %)" if size and bytes_read else ""
            self.stdout.write(f"  {rows:,} rows read{share}")

        imported = catalogue_import_run(import_id=received.pk, on_progress=progress)
        if imported.status == CatalogueImport.Status.FAILED:
            raise CommandError(f"The import failed: {imported.failure}")
        self._summary(imported, time.monotonic() - started)
        if approver is not None and imported.status == CatalogueImport.Status.READY:
            try:
                catalogue_import_approve(
                    catalogue_import=imported,
                    by=approver,
                    confirm_price_jumps=options["confirm_price_jumps"],
                    confirm_removals=options["confirm_removals"],
                    enqueue=False,
                )
            except CatalogueImportError as exc:
                raise CommandError(str(exc.message)) from exc
            imported = catalogue_import_apply(import_id=imported.pk)
        self._outcome(imported)

    def _supplier(self, cvr: str, municipality_cvr: str) -> Supplier:
        suppliers = Supplier.objects.filter(cvr=COMPACT["cvr"](cvr)).select_related("municipality")
        if municipality_cvr:
            municipality = _one(
                Municipality.objects.filter(cvr=COMPACT["cvr"](municipality_cvr)),
                f"municipality with CVR {municipality_cvr}",
                "",
            )
            suppliers = suppliers.filter(municipality=municipality)
        return _one(
            suppliers,
            f"supplier with CVR {cvr}",
            "name the municipality with --municipality CVR.",
        )

    def _summary(self, imported: CatalogueImport, seconds: float) -> None:
        rate = imported.rows_read / seconds if seconds else 0
        self.stdout.write(
            f"Read {imported.rows_read:,} rows in {seconds:,.1f} s ({rate:,.0f} rows/s): "
            f"{imported.rows_staged:,} accepted, {imported.problem_count:,} left out, "
            f"{imported.warning_count:,} values ignored."
        )
        kind = CatalogueImport.Mode(imported.mode).label
        self.stdout.write(
            f"{kind}: {imported.added:,} new, {imported.removed:,} gone, "
            f"{imported.changed:,} changed ({imported.price_increases:,} price increases, "
            f"{imported.price_decreases:,} price decreases, {imported.unit_changes:,} unit or "
            f"pack changes), {imported.unchanged:,} unchanged."
        )
        if imported.decimal_mark:
            shown = imported.decimal_mark_shown_by
            source = (
                "the column mapping"
                if shown.get("mapping")
                else f"row {shown.get('row')}, {shown.get('column')}: {shown.get('value')}"
            )
            mark = "comma" if imported.decimal_mark == "," else "point"
            self.stdout.write(f"Numbers are written with a decimal {mark} ({source}).")
        kept = catalogue_import_kept_fields(catalogue_import=imported)
        if kept:
            self.stdout.write(f"Not in the file, kept as they are: {', '.join(kept)}.")
        if imported.price_jumps:
            self.stdout.write(
                self.style.WARNING(
                    f"{imported.price_jumps:,} prices change more than "
                    f"{settings.CATALOGUE_PRICE_JUMP_FACTOR} times and may be misread: they "
                    f"must be confirmed before approval."
                )
            )
        if imported.is_large_removal:
            self.stdout.write(
                self.style.WARNING(
                    f"{imported.removed:,} of the supplier's {imported.live_items:,} live items "
                    f"leave the catalogue: this must be confirmed before approval."
                )
            )
        problems = imported.problems.all()[:SHOWN_PROBLEMS]
        if problems:
            total = imported.problem_count + imported.warning_count
            self.stdout.write(f"Problems ({len(problems)} of {total:,}):")
            for problem in problems:
                left = "left out" if problem.is_row_left_out else "kept"
                column = f", {problem.column}" if problem.column else ""
                self.stdout.write(f"  row {problem.row_number}{column} ({left}): {problem.message}")

    def _outcome(self, imported: CatalogueImport) -> None:
        if imported.status == CatalogueImport.Status.APPLIED:
            approval = (
                "approved automatically"
                if imported.is_auto_approved
                else f"approved by {imported.decided_by}"
            )
            self.stdout.write(self.style.SUCCESS(f"Import {imported.pk} is applied ({approval})."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Import {imported.pk} awaits approval by a procurement officer in Rekvi."
                )
            )
