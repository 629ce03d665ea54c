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


def money_text_in(amount: Decimal, currency: str, places: int = 2) -> str:
    """An amount in the currency it was given in: Danish kroner as `money_text` writes them,
    another currency with its code ("1.730,90 EUR" in Danish, "EUR 1,730.90" in English), and
    an amount without a currency as a bare number followed by a note saying so. Never "kr."
    for an amount that is not in kroner."""
    from django.template.defaultfilters import floatformat
    from django.utils.translation import gettext as _

    code = currency.strip().upper()
    if code == "DKK":
        return money_text(amount, places)
    number = floatformat(amount, f"{places}g")
    if not code:
        return _("%(amount)s (no currency)") % {"amount": number}
    return _("%(currency)s %(amount)s") % {"amount": number, "currency": code}


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros, as the active language writes it: "2,5", "1.000"."""
    from django.template.defaultfilters import floatformat

    places = max(-int(quantity.normalize().as_tuple().exponent), 0)
    return floatformat(quantity, f"{places}g")
