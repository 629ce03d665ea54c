"""CSV and XLSX catalogue files, read row by row (never whole) with a column mapping."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import operator
from collections.abc import Generator, Iterator
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


#: A byte order mark decides the encoding, whatever else is said (UTF-32's before UTF-16's,
#: which begins it).
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: How encodings are named to people.
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}
ENCODING_NAMES |= {"cp1252": "Windows-1252", "latin-1": "ISO-8859-1", "iso-8859-1": "ISO-8859-1"}
#: Python's own limit on a CSV value, used where no other is given.
CSV_FIELD_MAX_CHARS = 131072


def detect_encoding(source: BinaryIO, chosen: str) -> str:
    """The file's encoding: what its byte order mark says (UTF-8, UTF-16 or UTF-32); else
    `chosen` unless it is "auto"; else UTF-8 if the whole file decodes as UTF-8, else
    Windows-1252. The file is read through once in chunks and put back at its start.

    Raises ImportFileError for UTF-16 text without a byte order mark (NUL bytes between the
    characters of the first kilobytes), which no choice reads right."""
    head = source.read(4096)
    source.seek(0)
    for mark, name in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return name
    if chosen != "auto":
        return chosen
    if _looks_like_utf16(head):
        raise ImportFileError("utf16_without_bom")
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


def _looks_like_utf16(head: bytes) -> bool:
    """Whether every other byte of `head` is mostly NUL, as in UTF-16 text of Latin letters."""
    if len(head) < 4:
        return False
    halves = (head[0::2], head[1::2])
    return any(half.count(0) * 2 > len(half) for half in halves)


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
    field_limit: int = CSV_FIELD_MAX_CHARS,
) -> Generator[tuple[int, dict[str, str]], None, None]:
    """(row number, {field: text}) for every data row; row 1 is the heading. `encoding` is
    "auto" (UTF-8 or Windows-1252, see detect_encoding) or a codec name; a byte order mark
    decides over both. `headings_found` is filled with the file's heading of each field (to
    name columns in problems).

    Raises ImportFileError for text that is not in the encoding (naming the row from which it
    is not), and for a value longer than `field_limit` characters (naming row and column)."""
    chosen = detect_encoding(source, encoding)
    # The limit is the csv module's, shared by the process: it is the file's only while the
    # file is read, and the process's own again when the reading ends, however it ends.
    previous_limit = csv.field_size_limit(field_limit)
    try:
        row_number, heading_read = 1, False
        with io.TextIOWrapper(source, encoding=chosen, newline="") as text:
            try:
                first = text.readline()
                separator = _delimiter(first, delimiter)
                try:
                    headings = next(csv.reader([first], delimiter=separator), [])
                except csv.Error as exc:
                    raise _value_too_long([first], 1, separator, [], field_limit) from exc
                heading_read = True
                positions = columns_for(headings, mapping)
                if headings_found is not None:
                    headings_found.update(
                        {field: headings[index] for field, index in positions.items()}
                    )
                reader = csv.reader(text, delimiter=separator)
                fields = tuple(positions)
                pick = operator.itemgetter(*positions.values())  # at least the four required
                width = max(positions.values()) + 1
                lines_before = 0  # physical lines after the heading, up to the last row read
                for values in _rows_of(reader):
                    if values is None:  # a value too long: find it (rare, so read again)
                        text.seek(0)
                        lines = list(itertools.islice(text, lines_before + 1, reader.line_num + 1))
                        raise _value_too_long(
                            lines, row_number + 1, separator, headings, field_limit
                        )
                    row_number += 1
                    lines_before = reader.line_num
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
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    "not_text_encoding",
                    encoding=ENCODING_NAMES.get(chosen.lower(), chosen),
                    row=row_number + 1 if heading_read else 1,
                ) from exc

    finally:
        csv.field_size_limit(previous_limit)


def _rows_of(reader: Any) -> Iterator[list[str] | None]:
    """The reader's rows; None (and then no more) for a value over the field limit."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" not in str(exc):
                raise
            yield None
            return
        yield values


def _value_too_long(
    lines: list[str], row: int, separator: str, headings: list[str], limit: int
) -> ImportFileError:
    """The refusal of a row holding a value over `limit` characters, naming its column."""
    index = _field_over_limit("".join(lines), separator, limit)
    heading = headings[index].strip() if index < len(headings) else ""
    column = f"{heading} ({index + 1})" if heading else str(index + 1)
    return ImportFileError("value_too_long", row=row, column=column, limit=limit)


def _field_over_limit(record: str, separator: str, limit: int) -> int:
    """Which field (from 0) of a CSV record is the first longer than `limit` characters, read
    as Python's csv reader reads it (quotes, doubled quotes in quotes)."""
    index = length = 0
    quoted = False
    position = 0
    while position < len(record):
        character = record[position]
        if quoted:
            if character == '"' and record.startswith('"', position + 1):
                length += 1
                position += 1
            elif character == '"':
                quoted = False
            else:
                length += 1
        elif character == separator:
            index, length = index + 1, 0
        elif character == '"' and length == 0:
            quoted = True
        elif character not in "\r\n":
            length += 1
        if length > limit:
            return index
        position += 1
    return index


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
