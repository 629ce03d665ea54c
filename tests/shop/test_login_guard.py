"""Logins are throttled: a username tried from one address is locked out for a while (django-axes),
an address that fails often is slowed down but never locked (a whole municipality may share it),
and the client's address is the connection's own unless Rekvi is behind its trusted proxy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from org.models import User
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

LOCKED = (
    "Der har været for mange forkerte adgangskoder til dette brugernavn fra din adresse, så det "
    "kan ikke logge ind derfra et stykke tid. Prøv igen om 15 minutter."
)


def _slowed(seconds: int) -> str:
    return (
        "Mange forsøg på at logge ind er slået fejl fra dit netværks adresse, så hvert forsøg "
        "derfra skal vente lidt. Din adgangskode blev ikke kontrolleret. "
        f"Prøv igen om {seconds} sekunder."
    )


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False) as traveller:
        yield traveller


def _log_in(client: Client, username: str, password: str, **headers: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password}, **headers)


def test_a_hundred_wrong_passwords_then_the_right_one_does_not_let_in_and_says_why(
    client: Client, requisitioner: User, clock: Any
) -> None:
    statuses = []
    for _attempt in range(100):
        clock.shift(6)  # slower than the address's delay: every attempt is looked at
        statuses.append(_log_in(client, "rekvirent", "forkert").status_code)
    assert statuses == [200] * 4 + [429] * 96
    clock.shift(6)
    right = _log_in(client, "rekvirent", "demo")
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert LOCKED in page_text(right.content)
    assert "_auth_user_id" not in client.session
    clock.shift(15 * 60 - 1)  # each attempt during the lock-out starts the wait again
    assert _log_in(client, "rekvirent", "demo").status_code == 429
    clock.shift(15 * 60 + 1)
    assert _log_in(client, "rekvirent", "demo")["Location"] == "/"
    assert client.session["_auth_user_id"] == str(requisitioner.pk)


def test_the_lock_out_is_said_in_english_on_the_english_page(
    client: Client, requisitioner: User, clock: Any
) -> None:
    for _attempt in range(5):
        clock.shift(6)
        response = client.post("/en/login/", {"username": "rekvirent", "password": "wrong"})
    assert response.status_code == 429
    assert (
        "There have been too many wrong passwords for this username from your address, so it "
        "cannot log in from there for a while. Try again in 15 minutes."
    ) in page_text(response.content)


def test_another_person_at_the_same_address_is_not_locked_out(
    client: Client, requisitioner: User, approver: User, clock: Any
) -> None:
    for _attempt in range(10):
        clock.shift(6)
        _log_in(client, "rekvirent", "forkert")
    clock.shift(6)
    assert _log_in(client, "godkender", "demo")["Location"] == "/"
    assert client.session["_auth_user_id"] == str(approver.pk)


def test_an_address_that_fails_often_is_slowed_down_never_locked(
    client: Client, approver: User, clock: Any
) -> None:
    for number in range(30):  # many usernames: no one of them reaches its own lock-out
        assert _log_in(client, f"person{number}", "forkert").status_code == 200
    slowed = _log_in(client, "godkender", "demo")
    assert (slowed.status_code, slowed["Retry-After"]) == (429, "5")
    assert _slowed(5) in page_text(slowed.content)
    assert "_auth_user_id" not in client.session
    clock.shift(3)
    assert _slowed(2) in page_text(_log_in(client, "godkender", "demo").content)
    clock.shift(2)
    assert _log_in(client, "godkender", "demo")["Location"] == "/"
    assert client.session["_auth_user_id"] == str(approver.pk)


def test_x_forwarded_for_is_ignored_without_the_proxy_setting(
    client: Client, requisitioner: User, clock: Any
) -> None:
    statuses = []
    for number in range(5):  # a new address in the header each time: the same client
        clock.shift(6)
        response = _log_in(
            client, "rekvirent", "forkert", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 429]
    clock.shift(6)
    assert _log_in(
        client, "rekvirent", "demo", HTTP_X_FORWARDED_FOR="198.51.100.9"
    ).status_code == (429)


def test_behind_the_proxy_the_last_forwarded_address_is_the_clients(
    client: Client, requisitioner: User, clock: Any, settings: Any
) -> None:
    settings.BEHIND_TLS_PROXY = True
    statuses = []
    for number in range(5):  # whatever the client wrote first, the proxy's address is last
        clock.shift(6)
        response = _log_in(
            client,
            "rekvirent",
            "forkert",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.7",
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 429]
    clock.shift(6)
    elsewhere = _log_in(client, "rekvirent", "demo", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert elsewhere["Location"] == "/"
