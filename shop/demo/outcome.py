"""What a demo seed run reports, and the error it raises for data it cannot load."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password


class DemoDataError(ValueError):
    """The demo data set has something Rekvi cannot load; the message says what and where."""


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, name, roles
