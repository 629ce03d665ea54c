from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import (
    IdentifierValidator,
    InvalidIdentifierError,
    cvr_validate,
    gln_validate,
    gtin_validate,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5799999000010", "5799999000010"),
        ("579 9999 000 010", "5799999000010"),
        ("5799999-000010", "5799999000010"),
    ],
)
def test_gln_is_accepted_and_compacted(raw: str, expected: str) -> None:
    assert gln_validate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("5799999000011", "the check digit is wrong"),
        ("579999900001", "it must be 13 digits long"),
        ("57999990000AB", "it may contain only digits"),
        ("", "it must be 13 digits long"),
    ],
)
@pytest.mark.usefixtures("english")
def test_invalid_gln_says_why(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        gln_validate(raw)
    assert caught.value.reason == reason
    assert caught.value.value == raw


@pytest.mark.usefixtures("english")
def test_cvr_uses_modulus_11() -> None:
    assert cvr_validate("29900124") == "29900124"
    assert cvr_validate("29 90 01 24") == "29900124"
    with pytest.raises(InvalidIdentifierError) as caught:
        cvr_validate("29900125")
    assert caught.value.reason == "the check digit is wrong"
    with pytest.raises(InvalidIdentifierError) as caught:
        cvr_validate("2990012")
    assert caught.value.reason == "it must be 8 digits long"


@pytest.mark.parametrize("raw", ["5799997000012", "96385074", "036000291452", "15799997000019"])
def test_gtin_accepts_the_gs1_lengths(raw: str) -> None:
    assert gtin_validate(raw) == raw


@pytest.mark.usefixtures("english")
def test_gtin_of_wrong_length_names_the_allowed_lengths() -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        gtin_validate("12345")
    assert caught.value.reason == "it must be 8, 12, 13 or 14 digits long"


@pytest.mark.usefixtures("danish")
def test_validator_message_names_the_field_and_the_value_in_danish() -> None:
    validator = IdentifierValidator("gln", "EAN-nummer")
    with pytest.raises(ValidationError) as caught:
        validator("5799999000011")
    assert caught.value.messages == [
        "EAN-nummer “5799999000011” er ikke et gyldigt GLN (EAN-nummer): "
        "kontrolcifferet passer ikke."
    ]
    assert caught.value.code == "invalid_gln"


@pytest.mark.usefixtures("english")
def test_validator_message_names_the_field_and_the_value_in_english() -> None:
    validator = IdentifierValidator("cvr", "CVR number")
    with pytest.raises(ValidationError) as caught:
        validator("12345678")
    assert caught.value.messages == [
        "CVR number “12345678” is not a valid CVR number: the check digit is wrong."
    ]


def test_validator_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown identifier kind 'iban'"):
        IdentifierValidator("iban", "IBAN")
