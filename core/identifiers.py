"""EAN/GLN, GTIN and CVR: validated with python-stdnum, never by hand.

The `*_validate` functions return the compact form (digits only) or raise `InvalidIdentifierError`
with a reason a person can act on. The validator classes wrap them for model fields, naming the
field and the value in their message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.dk import cvr
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)

GTIN_LENGTHS = (8, 12, 13, 14)


class InvalidIdentifierError(ValueError):
    """An identifier failed validation; `reason` says why, in words for people."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


def _reason(error: StdnumError, *, digits: str) -> str:
    if isinstance(error, InvalidChecksum):
        return str(_("the check digit is wrong"))
    if isinstance(error, InvalidLength):  # before InvalidFormat: it is a subclass of it
        return str(_("it must be %(digits)s digits long")) % {"digits": digits}
    if isinstance(error, InvalidFormat):
        return str(_("it may contain only digits"))
    return str(_("it is not a valid number"))


def gs1_compact(value: str) -> str:
    """A GLN or GTIN as digits only: without the spaces, dashes and dots people type."""
    return ean.compact(value.replace(".", ""))


def gln_validate(value: str) -> str:
    """A GLN (EAN location number, 'EAN-nummer'): 13 digits with a GS1 check digit."""
    number = gs1_compact(value)
    try:
        if number and not number.isdigit():
            raise InvalidFormat()
        if len(number) != 13:
            raise InvalidLength()
        return str(ean.validate(number))
    except StdnumError as error:
        raise InvalidIdentifierError(value, _reason(error, digits="13")) from error


def gtin_validate(value: str) -> str:
    """A GTIN/EAN product number: 8, 12, 13 or 14 digits with a GS1 check digit."""
    number = gs1_compact(value)
    try:
        if number and not number.isdigit():
            raise InvalidFormat()
        if len(number) not in GTIN_LENGTHS:
            raise InvalidLength()
        return str(ean.validate(number))
    except StdnumError as error:
        reason = _reason(error, digits=str(_("8, 12, 13 or 14")))
        raise InvalidIdentifierError(value, reason) from error


def cvr_validate(value: str) -> str:
    """A Danish CVR number: 8 digits, modulus-11 check."""
    number = cvr.compact(value)
    try:
        return str(cvr.validate(number))
    except StdnumError as error:
        raise InvalidIdentifierError(value, _reason(error, digits="8")) from error


_VALIDATE = {"gln": gln_validate, "gtin": gtin_validate, "cvr": cvr_validate}
COMPACT = {"gln": gs1_compact, "gtin": gs1_compact, "cvr": cvr.compact}
LENGTH = {"gln": 13, "gtin": 14, "cvr": 8}
_KINDS = {
    "gln": _("GLN (EAN number)"),
    "gtin": _("GTIN/EAN product number"),
    "cvr": _("CVR number"),
}


@deconstructible
class IdentifierValidator:
    """Validates a model field holding a GLN, GTIN or CVR; the message names field and value."""

    def __init__(self, kind: str, label: str | Promise) -> None:
        if kind not in _VALIDATE:
            raise ValueError(
                f"unknown identifier kind {kind!r}; expected one of {sorted(_VALIDATE)}"
            )
        self.kind = kind
        self.label = label

    def __call__(self, value: Any) -> None:
        try:
            _VALIDATE[self.kind](str(value))
        except InvalidIdentifierError as invalid:
            raise ValidationError(
                _("%(label)s “%(value)s” is not a valid %(kind)s: %(reason)s."),
                code=f"invalid_{self.kind}",
                params={
                    "label": self.label,
                    "value": value,
                    "kind": _KINDS[self.kind],
                    "reason": invalid.reason,
                },
            ) from invalid

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, IdentifierValidator)
            and self.kind == other.kind
            and str(self.label) == str(other.label)
        )

    def __hash__(self) -> int:
        return hash((self.kind, str(self.label)))
