"""One catalogue row, checked: the same rules whatever the file format. A bad row becomes a
`RowProblemError` naming the column, the value and what is wrong; the import goes on without it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple, Protocol

from catalog.importers.messages import message_for
from catalog.importers.tabular import ImportFileError
from catalog.search.analysis import item_number_key
from core.identifiers import InvalidIdentifierError, gtin_validate
from core.money import FOUR_PLACES
from core.numbers import (
    AmbiguousNumberError,
    DecimalMark,
    NumberTextError,
    number_scan,
)
from edi import units

MAX_PRICE = Decimal("9999999999.9999")
MAX_QUANTITY = Decimal("999999999.999")
QUANTITY_PLACES = Decimal("0.001")
ONE = Decimal(1)
#: Every unit code Rekvi knows (stored and Peppol forms, upper case) -> the stored code.
UNIT_CODES = units.code_map()


class RowProblemError(ValueError):
    """Why a row was left out (raised), or why a value of a kept row was (a warning):
    stable `code` (see catalog.importers.messages), the `column` and `value`, and `params`
    for the message, which is put into words when shown."""

    def __init__(self, code: str, column: str, value: str, **params: object) -> None:
        self.code, self.column, self.value = code, column, value[:300]
        self.params: dict[str, object] = {"value": self.value, **params}
        super().__init__(code)

    @property
    def message(self) -> str:
        return message_for(self.code, self.params)


class CleanRow(NamedTuple):
    """A checked row. (A named tuple: a million of them are made per import.)"""

    supplier_item_number: str
    item_number_key: str
    name: str
    description: str
    brand: str
    gtin: str
    unit_code: str
    pack_quantity: Decimal | None
    pack_unit_code: str
    unit_price: Decimal
    currency: str
    min_order_quantity: Decimal | None  # None: take the live item's (partial rows)
    category_code: str
    unspsc_code: str
    #: Values that were not usable and were left out; the row itself is good.
    warnings: tuple[RowProblemError, ...] = ()


class NumberReader(Protocol):
    """How one file's numbers are read (see FileNumbers and XmlNumbers)."""

    #: Raise AmbiguousNumberError (the row waits until the file shows its decimal mark)
    #: rather than report it (the file has been read to its end).
    defer_ambiguous: bool

    def read(self, text: str, column: str) -> Decimal:
        """The value of `text`. Raises NumberTextError, AmbiguousNumberError."""
        ...


class FileNumbers:
    """The numbers of one CSV or Excel file. A value that shows its decimal mark (35,53 or
    35.53) is read as it shows it. A value that reads two ways (1.234) is read by the file's
    convention: the supplier's saved column mapping, where it says one; else the file's own
    values (the first that shows a mark decides, and a file that shows both is refused,
    naming a row of each). Such a value waits for the decision; if nothing in the file decides,
    its row is refused, naming it."""

    __slots__ = ("defer_ambiguous", "explicit", "first", "mark", "row")

    def __init__(self, mark: DecimalMark | None) -> None:
        self.explicit = mark
        self.mark = mark
        #: the first value (row, column, text) that showed each convention
        self.first: dict[DecimalMark, tuple[int, str, str]] = {}
        self.row = 0
        self.defer_ambiguous = True

    def read(self, text: str, column: str) -> Decimal:
        scan = number_scan(text)
        if scan.mark is not None and scan.mark not in self.first:
            self._shown(scan.mark, column, text)
        if not scan.is_ambiguous:
            return scan.value
        if self.mark is None:
            raise AmbiguousNumberError(text, scan.separator, scan.value, scan.as_decimal)
        return scan.value_under(self.mark)

    def notice(self, text: str, column: str) -> None:
        """Take note of the convention `text` shows, if any (a value of a row that waits)."""
        try:
            scan = number_scan(text)
        except NumberTextError:
            return
        if scan.mark is not None and scan.mark not in self.first:
            self._shown(scan.mark, column, text)

    def _shown(self, mark: DecimalMark, column: str, text: str) -> None:
        self.first[mark] = (self.row, column, text[:100])
        if self.explicit is not None:
            return  # the mapping decides what reads two ways, whatever the file shows
        if self.mark is None:
            self.mark = mark
            return
        comma = self.first[DecimalMark.COMMA]
        point = self.first[DecimalMark.POINT]
        raise ImportFileError(
            "mixed_decimal_marks",
            comma_row=comma[0],
            comma_column=comma[1],
            comma_value=comma[2],
            point_row=point[0],
            point_column=point[1],
            point_value=point[2],
        )


