"""Supplier catalogue imports: receive a file, read it into staging (bad rows reported, good
rows kept), diff it against the live catalogue, and apply it once approved.

Each step is a service with its own transactions; the Celery tasks in `catalog.tasks` only
call them. Reading and diffing never touch live products, so the catalogue people search is
never half-applied: applying is one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.bulk import search_terms_add
from catalog.categories import category_resolver_for
from catalog.importers import diff
from catalog.importers.messages import stored_params, stored_text
from catalog.importers.rows import (
    FULL,
    ITEMS,
    PRICES,
    CleanRow,
    FileNumbers,
    RowProblemError,
    XmlNumbers,
    clean_row,
)
from catalog.importers.staging import StagingWriter
from catalog.importers.tabular import (
    NUMBER_FIELDS,
    CountingFile,
    ImportFileError,
    read_csv,
    read_xlsx,
)
from catalog.models import (
    Agreement,
    AgreementLot,
    CatalogueImport,
    CatalogueImportProblem,
    ColumnMapping,
    SearchIndex,
    Supplier,
)
from catalog.search.vocabulary import analyzer_for
from catalog.selectors import agreement_list_for_supplier, catalogue_import_is_stale
from catalog.signals import catalogue_changes_applied
from core.collector import collector_paused
from core.errors import ApplicationError
from core.identifiers import COMPACT
from core.numbers import AmbiguousNumberError, DecimalMark
from core.transactions import enqueue_after_commit
from edi.catalogue import (
    CatalogueError,
    CatalogueHeader,
    CatalogueLine,
    DocumentType,
    parse_catalogue,
)
from edi.safexml import XmlRejectedError
from org.models import User

logger = logging.getLogger(__name__)
Status = CatalogueImport.Status
Mode = CatalogueImport.Mode


class ImportErrorCode(StrEnum):
    WRONG_STATE = "catalogue_import_wrong_state"
    STALE = "catalogue_import_stale"
    NOT_ALLOWED = "catalogue_import_not_allowed"
    UNKNOWN_FORMAT = "catalogue_import_unknown_format"
    OTHER_MUNICIPALITY = "catalogue_import_other_municipality"
    NOT_ON_AGREEMENT = "catalogue_import_supplier_not_on_agreement"
    PRICE_JUMPS_UNCONFIRMED = "catalogue_import_price_jumps_unconfirmed"
    REMOVALS_UNCONFIRMED = "catalogue_import_removals_unconfirmed"
    FAILED = "catalogue_import_failed"
    STILL_RUNNING = "catalogue_import_still_running"


class CatalogueImportError(ApplicationError):
    pass


def format_guess(file_name: str, head: bytes) -> str:
    """The file's format from its name and first bytes."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return CatalogueImport.Format.CSV
    if suffix == ".xlsx" or head.startswith(b"PK\x03\x04"):
        return CatalogueImport.Format.XLSX
    if suffix == ".xml" or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return (
            CatalogueImport.Format.OIOUBL
            if b"OIOUBL" in head.upper()
            else CatalogueImport.Format.PEPPOL
        )
    raise CatalogueImportError(
        ImportErrorCode.UNKNOWN_FORMAT,
        _("“%(name)s” is not a CSV, XLSX or UBL catalogue file.") % {"name": file_name},
        field="file",
    )


@transaction.atomic
def catalogue_import_receive(
    *,
    supplier: Supplier,
    agreement: Agreement,
    file: BinaryIO,
    file_name: str,
    lot: AgreementLot | None = None,
    by: User | None = None,
    file_format: str = "",
    enqueue: bool = True,
) -> CatalogueImport:
    """Keep the file as received and queue it for reading (after the commit), or leave the
    reading to the caller (`enqueue=False`: the import_catalogue command reads it in its own
    process). `file_format` overrides the format told by the file's name and first bytes."""
    if agreement.municipality_id != supplier.municipality_id or (
        lot is not None and lot.agreement_id != agreement.pk
    ):
        raise CatalogueImportError(
            ImportErrorCode.OTHER_MUNICIPALITY,
            _("The supplier, agreement and lot must belong together."),
            field="agreement",
        )
    _supplier_on_agreement_check(supplier, agreement, lot)
    head = file.read(4096)
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    catalogue_import = CatalogueImport(
        municipality_id=supplier.municipality_id,
        supplier=supplier,
        agreement=agreement,
        lot=lot,
        format=file_format or format_guess(file_name, head),
        file_name=Path(file_name).name[:255],
        sha256=digest.hexdigest(),
        file_size=size,
        uploaded_by=by,
    )
    catalogue_import.file.save(Path(file_name).name, File(file), save=False)
    catalogue_import.save()
    if enqueue:
        from catalog.tasks import catalogue_import_run_task

        enqueue_after_commit(catalogue_import_run_task, import_id=catalogue_import.pk)
    return catalogue_import


