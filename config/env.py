"""The only code in Rekvi that reads the process environment (and an optional `.env` file).

Every variable is read once, here, into a typed value with a default that works in embedded
mode. `.env.example` lists them all with a comment.
"""

from __future__ import annotations

import os
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class EnvironmentValueError(ValueError):
    """A variable in the environment has a value Rekvi cannot use."""


def load_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines from `path` into the environment, never overriding what is set.

    Blank lines and lines starting with '#' are skipped; values may be quoted with ' or ".
    """
    if not path.is_file():
        return
    for number, raw_line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line.removeprefix("export ").lstrip()
        key, separator, value = line.partition("=")
        key = key.strip()
        if not separator or not key:
            raise EnvironmentValueError(
                f"{path.name}, line {number}: expected KEY=VALUE, got {line!r}"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key, value)


def text(name: str, default: str = "") -> str:
    """The variable as text, or `default` when it is unset or empty."""
    return os.environ.get(name, "") or default


def flag(name: str, *, default: bool) -> bool:
    """The variable as a boolean: 1/true/yes/on or 0/false/no/off (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EnvironmentValueError(f"{name}={raw!r}: expected one of on/off, true/false, yes/no, 1/0")


def integer(name: str, *, default: int) -> int:
    """The variable as an integer."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise EnvironmentValueError(f"{name}={raw!r}: expected a whole number") from exc


def words(name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The variable as a comma-separated list of words, blanks dropped."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())
