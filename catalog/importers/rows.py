"""One catalogue row, checked: the same rules whatever the file format. A bad row becomes a
`RowProblemError` naming the column, the value and what is wrong; the import goes on without it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from catalog.importers.messages import message_for
from catalog.search.analysis import item_number_key
from core.identifiers import InvalidIdentifierError, gtin_validate
from core.money import unit_price_round
from edi import units

MAX_PRICE = Decimal("9999999999.9999")
MAX_QUANTITY = Decimal("999999999.999")
QUANTITY_PLACES = Decimal("0.001")


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


@dataclass(frozen=True)
class CleanRow:
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
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def _unit(column: str, raw: str) -> str:
    if not units.is_known(raw):
        raise RowProblemError("unknown_unit", column, raw)
    return units.unit_get(raw).code


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
    Raises RowProblemError for the first problem found."""
    heading = columns or {}

    def column(field: str) -> str:
        return heading.get(field, field)

    def value(field: str) -> str:
        return (raw.get(field) or "").strip()

    item_number = value("supplier_item_number")
    if not item_number:
        raise RowProblemError("missing_item_number", column("supplier_item_number"), "")
    if len(item_number) > 100:
        raise RowProblemError("bad_item_number", column("supplier_item_number"), item_number)
    name = value("name")
    if not name and mode != PRICES:
        raise RowProblemError("missing_name", column("name"), "")
    price_text = value("unit_price")
    if mode == ITEMS and not price_text:
        price_text = "0"
    try:
        price = parse_decimal(price_text, decimal_comma=decimal_comma)
        divisor = parse_decimal(base_quantity or "1", decimal_comma=False)
        if divisor <= 0:
            raise InvalidOperation(base_quantity)
        price = unit_price_round(price / divisor)
    except InvalidOperation:
        raise RowProblemError("bad_price", column("unit_price"), price_text) from None
    if (price <= 0 and mode != ITEMS) or price < 0 or price > MAX_PRICE:
        raise RowProblemError("price_out_of_range", column("unit_price"), price_text)
    unit_text = value("unit_code")
    unit_code = "" if mode != FULL and not unit_text else _unit(column("unit_code"), unit_text)
    warnings: list[RowProblemError] = []

    def ignored(code: str, field: str, text: str) -> None:
        warnings.append(RowProblemError(code, column(field), text))

    gtin = value("gtin")
    if gtin:
        try:
            gtin = gtin_validate(gtin)
        except InvalidIdentifierError:
            ignored("bad_gtin", "gtin", gtin)
            gtin = ""
    pack_quantity, pack_unit = _pack(
        value("pack_quantity"), value("pack_unit_code"), ignored, decimal_comma
    )
    minimum_text = value("min_order_quantity")
    minimum: Decimal | None = None if mode != FULL else Decimal(1)
    if minimum_text:
        try:
            given = parse_decimal(minimum_text, decimal_comma=decimal_comma)
        except InvalidOperation:
            given = Decimal(-1)
        if 0 < given <= MAX_QUANTITY:
            minimum = given.quantize(QUANTITY_PLACES)
        else:
            ignored("bad_minimum", "min_order_quantity", minimum_text)
    currency = (value("currency") or ("DKK" if mode == FULL else "")).upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        raise RowProblemError("bad_currency", column("currency"), currency)
    unspsc = value("unspsc_code")
    if unspsc and not (len(unspsc) == 8 and unspsc.isdigit()):
        ignored("bad_unspsc", "unspsc_code", unspsc)
        unspsc = ""
    return CleanRow(
        supplier_item_number=item_number,
        item_number_key=item_number_key(item_number)[:100],
        name=name[:300],
        description=value("description"),
        brand=value("brand")[:200],
        gtin=gtin,
        unit_code=unit_code,
        pack_quantity=pack_quantity,
        pack_unit_code=pack_unit,
        unit_price=price,
        currency=currency,
        min_order_quantity=minimum,
        category_code=value("category")[:60],
        unspsc_code=unspsc,
        warnings=tuple(warnings),
    )


def _pack(
    text: str,
    unit_text: str,
    ignored: Callable[[str, str, str], None],
    decimal_comma: bool,
) -> tuple[Decimal | None, str]:
    """The pack contents and its unit, or (None, "") with a warning if they are not usable."""
    if not text:
        return None, ""
    try:
        quantity = parse_decimal(text, decimal_comma=decimal_comma)
    except InvalidOperation:
        quantity = Decimal(-1)
    if not 0 < quantity <= MAX_QUANTITY:
        ignored("bad_pack", "pack_quantity", text)
        return None, ""
    unit_text = unit_text or "EA"
    if not units.is_known(unit_text):
        ignored("unknown_pack_unit", "pack_unit_code", unit_text)
        return None, ""
    return quantity.quantize(QUANTITY_PLACES), units.unit_get(unit_text).code
