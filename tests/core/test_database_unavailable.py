"""With the database out of reach a person gets a page (503, Retry-After) in their language that
says so, and a program the API's form of a refusal with the code `database_unavailable`, never
Django's bare "Server Error (500)".

Rekvi runs in a child process whose DATABASE_URL points at a closed port of this machine: a
real connection refused, nothing mocked."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs inside the child: every request through Django's full handler and middleware.
CHILD = r"""
import json, django
django.setup()
from django.test import Client

def answer(response):
    return {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "type": response["Content-Type"],
        "body": response.content.decode(),
    }

client = Client(HTTP_HOST="localhost")
client.cookies["sessionid"] = "a" * 32  # a signed-in person's cookie: the session is looked up
results = {
    "home": answer(client.get("/")),
    "english": answer(client.get("/en/")),
    "login": answer(Client(HTTP_HOST="localhost").post(
        "/login/", {"username": "rekvirent", "password": "demo"}
    )),
    "api": answer(Client(HTTP_HOST="localhost").get(
        "/api/v1/orders", HTTP_AUTHORIZATION="Token " + "b" * 40
    )),
}
print(json.dumps(results))
"""


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def answers() -> dict[str, Any]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_", "PYTEST", "DEMO_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://rekvi:password@127.0.0.1:{_closed_port()}/rekvi",
        DJANGO_SECRET_KEY="tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        CREDENTIALS_KEYS="OefjW2eb5t59uqyTFuFKv03-2VK0c_CvmYbU9iTX0DE=",
        REKVI_ENV_FILE=str(ROOT / "var" / "no-such-env-file"),
        LOG_LEVEL="CRITICAL",
    )
    finished = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return dict(json.loads(finished.stdout.strip().splitlines()[-1]))


def _text(html: str) -> str:
    from tests.conftest import page_text

    return page_text(html.encode())


def test_a_page_says_in_danish_that_the_database_cannot_be_reached(answers: dict[str, Any]) -> None:
    home = answers["home"]
    assert (home["status"], home["retry_after"]) == (503, "30")
    assert '<html lang="da">' in home["body"]
    assert _text(home["body"]) == (
        "Rekvi er ikke til rådighed lige nu – Rekvi Rekvi – kommunens indkøb "
        "Rekvi er ikke til rådighed lige nu Rekvi kan ikke få forbindelse til sin database. "
        "Prøv igen om et minut; fortsætter det, så sig det til kommunens it-support."
    )


def test_the_english_page_says_it_in_english(answers: dict[str, Any]) -> None:
    english = answers["english"]
    assert (english["status"], english["retry_after"]) == (503, "30")
    assert "Rekvi cannot reach its database. Try again in a minute;" in _text(english["body"])


def test_a_login_while_the_database_is_down_gets_the_page_too(answers: dict[str, Any]) -> None:
    login = answers["login"]
    assert (login["status"], login["retry_after"]) == (503, "30")
    assert "Rekvi kan ikke få forbindelse til sin database." in _text(login["body"])


def test_the_api_answers_503_with_a_code(answers: dict[str, Any]) -> None:
    api = answers["api"]
    assert (api["status"], api["retry_after"], api["type"]) == (503, "30", "application/json")
    assert json.loads(api["body"]) == {
        "detail": "Rekvi kan ikke få forbindelse til sin database lige nu. Prøv igen om lidt.",
        "code": "database_unavailable",
        "field": None,
    }
