"""The Danish catalogue is complete, and the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "da" / "LC_MESSAGES"
Key = str | tuple[str, int]


def _po_entries(path: Path) -> tuple[dict[Key, str], list[str]]:
    """The .po file's translations keyed as gettext keys them (a msgid, or (msgid, n) for a
    plural form), and the msgids marked fuzzy. Obsolete (#~) entries are left out."""
    entries: dict[Key, str] = {}
    fuzzy: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            keyword = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if keyword:
                current = keyword.group(1)
                fields[current] = ast.literal_eval(keyword.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        msgid = fields.get("msgid", "")
        if not msgid:
            continue  # the header, or no entry
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            fuzzy.append(msgid)
        if "msgid_plural" in fields:
            for name, text in fields.items():
                plural = re.match(r"msgstr\[(\d+)\]", name)
                if plural:
                    entries[(msgid, int(plural.group(1)))] = text
        else:
            entries[msgid] = fields.get("msgstr", "")
    return entries, fuzzy


def test_every_message_has_a_danish_translation() -> None:
    entries, fuzzy = _po_entries(LOCALE / "django.po")
    assert len(entries) > 250  # the parser read the catalogue
    assert [key for key, text in entries.items() if not text] == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date() -> None:
    entries, _fuzzy = _po_entries(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    compiled_entries = {key: value for key, value in catalog.items() if key != ""}
    assert compiled_entries == entries