def _supplier_on_agreement_check(
    supplier: Supplier, agreement: Agreement, lot: AgreementLot | None
) -> None:
    """A catalogue goes only to an agreement (and lot) the supplier is on: refused otherwise,
    naming the agreements it is on."""
    on = agreement_list_for_supplier(supplier=supplier)
    if lot is not None:
        if lot.awards.filter(supplier=supplier).exists():
            return
        awarded = [
            award.lot.code
            for award in supplier.awards.filter(lot__agreement=agreement).select_related("lot")
        ]
        where = (
            _("On agreement %(agreement)s it was awarded %(lots)s: choose that lot, or none.")
            % {"agreement": agreement.number, "lots": ", ".join(sorted(awarded))}
            if awarded
            else _agreements_named(supplier, on)
        )
        raise CatalogueImportError(
            ImportErrorCode.NOT_ON_AGREEMENT,
            _(
                "%(supplier)s was not awarded lot %(lot)s of agreement %(agreement)s, so its "
                "catalogue cannot be imported to it. %(where)s"
            )
            % {
                "supplier": supplier.name,
                "lot": lot.code,
                "agreement": agreement.number,
                "where": where,
            },
            field="lot",
        )
    if any(candidate.pk == agreement.pk for candidate in on):
        return
    raise CatalogueImportError(
        ImportErrorCode.NOT_ON_AGREEMENT,
        _(
            "%(supplier)s is not a supplier on agreement %(agreement)s %(title)s, so its "
            "catalogue cannot be imported to it. %(where)s"
        )
        % {
            "supplier": supplier.name,
            "agreement": agreement.number,
            "title": agreement.title,
            "where": _agreements_named(supplier, on),
        },
        field="agreement",
    )


def _agreements_named(supplier: Supplier, agreements: list[Agreement]) -> str:
    if not agreements:
        return _(
            "It is on no agreement yet: add it to its agreement's suppliers in the "
            "administration first."
        )
    return _(
        "It is on %(agreements)s. If it is on this one too, add it to the agreement's "
        "suppliers in the administration."
    ) % {"agreements": ", ".join(f"{item.number} {item.title}" for item in agreements)}


def _claim(import_id: int, *, from_status: str, to_status: str) -> bool:
    """Move the import on only from the expected state: exactly one worker wins. A step
    that starts counts its attempts from none."""
    return (
        CatalogueImport.objects.filter(pk=import_id, status=from_status).update(
            status=to_status, updated_at=timezone.now(), attempts=0
        )
        == 1
    )


def _stuck_before(now: datetime) -> datetime:
    """An import still running that last showed progress before this is stuck."""
    return now - timedelta(minutes=settings.CATALOGUE_IMPORT_STUCK_MINUTES)


