"""Ids and numbers read from a request, one way: through Django's form fields, with bounds.

`str.isdigit()` says yes to "²" and "①", which `int()` refuses, and `int()` takes numbers no
database column holds; a hand-written `int(request.GET[...])` turns either into a server error.
Here a value is read by a form field (positive, at most 2**63 - 1, the largest id PostgreSQL
stores), and a bad one raises BadInput naming the parameter: a page answers 400 with the
message, the API 400 with `detail`, `code` and `field` (core.api)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _

#: The largest value of a 64-bit signed integer: the largest id (and offset) stored.
MAX_ID = 2**63 - 1


class BadInput(BadRequest):
    """A request parameter that cannot be read; `field` names it, `message` says why."""

    code = "bad_input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class IdField(forms.IntegerField):
    """A whole number from 1 to MAX_ID (an id), written in digits."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("min_value", 1)
        options.setdefault("max_value", MAX_ID)
        super().__init__(**options)


def _read(field: forms.Field, name: str, value: object) -> Any:
    try:
        return field.clean(value)
    except ValidationError as error:
        raise BadInput(
            name,
            _("%(name)s: %(problem)s (you sent %(value)s).")
            % {"name": name, "problem": " ".join(error.messages), "value": _shown(value)},
        ) from error


def _shown(value: object) -> str:
    """The value as sent, short and printable, for a message."""
    text = repr(str(value))
    return text if len(text) <= 40 else f"{text[:37]}..."


def read_id(data: Mapping[str, Any], name: str) -> int | None:
    """The id `name` of a query string or form, or None if it is absent or empty."""
    value = data.get(name)
    if value in (None, ""):
        return None
    return int(_read(IdField(required=False), name, value))


def read_ids(values: Iterable[object], name: str) -> tuple[int, ...]:
    """Every id of a repeated parameter (`?supplier=1&supplier=2`); empty values are skipped."""
    return tuple(int(_read(IdField(), name, value)) for value in values if value not in ("",))


def read_number(
    data: Mapping[str, Any], name: str, *, default: int, min_value: int = 0, max_value: int = MAX_ID
) -> int:
    """A whole number such as an offset or a page, `default` when absent or empty."""
    value = data.get(name)
    if value in (None, ""):
        return default
    field = forms.IntegerField(min_value=min_value, max_value=max_value)
    return int(_read(field, name, value))


def read_key_id(key: str, prefix: str) -> int:
    """The id at the end of a form field's name (`quantity-12` with prefix `quantity-`)."""
    return int(_read(IdField(), key, key.removeprefix(prefix)))


def read_text(data: Mapping[str, Any], name: str, *, max_length: int | None = None) -> str:
    """A text field, "" when absent; a NUL character (which no database column stores) or
    more than `max_length` characters are refused."""
    value = data.get(name)
    if value in (None, ""):
        return ""
    field = forms.CharField(required=False, strip=False, max_length=max_length)
    return str(_read(field, name, value))


def refuse_nul(name: str, value: str) -> str:
    """`value`, unless it holds a NUL character, which no database column stores."""
    return str(_read(forms.CharField(required=False, strip=False), name, value))
