from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from core.money import gross_of, money_round, money_text_in, unit_price_round, vat_of


def test_money_rounds_half_up_to_two_places() -> None:
    assert money_round(Decimal("2.345")) == Decimal("2.35")
    assert money_round(Decimal("2.344")) == Decimal("2.34")
    assert money_round(Decimal("-2.345")) == Decimal("-2.35")


def test_unit_prices_keep_four_places() -> None:
    assert unit_price_round(Decimal("1.23455")) == Decimal("1.2346")


def test_vat_is_25_percent_rounded_once() -> None:
    assert vat_of(Decimal("657.55")) == Decimal("164.39")
    assert gross_of(Decimal("657.55")) == Decimal("821.94")


@pytest.mark.parametrize(
    ("language", "currency", "text"),
    [
        ("da", "DKK", "1.730,90 kr."),
        ("da", "eur", "1.730,90 EUR"),
        ("da", "", "1.730,90 (ingen valuta)"),
        ("en", "DKK", "DKK 1,730.90"),
        ("en", "EUR", "EUR 1,730.90"),
        ("en", " ", "1,730.90 (no currency)"),
    ],
)
def test_an_amount_is_written_in_its_own_currency_never_as_kroner(
    language: str, currency: str, text: str
) -> None:
    with translation.override(language):
        assert money_text_in(Decimal("1730.9"), currency) == text
