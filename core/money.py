"""Money is Decimal: unit prices to 4 places, totals half-up to 2, stored excluding VAT."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
#: Danish VAT (moms), standard rate.
VAT_RATE = Decimal("0.25")
#: Field sizes shared by every app: amounts up to 999,999,999,999.99 DKK.
AMOUNT_DIGITS = 14
UNIT_PRICE_DIGITS = 14


def money_round(value: Decimal) -> Decimal:
    """`value` rounded half-up to 2 decimal places (øre)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def unit_price_round(value: Decimal) -> Decimal:
    """`value` rounded half-up to 4 decimal places, the precision of unit prices."""
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def vat_of(net: Decimal, rate: Decimal = VAT_RATE) -> Decimal:
    """The VAT on a net amount, rounded half-up to 2 places (computed once per document)."""
    return money_round(net * rate)


def gross_of(net: Decimal, rate: Decimal = VAT_RATE) -> Decimal:
    """Net amount plus its VAT."""
    return money_round(net) + vat_of(net, rate)


def money_text(amount: Decimal, places: int = 2) -> str:
    """An amount as people read it, in the active language: "3.049,90 kr." in Danish,
    "DKK 3,049.90" in English."""
    from django.template.defaultfilters import floatformat
    from django.utils.translation import gettext as _

    return _("DKK %(amount)s") % {"amount": floatformat(amount, f"{places}g")}


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros, as the active language writes it: "2,5", "1.000"."""
    from django.template.defaultfilters import floatformat

    places = max(-int(quantity.normalize().as_tuple().exponent), 0)
    return floatformat(quantity, f"{places}g")
