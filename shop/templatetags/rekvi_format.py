"""How amounts read on Rekvi's pages: Danish style in Danish, English style in English."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.money import money_text, money_text_in, quantity_text
from edi import units

register = template.Library()


@register.filter
def dkk(amount: Decimal | None, places: int = 2) -> str:
    """An amount in Danish kroner: "3.000,00 kr." in Danish, "DKK 3,000.00" in English."""
    if amount is None:
        return "–"
    return money_text(amount, places)


@register.filter
def money_in(amount: Decimal | None, currency: str) -> str:
    """An amount in its own currency: kroner as `dkk` writes them, another currency with its
    code ("1.730,90 EUR"), never as kroner."""
    if amount is None:
        return "–"
    return money_text_in(amount, currency)


@register.filter
def unit_label(code: str) -> str:
    """A UN/ECE Rec 20 unit code as people say it: "LTR" -> "liter" (Danish), "litre"."""
    return units.unit_name(code, get_language() or "da")


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """A change in percent with its sign: "+4,92 %" in Danish, "+4.92%" in English."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return _("%(number)s%%") % {"number": sign + floatformat(abs(value), "2g")}


@register.filter
def quantity_display(value: Decimal | None) -> str:
    """A quantity without trailing zeros, as the language writes it: "2,5", "1.000"."""
    if value is None:
        return "–"
    return quantity_text(value)
