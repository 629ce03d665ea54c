"""Reading supplier files row by row: numbers as suppliers write them, encodings, headings,
and a clear reason for every row that is left out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from catalog.importers.rows import (
    FULL,
    ITEMS,
    PRICES,
    FileNumbers,
    RowProblemError,
    XmlNumbers,
    clean_row,
)
from catalog.importers.tabular import (
    CountingFile,
    ImportFileError,
    columns_for,
    detect_encoding,
    read_csv,
    read_xlsx,
)
from core.numbers import DecimalMark

pytestmark = pytest.mark.usefixtures("english")

GOOD = {
    "supplier_item_number": "KH-1001",
    "name": "Kuglepen blå, medium, 10 stk.",
    "unit_price": "1.234,50",
    "unit_code": "pk",
    "gtin": "5799997000012",
    "pack_quantity": "10",
    "pack_unit_code": "EA",
}


def _danish() -> FileNumbers:
    """The numbers of a file whose column mapping says: decimal comma."""
    return FileNumbers(DecimalMark.COMMA)


def test_a_good_row_is_checked_and_normalised() -> None:
    row = clean_row(GOOD, numbers=_danish())

    assert row.supplier_item_number == "KH-1001"
    assert row.item_number_key == "KH1001"
    assert row.unit_price == Decimal("1234.5000")
    assert row.unit_code == "PK"
    assert row.pack_quantity == Decimal("10.000")
    assert row.pack_unit_code == "EA"
    assert row.currency == "DKK"
    assert row.min_order_quantity == Decimal("1")


def test_a_price_per_base_quantity_becomes_a_unit_price() -> None:
    row = clean_row({**GOOD, "unit_price": "325.00"}, numbers=XmlNumbers(), base_quantity="10")

    assert row.unit_price == Decimal("32.5000")


@pytest.mark.parametrize(
    ("change", "code", "column", "message"),
    [
        (
            {"unit_price": "gratis"},
            "bad_price",
            "Pris",
            "The price “gratis” is not a number.",
        ),
        (
            {"unit_price": "-4,00"},
            "price_out_of_range",
            "Pris",
            "The price must be above 0 and below 10 billion; it is “-4,00”.",
        ),
        (
            {"unit_code": "STK"},
            "unknown_unit",
            "Enhed",
            "Unit “STK” is not a UN/ECE unit Rekvi knows (unit 'STK' is UN/ECE Rec 20 for "
            "'stick, cigarette', not a unit Rekvi orders in — did you mean H87/EA?).",
        ),
        (
            {"supplier_item_number": "  "},
            "missing_item_number",
            "Varenr",
            "The item number is missing.",
        ),
        ({"name": ""}, "missing_name", "Varenavn", "The product name is missing."),
        (
            {"currency": "kroner"},
            "bad_currency",
            "Valuta",
            "Currency “KRONER” is not an ISO 4217 code such as DKK.",
        ),
    ],
)
def test_a_bad_row_names_its_column_value_and_reason(
    change: dict[str, str], code: str, column: str, message: str
) -> None:
    headings = {
        "supplier_item_number": "Varenr",
        "name": "Varenavn",
        "unit_price": "Pris",
        "unit_code": "Enhed",
        "gtin": "EAN",
        "pack_quantity": "Indhold",
        "min_order_quantity": "Min. antal",
        "currency": "Valuta",
    }
    with pytest.raises(RowProblemError) as problem:
        clean_row({**GOOD, **change}, numbers=_danish(), columns=headings)

    assert problem.value.code == code
    assert problem.value.column == column
    assert problem.value.message == message


@pytest.mark.parametrize(
    ("change", "code", "column", "message", "kept"),
    [
        (
            {"gtin": "5799997000013"},
            "bad_gtin",
            "EAN",
            "“5799997000013” is not a valid GTIN (EAN): its length or check digit is wrong; the "
            "item is kept without it.",
            {"gtin": ""},
        ),
        (
            {"pack_quantity": "ti"},
            "bad_pack",
            "Indhold",
            "The pack contents “ti” is not a number above 0; the item is kept without pack "
            "contents.",
            {"pack_quantity": None, "pack_unit_code": ""},
        ),
        (
            {"pack_unit_code": "XRM"},
            "unknown_pack_unit",
            "Indholdsenhed",
            "Pack unit “XRM” is not a known UN/ECE Rec 20 code; the item is kept without pack "
            "contents.",
            {"pack_quantity": None, "pack_unit_code": ""},
        ),
        (
            {"min_order_quantity": "0"},
            "bad_minimum",
            "Min. antal",
            "The minimum order quantity “0” is not a number above 0; the item is kept with no "
            "minimum.",
            {"min_order_quantity": Decimal(1)},
        ),
        (
            {"unspsc_code": "4412"},
            "bad_unspsc",
            "UNSPSC",
            "UNSPSC code “4412” is not 8 digits; the item is kept without it.",
            {"unspsc_code": ""},
        ),
    ],
)
def test_a_bad_optional_value_is_left_out_with_a_warning_and_the_row_kept(
    change: dict[str, str],
    code: str,
    column: str,
    message: str,
    kept: dict[str, object],
) -> None:
    headings = {
        "gtin": "EAN",
        "pack_quantity": "Indhold",
        "pack_unit_code": "Indholdsenhed",
        "min_order_quantity": "Min. antal",
        "unspsc_code": "UNSPSC",
    }

    row = clean_row({**GOOD, **change}, numbers=_danish(), columns=headings)

    assert [(w.code, w.column, w.message) for w in row.warnings] == [(code, column, message)]
    assert {field: getattr(row, field) for field in kept} == kept
    assert row.unit_price == Decimal("1234.5000")


def test_a_price_update_row_needs_no_name_and_leaves_the_rest_to_the_live_item() -> None:
    row = clean_row(
        {"supplier_item_number": "KH-1001", "unit_price": "34.10"},
        numbers=XmlNumbers(),
        mode=PRICES,
    )

    assert (row.name, row.unit_price, row.unit_code, row.currency) == (
        "",
        Decimal("34.1000"),
        "",
        "",
    )
    assert row.min_order_quantity is None


def test_a_description_update_row_needs_no_price() -> None:
    row = clean_row(
        {"supplier_item_number": "KH-1004", "name": "Limstift 21 g"},
        numbers=XmlNumbers(),
        mode=ITEMS,
    )

    assert (row.name, row.unit_price, row.unit_code) == ("Limstift 21 g", Decimal("0.0000"), "")


def test_a_whole_item_must_have_a_unit() -> None:
    with pytest.raises(RowProblemError) as problem:
        clean_row({**GOOD, "unit_code": ""}, numbers=_danish(), mode=FULL)

    assert problem.value.code == "unknown_unit"


def _csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_a_windows_1252_file_is_recognised_and_read() -> None:
    source = _csv("Varenr;Varenavn;Pris;Enhed\nFØ-1;Sødmælk 1 l;14,95;LTR\n", "cp1252")

    assert detect_encoding(source, "auto") == "cp1252"
    assert source.tell() == 0
    rows = list(read_csv(source, mapping={}, delimiter="", encoding="auto"))

    assert rows == [
        (
            2,
            {
                "supplier_item_number": "FØ-1",
                "name": "Sødmælk 1 l",
                "unit_price": "14,95",
                "unit_code": "LTR",
            },
        )
    ]


def test_a_utf8_file_with_a_byte_order_mark_is_read() -> None:
    source = _csv('\ufeffVarenummer,Navn,Pris,Enhed,EAN\nA-1,Æg 10 stk,"32,50",PK,\n')

    rows = list(read_csv(source, mapping={}, delimiter="", encoding="auto"))

    assert rows == [
        (
            2,
            {
                "supplier_item_number": "A-1",
                "name": "Æg 10 stk",
                "unit_price": "32,50",
                "unit_code": "PK",
                "gtin": "",
            },
        )
    ]


def test_a_saved_mapping_names_the_suppliers_own_headings() -> None:
    source = _csv("Art.;Tekst;Netto;UoM\n77;Hvedemel 2 kg;18,00;PK\n\n;;;\n")
    found: dict[str, str] = {}
    mapping = {
        "supplier_item_number": "Art.",
        "name": "Tekst",
        "unit_price": "Netto",
        "unit_code": "UoM",
    }

    rows = list(
        read_csv(source, mapping=mapping, delimiter=";", encoding="utf-8", headings_found=found)
    )

    assert [number for number, _row in rows] == [2]  # blank rows are skipped
    assert rows[0][1]["name"] == "Hvedemel 2 kg"
    assert found == mapping


def test_a_file_without_the_needed_columns_says_which_are_missing() -> None:
    with pytest.raises(ImportFileError) as error:
        columns_for(["Varenr", "Beskrivelse", "Pris"], {})

    assert str(error.value) == (
        "The file has no column for navn, enhed (headings found: Varenr, Beskrivelse, Pris)."
    )


def test_an_excel_sheet_gives_its_number_cells_as_numbers_and_its_text_as_written() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Varenr", "Varenavn", "Pris", "Enhed", "Indhold"])
    sheet.append(["KH-1001", "Kuglepen blå", 32.5, "PK", 10])
    sheet.append([None, None, None, None, None])
    sheet.append([1002, "Notesblok", "54,00", "PK", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    rows = list(read_xlsx(buffer, mapping={}))

    assert rows == [
        (
            2,
            {
                "supplier_item_number": "KH-1001",
                "name": "Kuglepen blå",
                "unit_price": Decimal("32.5"),
                "unit_code": "PK",
                "pack_quantity": Decimal("10"),
            },
        ),
        (
            4,
            {
                "supplier_item_number": "1002",
                "name": "Notesblok",
                "unit_price": "54,00",
                "unit_code": "PK",
                "pack_quantity": "",
            },
        ),
    ]


def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole() -> None:
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        list(read_xlsx(io.BytesIO(b"PK\x03\x04 not really"), mapping={}))


def test_the_bytes_read_are_counted_for_progress() -> None:
    counted = CountingFile(io.BytesIO(b"x" * 10_000))
    buffered = io.BufferedReader(counted, buffer_size=4096)

    buffered.read(5000)
    assert counted.bytes_read == 8192
    buffered.read()
    assert counted.bytes_read == 10_000


def test_the_fast_gtin_check_agrees_with_the_full_validator() -> None:
    import random

    from stdnum import ean

    from catalog.importers.rows import gtin_clean

    generator = random.Random(5)  # noqa: S311 - test data, not secrets
    for length in (8, 12, 13, 14):
        for _ in range(2000):
            number = "".join(generator.choice("0123456789") for _ in range(length))
            assert (gtin_clean(number) is not None) == ean.is_valid(number), number
    assert gtin_clean(" 5799997000012") == "5799997000012"  # spaces go to the validator
    assert gtin_clean("579999700001X") is None


def test_an_excel_zero_for_a_pack_or_a_minimum_is_reported_not_dropped() -> None:
    row = clean_row(
        {**GOOD, "pack_quantity": Decimal(0), "min_order_quantity": Decimal(0)},
        numbers=_danish(),
        columns={"pack_quantity": "Indhold", "min_order_quantity": "Min. antal"},
    )

    assert [(warning.code, warning.column, warning.value) for warning in row.warnings] == [
        ("bad_pack", "Indhold", "0"),
        ("bad_minimum", "Min. antal", "0"),
    ]
    assert (row.pack_quantity, row.min_order_quantity) == (None, Decimal(1))


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32-le", "utf-32")],
)
def test_a_byte_order_mark_decides_the_encoding_whatever_the_mapping_says(
    encoding: str, detected: str
) -> None:
    source = io.BytesIO(
        ("\ufeffVarenr;Varenavn;Pris;Enhed\nFØ-1;Sødmælk;14,95;LTR\n").encode(encoding)
    )

    assert detect_encoding(source, "cp1252") == detected
    rows = list(read_csv(source, mapping={}, delimiter="", encoding="cp1252"))

    assert rows == [
        (
            2,
            {
                "supplier_item_number": "FØ-1",
                "name": "Sødmælk",
                "unit_price": "14,95",
                "unit_code": "LTR",
            },
        )
    ]


def test_utf16_without_a_byte_order_mark_is_refused() -> None:
    source = _csv("Varenr;Varenavn;Pris;Enhed\nFØ-1;Sødmælk;14,95;LTR\n", "utf-16-le")

    with pytest.raises(ImportFileError) as refused:
        detect_encoding(source, "auto")

    assert refused.value.code == "utf16_without_bom"


def test_a_value_over_the_limit_is_refused_naming_row_and_column() -> None:
    quoted = '"' + 'Sød "" mælk\n' * 3 + "x" * 40 + '"'
    source = _csv(f"Varenr;Varenavn;Pris;Enhed\nFØ-1;Mælk;14,95;LTR\n\nFØ-2;{quoted};1;EA\n")

    with pytest.raises(ImportFileError) as refused:
        list(read_csv(source, mapping={}, delimiter="", encoding="auto", field_limit=60))

    assert (refused.value.code, refused.value.params) == (
        "value_too_long",
        {"row": 4, "column": "Varenavn (2)", "limit": 60},
    )


def test_reading_a_file_leaves_the_processs_csv_limit_as_it_was() -> None:
    """The limit is the csv module's, shared by the whole process (a worker reads other CSV,
    such as the unit code lists, between and during imports): a file's own limit must not
    outlive its reading, whether the file was read whole, refused or left half read."""
    before = csv.field_size_limit()
    too_long = _csv("Varenr;Varenavn;Pris;Enhed\nFØ-2;" + "x" * 80 + ";1;EA\n")
    with pytest.raises(ImportFileError):
        list(read_csv(too_long, mapping={}, delimiter="", encoding="auto", field_limit=60))
    assert csv.field_size_limit() == before

    rows = read_csv(
        _csv("Varenr;Varenavn;Pris;Enhed\nFØ-1;Mælk;14,95;LTR\nFØ-2;Ost;30,00;KGM\n"),
        mapping={},
        delimiter="",
        encoding="auto",
        field_limit=60,
    )
    assert next(rows)[0] == 2
    rows.close()
    assert csv.field_size_limit() == before
