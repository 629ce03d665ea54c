"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Where Chromium is missing they skip with a loud reason; with CI=true that skip is a failure.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
WCAG_AA = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}


def missing_chromium(chromium_path: str, ci: str) -> tuple[str, str] | None:
    """None when Chromium is there; otherwise what to do ("skip", or "fail" on CI) and why."""
    if Path(chromium_path).is_file():
        return None
    reason = (
        f"BROWSER TESTS NOT RUN: no Chromium at {chromium_path}. Install Debian's chromium "
        "(apt-get install -y chromium) or set CHROMIUM_PATH."
    )
    return ("fail" if ci.strip().lower() == "true" else "skip", reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    missing = missing_chromium(CHROMIUM_PATH, os.environ.get("CI", ""))
    if missing is not None:
        outcome, reason = missing
        if outcome == "fail":
            pytest.fail(reason)
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in this thread; let Django's ORM work
    beside it, from a browser test's set-up to the end of its tear-down (database flush), and
    only then. (tests/conftest.py runs browser tests after all others for the same reason.)"""
    os.environ[ASYNC_UNSAFE] = "true"
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    os.environ.pop(ASYNC_UNSAFE, None)


def assert_accessible(page: Page) -> None:
    """No WCAG 2.1 A/AA violation, and no serious or critical one of any other rule."""
    result = Axe().run(page)
    blocking = [
        violation
        for violation in result.response["violations"]
        if set(violation["tags"]) & WCAG_AA or violation["impact"] in ("serious", "critical")
    ]
    assert blocking == [], result.generate_report()


def log_in(page: Page, base_url: str, username: str, password: str = "demo") -> None:
    """Log in through the login page, as a person would."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Mine enheder", level=1).wait_for()


@pytest.fixture
def fjordby(db: None) -> None:
    """The Fjordby demo municipality, as `make run` loads it."""
    call_command("seed_demo", verbosity=0)
