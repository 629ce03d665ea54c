"""The API is throttled with DRF's throttles, counted in the cache: per signed-in person (a token
or the session), and per client address for requests from no one signed in. A throttled request
gets 429, Retry-After and the API's form of a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings: Any) -> Iterator[None]:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"person": "3/minute", "address": "2/minute"},
    }
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False):
        yield


def test_a_token_is_throttled_with_429_retry_after_and_a_code(
    requisitioner: User, low_rates: None
) -> None:
    client = APIClient()
    token = Token.objects.create(user=requisitioner)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [client.get("/api/v1/orders").status_code for _ in range(3)] == [200, 200, 200]
    throttled = client.get("/api/v1/orders")
    assert (throttled.status_code, throttled["Retry-After"]) == (429, "60")
    assert throttled.json() == {
        "detail": "For mange forespørgsler. Prøv igen om 60 sekunder.",
        "code": "throttled",
        "field": None,
    }
    other = APIClient()  # the same person from another address: still the same person
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert other.get("/api/v1/orders", REMOTE_ADDR="192.0.2.44").status_code == 429


def test_wrong_tokens_are_throttled_per_address_before_they_are_looked_up(
    requisitioner: User, low_rates: None
) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert [client.get("/api/v1/orders").status_code for _ in range(2)] == [403, 403]
    spoofed = client.get("/api/v1/orders", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (spoofed.status_code, spoofed["Retry-After"]) == (429, "60")
    assert spoofed.json() == {
        "detail": "For mange forespørgsler. Prøv igen om 60 sekunder.",
        "code": "throttled",
        "field": None,
    }
    token = Token.objects.create(user=requisitioner)  # even the right one waits from there
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/orders").status_code == 429
    assert client.get("/api/v1/orders", REMOTE_ADDR="192.0.2.44").status_code == 200
