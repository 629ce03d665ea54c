"""The Danish catalogue is complete, and the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "da" / "LC_MESSAGES"


def _po_entries(path: Path) -> tuple[dict[str, str], list[str]]:
    """msgid -> msgstr of a .po file, and the msgids marked fuzzy."""
    entries: dict[str, str] = {}
    fuzzy: list[str] = []
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    is_fuzzy = False
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            entries[key] = "".join(msgstr)
            if is_fuzzy:
                fuzzy.append(key)

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            msgid = msgstr = None
            is_fuzzy = True
        elif line.startswith("msgid "):
            if msgstr is not None:
                flush()
                is_fuzzy = False
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        elif not line.strip():
            flush()
            msgid = msgstr = current = None
            is_fuzzy = False
    entries.pop("", None)  # the header
    return entries, [key for key in fuzzy if key]


def test_every_message_has_a_danish_translation() -> None:
    entries, fuzzy = _po_entries(LOCALE / "django.po")
    assert len(entries) > 250
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    entries, _fuzzy = _po_entries(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    compiled_entries = {key: value for key, value in catalog.items() if key != ""}
    assert compiled_entries == entries
