"""The API's refusals in one format: 400 with `detail` (for people, in their language), a
stable `code` and the `field` at fault, whether a serializer refused the body or a parameter
could not be read (core.params.BadInput). A refused body adds `messages`: every field's
messages, as the serializer gave them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.params import BadInput


def _first(errors: Any, path: tuple[str, ...] = ()) -> tuple[str, str, str]:
    """The first (field path, message, code) of a serializer's nested errors."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            return _first(value, (*path, str(key)) if key != "non_field_errors" else path)
    if isinstance(errors, list) and errors:
        for number, value in enumerate(errors):
            if value:
                nested = isinstance(value, (dict, list))
                return _first(value, (*path, str(number)) if nested else path)
    return ".".join(path), str(errors), str(getattr(errors, "code", "invalid"))


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, BadInput):
        return Response({"detail": exc.message, "code": exc.code, "field": exc.field}, status=400)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, serializers.ValidationError):
        field, message, code = _first(exc.detail)
        response.data = {
            "detail": f"{field}: {message}" if field else message,
            "code": code,
            "field": field or None,
            "messages": response.data,
        }
    return response