def _claim_reading(import_id: int) -> int | None:
    """Claim the import for reading: a received one, or one whose reading stopped showing
    progress (its worker was killed, and the task was delivered again); one that has had all
    its attempts is failed instead. The attempt number, or None if another worker has it (or
    it is past reading)."""
    now = timezone.now()
    running = CatalogueImport.objects.filter(pk=import_id)
    claimed = running.filter(status=Status.RECEIVED).update(
        status=Status.PARSING, attempts=F("attempts") + 1, updated_at=now
    ) or running.filter(
        status=Status.PARSING,
        updated_at__lt=_stuck_before(now),
        attempts__lt=settings.CATALOGUE_IMPORT_MAX_ATTEMPTS,
    ).update(attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        _stuck_fail(running.filter(status=Status.PARSING, updated_at__lt=_stuck_before(now)))
        return None
    attempt: int = running.values_list("attempts", flat=True).get()
    if attempt > 1:  # what the attempt before left behind
        logger.warning("catalogue import %s: reading starts again, attempt %s", import_id, attempt)
        diff.staging_clear(import_id)
        CatalogueImportProblem.objects.filter(catalogue_import_id=import_id).delete()
    return attempt


class _SupersededError(Exception):
    """The import was taken over by a later attempt, failed or rejected: this one stops."""


def _stuck_fail(stuck: QuerySet[CatalogueImport]) -> list[int]:
    """Fail the stuck imports in `stuck` that have had all their attempts, saying so."""
    failed = []
    maximum = settings.CATALOGUE_IMPORT_MAX_ATTEMPTS
    for imported in stuck.filter(attempts__gte=maximum):
        code = "applying_stopped" if imported.status == Status.APPLYING else "reading_stopped"
        minutes = settings.CATALOGUE_IMPORT_STUCK_MINUTES
        params = {"attempts": imported.attempts, "minutes": minutes}
        if stuck.filter(pk=imported.pk, attempts=imported.attempts).update(
            status=Status.FAILED,
            failure_code=code,
            failure_params=params,
            updated_at=timezone.now(),
        ):
            logger.error("catalogue import %s stuck, attempts spent: failed", imported.pk)
            diff.staging_clear(imported.pk)
            failed.append(imported.pk)
    return failed


@dataclass(frozen=True)
class SweepOutcome:
    """What a sweep did: the imports started again, and those failed."""

    restarted: list[int]
    failed: list[int]


def catalogue_imports_sweep() -> SweepOutcome:
    """Start again, or fail once they have had CATALOGUE_IMPORT_MAX_ATTEMPTS, the imports
    that have shown no progress for CATALOGUE_IMPORT_STUCK_MINUTES: being read or applied by
    a worker that was killed, or waiting for a task that was lost. Run periodically."""
    from catalog.tasks import catalogue_import_apply_task, catalogue_import_run_task

    now = timezone.now()
    stuck = CatalogueImport.objects.filter(
        status__in=(Status.RECEIVED, Status.PARSING, Status.APPLYING),
        updated_at__lt=_stuck_before(now),
    )
    failed = _stuck_fail(stuck.exclude(status=Status.RECEIVED))
    restarted = []
    for imported in stuck.exclude(pk__in=failed):
        again = stuck.filter(pk=imported.pk, status=imported.status, attempts=imported.attempts)
        # reading starts again from received (its claim counts the attempt); applying is one
        # transaction, rolled back with the worker, and its task counts the attempt
        to_status = Status.RECEIVED if imported.status == Status.PARSING else imported.status
        if not again.update(status=to_status, updated_at=now):
            continue  # it moved on meanwhile
        logger.warning("catalogue import %s stuck: started again", imported.pk)
        task = (
            catalogue_import_apply_task
            if imported.status == Status.APPLYING
            else catalogue_import_run_task
        )
        enqueue_after_commit(task, import_id=imported.pk)
        restarted.append(imported.pk)
    return SweepOutcome(restarted=restarted, failed=failed)


#: What each UBL document does to the supplier's items on the agreement.
DOCUMENT_MODES = {
    DocumentType.PRICING_UPDATE: Mode.PRICES,
    DocumentType.ITEM_UPDATE: Mode.ITEMS,
    DocumentType.DELETION: Mode.DELETION,
}
#: Peppol's document-level action codes on a Catalogue.
HEADER_ACTIONS = {"": Mode.FULL, "add": Mode.FULL, "replace": Mode.FULL}
HEADER_ACTIONS |= {"update": Mode.PARTIAL, "delete": Mode.DELETION}
LINE_ACTIONS = ("", "add", "update", "delete")


XML_NUMBERS = XmlNumbers()


class _WaitingRows:
    """Rows kept aside until the file shows its decimal mark: in memory, and on disk past a
    few megabytes (a file whose numbers never show it may wait whole)."""

    def __init__(self) -> None:
        self.file: tempfile.SpooledTemporaryFile[str] | None = None
        self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, row_number: int, raw: Mapping[str, str | Decimal]) -> None:
        if self.file is None:
            self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by drain()
                max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8"
            )
        values = {
            key: {"number": str(value)} if isinstance(value, Decimal) else value
            for key, value in raw.items()
        }
        self.file.write(json.dumps([row_number, values]) + "\n")
        self.count += 1

    def drain(self) -> Iterator[tuple[int, dict[str, str | Decimal]]]:
        """The rows in the order they came, once; then there are none."""
        if self.file is None:
            return
        source, self.file, self.count = self.file, None, 0
        with source:
            source.seek(0)
            for line in source:
                row_number, values = json.loads(line)
                yield (
                    row_number,
                    {
                        key: Decimal(value["number"]) if isinstance(value, dict) else value
                        for key, value in values.items()
                    },
                )


