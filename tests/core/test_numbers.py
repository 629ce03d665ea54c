"""One reader of numbers: a `.` or `,` followed by anything but exactly three digits is a
decimal mark; the rest is decided by the convention (a file's own values, or the language)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.numbers import (
    AmbiguousNumberError,
    DecimalMark,
    NumberTextError,
    number_parse,
    number_scan,
)

COMMA, POINT = DecimalMark.COMMA, DecimalMark.POINT


@pytest.mark.parametrize(
    ("text", "value", "mark"),
    [
        ("35.53", Decimal("35.53"), POINT),
        ("35,53", Decimal("35.53"), COMMA),
        ("1.234,50", Decimal("1234.50"), COMMA),
        ("1,234.50", Decimal("1234.50"), POINT),
        ("12,5", Decimal("12.5"), COMMA),
        ("0.5", Decimal("0.5"), POINT),
        ("1 234,50", Decimal("1234.50"), COMMA),
        ("1\u00a0234,5", Decimal("1234.5"), COMMA),
        ("0.500", Decimal("0.500"), POINT),  # a leading 0 never starts a group of thousands
        ("1234.567", Decimal("1234.567"), POINT),  # nor do four digits
        (",75", Decimal("0.75"), COMMA),
        ("1.234.567", Decimal("1234567"), COMMA),  # twice: it groups thousands
        ("1,234,567", Decimal("1234567"), POINT),
        ("1.234.567,89", Decimal("1234567.89"), COMMA),
        ("-4,00", Decimal("-4.00"), COMMA),
        ("12", Decimal("12"), None),
        (" 7 ", Decimal("7"), None),
        ("1 234", Decimal("1234"), None),
    ],
)
def test_a_number_that_shows_its_mark_is_read_whatever_the_convention(
    text: str, value: Decimal, mark: DecimalMark | None
) -> None:
    scan = number_scan(text)

    assert (scan.value, scan.mark, scan.is_ambiguous) == (value, mark, False)
    assert number_parse(text, mark=COMMA) == value
    assert number_parse(text, mark=POINT) == value
    assert number_parse(text, mark=None) == value


@pytest.mark.parametrize(
    ("text", "under_comma", "under_point"),
    [
        ("1.234", Decimal("1234"), Decimal("1.234")),
        ("1,234", Decimal("1.234"), Decimal("1234")),
        ("12.500", Decimal("12500"), Decimal("12.500")),
        ("999,999", Decimal("999.999"), Decimal("999999")),
    ],
)
def test_a_number_that_reads_two_ways_waits_for_the_convention(
    text: str, under_comma: Decimal, under_point: Decimal
) -> None:
    assert number_scan(text).is_ambiguous is True
    assert number_parse(text, mark=COMMA) == under_comma
    assert number_parse(text, mark=POINT) == under_point
    with pytest.raises(AmbiguousNumberError) as undecided:
        number_parse(text, mark=None)
    assert undecided.value.separator == text[-4]


@pytest.mark.parametrize(
    "text",
    ["", "kr. 12", "12,50 DKK", "NaN", "Infinity", "1e5", "1,2,3.4.5x", "1.2.3", "12.", "1,23,456"],
)
def test_what_is_not_a_number_in_any_convention_is_refused(text: str) -> None:
    with pytest.raises(NumberTextError):
        number_scan(text)
