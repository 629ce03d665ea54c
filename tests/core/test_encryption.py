from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from core.encryption import (
    CredentialError,
    CredentialErrorCode,
    credential_decrypt,
    credential_encrypt,
)


def test_a_credential_round_trips_and_is_not_stored_in_clear(settings: Any) -> None:
    settings.CREDENTIALS_KEYS = (Fernet.generate_key().decode(),)
    token = credential_encrypt("hemmelig-nøgle-123")
    assert b"hemmelig" not in token
    assert credential_decrypt(token) == "hemmelig-nøgle-123"


def test_an_old_key_still_opens_what_it_encrypted_after_rotation(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CREDENTIALS_KEYS = (old,)
    token = credential_encrypt("s3cret")
    settings.CREDENTIALS_KEYS = (new, old)
    assert credential_decrypt(token) == "s3cret"


@pytest.mark.usefixtures("english")
def test_a_credential_no_configured_key_opens_is_refused_clearly(settings: Any) -> None:
    settings.CREDENTIALS_KEYS = (Fernet.generate_key().decode(),)
    token = credential_encrypt("s3cret")
    settings.CREDENTIALS_KEYS = (Fernet.generate_key().decode(),)
    with pytest.raises(CredentialError) as caught:
        credential_decrypt(token)
    assert caught.value.code == CredentialErrorCode.UNREADABLE
    assert caught.value.message == (
        "A stored credential cannot be decrypted with the configured keys (CREDENTIALS_KEYS); "
        "enter it again."
    )
