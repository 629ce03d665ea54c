"""One catalogue row, checked: the same rules whatever the file format. A bad row becomes a
`RowProblemError` naming the column, the value and what is wrong; the import goes on without it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from catalog.importers.messages import message_for
from catalog.search.analysis import item_number_key
from core.identifiers import InvalidIdentifierError, gtin_validate
from core.money import FOUR_PLACES
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


def parse_decimal(text: str, *, decimal_comma: bool) -> Decimal:
    """A number as suppliers write it: "1.234,50" (decimal comma) or "1,234.50"; spaces and
    non-breaking spaces are thousands separators too. Raises InvalidOperation."""
    cleaned = text.strip()
    if " " in cleaned or "\u00a0" in cleaned:
        cleaned = cleaned.replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


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
    raw: dict[str, str],
    *,
    decimal_comma: bool,
    columns: dict[str, str] | None = None,
    base_quantity: str = "1",
    mode: str = FULL,
) -> CleanRow:
    """Check one row of raw text values (keys are Rekvi's field names). `columns` names the
    file's columns in problems; `base_quantity` divides the price (a UBL price may be per 10).
    In PRICES mode the name may be missing, in ITEMS mode the price and unit: they are left
    empty (price 0) for the diff to take from the live item.
    Raises RowProblemError for the first problem found.

    Written for speed (a million rows per import): no helper calls on the common path."""
    heading = columns or {}
    get = raw.get
    item_number = (get("supplier_item_number") or "").strip()
    if not item_number or len(item_number) > 100:
        code = "bad_item_number" if item_number else "missing_item_number"
        field = "supplier_item_number"
        raise RowProblemError(code, heading.get(field, field), item_number)
    name = (get("name") or "").strip()
    if not name and mode != PRICES:
        raise RowProblemError("missing_name", heading.get("name", "name"), "")
    price_text = (get("unit_price") or "").strip()
    if mode == ITEMS and not price_text:
        price_text = "0"
    try:
        price = parse_decimal(price_text, decimal_comma=decimal_comma)
        if base_quantity != "1":
            divisor = parse_decimal(base_quantity or "1", decimal_comma=False)
            if divisor <= 0:
                raise InvalidOperation(base_quantity)
            price = price / divisor
        price = price.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise RowProblemError(
            "bad_price", heading.get("unit_price", "unit_price"), price_text
        ) from None
    if (price <= 0 and mode != ITEMS) or price < 0 or price > MAX_PRICE:
        raise RowProblemError(
            "price_out_of_range", heading.get("unit_price", "unit_price"), price_text
        )
    unit_text = (get("unit_code") or "").strip()
    unit = UNIT_CODES.get(unit_text.upper())
    if unit is None:
        if mode != FULL and not unit_text:
            unit = ""
        else:
            raise RowProblemError("unknown_unit", heading.get("unit_code", "unit_code"), unit_text)
    warnings: list[RowProblemError] = []
    gtin = (get("gtin") or "").strip()
    if gtin:
        valid = gtin_clean(gtin)
        if valid is None:
            warnings.append(RowProblemError("bad_gtin", heading.get("gtin", "gtin"), gtin))
            gtin = ""
        else:
            gtin = valid
    pack_text = (get("pack_quantity") or "").strip()
    pack_quantity: Decimal | None = None
    pack_unit = ""
    if pack_text:
        pack_quantity, pack_unit = _pack(
            pack_text, (get("pack_unit_code") or "").strip(), heading, warnings, decimal_comma
        )
    minimum_text = (get("min_order_quantity") or "").strip()
    minimum: Decimal | None = None if mode != FULL else ONE
    if minimum_text:
        try:
            given = parse_decimal(minimum_text, decimal_comma=decimal_comma)
        except InvalidOperation:
            given = Decimal(-1)
        if 0 < given <= MAX_QUANTITY:
            minimum = given.quantize(QUANTITY_PLACES)
        else:
            field = "min_order_quantity"
            warnings.append(RowProblemError("bad_minimum", heading.get(field, field), minimum_text))
    currency = (get("currency") or "").strip().upper()
    if not currency:
        currency = "DKK" if mode == FULL else ""
    elif len(currency) != 3 or not currency.isalpha():
        raise RowProblemError("bad_currency", heading.get("currency", "currency"), currency)
    unspsc = (get("unspsc_code") or "").strip()
    if unspsc and not (len(unspsc) == 8 and unspsc.isdigit()):
        field = "unspsc_code"
        warnings.append(RowProblemError("bad_unspsc", heading.get(field, field), unspsc))
        unspsc = ""
    return CleanRow(
        item_number,
        item_number_key(item_number)[:100],
        name[:300],
        (get("description") or "").strip(),
        (get("brand") or "").strip()[:200],
        gtin,
        unit,
        pack_quantity,
        pack_unit,
        price,
        currency,
        minimum,
        (get("category") or "").strip()[:60],
        unspsc,
        tuple(warnings),
    )


def _pack(
    text: str,
    unit_text: str,
    heading: dict[str, str],
    warnings: list[RowProblemError],
    decimal_comma: bool,
) -> tuple[Decimal | None, str]:
    """The pack contents and its unit, or (None, "") with a warning if they are not usable."""
    try:
        quantity = parse_decimal(text, decimal_comma=decimal_comma)
    except InvalidOperation:
        quantity = Decimal(-1)
    if not 0 < quantity <= MAX_QUANTITY:
        field = "pack_quantity"
        warnings.append(RowProblemError("bad_pack", heading.get(field, field), text))
        return None, ""
    unit_text = unit_text or "EA"
    unit = UNIT_CODES.get(unit_text.upper())
    if unit is None:
        field = "pack_unit_code"
        warnings.append(RowProblemError("unknown_pack_unit", heading.get(field, field), unit_text))
        return None, ""
    return quantity.quantize(QUANTITY_PLACES), unit