@dataclass
class _Reader:
    """Reads the import's file into staging and records problems and progress."""

    catalogue_import: CatalogueImport
    problems: list[CatalogueImportProblem] = field(default_factory=list)
    rows_read: int = 0
    mode: str = Mode.FULL
    #: an OIOUBL catalogue without a header action becomes partial at its first Update/Delete
    mode_from_lines: bool = False
    document_id: str = ""
    referenced_catalogue_id: str = ""
    counted: CountingFile | None = None
    #: the file's column heading of each field, as found (CSV and XLSX)
    headings: dict[str, str] = field(default_factory=dict)
    #: how the file's numbers are read, and the decimal mark they showed (CSV and XLSX)
    numbers: FileNumbers = field(default_factory=lambda: FileNumbers(None))
    #: the item numbers of rows left out for a problem: their live items stay as they are
    refused_items: set[str] = field(default_factory=set)
    #: optional columns the file has but with no value in any row so far (CSV and XLSX)
    empty_columns: set[str] | None = None

    @property
    def bytes_read(self) -> int:
        return self.counted.bytes_read if self.counted is not None else 0

    def problem(
        self,
        row_number: int,
        problem: RowProblemError,
        *,
        left_out: bool = True,
        item: str | Decimal | None = None,
    ) -> None:
        """Record what is wrong with a row; a row left out that names its item keeps the live
        item as it is (a whole catalogue does not retire it)."""
        if left_out and item is not None and str(item).strip():
            self.refused_items.add(str(item).strip()[:100])
        self.problems.append(
            CatalogueImportProblem(
                municipality_id=self.catalogue_import.municipality_id,
                catalogue_import_id=self.catalogue_import.pk,
                row_number=row_number,
                column=stored_text(problem.column, 100),
                value=stored_text(problem.value, 300),
                code=problem.code,
                params=stored_params(problem.params),
                is_row_left_out=left_out,
            )
        )
        if len(self.problems) >= 1000:
            self.problems_flush()

    def problems_flush(self) -> None:
        CatalogueImportProblem.objects.bulk_create(self.problems)
        self.problems.clear()

    def rows(self, path: Path) -> Iterator[tuple[int, CleanRow, bool, str]]:
        """(row or line number, checked row, is it a deletion, UBL line ID) for every good row."""
        imported = self.catalogue_import
        if imported.format in (CatalogueImport.Format.XLSX, CatalogueImport.Format.CSV):
            mapping = ColumnMapping.objects.filter(supplier_id=imported.supplier_id).first()
            self.numbers = FileNumbers(
                DecimalMark(mapping.decimal_mark) if mapping and mapping.decimal_mark else None
            )
        if imported.format == CatalogueImport.Format.XLSX:
            with path.open("rb") as source:
                xlsx_rows = read_xlsx(
                    source, mapping=mapping.columns if mapping else {}, headings_found=self.headings
                )
                yield from self._checked(xlsx_rows)
            return
        with path.open("rb") as raw:
            self.counted = CountingFile(raw)
            buffered = io.BufferedReader(self.counted, buffer_size=256 * 1024)
            if imported.format == CatalogueImport.Format.CSV:
                rows = read_csv(
                    buffered,
                    mapping=mapping.columns if mapping else {},
                    delimiter=mapping.delimiter if mapping else "",
                    encoding=mapping.encoding if mapping else "auto",
                    headings_found=self.headings,
                    field_limit=settings.CATALOGUE_CSV_FIELD_MAX_CHARS,
                )
                yield from self._checked(rows)
                return
            for item in parse_catalogue(buffered):
                if isinstance(item, CatalogueHeader):
                    self._header(item)
                elif self.mode != Mode.DELETION:
                    yield from self._ubl_line(item)

    def _checked(
        self, raw_rows: Iterator[tuple[int, Mapping[str, str | Decimal]]]
    ) -> Iterator[tuple[int, CleanRow, bool, str]]:
        """Check each row. A row with a number that reads two ways waits (kept aside) until
        the file shows its decimal mark; rows still waiting at the end are checked once more,
        their undecided numbers then reported."""
        numbers = self.numbers
        waiting = _WaitingRows()
        for row_number, raw in raw_rows:
            self.rows_read += 1
            numbers.row = row_number
            if self.empty_columns is None:  # the headings are known once a row is read
                self.empty_columns = {
                    name for name in diff.OPTIONAL_COLUMNS if name in self.headings
                }
            if self.empty_columns:
                self.empty_columns -= {
                    name for name in self.empty_columns if _has_value(raw.get(name))
                }
            try:
                row = clean_row(raw, numbers=numbers, columns=self.headings)
            except AmbiguousNumberError:
                for field in NUMBER_FIELDS:  # the row's other numbers may show the mark
                    value = raw.get(field)
                    if isinstance(value, str):
                        numbers.notice(value, self.headings.get(field, field))
                waiting.add(row_number, raw)
            except RowProblemError as problem:
                self.problem(row_number, problem, item=raw.get("supplier_item_number"))
            else:
                yield row_number, row, False, ""
            if waiting and numbers.mark is not None:
                yield from self._waiting_checked(waiting)
        numbers.defer_ambiguous = False
        yield from self._waiting_checked(waiting)

    def _waiting_checked(self, waiting: _WaitingRows) -> Iterator[tuple[int, CleanRow, bool, str]]:
        numbers = self.numbers
        defer, numbers.defer_ambiguous = numbers.defer_ambiguous, False
        try:
            for row_number, raw in waiting.drain():
                numbers.row = row_number
                try:
                    yield (
                        row_number,
                        clean_row(raw, numbers=numbers, columns=self.headings),
                        False,
                        "",
                    )
                except RowProblemError as problem:
                    self.problem(row_number, problem, item=raw.get("supplier_item_number"))
        finally:
            numbers.defer_ambiguous = defer

    def _header(self, header: CatalogueHeader) -> None:
        if header.is_punch_out:
            raise ImportFileError("punch_out", customization=header.customization)
        self._check_provider(header)
        self.document_id = header.document_id[:200]
        if header.document_type in DOCUMENT_MODES:
            self.mode = DOCUMENT_MODES[header.document_type]
            self.referenced_catalogue_id = header.referenced_catalogue_id
            return
        action = header.action.strip().lower()
        if action not in HEADER_ACTIONS:
            raise ImportFileError("bad_header_action", action=header.action)
        self.mode = HEADER_ACTIONS[action]
        self.mode_from_lines = action == ""
        if self.mode == Mode.DELETION:
            self.referenced_catalogue_id = header.document_id

    def _ubl_line(self, line: CatalogueLine) -> Iterator[tuple[int, CleanRow, bool, str]]:
        self.rows_read += 1
        action = line.action.strip().lower()
        if action not in LINE_ACTIONS:
            self.problem(line.line, RowProblemError("bad_action", "cbc:ActionCode", line.action))
            return
        if action in ("update", "delete") and self.mode_from_lines:
            self.mode, self.mode_from_lines = Mode.PARTIAL, False
        row_mode = (
            PRICES if self.mode == Mode.PRICES else ITEMS if self.mode == Mode.ITEMS else FULL
        )
        item_number = line.supplier_item_number
        if row_mode == PRICES or (row_mode == ITEMS and not item_number):
            item_number = line.line_id  # found among the live items by the diff
        raw = {
            "supplier_item_number": item_number,
            "name": line.name,
            "description": line.description,
            "brand": line.brand,
            "gtin": line.gtin,
            "unit_code": line.unit_code,
            "unit_price": line.price,
            "currency": line.currency,
            "pack_quantity": line.pack_quantity,
            "pack_unit_code": line.pack_unit_code,
            "min_order_quantity": line.minimum_order_quantity,
            "unspsc_code": line.unspsc,
        }
        if action == "delete":
            # a deletion names the item; its other values do not matter
            raw |= {"name": line.name or item_number, "unit_price": "1", "unit_code": "EA"}
            raw |= {"pack_quantity": "", "min_order_quantity": "", "gtin": ""}
        try:
            row = clean_row(
                raw,
                numbers=XML_NUMBERS,
                columns=UBL_COLUMNS,
                base_quantity=line.base_quantity,
                mode=row_mode,
            )
        except RowProblemError as problem:
            self.problem(line.line, problem, item=item_number)
            return
        yield line.line, row, action == "delete", line.line_id

    def _check_provider(self, header: CatalogueHeader) -> None:
        supplier = self.catalogue_import.supplier
        scheme = header.provider_scheme.upper()
        kind = "cvr" if scheme in ("DK:CVR", "0184") else "gln"
        identifier = COMPACT[kind](header.provider_id)
        expected = {
            "DK:CVR": supplier.cvr,
            "0184": supplier.cvr,
            "GLN": supplier.gln,
            "0088": supplier.gln,
        }
        if scheme in expected and expected[scheme] and identifier != expected[scheme]:
            raise ImportFileError(
                "other_provider",
                provider=header.provider_name or header.provider_id,
                scheme=header.provider_scheme,
                id=header.provider_id,
                supplier=supplier.name,
            )


