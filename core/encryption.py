"""Encryption at rest for credentials (a supplier's punch-out secret, a channel password).

Keys come from the `CREDENTIALS_KEYS` setting (Fernet keys, newest first), never SECRET_KEY, so
that rotating one does not touch the other. Plain text is never logged.
"""

from __future__ import annotations

from enum import StrEnum

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError


class CredentialErrorCode(StrEnum):
    UNREADABLE = "credential_unreadable"


class CredentialError(ApplicationError):
    pass


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in settings.CREDENTIALS_KEYS])


def credential_encrypt(plain: str) -> bytes:
    """`plain` encrypted (and authenticated) with the newest key."""
    return _cipher().encrypt(plain.encode("utf-8"))


def credential_decrypt(token: bytes) -> str:
    """The plain text of `token`. Raises CredentialError(UNREADABLE) if no key opens it."""
    try:
        return _cipher().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken as exc:
        raise CredentialError(
            CredentialErrorCode.UNREADABLE,
            str(
                _(
                    "A stored credential cannot be decrypted with the configured keys "
                    "(CREDENTIALS_KEYS); enter it again."
                )
            ),
        ) from exc
