"""Without Chromium the browser tests skip loudly, and on CI that skip is a failure."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import missing_chromium


def test_chromium_present_runs_the_browser_tests(tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_bytes(b"")
    assert missing_chromium(str(chromium), ci="true") is None


def test_no_chromium_skips_with_the_reason_outside_ci(tmp_path: Path) -> None:
    outcome, reason = missing_chromium(str(tmp_path / "none"), ci="") or ("", "")
    assert outcome == "skip"
    assert reason.startswith(f"BROWSER TESTS NOT RUN: no Chromium at {tmp_path / 'none'}.")


def test_no_chromium_fails_on_ci(tmp_path: Path) -> None:
    outcome, _reason = missing_chromium(str(tmp_path / "none"), ci="true") or ("", "")
    assert outcome == "fail"
