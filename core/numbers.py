"""Numbers as people and files write them: one reader of decimal marks and thousands separators.

The rule: a `.` or `,` followed by anything but exactly three digits is a decimal mark, never a
thousands separator. Where both appear, the last is the decimal mark. A separator that appears
twice or more groups thousands. Spaces (also non-breaking) group thousands. What is left is a
single `.` or `,` followed by exactly three digits after a group of one to three digits
(`1.234`, `12,500`): a thousand and more in one convention, a decimal number in the other. Only
the convention decides it: a file's own other values, a saved setting, or (for people typing in
the shop) Danish writing, where `.` groups thousands and `,` is the decimal mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class DecimalMark(StrEnum):
    COMMA = ","
    POINT = "."


#: The convention a separator's use as a decimal mark or as a thousands separator shows.
_AS_DECIMAL = {",": DecimalMark.COMMA, ".": DecimalMark.POINT}
_AS_THOUSANDS = {",": DecimalMark.POINT, ".": DecimalMark.COMMA}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\t": " "})
_ALLOWED = frozenset("0123456789., ")


class NumberTextError(ValueError):
    """The text is not a number in any convention (`reason`: a short English phrase)."""


class AmbiguousNumberError(ValueError):
    """The text is a number in both conventions, with different values, and nothing decides:
    `as_thousands` if its separator groups thousands, `as_decimal` if it is the decimal mark."""

    def __init__(self, text: str, separator: str, as_thousands: Decimal, as_decimal: Decimal):
        super().__init__(text)
        self.text, self.separator = text, separator
        self.as_thousands, self.as_decimal = as_thousands, as_decimal


@dataclass(frozen=True, slots=True)
class NumberScan:
    """What the text says on its own: its value and the convention it shows (`mark`, None if
    it shows none, e.g. `12`). An ambiguous text names its `separator`; `value` is then its
    value with the separator grouping thousands, `as_decimal` with it as the decimal mark."""

    value: Decimal
    mark: DecimalMark | None = None
    separator: str = ""
    as_decimal: Decimal = Decimal(0)

    @property
    def is_ambiguous(self) -> bool:
        return bool(self.separator)

    def value_under(self, mark: DecimalMark) -> Decimal:
        """The value where `mark` is the decimal mark."""
        if self.separator and _AS_DECIMAL[self.separator] == mark:
            return self.as_decimal
        return self.value


def _grouped(part: str, separator: str) -> str:
    """The digits of an integer part grouped by `separator` (or by spaces): a first group of
    1-3 digits, then groups of exactly 3. Raises NumberTextError."""
    if separator != " " and separator in part and " " in part:
        raise NumberTextError("two kinds of thousands separator")
    groups = part.split(separator if separator in part else " ")
    if len(groups) == 1:
        if not groups[0].isdigit():
            raise NumberTextError("not digits")
        return groups[0]
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        raise NumberTextError("thousands are grouped by three digits")
    digits = "".join(groups)
    if not digits.isdigit():
        raise NumberTextError("not digits")
    return digits


def number_scan(text: str) -> NumberScan:
    """Read `text` on its own (see the module). Raises NumberTextError."""
    cleaned = text.strip()
    if cleaned.isascii() and cleaned.isdigit():
        return NumberScan(Decimal(cleaned))
    cleaned = cleaned.translate(_SPACES)
    negative = cleaned[:1] == "-"
    if cleaned[:1] in "+-":
        cleaned = cleaned[1:].strip()
    if not cleaned or not cleaned.isascii() or not _ALLOWED.issuperset(cleaned):
        raise NumberTextError("not a number")
    points, commas = cleaned.count("."), cleaned.count(",")
    if points and commas:
        decimal = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        whole, _, fraction = cleaned.rpartition(decimal)
        if not fraction.isdigit() or decimal in whole:
            raise NumberTextError("more than one decimal mark")
        digits = _grouped(whole, "," if decimal == "." else ".")
        return _scanned(negative, f"{digits}.{fraction}", _AS_DECIMAL[decimal])
    if points > 1 or commas > 1:  # a separator that appears twice groups thousands
        separator = "." if points else ","
        return _scanned(negative, _grouped(cleaned, separator), _AS_THOUSANDS[separator])
    if points or commas:
        separator = "." if points else ","
        whole, _, fraction = cleaned.partition(separator)
        if not fraction.isdigit():
            raise NumberTextError("no digits after the decimal mark")
        digits = _grouped(whole, separator) if whole else "0"
        if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0" and " " not in whole:
            sign = "-" if negative else ""
            return NumberScan(
                Decimal(f"{sign}{whole}{fraction}"),
                separator=separator,
                as_decimal=Decimal(f"{sign}{whole}.{fraction}"),
            )
        return _scanned(negative, f"{digits}.{fraction}", _AS_DECIMAL[separator])
    return _scanned(negative, _grouped(cleaned, " "), None)


def _scanned(negative: bool, digits: str, mark: DecimalMark | None) -> NumberScan:
    value = Decimal(digits)  # only digits and one point: always a number
    return NumberScan(-value if negative else value, mark)


def number_parse(text: str, *, mark: DecimalMark | None) -> Decimal:
    """The value of `text`, where `mark` is the decimal mark if the text does not show it
    itself (`mark` None: nothing decides). Raises NumberTextError, AmbiguousNumberError."""
    scan = number_scan(text)
    if scan.is_ambiguous:
        if mark is None:
            raise AmbiguousNumberError(text, scan.separator, scan.value, scan.as_decimal)
        return scan.value_under(mark)
    return scan.value