#: Where a UBL line's values are, to name them in problems.
UBL_COLUMNS = {
    "supplier_item_number": "cac:SellersItemIdentification/cbc:ID",
    "name": "cac:Item/cbc:Name",
    "unit_price": "cac:Price/cbc:PriceAmount",
    "unit_code": "cbc:OrderableUnit",
    "gtin": "cac:StandardItemIdentification/cbc:ID",
    "pack_quantity": "cbc:ContentUnitQuantity",
    "pack_unit_code": "cbc:ContentUnitQuantity/@unitCode",
    "currency": "cbc:PriceAmount/@currencyID",
    "min_order_quantity": "cbc:MinimumOrderQuantity",
}


def _scope(imported: CatalogueImport, mode: str, kept_fields: tuple[str, ...] = ()) -> diff.Scope:
    return diff.Scope(
        municipality_id=imported.municipality_id,
        import_id=imported.pk,
        supplier_id=imported.supplier_id,
        agreement_id=imported.agreement_id,
        lot_id=imported.lot_id,
        mode=mode,
        kept_fields=kept_fields,
    )


def _kept_fields(imported: CatalogueImport, reader: _Reader) -> tuple[str, ...]:
    """The optional fields the file has no column for, or a column empty in every row: live
    items keep their values. (A UBL catalogue names no supplier category: the one an item has
    stays.)"""
    if imported.format in (CatalogueImport.Format.CSV, CatalogueImport.Format.XLSX):
        empty = reader.empty_columns or set()
        return tuple(
            name for name in diff.OPTIONAL_COLUMNS if name not in reader.headings or name in empty
        )
    return ("category",)


def _has_value(value: str | Decimal | None) -> bool:
    return isinstance(value, Decimal) or bool(value and value.strip())


def _decimal_mark_shown_by(reader: _Reader) -> dict[str, object]:
    numbers = reader.numbers
    if numbers.explicit is not None:
        return {"mapping": True}
    if numbers.mark is None or numbers.mark not in numbers.first:
        return {}
    row, column, value = numbers.first[numbers.mark]
    return {"row": row, "column": column, "value": value}


def _waits_for_a_person(imported: CatalogueImport) -> bool:
    """Whether an import must be looked at even from a trusted supplier: it holds likely
    misread prices, or it retires a large share of the supplier's live items."""
    return imported.price_jumps > 0 or imported.is_large_removal


def _is_large_removal(removed: int, live: int) -> bool:
    share = settings.CATALOGUE_REMOVAL_CONFIRM_PERCENT
    return removed > 0 and removed * 100 > live * share


#: Told after every batch while a file is read: (rows read, bytes read).
ProgressCallback = Callable[[int, int], None]


def catalogue_import_run(
    *, import_id: int, on_progress: ProgressCallback | None = None
) -> CatalogueImport:
    """Read the file into staging, drop repeated item numbers, diff against the live
    catalogue and work out the search tokens of new and reworded items. The import then
    awaits approval, or is applied at once if the supplier's imports are approved
    automatically. Safe to run twice: only a received import is read."""
    with diff.quick_commits():
        return _run(import_id, on_progress)


