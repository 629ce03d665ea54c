"""Errors that services raise. Each carries a stable code and a message for people."""

from __future__ import annotations

from enum import StrEnum


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
