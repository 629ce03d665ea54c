"""Writes to the catalogue core. (Catalogue import, diff and approval come with their own issue.)"""

from __future__ import annotations

from django.db import transaction

from catalog.models import Supplier
from core.encryption import credential_decrypt, credential_encrypt


@transaction.atomic
def supplier_punchout_secret_set(*, supplier: Supplier, secret: str) -> Supplier:
    """Store the supplier's punch-out shared secret (or password), encrypted; '' removes it."""
    supplier.punchout_secret_encrypted = credential_encrypt(secret) if secret else None
    Supplier.objects.filter(pk=supplier.pk).update(
        punchout_secret_encrypted=supplier.punchout_secret_encrypted
    )
    return supplier


def supplier_punchout_secret(*, supplier: Supplier) -> str:
    """The shared secret in clear text, for the moment a request is signed. Never log it.

    Raises CredentialError(UNREADABLE) if the configured keys cannot open it; '' if none is set.
    """
    if not supplier.punchout_secret_encrypted:
        return ""
    return credential_decrypt(bytes(supplier.punchout_secret_encrypted))