def _run(import_id: int, on_progress: ProgressCallback | None) -> CatalogueImport:
    attempt = _claim_reading(import_id)
    if attempt is None:
        return CatalogueImport.objects.get(pk=import_id)
    imported = CatalogueImport.objects.select_related("supplier", "agreement").get(pk=import_id)
    # only this attempt's reading may move the import on (a later one may have taken over)
    mine = CatalogueImport.objects.filter(pk=import_id, status=Status.PARSING, attempts=attempt)
    timings: dict[str, float] = {}
    started = time.monotonic()
    reader = _Reader(catalogue_import=imported)

    def alive(**values: object) -> None:
        """Show progress (the sweep leaves alone an import that shows it), or stop if the
        import is no longer this attempt's."""
        if not mine.update(updated_at=timezone.now(), **values):
            raise _SupersededError

    try:
        categories = category_resolver_for(
            supplier_id=imported.supplier_id, municipality_id=imported.municipality_id
        )

        def progress(written: int) -> None:
            alive(rows_read=reader.rows_read, rows_staged=written, bytes_read=reader.bytes_read)
            if on_progress is not None:
                on_progress(reader.rows_read, reader.bytes_read)

        writer = StagingWriter(
            municipality_id=imported.municipality_id, import_id=imported.pk, on_batch=progress
        )
        with collector_paused():
            for row_number, row, is_deletion, line_id in reader.rows(Path(imported.file.path)):
                for warning in row.warnings:
                    reader.problem(row_number, warning, left_out=False)
                writer.add(
                    row_number,
                    row,
                    category_id=categories.resolve(row.category_code, row.unspsc_code)[0],
                    is_deletion=is_deletion,
                    line_id=line_id,
                )
            writer.flush()
        reader.problems_flush()
        timings["read_and_stage"] = time.monotonic() - started
        alive()
        if reader.mode == Mode.DELETION:
            _deletion_check(imported, reader.referenced_catalogue_id)
        kept = _kept_fields(imported, reader)
        scope = _scope(imported, reader.mode, kept)
        phase = time.monotonic()
        live = diff.live_items_count(scope)
        if reader.mode != Mode.FULL:  # a whole catalogue is diffed by a hash join anyway
            diff.staging_analyze()
        unknown = diff.partial_rows_complete(scope)
        if "category" in kept:
            diff.categories_from_live_items(
                scope, lambda name, code: categories.resolve(name, code)[0]
            )
        duplicates = diff.duplicates_drop(
            scope,
            column=reader.headings.get("supplier_item_number")
            or UBL_COLUMNS["supplier_item_number"],
        )
        alive()
        counts = diff.diff_compute(scope)
        alive()
        if reader.mode == Mode.FULL and reader.refused_items:
            counts = diff.removals_keep(scope, reader.refused_items)
        uncategorised = diff.uncategorised_count(scope)
        timings["diff"] = time.monotonic() - phase
        phase = time.monotonic()
        alive()
        _tokens_work_out(imported, scope)
        timings["search_tokens"] = time.monotonic() - phase
        diff.staging_clear(imported.pk)  # the diff holds all that applying needs
    except _SupersededError:
        logger.warning("catalogue import %s: attempt %s stops, overtaken", import_id, attempt)
        return CatalogueImport.objects.get(pk=import_id)
    except ImportFileError as exc:
        return _fail(imported, exc.code, exc.params, attempt=attempt)
    except (CatalogueError, XmlRejectedError) as exc:
        return _fail(imported, "not_a_catalogue", {"reason": str(exc)}, attempt=attempt)
    except UnicodeDecodeError as exc:
        return _fail(imported, "not_text", {"reason": str(exc)}, attempt=attempt)
    except Exception:
        logger.exception("catalogue import %s failed", import_id)
        _fail(imported, "unexpected", {}, attempt=attempt)
        raise
    finished = mine.update(
        status=Status.READY,
        mode=reader.mode,
        document_id=reader.document_id,
        bytes_read=imported.file_size,
        rows_read=reader.rows_read,
        rows_staged=writer.written - duplicates - unknown,
        problem_count=imported.problems.filter(is_row_left_out=True).count(),
        warning_count=imported.problems.filter(is_row_left_out=False).count(),
        added=counts.added,
        removed=counts.removed,
        changed=counts.changed,
        unchanged=counts.unchanged,
        price_increases=counts.price_increases,
        price_decreases=counts.price_decreases,
        unit_changes=counts.unit_changes,
        price_jumps=counts.price_jumps,
        uncategorised=uncategorised,
        live_items=live,
        is_large_removal=_is_large_removal(counts.removed, live),
        kept_fields=list(kept),
        decimal_mark=reader.numbers.mark or "",
        decimal_mark_shown_by=_decimal_mark_shown_by(reader),
        timings=timings,
        diffed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    imported.refresh_from_db()
    if not finished:  # taken over, or rejected as stuck, while it was compared
        return imported
    if imported.supplier.catalogue_auto_approve and not _waits_for_a_person(imported):
        CatalogueImport.objects.filter(pk=import_id).update(is_auto_approved=True)
        if _claim(import_id, from_status=Status.READY, to_status=Status.APPLYING):
            return _apply(import_id)
    return imported


def _deletion_check(imported: CatalogueImport, referenced: str) -> None:
    """A deletion must name the catalogue that is live, where that is known (it came as UBL)."""
    applied = CatalogueImport.objects.filter(
        supplier_id=imported.supplier_id,
        agreement_id=imported.agreement_id,
        lot_id=imported.lot_id,
        status=Status.APPLIED,
    ).exclude(document_id="")
    if not referenced or not applied.exists() or applied.filter(document_id=referenced).exists():
        return
    latest = applied.order_by("-applied_at").first()
    raise ImportFileError(
        "other_catalogue_deleted",
        referenced=referenced,
        supplier=imported.supplier.name,
        agreement=imported.agreement.number,
        live=latest.document_id if latest else "",
    )


def _tokens_work_out(imported: CatalogueImport, scope: diff.Scope) -> None:
    """Work out the search tokens of the import's new and reworded items (only these: an
    unchanged item keeps its tokens), in batches."""
    analyzer = analyzer_for(imported.municipality_id)
    for rows in diff.rows_needing_tokens(scope):
        diff.tokens_store(
            [
                (" ".join(analyzer.document_tokens(name, brand, category, description)), pk)
                for pk, name, brand, description, category in rows
            ]
        )


def _fail(
    imported: CatalogueImport, code: str, params: Mapping[str, object], *, attempt: int
) -> CatalogueImport:
    """Fail the import being read by `attempt`, keeping why (its text cleaned to be stored:
    a parser's message may quote the file, NULs and all)."""
    if CatalogueImport.objects.filter(
        pk=imported.pk, status=Status.PARSING, attempts=attempt
    ).update(
        status=Status.FAILED,
        failure_code=code,
        failure_params=stored_params(params),
        updated_at=timezone.now(),
    ):
        diff.staging_clear(imported.pk)
    imported.refresh_from_db()
    return imported


def _may_decide(user: User, imported: CatalogueImport) -> bool:
    from catalog.selectors import ASSORTMENT_ROLES
    from org.selectors import user_has_role

    return user.municipality_id == imported.municipality_id and user_has_role(
        user=user, roles=ASSORTMENT_ROLES
    )


def catalogue_import_approve(
    *,
    catalogue_import: CatalogueImport,
    by: User,
    confirm_price_jumps: bool = False,
    confirm_removals: bool = False,
    enqueue: bool = True,
) -> CatalogueImport:
    """Approve a diffed import; it is applied by a task (at once in embedded mode), or by
    the caller with `catalogue_import_apply` (`enqueue=False`). Likely misread prices and a
    large removal must be confirmed (`confirm_price_jumps`, `confirm_removals`); what was
    confirmed is kept on the import.

    Raises CatalogueImportError(NOT_ALLOWED) for someone who does not curate the catalogue,
    (FAILED) for an import that failed, (PRICE_JUMPS_UNCONFIRMED, REMOVALS_UNCONFIRMED) for
    what is not confirmed, (WRONG_STATE) unless the import awaits approval.
    """
    if not _may_decide(by, catalogue_import):
        raise CatalogueImportError(
            ImportErrorCode.NOT_ALLOWED, _("Only a procurement officer can approve an import.")
        )
    if catalogue_import.status == Status.FAILED:
        raise CatalogueImportError(
            ImportErrorCode.FAILED,
            _(
                "The import failed, so there is nothing to approve: %(failure)s Upload the "
                "file again, corrected, or reject this import."
            )
            % {"failure": catalogue_import.failure},
        )
    if catalogue_import.price_jumps and not confirm_price_jumps:
        raise CatalogueImportError(
            ImportErrorCode.PRICE_JUMPS_UNCONFIRMED,
            ngettext(
                "%(count)s price changes more than %(factor)s times and may be misread. Look "
                "at it and confirm it before the import is approved.",
                "%(count)s prices change more than %(factor)s times and may be misread. Look "
                "at them and confirm them before the import is approved.",
                catalogue_import.price_jumps,
            )
            % {
                "count": catalogue_import.price_jumps,
                "factor": settings.CATALOGUE_PRICE_JUMP_FACTOR,
            },
            field="confirm_price_jumps",
        )
    if catalogue_import.is_large_removal and not confirm_removals:
        raise CatalogueImportError(
            ImportErrorCode.REMOVALS_UNCONFIRMED,
            _(
                "The import retires %(removed)s of the supplier's %(live)s items on the "
                "agreement. Confirm that they leave the catalogue before the import is approved."
            )
            % {"removed": catalogue_import.removed, "live": catalogue_import.live_items},
            field="confirm_removals",
        )
    if catalogue_import_is_stale(catalogue_import=catalogue_import):
        raise CatalogueImportError(
            ImportErrorCode.STALE,
            _(
                "Another catalogue from %(supplier)s was applied after this one was compared "
                "with the catalogue; upload the file again to see its changes as they are now."
            )
            % {"supplier": catalogue_import.supplier.name},
        )
    with transaction.atomic():
        if not _claim(catalogue_import.pk, from_status=Status.READY, to_status=Status.APPLYING):
            raise CatalogueImportError(
                ImportErrorCode.WRONG_STATE, _("The import does not await approval.")
            )
        confirmed = {
            name: count
            for name, count in (
                ("price_jumps", catalogue_import.price_jumps),
                ("removed", catalogue_import.removed if catalogue_import.is_large_removal else 0),
            )
            if count
        }
        CatalogueImport.objects.filter(pk=catalogue_import.pk).update(
            decided_by=by, decided_at=timezone.now(), confirmed=confirmed
        )
        if enqueue:
            from catalog.tasks import catalogue_import_apply_task

            enqueue_after_commit(catalogue_import_apply_task, import_id=catalogue_import.pk)
    catalogue_import.refresh_from_db()
    return catalogue_import


@transaction.atomic
def catalogue_import_reject(
    *, catalogue_import: CatalogueImport, by: User, reason: str
) -> CatalogueImport:
    """Reject an import that awaits approval, failed, or is stuck being read (no progress for
    CATALOGUE_IMPORT_STUCK_MINUTES): nothing changes in the catalogue; the file stays on
    record, and a worker still reading it stops.

    Raises CatalogueImportError(NOT_ALLOWED) for someone who does not curate the catalogue,
    (STILL_RUNNING) for one being read and showing progress, (WRONG_STATE) for one approved,
    applied or rejected."""
    if not _may_decide(by, catalogue_import):
        raise CatalogueImportError(
            ImportErrorCode.NOT_ALLOWED, _("Only a procurement officer can reject an import.")
        )
    now = timezone.now()
    rejectable = Q(status__in=(Status.READY, Status.FAILED)) | Q(
        status__in=(Status.RECEIVED, Status.PARSING), updated_at__lt=_stuck_before(now)
    )
    rejected = CatalogueImport.objects.filter(rejectable, pk=catalogue_import.pk).update(
        status=Status.REJECTED,
        decided_by=by,
        decided_at=now,
        rejection_reason=stored_text(reason, 2000),
        updated_at=now,
    )
    if not rejected:
        catalogue_import.refresh_from_db()
        if catalogue_import.status in (Status.RECEIVED, Status.PARSING):
            raise CatalogueImportError(
                ImportErrorCode.STILL_RUNNING,
                _(
                    "The file is still being read. The import can be rejected once it awaits "
                    "approval, or if it shows no progress for %(minutes)s minutes."
                )
                % {"minutes": settings.CATALOGUE_IMPORT_STUCK_MINUTES},
            )
        raise CatalogueImportError(
            ImportErrorCode.WRONG_STATE, _("The import does not await approval.")
        )
    if catalogue_import.status == Status.PARSING:
        diff.staging_clear(catalogue_import.pk)  # what the stopped reading left
    catalogue_import.refresh_from_db()
    return catalogue_import


def catalogue_import_apply(*, import_id: int) -> CatalogueImport:
    """Apply an approved import's diff to the live catalogue, in one transaction. Safe to run
    twice: only an import being applied is applied, once."""
    with diff.quick_commits():
        return _apply(import_id)


def _apply(import_id: int) -> CatalogueImport:
    # an attempt counts before its transaction: one rolled back with its worker still counts
    CatalogueImport.objects.filter(pk=import_id, status=Status.APPLYING).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    imported = CatalogueImport.objects.get(pk=import_id)
    if imported.status != Status.APPLYING:
        return imported
    started = time.monotonic()
    scope = _scope(imported, imported.mode)
    now = timezone.now()
    with transaction.atomic():
        finished = CatalogueImport.objects.filter(pk=import_id, status=Status.APPLYING).update(
            status=Status.APPLIED, applied_at=now, updated_at=now
        )
        if finished != 1:
            return CatalogueImport.objects.get(pk=import_id)
        diff.changes_apply(scope, now=now)
        _vocabulary_extend(imported)
        transaction.on_commit(
            lambda: catalogue_changes_applied.send(
                sender=CatalogueImport,
                catalogue_import=CatalogueImport.objects.get(pk=import_id),
            )
        )
    timings = {**imported.timings, "apply": time.monotonic() - started}
    CatalogueImport.objects.filter(pk=import_id).update(timings=timings)
    imported.refresh_from_db()
    return imported


def _vocabulary_extend(imported: CatalogueImport) -> None:
    """Add the words of new items to the search vocabulary (typo correction), and move the
    index version on so that analyzers pick them up. (A full refresh also re-splits compounds
    with the new words: `search_index_refresh`.)"""
    tokens: dict[str, int] = {}
    documents = imported.changes.filter(kind="added").values_list("search_document", flat=True)
    for document in documents.iterator(chunk_size=5000):  # a million new items never at once
        for token in set((document or "").split()):
            if not token.replace(".", "").isdigit():
                tokens[token] = tokens.get(token, 0) + 1
    if not tokens:
        return
    search_terms_add(imported.municipality_id, tokens)
    index, _created = SearchIndex.objects.get_or_create(municipality_id=imported.municipality_id)
    SearchIndex.objects.filter(pk=index.pk).update(
        version=F("version") + 1, refreshed_at=timezone.now()
    )
