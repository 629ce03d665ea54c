"""What is wrong with a catalogue file or one of its rows, in words for people.

Problems are stored as a code and its parameters, and put into words when shown, in the
language of the person reading them (a worker has no reader).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Problems of a row (left out) or of a value in a row (ignored, the row kept).
ROW_MESSAGES: dict[str, Promise] = {
    "missing_item_number": _("The item number is missing."),
    "bad_item_number": _("The item number is longer than 100 characters."),
    "duplicate_item_number": _(
        "The item number appears earlier in the file (row %(first_row)s); this row is left out."
    ),
    "missing_name": _("The product name is missing."),
    "bad_price": _("The price “%(value)s” is not a number."),
    "ambiguous_number": _(
        "“%(value)s” reads two ways: with “%(separator)s” grouping thousands, or as the decimal "
        "mark. Nothing else in the file shows which. Set the decimal mark in the supplier's "
        "column mapping, or have the number written with its decimals (e.g. 1.234,00)."
    ),
    "price_out_of_range": _("The price must be above 0 and below 10 billion; it is “%(value)s”."),
    "unknown_unit": _("Unit “%(value)s” is not a UN/ECE unit Rekvi knows%(why)s."),
    "bad_currency": _("Currency “%(value)s” is not an ISO 4217 code such as DKK."),
    "bad_action": _("The line's action code “%(value)s” is not Add, Update or Delete."),
    "unknown_item_price": _(
        "No item of the supplier on this agreement has the catalogue line ID or item number "
        "“%(value)s”; a price update can only change items already in the catalogue."
    ),
    "unknown_item_description": _(
        "No item of the supplier on this agreement has the catalogue line ID or item number "
        "“%(value)s”; a description update can only change items already in the catalogue."
    ),
    "bad_gtin": _(
        "“%(value)s” is not a valid GTIN (EAN): its length or check digit is wrong; the item is "
        "kept without it."
    ),
    "bad_pack": _(
        "The pack contents “%(value)s” is not a number above 0; the item is kept without pack "
        "contents."
    ),
    "unknown_pack_unit": _(
        "Pack unit “%(value)s” is not a known UN/ECE Rec 20 code; the item is kept without pack "
        "contents."
    ),
    "bad_minimum": _(
        "The minimum order quantity “%(value)s” is not a number above 0; the item is kept with "
        "no minimum."
    ),
    "bad_unspsc": _("UNSPSC code “%(value)s” is not 8 digits; the item is kept without it."),
}

#: Why a whole file could not be imported.
FILE_MESSAGES: dict[str, Promise] = {
    "missing_columns": _("The file has no column for %(fields)s (headings found: %(headings)s)."),
    "not_xlsx": _("The file is not an Excel workbook (XLSX)."),
    "mixed_decimal_marks": _(
        "The file writes numbers both with a decimal comma (row %(comma_row)s, column "
        "%(comma_column)s: “%(comma_value)s”) and with a decimal point (row %(point_row)s, "
        "column %(point_column)s: “%(point_value)s”), so Rekvi cannot tell what its prices are. "
        "Have the file written one way, or set the decimal mark in the supplier's column "
        "mapping: each value is then read as it is written, and values such as 1.234 by "
        "the mapping."
    ),
    "xlsx_too_large": _(
        "The workbook unpacks to %(size)s bytes; the limit for all its parts together is "
        "%(limit)s bytes."
    ),
    "xlsx_part_too_large": _(
        "Part %(part)s of the workbook unpacks to %(size)s bytes; the limit for one part is "
        "%(limit)s bytes."
    ),
    "xlsx_part_ratio": _(
        "Part %(part)s of the workbook unpacks to %(ratio)s times its packed size (%(size)s "
        "bytes from %(packed)s); the limit is %(limit)s times. A file packed this tightly is "
        "refused as a possible zip bomb."
    ),
    "xlsx_ratio": _(
        "The workbook unpacks to %(ratio)s times its size (%(size)s bytes from %(packed)s); "
        "the limit is %(limit)s times. A file packed this tightly is refused as a possible zip "
        "bomb."
    ),
    "xlsx_shared_strings_too_large": _(
        "The workbook's shared texts (part %(part)s) unpack to %(size)s bytes; the limit is "
        "%(limit)s bytes. Split the catalogue into several files, or send it as CSV."
    ),
    "xlsx_cell_too_long": _(
        "Cell %(cell)s (part %(part)s) holds %(length)s characters; the limit for one cell is "
        "%(limit)s characters."
    ),
    "xlsx_string_too_long": _(
        "Shared text no. %(index)s of the workbook (part %(part)s) holds %(length)s characters; "
        "the limit for one cell is %(limit)s characters."
    ),
    "xlsx_declarations": _(
        "Part %(part)s of the workbook has a document type declaration (DTD) or entities. "
        "Excel never writes these; such a workbook is refused. Save it again from Excel, or "
        "send the catalogue as CSV."
    ),
    "xlsx_bad_xml": _("Part %(part)s of the workbook is not well-formed XML: %(reason)s."),
    "not_text": _("The file is not text in UTF-8 or Windows-1252: %(reason)s."),
    "not_a_catalogue": _("The file is not a catalogue Rekvi can read: %(reason)s."),
    "punch_out": _(
        "The file is a Peppol punch-out basket (%(customization)s), not a catalogue: it is "
        "returned by a punch-out session, not imported."
    ),
    "bad_header_action": _(
        "The catalogue's action code “%(action)s” is not Add, Replace, Update or Delete."
    ),
    "other_provider": _(
        "The catalogue is from %(provider)s (%(scheme)s %(id)s), not from %(supplier)s."
    ),
    "other_catalogue_deleted": _(
        "The deletion is for catalogue “%(referenced)s”, but the live catalogue of "
        "%(supplier)s on agreement %(agreement)s is “%(live)s”: nothing is deleted."
    ),
    "not_text_encoding": _(
        "The file is read as %(encoding)s text, but from row %(row)s on it holds bytes that "
        "are not %(encoding)s. Save it as UTF-8 (or UTF-16 with a byte order mark) and upload "
        "it again."
    ),
    "utf16_without_bom": _(
        "The file looks like UTF-16 text without a byte order mark (BOM), so Rekvi cannot tell "
        "which byte of each character comes first. Save it as UTF-8, or as UTF-16 with a byte "
        "order mark, and upload it again."
    ),
    "value_too_long": _(
        "Row %(row)s, column %(column)s holds a value of more than %(limit)s characters; a "
        "value in a CSV catalogue may be at most %(limit)s characters. Nothing is imported: "
        "correct the row and upload the file again."
    ),
    "reading_stopped": _(
        "Reading the file stopped %(attempts)s times without finishing (no progress for "
        "%(minutes)s minutes each time; its worker may have been stopped), so the import was "
        "stopped. Nothing in the catalogue has changed. Upload the file again; if it stops "
        "again, the operator has the details."
    ),
    "applying_stopped": _(
        "Applying the approved import stopped %(attempts)s times without finishing (no "
        "progress for %(minutes)s minutes each time; its worker may have been stopped), so the "
        "import was stopped. Nothing in the catalogue has changed. Upload the file again; if it "
        "stops again, the operator has the details."
    ),
    "unexpected": _("An unexpected error stopped the import; the operator has the details."),
}

#: The longest text kept of a failure or problem detail (a file's value, a parser's message).
STORED_TEXT_MAX = 500
#: Control characters (tab, line breaks and NUL among them) and lone surrogates: a database
#: refuses some (PostgreSQL stores no NUL in text or JSON), and none reads well in a message.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    if character in "\t\n\r":
        return " "
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def stored_text(value: str, limit: int = STORED_TEXT_MAX) -> str:
    """`value` fit to store and show: control characters written out (NUL as \\x00; tab and
    line breaks as a space), and at most `limit` characters, ending in … where cut."""
    cleaned = _UNPRINTABLE.sub(_escaped, value)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def stored_params(params: Mapping[str, object]) -> dict[str, object]:
    """A failure's or problem's parameters with every text cleaned by `stored_text`."""
    return {
        key: stored_text(value) if isinstance(value, str) else value
        for key, value in params.items()
    }


class _Params(dict[str, object]):
    """A problem's parameters; one a message gained after the problem was stored is empty."""

    def __missing__(self, key: str) -> str:
        return ""


#: Problems whose numbers (sizes, lengths, limits) are shown with thousands grouped.
GROUPED = frozenset(code for code in FILE_MESSAGES if code.startswith("xlsx_"))


def message_for(code: str, params: Mapping[str, object]) -> str:
    """The problem `code` in words, in the active language."""
    template = ROW_MESSAGES.get(code) or FILE_MESSAGES.get(code)
    if template is None:
        return code
    if code in GROUPED:
        params = {
            key: number_format(value, force_grouping=True)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for key, value in params.items()
        }
    return str(template) % _Params(params)
