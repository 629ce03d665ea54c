"""CSV and XLSX catalogue files, read row by row (never whole) with a column mapping."""

from __future__ import annotations

import codecs
import csv
import io
import operator
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO

from catalog.importers.messages import message_for
from catalog.search.analysis import fold

if TYPE_CHECKING:
    from catalog.importers.workbook import WorkbookLimits

#: Headings recognised without a saved mapping, by Rekvi field (folded, lower case).
HEADINGS: dict[str, tuple[str, ...]] = {
    "supplier_item_number": (
        "varenummer",
        "varenr",
        "varenr.",
        "vare nr",
        "vare nr.",
        "leverandoerens varenummer",
        "artikelnummer",
        "item number",
        "item no",
        "item no.",
        "sku",
    ),
    "name": ("navn", "varenavn", "produktnavn", "name", "product name", "product"),
    "unit_price": (
        "pris",
        "enhedspris",
        "nettopris",
        "pris ekskl. moms",
        "pris ex moms",
        "price",
        "unit price",
        "net price",
    ),
    "unit_code": ("enhed", "enhedskode", "salgsenhed", "unit", "unit code", "uom"),
    "gtin": ("ean", "gtin", "ean-nummer", "ean nummer", "stregkode", "barcode"),
    "description": ("beskrivelse", "lang beskrivelse", "description", "long description"),
    "brand": ("maerke", "brand", "fabrikat", "producent"),
    "pack_quantity": (
        "indhold",
        "antal i pakning",
        "pakningsstoerrelse",
        "pack size",
        "pack quantity",
    ),
    "pack_unit_code": ("indholdsenhed", "pakningsenhed", "pack unit"),
    "currency": ("valuta", "currency"),
    "category": ("kategori", "varegruppe", "category"),
    "unspsc_code": ("unspsc", "unspsc-kode", "unspsc code"),
    "min_order_quantity": ("minimumsantal", "min. antal", "minimum", "minimum order quantity"),
}
REQUIRED = ("supplier_item_number", "name", "unit_price", "unit_code")
SNIFF_BYTES = 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be imported: `code` (see catalog.importers.messages) and
    `params` say why; the message is put into words when shown."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(code)

    def __str__(self) -> str:
        return message_for(self.code, self.params)


class CountingFile(io.RawIOBase):
    """A binary file that counts the bytes read from it, for the import's progress."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self.raw.seek(offset, whence)
        self.bytes_read = position
        return position

    def tell(self) -> int:
        return self.raw.tell()

    def readinto(self, buffer: Any) -> int:
        chunk = self.raw.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.bytes_read += len(chunk)
        return len(chunk)


def _normalise(heading: str) -> str:
    return " ".join(fold(heading).strip(" :*").split())


def columns_for(headings: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Which column holds each Rekvi field: the saved mapping first, else a known heading.

    Raises ImportFileError naming the missing columns.
    """
    positions = {_normalise(heading): index for index, heading in enumerate(headings)}
    found: dict[str, int] = {}
    for field, synonyms in HEADINGS.items():
        wanted = mapping.get(field)
        candidates = (wanted,) if wanted else synonyms
        for candidate in candidates:
            index = positions.get(_normalise(candidate))
            if index is not None:
                found[field] = index
                break
    missing = [field for field in REQUIRED if field not in found]
    if missing:
        names = ", ".join(mapping.get(field) or HEADINGS[field][0] for field in missing)
        raise ImportFileError("missing_columns", fields=names, headings=", ".join(headings) or "–")
    return found


def detect_encoding(source: BinaryIO, chosen: str) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else Windows-1252 (unless `chosen` says).
    The file is read through once in chunks and put back at its start."""
    if chosen != "auto":
        return chosen
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(SNIFF_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        source.seek(0)
    return "utf-8-sig"


def _delimiter(first_line: str, chosen: str) -> str:
    if chosen:
        return chosen
    counts = {candidate: first_line.count(candidate) for candidate in (";", "\t", ",")}
    return max(counts, key=lambda candidate: counts[candidate])


def read_csv(
    source: BinaryIO,
    *,
    mapping: dict[str, str],
    delimiter: str,
    encoding: str,
    headings_found: dict[str, str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) for every data row; row 1 is the heading. `encoding` is
    "auto" (UTF-8 or Windows-1252, see detect_encoding) or a codec name. `headings_found`
    is filled with the file's heading of each field (to name columns in problems)."""
    chosen = detect_encoding(source, encoding)
    with io.TextIOWrapper(source, encoding=chosen, newline="") as text:
        first = text.readline()
        separator = _delimiter(first, delimiter)
        headings = next(csv.reader([first], delimiter=separator), [])
        positions = columns_for(headings, mapping)
        if headings_found is not None:
            headings_found.update({field: headings[index] for field, index in positions.items()})
        reader = csv.reader(text, delimiter=separator)
        fields = tuple(positions)
        pick = operator.itemgetter(*positions.values())  # at least the four required
        width = max(positions.values()) + 1
        for row_number, values in enumerate(reader, start=2):
            if not "".join(values).strip():
                continue  # a blank row
            if len(values) >= width:
                yield row_number, dict(zip(fields, pick(values), strict=True))
            else:  # a short row: the missing cells are empty
                yield (
                    row_number,
                    {
                        field: values[index] if index < len(values) else ""
                        for field, index in positions.items()
                    },
                )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return str(Decimal(repr(value)))  # the shortest exact form of Excel's number
    return str(value)


#: The fields whose Excel number cells are passed on as numbers, not text.
NUMBER_FIELDS = frozenset({"unit_price", "pack_quantity", "min_order_quantity"})


def _number_cell(value: Any) -> str | Decimal:
    """A number cell as the exact Decimal of Excel's number (a number has no decimal mark to
    misread); anything else as text."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = Decimal(repr(value))
        if number.is_finite():
            return number
    return _cell(value)


def read_xlsx(
    source: BinaryIO,
    *,
    mapping: dict[str, str],
    headings_found: dict[str, str] | None = None,
    limits: WorkbookLimits | None = None,
) -> Iterator[tuple[int, dict[str, str | Decimal]]]:
    """(row number, {field: value}) for every data row of the first sheet, read in streaming
    mode. A number cell of a price or quantity column comes as a Decimal; text cells (prices
    typed as text, say) are read like a CSV file's. The workbook is checked first against
    `limits` (by default the settings'; see catalog.importers.workbook)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from catalog.importers.workbook import WorkbookLimits, workbook_check

    workbook_check(source, limits or WorkbookLimits.from_settings())
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError("not_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headings = [_cell(value) for value in next(rows, ())]
        positions = columns_for(headings, mapping)
        if headings_found is not None:
            headings_found.update({field: headings[index] for field, index in positions.items()})
        converters = {
            field: _number_cell if field in NUMBER_FIELDS else _cell for field in positions
        }
        for row_number, values in enumerate(rows, start=2):
            if not any(_cell(value).strip() for value in values):
                continue
            yield (
                row_number,
                {
                    field: converters[field](values[index]) if index < len(values) else ""
                    for field, index in positions.items()
                },
            )
    finally:
        workbook.close()


def csv_text(rows: list[list[str]], *, delimiter: str = ";") -> bytes:
    """CSV bytes for `rows` (used to write example files and test data)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