class XmlNumbers:
    """The numbers of a UBL document: xsd:decimal, always with a decimal point."""

    defer_ambiguous = False

    def read(self, text: str, column: str) -> Decimal:
        cleaned = text.strip()
        if not XSD_DECIMAL.fullmatch(cleaned):
            raise NumberTextError("not an xsd:decimal")
        return Decimal(cleaned)


XSD_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def gtin_clean(text: str) -> str | None:
    """The GTIN as stored, or None if it is not a valid one. Plain digits are checked here
    (the common case, fast); anything else goes through the full validator."""
    if text.isascii() and text.isdigit() and len(text) in (8, 12, 13, 14):
        digits = text.encode()  # byte values: "0" is 48
        tripled, single = digits[-2::-2], digits[-3::-2]
        total = 3 * sum(tripled) + sum(single) - 48 * (3 * len(tripled) + len(single))
        return text if (10 - total % 10) % 10 == digits[-1] - 48 else None
    try:
        return gtin_validate(text)
    except InvalidIdentifierError:
        return None


#: What a row must carry: a whole item, only a new price, or only a new description. The
#: fields a partial row leaves out are taken from the live item when the import is diffed.
FULL, PRICES, ITEMS = "full", "prices", "items"


def clean_row(
    raw: Mapping[str, str | Decimal],
    *,
    numbers: NumberReader,
    columns: dict[str, str] | None = None,
    base_quantity: str = "1",
    mode: str = FULL,
) -> CleanRow:
    """Check one row of raw values (keys are Rekvi's field names; text, or a Decimal where an
    Excel cell holds a number). `numbers` reads the numbers as the file writes them; `columns`
    names the file's columns in problems; `base_quantity` divides the price (a UBL price may be
    per 10). In PRICES mode the name may be missing, in ITEMS mode the price and unit: they are
    left empty (price 0) for the diff to take from the live item.
    Raises RowProblemError for the first problem found, and AmbiguousNumberError if a number
    reads two ways while `numbers` defers them.

    Written for speed (a million rows per import): no helper calls on the common path."""
    heading = columns or {}
    get = raw.get
    item_number = _text(get("supplier_item_number")).strip()
    if not item_number or len(item_number) > 100:
        code = "bad_item_number" if item_number else "missing_item_number"
        field = "supplier_item_number"
        raise RowProblemError(code, heading.get(field, field), item_number)
    name = _text(get("name")).strip()
    if not name and mode != PRICES:
        raise RowProblemError("missing_name", heading.get("name", "name"), "")
    price_column = heading.get("unit_price", "unit_price")
    given_price = get("unit_price")
    if isinstance(given_price, Decimal):
        price, price_text = given_price, str(given_price)
    else:
        price_text = (given_price or "").strip()
        if mode == ITEMS and not price_text:
            price_text = "0"
        try:
            price = numbers.read(price_text, price_column)
        except NumberTextError:
            raise RowProblemError("bad_price", price_column, price_text) from None
        except AmbiguousNumberError as exc:
            if numbers.defer_ambiguous:
                raise
            raise RowProblemError(
                "ambiguous_number", price_column, price_text, separator=exc.separator
            ) from None
    try:
        if base_quantity != "1":
            if not XSD_DECIMAL.fullmatch(base_quantity.strip()):
                raise InvalidOperation(base_quantity)
            divisor = Decimal(base_quantity)
            if divisor <= 0:
                raise InvalidOperation(base_quantity)
            price = price / divisor
        price = price.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise RowProblemError("bad_price", price_column, price_text) from None
    if (price <= 0 and mode != ITEMS) or price < 0 or price > MAX_PRICE:
        raise RowProblemError("price_out_of_range", price_column, price_text)
    unit_text = _text(get("unit_code")).strip()
    unit = UNIT_CODES.get(unit_text.upper())
    if unit is None:
        if mode != FULL and not unit_text:
            unit = ""
        else:
            raise RowProblemError(
                "unknown_unit",
                heading.get("unit_code", "unit_code"),
                unit_text,
                why=f" ({units.unit_problem(unit_text)})",
            )
    warnings: list[RowProblemError] = []
    gtin = _text(get("gtin")).strip()
    if gtin:
        valid = gtin_clean(gtin)
        if valid is None:
            warnings.append(RowProblemError("bad_gtin", heading.get("gtin", "gtin"), gtin))
            gtin = ""
        else:
            gtin = valid
    pack_given = get("pack_quantity", "")
    if pack_given is None:
        pack_given = ""
    pack_quantity: Decimal | None = None
    pack_unit = ""
    if isinstance(pack_given, Decimal) or _text(pack_given).strip():  # an Excel 0 is wrong
        pack_quantity, pack_unit = _pack(
            pack_given, _text(get("pack_unit_code")).strip(), heading, warnings, numbers
        )
    minimum_given = get("min_order_quantity", "")
    if minimum_given is None:
        minimum_given = ""
    minimum: Decimal | None = None if mode != FULL else ONE
    if isinstance(minimum_given, Decimal) or _text(minimum_given).strip():
        field = "min_order_quantity"
        given = _quantity(
            minimum_given, heading.get(field, field), "bad_minimum", warnings, numbers
        )
        if given is not None:
            minimum = given
    currency = _text(get("currency")).strip().upper()
    if not currency:
        currency = "DKK" if mode == FULL else ""
    elif len(currency) != 3 or not currency.isalpha():
        raise RowProblemError("bad_currency", heading.get("currency", "currency"), currency)
    unspsc = _text(get("unspsc_code")).strip()
    if unspsc and not (len(unspsc) == 8 and unspsc.isdigit()):
        field = "unspsc_code"
        warnings.append(RowProblemError("bad_unspsc", heading.get(field, field), unspsc))
        unspsc = ""
    return CleanRow(
        item_number,
        item_number_key(item_number)[:100],
        name[:300],
        _text(get("description")).strip(),
        _text(get("brand")).strip()[:200],
        gtin,
        unit,
        pack_quantity,
        pack_unit,
        price,
        currency,
        minimum,
        _text(get("category")).strip()[:60],
        unspsc,
        tuple(warnings),
    )


