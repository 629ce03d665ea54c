"""XLSX workbooks are checked before openpyxl reads them: the sizes the zip declares, the
compression ratio, the shared texts, every cell's length, and no DTD or entities in any XML
part. A workbook over a limit fails as a whole with a message naming the limit and where; a
normal workbook is imported as before."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from bench.hostile_files import write_xlsx_bomb
from catalog.models import Agreement, CatalogueImport, Product, Supplier
from catalog.services.imports import catalogue_import_receive
from tests.conftest import Tree
from tests.factories.catalog import AgreementFactory, SupplierFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = CatalogueImport.Status
Capture = Callable[..., Any]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


@pytest.fixture
def office(tree: Tree) -> tuple[Supplier, Agreement]:
    supplier = SupplierFactory.create(
        municipality=tree.municipality, name="Kontorhuset Danmark A/S", cvr="29900019"
    )
    agreement = AgreementFactory.create(
        municipality=tree.municipality, number="50.57", suppliers=[supplier]
    )
    return supplier, agreement


@pytest.fixture
def run(
    django_capture_on_commit_callbacks: Capture, office: tuple[Supplier, Agreement]
) -> Callable[[bytes], CatalogueImport]:
    def receive(content: bytes) -> CatalogueImport:
        with django_capture_on_commit_callbacks(execute=True):
            imported = catalogue_import_receive(
                supplier=office[0],
                agreement=office[1],
                file=io.BytesIO(content),
                file_name="katalog.xlsx",
            )
        imported.refresh_from_db()
        return imported

    return receive


def workbook(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Varenr", "Varenavn", "Pris", "Enhed"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The workbook `content` with `old` replaced by `new` in one of its parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            copy.writestr(item, data.replace(old, new) if item.filename == part else data)
    return buffer.getvalue()


def crafted(tmp_path: Path, shared_string: int, doctype: str = "") -> bytes:
    path = tmp_path / "crafted.xlsx"
    write_xlsx_bomb(path, shared_string, doctype=doctype)
    return path.read_bytes()


def test_a_workbook_with_a_300_mb_shared_text_is_refused_before_it_is_read(
    run: Callable[[bytes], CatalogueImport], tmp_path: Path
) -> None:
    content = crafted(tmp_path, 300 * 1_000_000)
    started = time.monotonic()

    imported = run(content)

    assert time.monotonic() - started < 10
    assert len(content) < 400_000
    assert (imported.status, imported.failure_code) == (Status.FAILED, "xlsx_part_ratio")
    packed = imported.failure_params["packed"]
    assert 250_000 <= packed <= 320_000
    assert imported.failure == (
        f"Part xl/sharedStrings.xml of the workbook unpacks to {300_000_303 // packed:,} times "
        f"its packed size (300,000,303 bytes from {packed:,}); the limit is 100 times. A file "
        "packed this tightly is refused as a possible zip bomb."
    )
    assert imported.file.size == len(content)  # kept as received
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE sst [<!ENTITY name "Kuglepen">]>',
        '<!DOCTYPE sst SYSTEM "file:///etc/passwd">',
        "<!DOCTYPE sst>",
    ],
)
def test_a_workbook_with_a_dtd_or_entities_is_refused_with_a_message(
    run: Callable[[bytes], CatalogueImport], tmp_path: Path, doctype: str
) -> None:
    imported = run(crafted(tmp_path, 10, doctype=doctype))

    assert (imported.status, imported.failure_code) == (Status.FAILED, "xlsx_declarations")
    assert imported.failure == (
        "Part xl/sharedStrings.xml of the workbook has a document type declaration (DTD) or "
        "entities. Excel never writes these; such a workbook is refused. Save it again from "
        "Excel, or send the catalogue as CSV."
    )


def test_a_cell_longer_than_excel_allows_is_named_by_its_reference(
    run: Callable[[bytes], CatalogueImport], tmp_path: Path
) -> None:
    shared = run(crafted(tmp_path, 40_000))
    # openpyxl writes text cells inline (and cuts them at Excel's limit): lengthen one after
    inline = run(
        rewritten(
            workbook(["KH-1001", "Kuglepen", 32.5, "PK"], ["KH-1002", "LONG-NAME", 9, "PK"]),
            SHEET,
            b"LONG-NAME",
            b"x" * 32_768,
        )
    )

    assert shared.failure == (
        f"Cell B2 (part {SHEET}) holds 40,000 characters; the limit for one cell is 32,767 "
        "characters."
    )
    assert inline.failure == (
        f"Cell B3 (part {SHEET}) holds 32,768 characters; the limit for one cell is 32,767 "
        "characters."
    )


def test_each_size_limit_is_a_setting_and_named_when_a_workbook_is_over_it(
    run: Callable[[bytes], CatalogueImport], settings: Any, tmp_path: Path
) -> None:
    content = workbook(*[[f"KH-{n}", f"Vare nummer {n} " * 20, 10, "PK"] for n in range(2000)])
    sheet_size = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).file_size

    settings.CATALOGUE_XLSX_MAX_SHARED_STRINGS_BYTES = 100_000
    strings = run(crafted(tmp_path, 150_000))
    settings.CATALOGUE_XLSX_MAX_PART_BYTES = 200_000
    part = run(content)
    settings.CATALOGUE_XLSX_MAX_PART_BYTES = 2_000_000
    settings.CATALOGUE_XLSX_MAX_UNPACKED_BYTES = 1_000_000
    total = run(content)
    settings.CATALOGUE_XLSX_MAX_UNPACKED_BYTES = 2_000_000
    settings.CATALOGUE_XLSX_MAX_COMPRESSION_RATIO = 10
    ratio = run(content)

    assert strings.failure == (
        f"The workbook's shared texts (part {STRINGS}) unpack to 150,303 bytes; the limit is "
        "100,000 bytes. Split the catalogue into several files, or send it as CSV."
    )
    assert part.failure == (
        f"Part {SHEET} of the workbook unpacks to {sheet_size:,} bytes; the limit for one part "
        "is 200,000 bytes."
    )
    assert total.failure == (
        f"The workbook unpacks to {total.failure_params['size']:,} bytes; the limit for all "
        "its parts together is 1,000,000 bytes."
    )
    assert total.failure_params["size"] > sheet_size
    assert ratio.failure_code == "xlsx_part_ratio"
    assert ratio.failure == (
        f"Part {SHEET} of the workbook unpacks to {ratio.failure_params['ratio']} times its "
        f"packed size ({sheet_size:,} bytes from {ratio.failure_params['packed']:,}); the "
        "limit is 10 times. A file packed this tightly is refused as a possible zip bomb."
    )
    assert ratio.failure_params["ratio"] > 10


def test_a_normal_workbook_is_still_imported(run: Callable[[bytes], CatalogueImport]) -> None:
    imported = run(
        workbook(["KH-1001", "Kuglepen blå", 32.5, "PK"], ["KH-1002", "Notesblok", 9, "PK"])
    )

    assert (imported.status, imported.failure_code, imported.added) == (Status.READY, "", 2)
