"""The URLconf's routes, for tests that must reach every page and endpoint: a route added to
Rekvi joins them without anyone listing it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

#: The value a route's parameter gets when a test fills it in without a better one, by converter.
PLACEHOLDERS = {
    "int": "1",
    "str": "x",
    "path": "x",
    "slug": "x",
    "uuid": "0" * 32,
    "demo_supplier": "nordlys-it",
}


@dataclass(frozen=True)
class Route:
    """One route: its full pattern (as written, prefixes joined) and name (namespace:name)."""

    pattern: str
    name: str
    regex: bool  # a re_path (the admin's), not a path()

    def fill(self, values: Mapping[str, str] | None = None) -> str:
        """A path for this route, each parameter from `values` (by name) or a placeholder."""
        given = values or {}
        if self.regex:
            path = re.sub(
                r"\(\?P<(\w+)>([^)]*)\)",
                lambda match: given.get(
                    str(match[1]), str(match[2]).split("|")[0].strip(".*+?") or "x"
                ),
                self.pattern,
            )
            return "/" + path.replace("^", "").replace("$", "").replace("\\", "")
        return "/" + re.sub(
            r"<(?:(\w+):)?(\w+)>",
            lambda match: given.get(str(match[2]), PLACEHOLDERS.get(str(match[1] or "str"), "x")),
            self.pattern,
        )


def urlconf_routes() -> list[Route]:
    """Every route of the URLconf (the default language's paths)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, space: str) -> Iterator[Route]:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, LocalePrefixPattern):
                text = ""
            elif isinstance(pattern, RoutePattern | RegexPattern):
                text = str(getattr(pattern, "_route", None) or getattr(pattern, "_regex", ""))
            else:
                text = str(pattern)
            is_regex = isinstance(pattern, RegexPattern)
            if isinstance(entry, URLResolver):
                namespace = f"{space}{entry.namespace}:" if entry.namespace else space
                joined = prefix + (text.lstrip("^") if is_regex else text)
                yield from walk(entry.url_patterns, joined, namespace)
            else:
                name = f"{space}{entry.name or ''}"
                yield Route(prefix + text, name, regex=is_regex or "(?P<" in prefix)

    return list(walk(get_resolver().url_patterns, "", ""))
