"""Hostile catalogue files, built on the fly (never checked in), for the memory tests and
`python -m bench memory`:

- a schema-valid Peppol BIS Catalogue 3 (the project's own example,
  tests/fixtures/public/rekvi/peppol/Catalogue.xml) padded to a given size with many
  `cac:TradingTerms/cbc:Information` elements, as an attacker or a careless generator would;
- an XLSX "bomb": a few hundred kilobytes that declare a single shared string of hundreds of
  megabytes (one letter repeated, so it compresses about 1,000 times).

Both are written in a streaming way: neither file is ever held in memory whole.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
PEPPOL_EXAMPLE = BASE_DIR / "tests" / "fixtures" / "public" / "rekvi" / "peppol" / "Catalogue.xml"
#: Information elements per TradingTerms: the padding nests at two depths (many TradingTerms
#: under the root, many Information elements under each).
INFORMATION_PER_TERMS = 1000
MEGABYTE = 1_000_000


def write_hostile_catalogue(path: Path, size: int) -> int:
    """Write the padded Peppol catalogue of about `size` bytes (at least the example's own
    size); returns its size in bytes. Its ten catalogue lines come after the padding."""
    example = PEPPOL_EXAMPLE.read_text(encoding="utf-8")
    opening = "<cac:TradingTerms>"
    before, after = example.split(opening, 1)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(before)
        written = len(before.encode()) + len(after.encode()) + len(opening)
        number = 0
        while written < size:
            chunk = [opening]
            for _index in range(INFORMATION_PER_TERMS):
                number += 1
                chunk.append(
                    f"<cbc:Information>Levering inden for 2 hverdage, fri fragt over 300,00 kr. "
                    f"Betingelse nr. {number:09d}.</cbc:Information>"
                )
            chunk.append("</cac:TradingTerms>\n")
            text = "".join(chunk)
            out.write(text)
            written += len(text.encode())
        out.write(opening)
        out.write(after)
    return path.stat().st_size


#: The parts of the smallest workbook openpyxl reads, besides the sheet and shared strings.
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Katalog" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
#: Varenr, Varenavn, Pris, Enhed; then one item whose name is the shared string 4.
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>4</v></c>'
    '<c r="C2"><v>32.5</v></c><c r="D2" t="s"><v>6</v></c></row>'
    "</sheetData></worksheet>"
)


def write_xlsx_bomb(path: Path, shared_string: int, *, doctype: str = "") -> int:
    """Write a small workbook (a heading row and one item) whose item name is a shared string
    of `shared_string` letters; `doctype`, if given, goes before the shared strings' root
    element. Returns the file's size in bytes."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" '
        'uniqueCount="7"><si><t>Varenr</t></si><si><t>Varenavn</t></si><si><t>Pris</t></si>'
        "<si><t>Enhed</t></si><si><t>"
    )
    tail = "</t></si><si><t>KH-1001</t></si><si><t>PK</t></si></sst>"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", _SHEET)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(head.encode())
            block = b"A" * MEGABYTE
            left = shared_string
            while left > 0:
                strings.write(block[: min(left, MEGABYTE)])
                left -= MEGABYTE
            strings.write(tail.encode())
    return path.stat().st_size
