from __future__ import annotations

from decimal import Decimal

from core.money import gross_of, money_round, unit_price_round, vat_of


def test_money_rounds_half_up_to_two_places() -> None:
    assert money_round(Decimal("2.345")) == Decimal("2.35")
    assert money_round(Decimal("2.344")) == Decimal("2.34")
    assert money_round(Decimal("-2.345")) == Decimal("-2.35")


def test_unit_prices_keep_four_places() -> None:
    assert unit_price_round(Decimal("1.23455")) == Decimal("1.2346")


def test_vat_is_25_percent_rounded_once() -> None:
    assert vat_of(Decimal("657.55")) == Decimal("164.39")
    assert gross_of(Decimal("657.55")) == Decimal("821.94")
