"""Errors that services raise. Each carries a stable code and a message for people."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A rule refused the request. `code` is stable (for APIs and tests), `message` translated.

    `field` names the input that is wrong, where one is.
    """

    def __init__(self, code: StrEnum, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


def validation_error_lines(error: ValidationError) -> list[str]:
    """A ValidationError's messages as "field: message" lines, for command output and logs."""
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