def _text(value: str | Decimal | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _quantity(
    given: str | Decimal,
    column: str,
    code: str,
    warnings: list[RowProblemError],
    numbers: NumberReader,
) -> Decimal | None:
    """A quantity above 0 to 3 decimals, or None with a warning (`code`) if it is not usable."""
    text = _text(given).strip()
    try:
        quantity = given if isinstance(given, Decimal) else numbers.read(text, column)
    except NumberTextError:
        quantity = Decimal(-1)
    except AmbiguousNumberError as exc:
        if numbers.defer_ambiguous:
            raise
        warnings.append(RowProblemError("ambiguous_number", column, text, separator=exc.separator))
        return None
    if not 0 < quantity <= MAX_QUANTITY:
        warnings.append(RowProblemError(code, column, text))
        return None
    return quantity.quantize(QUANTITY_PLACES)


def _pack(
    given: str | Decimal,
    unit_text: str,
    heading: dict[str, str],
    warnings: list[RowProblemError],
    numbers: NumberReader,
) -> tuple[Decimal | None, str]:
    """The pack contents and its unit, or (None, "") with a warning if they are not usable."""
    field = "pack_quantity"
    quantity = _quantity(given, heading.get(field, field), "bad_pack", warnings, numbers)
    if quantity is None:
        return None, ""
    unit_text = unit_text or "EA"
    unit = UNIT_CODES.get(unit_text.upper())
    if unit is None:
        field = "pack_unit_code"
        warnings.append(RowProblemError("unknown_pack_unit", heading.get(field, field), unit_text))
        return None, ""
    return quantity, unit
