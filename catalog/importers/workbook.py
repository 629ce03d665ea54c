"""An XLSX workbook is checked before openpyxl reads it: it is a zip of XML parts, and both
the zip and the XML can be made to cost far more memory than the file's size.

First the sizes the zip declares (nothing is unpacked): all parts together, any one part, and
how many times a part over 1 MB, or the whole file, unpacks to its packed size. Then every
XML part is read once, streaming, with the hardened parser (edi.safexml): a part with a DTD or
entity declarations is refused (Excel never writes one; openpyxl would read it with parsers
that expand entities), as is the shared-texts part over its own limit (openpyxl holds every
shared text in memory) and any cell whose text is longer than the limit (Excel's own: 32,767
characters), named by its reference (B7). Python's zipfile never unpacks more than a part's
declared size, so a zip that lies about its sizes fails its checksum instead.

Each refusal is an ImportFileError naming the limit and the part or cell.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

from catalog.importers.tabular import ImportFileError
from edi import safexml

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHARED_STRINGS, STRING_ITEM, CELL = f"{MAIN}sst", f"{MAIN}si", f"{MAIN}c"
WORKSHEET = f"{MAIN}worksheet"
#: Parts (and whole files) smaller than this unpacked are never refused for their ratio: a
#: small part of repeated markup packs well and costs nothing.
RATIO_FLOOR = 1_000_000
#: The parts read as XML (legacy VML drawings are not well-formed XML, and openpyxl does not
#: read them when it streams a workbook).
XML_SUFFIXES = (".xml", ".rels")


@dataclass(frozen=True)
class WorkbookLimits:
    unpacked_bytes: int
    part_bytes: int
    shared_strings_bytes: int
    compression_ratio: int
    cell_chars: int

    @classmethod
    def from_settings(cls) -> WorkbookLimits:
        return cls(
            unpacked_bytes=settings.CATALOGUE_XLSX_MAX_UNPACKED_BYTES,
            part_bytes=settings.CATALOGUE_XLSX_MAX_PART_BYTES,
            shared_strings_bytes=settings.CATALOGUE_XLSX_MAX_SHARED_STRINGS_BYTES,
            compression_ratio=settings.CATALOGUE_XLSX_MAX_COMPRESSION_RATIO,
            cell_chars=settings.CATALOGUE_XLSX_MAX_CELL_CHARS,
        )


def _ratio(unpacked: int, packed: int) -> int:
    return unpacked // max(packed, 1)


def workbook_check(source: BinaryIO, limits: WorkbookLimits) -> None:
    """Refuse the workbook `source` (seekable; put back at its start) if it is over a limit
    or has XML Rekvi does not read. Raises ImportFileError."""
    file_size = source.seek(0, io.SEEK_END)
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as book:
            parts = book.infolist()
            _sizes_check(parts, limits, file_size)
            _Scan(book, limits).run(parts)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ImportFileError("not_xlsx") from exc
    finally:
        source.seek(0)


def _sizes_check(parts: list[zipfile.ZipInfo], limits: WorkbookLimits, file_size: int) -> None:
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > limits.part_bytes:
            raise ImportFileError(
                "xlsx_part_too_large",
                part=part.filename,
                size=part.file_size,
                limit=limits.part_bytes,
            )
        ratio = _ratio(part.file_size, part.compress_size)
        if part.file_size > RATIO_FLOOR and ratio > limits.compression_ratio:
            raise ImportFileError(
                "xlsx_part_ratio",
                part=part.filename,
                ratio=ratio,
                size=part.file_size,
                packed=part.compress_size,
                limit=limits.compression_ratio,
            )
    if total > limits.unpacked_bytes:
        raise ImportFileError("xlsx_too_large", size=total, limit=limits.unpacked_bytes)
    ratio = _ratio(total, file_size)
    if total > RATIO_FLOOR and ratio > limits.compression_ratio:
        raise ImportFileError(
            "xlsx_ratio",
            ratio=ratio,
            size=total,
            packed=file_size,
            limit=limits.compression_ratio,
        )


class _Scan:
    """Every XML part read once with the hardened parser; the shared texts first, so that a
    cell naming a too-long shared text is found by its reference."""

    def __init__(self, book: zipfile.ZipFile, limits: WorkbookLimits) -> None:
        self.book, self.limits = book, limits
        #: index of each shared text over the limit -> its length
        self.long_strings: dict[int, int] = {}
        self.strings_part = ""

    def run(self, parts: list[zipfile.ZipInfo]) -> None:
        xml_parts = [part for part in parts if part.filename.lower().endswith(XML_SUFFIXES)]
        # the shared texts first (where Excel and openpyxl put them), then the rest in order
        xml_parts.sort(key=lambda part: "sharedstrings" not in part.filename.lower())
        for part in xml_parts:
            self._part(part)
        if self.long_strings:  # a too-long shared text that no cell names
            index, length = next(iter(self.long_strings.items()))
            raise ImportFileError(
                "xlsx_string_too_long",
                part=self.strings_part,
                index=index + 1,
                length=length,
                limit=self.limits.cell_chars,
            )

    def _part(self, part: zipfile.ZipInfo) -> None:
        name = part.filename
        try:
            with self.book.open(part) as stream:
                events = safexml.iter_elements(
                    stream,  # type: ignore[arg-type]  # a binary stream
                    tags=(CELL,),
                    children_of_root=(STRING_ITEM,),
                    max_bytes=part.file_size,
                    refuse_doctype=True,
                )
                root_tag = ""
                strings = 0
                for event, element in events:
                    if not root_tag:
                        root_tag = str(element.tag)
                        if root_tag == SHARED_STRINGS:
                            self._shared_strings_size_check(part)
                        continue
                    if event != "end":
                        continue
                    if root_tag == SHARED_STRINGS and element.tag == STRING_ITEM:
                        length = sum(len(text.text or "") for text in element.iter(f"{MAIN}t"))
                        if length > self.limits.cell_chars:
                            self.long_strings[strings] = length
                        strings += 1
                    elif root_tag == WORKSHEET and element.tag == CELL:
                        self._cell_check(name, element)
        except safexml.XmlDeclarationsRejectedError as exc:
            raise ImportFileError("xlsx_declarations", part=name) from exc
        except safexml.XmlRejectedError as exc:
            raise ImportFileError("xlsx_bad_xml", part=name, reason=str(exc)) from exc

    def _shared_strings_size_check(self, part: zipfile.ZipInfo) -> None:
        self.strings_part = part.filename
        if part.file_size > self.limits.shared_strings_bytes:
            raise ImportFileError(
                "xlsx_shared_strings_too_large",
                part=part.filename,
                size=part.file_size,
                limit=self.limits.shared_strings_bytes,
            )

    def _cell_check(self, part: str, cell: safexml.Element) -> None:
        reference = cell.get("r") or "?"
        if cell.get("t") == "s":
            value = (cell.findtext(f"{MAIN}v") or "").strip()
            length = self.long_strings.pop(int(value), 0) if value.isdecimal() else 0
        else:
            length = max((len(child.text or "") for child in cell.iter()), default=0)
        if length > self.limits.cell_chars:
            raise ImportFileError(
                "xlsx_cell_too_long",
                cell=reference,
                part=part,
                length=length,
                limit=self.limits.cell_chars,
            )
