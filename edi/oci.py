"""SAP OCI (Open Catalog Interface) punch-out, buyer side: the outbound parameters Rekvi
sends with the user to a supplier's catalogue, and the cart the catalogue posts back to the
HOOK_URL. Pure functions over bytes and strings; no Django, no network.

Field names and rules follow OCI 4.0 (SAP's "Open Catalog Interface, Release 4.0", 2003):
the cart comes back as form fields `NEW_ITEM-<FIELD>[n]`, n counting from 1, with the long
text as `NEW_ITEM-LONGTEXT_n:132[]` (one or more values of up to 132 characters, joined here
without a separator, as the parts of one text). PRICE is the price of PRICEUNIT units
(empty means 1), so the price of one unit is PRICE / PRICEUNIT. Numbers use "." and no
thousands separator; suppliers that send Danish numbers ("1.234,50") are read with
`decimal_separator=","`, which allows "." only as a thousands separator in groups of three.
With ".", a "," is never accepted, so "1,234" cannot silently become 1234.

The XML variant (`~xmlDocument`) is read into the same `OciCart`. SAP's OCI 5.0 document was
not available to us; what we implement is what public sources show, and it is the variant
OCI 3.0-5.0 buyers accept:

- the hybris platform's OCI extension (`de.hybris.platform.oci.jalo.utils.Utils`, hybris AG
  2000-2013, found in public GitHub copies): the form carries `~xmlDocument`, the document
  base64-encoded, and `~xml_type` = "ESAPO"; the document is `<BusinessDocument><Catalog>`
  with one `<Product ProductType="Product|Service">` per line: ProductID Code="Buyer"
  (MATNR), CatalogKey (EXT_PRODUCT_ID), ParentCategoryID (MATGROUP), Description,
  Attachment/URL|Description|Purpose, ShoppingBasketItem/Quantity@UoM, .../NetPrice/Price
  @Currency, .../NetPrice/PriceUnit, .../LeadTime, .../Quote/QuoteID|QuoteItemID,
  .../ItemText (long text), ManufacturerDescription/PartnerProductID|PartnerID,
  VendorDescription/PartnerProductID|PartnerID|BuyerContract/ContractID|ContractItemID, and
  any custom field as a child element named after it;
- KonaKart's punch-out page (DS Data Systems, 2012) posts `~XML_TYPE` = "ESAPO-3.5", and an
  OCI/Oracle field-limits note says SAP's own documents spell the type field `~xmlType`,
  `~xml_type` and `xmltype`: all spellings are read, ignoring case, and any ESAPO type is
  accepted.

Problems that leave the cart usable are recorded as `Problem`s (the exact field name, a code,
an English sentence) and the item is kept; only a form that is not a cart at all, or an item
with neither a description nor a price, raises `OciFormatError` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from email.message import EmailMessage
from types import MappingProxyType
from urllib.parse import unquote_to_bytes

from edi import safexml, units

#: OCI's default character set when the request names none.
DEFAULT_CHARSET = "iso-8859-1"
#: More fields than this in one form is not a cart (5,000 lines of 20 fields is 100,000).
MAX_FORM_FIELDS = 250_000
#: More distinct items than this is not a cart.
MAX_ITEMS = 10_000
XML_DOCUMENT_FIELD = "~xmlDocument"

#: The outbound parameters `outbound_parameters` writes, by their OCI names.
OUTBOUND_NAMES = ("HOOK_URL", "~OkCode", "~TARGET", "~CALLER", "USERNAME", "PASSWORD", "FUNCTION")

#: The per-item OCI 4.0/5.0 fields read into `OciItem` (besides LONGTEXT, which is special).
ITEM_FIELDS = frozenset(
    {
        "DESCRIPTION",
        "MATNR",
        "QUANTITY",
        "UNIT",
        "PRICE",
        "PRICEUNIT",
        "CURRENCY",
        "LEADTIME",
        "VENDOR",
        "VENDORMAT",
        "MANUFACTCODE",
        "MANUFACTMAT",
        "MATGROUP",
        "SERVICE",
        "CONTRACT",
        "CONTRACT_ITEM",
        "EXT_QUOTE_ID",
        "EXT_QUOTE_ITEM",
        "EXT_PRODUCT_ID",
        "EXT_SCHEMA_TYPE",
        "EXT_CATEGORY_ID",
        "EXT_CATEGORY",
        "SLD_SYS_NAME",
        "CUST_FIELD1",
        "CUST_FIELD2",
        "CUST_FIELD3",
        "CUST_FIELD4",
        "CUST_FIELD5",
        "PARENT_ID",
        "ITEM_TYPE",
        "ATTACHMENT",
        "ATTACHMENT_TITLE",
        "ATTACHMENT_PURPOSE",
    }
)


class OciError(ValueError):
    """Base of the errors this module raises for input it reads."""


class OciFormatError(OciError):
    """The input is not an OCI cart Rekvi can read. `field` names the form field (or "" when
    the whole form is meant); `reason` says what is wrong, in English."""

    def __init__(self, reason: str, *, field: str = "") -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class Problem:
    """Something wrong with one field that leaves the cart usable, for a person to see.
    `field` is the exact form field name (e.g. "NEW_ITEM-PRICEUNIT[2]"); for the XML variant
    it is "~xmlDocument:" and the element path."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class OciItem:
    """One cart line. Text fields are as received, stripped of surrounding whitespace ("" when
    absent); numbers are Decimal, None when absent or not a number (a Problem says which)."""

    index: int  # n of NEW_ITEM-...[n], or the Product's position in the XML variant
    description: str
    matnr: str
    quantity: Decimal | None
    unit_raw: str
    unit: str | None  # the Rec 20 code Rekvi stores; None when unit_raw is not one
    price: Decimal | None  # PRICE as sent: the price of `price_unit` units
    price_unit: Decimal | None  # PRICEUNIT; 1 when absent or empty, None when not a number > 0
    unit_price: Decimal | None  # price / price_unit: the price of one unit
    currency: str
    lead_time: int | None  # days
    vendor: str
    vendor_mat: str
    manufact_code: str
    manufact_mat: str
    mat_group: str
    service: str
    contract: str
    contract_item: str
    ext_quote_id: str
    ext_quote_item: str
    ext_product_id: str
    ext_schema_type: str
    ext_category_id: str
    ext_category: str
    sld_sys_name: str
    cust_fields: tuple[str, str, str, str, str]  # CUST_FIELD1..5
    parent_id: str
    item_type: str
    attachment: str
    attachment_title: str
    attachment_purpose: str
    longtext: str
    extra: Mapping[str, str]  # other NEW_ITEM-<NAME>[n] fields (TAX_RATE, CUST_FIELD30 ...)
    fields: tuple[tuple[str, str], ...]  # this item's fields exactly as received, in order
    problems: tuple[Problem, ...]

    @property
    def unspsc(self) -> str:
        """The item's UNSPSC code: EXT_CATEGORY_ID when EXT_SCHEMA_TYPE names UNSPSC (any
        letter case, a version after it allowed, e.g. "UNSPSC V14"), else MATGROUP, which
        shops without a schema type fill with it; "" when neither is given. A code written in
        groups ("31.16.15.00", "31-16-15-00", "31 16 15 00") is given as its digits."""
        code = self.mat_group
        if self.ext_category_id and self.ext_schema_type.upper().startswith("UNSPSC"):
            code = self.ext_category_id
        digits = _UNSPSC_SEPARATORS.sub("", code)
        return digits if digits.isdigit() else code


#: What may stand between the digit pairs of a UNSPSC code as some shops write it.
_UNSPSC_SEPARATORS = re.compile(r"[ .\-]")


@dataclass(frozen=True)
class OciCart:
    """A returned OCI cart: the items sorted by index, every problem found (cart-level ones
    first, then each item's), and the form's other fields as received."""

    items: tuple[OciItem, ...]
    problems: tuple[Problem, ...]
    other_fields: tuple[tuple[str, str], ...]
    xml_type: str | None  # the ESAPO type of the XML variant; None for the form variant


# --- outbound -------------------------------------------------------------------------------


def outbound_parameters(
    *,
    hook_url: str,
    username: str,
    password: str,
    function: str | None = None,
    ok_code: str = "ADDI",
    target: str = "_top",
    caller: str = "CTLG",
    names: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """The OCI outbound parameters, in this order: HOOK_URL, ~OkCode, ~TARGET, ~CALLER,
    USERNAME, PASSWORD, FUNCTION (only when given), then `extra` in its own order (for
    example OCI_VERSION, http_content_charset, returntarget).

    `names` renames parameters for a supplier that wants its own, keyed by the OCI names
    above (e.g. {"USERNAME": "user", "PASSWORD": "pass"}).

    Raises ValueError for a HOOK_URL that is not http(s), an unknown key in `names`, or an
    `extra` name that repeats a parameter already written (letter case ignored).
    """
    if not re.match(r"https?://", hook_url, flags=re.IGNORECASE):
        raise ValueError(f"the HOOK_URL must be an http(s) URL, not {hook_url!r}")
    renames = dict(names or {})
    canonical = {name.upper(): name for name in OUTBOUND_NAMES}
    resolved: dict[str, str] = {}
    for key, new in renames.items():
        if key.upper() not in canonical:
            raise ValueError(f"{key!r} is not an OCI outbound parameter {OUTBOUND_NAMES}")
        resolved[canonical[key.upper()]] = new
    values = [
        ("HOOK_URL", hook_url),
        ("~OkCode", ok_code),
        ("~TARGET", target),
        ("~CALLER", caller),
        ("USERNAME", username),
        ("PASSWORD", password),
    ]
    if function is not None:
        values.append(("FUNCTION", function))
    parameters = [(resolved.get(name, name), value) for name, value in values]
    seen = {name.upper() for name, _value in parameters}
    for name, value in (extra or {}).items():
        if name.upper() in seen:
            raise ValueError(f"the extra parameter {name!r} repeats one already written")
        seen.add(name.upper())
        parameters.append((name, value))
    return parameters


# --- the returned form ----------------------------------------------------------------------


def _charset(content_type: str) -> tuple[str, str | None]:
    header = EmailMessage()
    header["content-type"] = content_type
    charset = header.get_param("charset")
    return header.get_content_type(), str(charset).strip() if charset else None


def form_fields_decode(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """The fields of an application/x-www-form-urlencoded body, in order, as text.

    The charset parameter of `content_type` is used when present. Browsers never send one for
    a form post, whatever the form's accept-charset, so when it is absent the body is read as
    UTF-8 if all its decoded bytes are valid UTF-8, and as ISO-8859-1 (OCI's default)
    otherwise. The choice is made for the whole body, not per field, so one cart is never read
    in two character sets. (Latin-1 text that happens to be valid UTF-8 needs two or more
    accented characters in a row that spell a UTF-8 sequence, which real text hardly does.)

    Raises OciFormatError for another content type, an unknown charset, bytes that are not
    valid in the declared charset (naming the field and the byte), or more than
    MAX_FORM_FIELDS fields.
    """
    media_type, charset = _charset(content_type)
    if media_type != "application/x-www-form-urlencoded":
        raise OciFormatError(
            f"the cart was posted as {media_type}, not application/x-www-form-urlencoded"
        )
    if charset is not None:
        try:
            charset = codecs.lookup(charset).name
        except LookupError:
            raise OciFormatError(f"the request names an unknown charset {charset!r}") from None
        if not _writes_forms(charset):
            raise OciFormatError(
                f"a form cannot be written in {charset}, whose & and = are not single bytes; "
                "post it as UTF-8 or ISO-8859-1"
            )
    parts = [part.partition(b"=") for part in body.replace(b"+", b" ").split(b"&") if part]
    if len(parts) > MAX_FORM_FIELDS:
        raise OciFormatError(f"the form has more than {MAX_FORM_FIELDS} fields")
    texts = _unquote_all(parts, charset)
    if texts is None:
        texts = _unquote_each(parts, charset)
    for position, (name, value) in enumerate(texts, start=1):
        if "\x00" in name or "\x00" in value:
            # text holds no NUL character (nor can a database column store one)
            raise OciFormatError(
                f"field {position} holds a NUL character (byte 0x00), which is not text",
                field=name.replace("\x00", "\\x00"),
            )
    return texts


#: What a form is written with; every charset a form can be posted in writes it as ASCII.
_FORM_SYNTAX = "A=1&b=%20+"


def _writes_forms(charset: str) -> bool:
    """Whether `charset` writes a form's & = % + as the ASCII bytes the form is split on
    (UTF-16 and UTF-32 do not, nor does a codec that is not a text encoding)."""
    try:
        return _FORM_SYNTAX.encode(charset) == _FORM_SYNTAX.encode("ascii")
    except (LookupError, UnicodeError, ValueError):
        return False


#: Joins a form's names and values so that they are unquoted and decoded in one go (a large cart
#: has hundreds of thousands); a value that holds it falls back to one field at a time.
_JOIN = b"\x00\x1fREKVI-FIELD\x1f\x00"


def _unquote_all(
    parts: list[tuple[bytes, bytes, bytes]], charset: str | None
) -> list[tuple[str, str]] | None:
    """Every field unquoted and decoded at once; None when a field must be looked at alone (it
    holds the joiner, or is not valid in the charset, so the error can name it)."""
    joined = unquote_to_bytes(
        _JOIN.join(item for name, _sep, value in parts for item in (name, value))
    )
    pieces = joined.split(_JOIN)
    if len(pieces) != 2 * len(parts):
        return None
    whole = _JOIN.join(pieces)
    try:
        text = whole.decode(charset or "utf-8")
    except UnicodeDecodeError:
        if charset is not None:
            return None  # the error names the field
        text = whole.decode(DEFAULT_CHARSET)
    fields = text.split(_JOIN.decode("ascii"))
    return list(zip(fields[0::2], fields[1::2], strict=True))


def _unquote_each(
    parts: list[tuple[bytes, bytes, bytes]], charset: str | None
) -> list[tuple[str, str]]:
    pairs = [(unquote_to_bytes(name), unquote_to_bytes(value)) for name, _sep, value in parts]
    if charset is None:
        charset = "utf-8"
        try:
            for name, value in pairs:
                name.decode("utf-8")
                value.decode("utf-8")
        except UnicodeDecodeError:
            charset = DEFAULT_CHARSET
    decoded: list[tuple[str, str]] = []
    for position, (name, value) in enumerate(pairs, start=1):
        try:
            text_name = name.decode(charset)
        except UnicodeDecodeError as exc:
            raise OciFormatError(
                f"the name of field {position} is not valid {charset} "
                f"(byte 0x{exc.object[exc.start]:02x} at position {exc.start})"
            ) from None
        try:
            decoded.append((text_name, value.decode(charset)))
        except UnicodeDecodeError as exc:
            raise OciFormatError(
                f"the value is not valid {charset} "
                f"(byte 0x{exc.object[exc.start]:02x} at position {exc.start})",
                field=text_name,
            ) from None
    return decoded


# --- numbers --------------------------------------------------------------------------------

_NUMBER_DOT = re.compile(r"([+-]?)(\d+(?:\.\d+)?|\.\d+)")
_NUMBER_COMMA = re.compile(r"([+-]?)(\d+(?:,\d+)?|,\d+|\d{1,3}(?:\.\d{3})+(?:,\d+)?)")


def _decimal(raw: str, separator: str) -> Decimal | None:
    value = raw.strip()
    if separator == ".":
        match = _NUMBER_DOT.fullmatch(value)
        return Decimal(value) if match else None
    match = _NUMBER_COMMA.fullmatch(value)
    if not match:
        return None
    return Decimal(match.group(1) + match.group(2).replace(".", "").replace(",", "."))


def _divide(price: Decimal, price_unit: Decimal) -> Decimal:
    if price_unit == 1:
        return price
    with localcontext() as context:
        context.prec = 60
        context.clear_flags()
        result = price / price_unit
        if context.flags[Inexact]:
            return result.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)
    return result


# --- items ----------------------------------------------------------------------------------


@dataclass
class _Raw:
    """One item's fields as collected: OCI name -> (field name as received, value)."""

    index: int
    name: Callable[[str], str]  # the field name to report for an OCI name that is absent
    values: dict[str, tuple[str, str]] = field(default_factory=dict)
    longtext: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    fields: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def put(self, key: str, received: str, value: str) -> None:
        if key in self.values:
            self.problems.append(
                Problem(
                    received,
                    "duplicate_field",
                    f"{received} appears more than once; the first value is used",
                )
            )
            return
        self.values[key] = (received, value)

    def get(self, key: str) -> str:
        return self.values[key][1].strip() if key in self.values else ""

    def where(self, key: str) -> str:
        return self.values[key][0] if key in self.values else self.name(key)


def _item(raw: _Raw, separator: str) -> OciItem:
    problems = raw.problems
    description = raw.get("DESCRIPTION")
    price_text = raw.get("PRICE")
    if not description and not price_text:
        raise OciFormatError(
            f"item {raw.index} has neither a description nor a price",
            field=raw.where("DESCRIPTION"),
        )

    def number(key: str, label: str) -> Decimal | None:
        text = raw.get(key)
        if not text:
            return None
        value = _decimal(text, separator)
        if value is None:
            problems.append(
                Problem(
                    raw.where(key),
                    "not_a_number",
                    f"{label} {text!r} is not a number (the decimal separator for this "
                    f"supplier is {separator!r})",
                )
            )
        return value

    if not description:
        problems.append(Problem(raw.where("DESCRIPTION"), "missing", "DESCRIPTION missing"))
    quantity = number("QUANTITY", "quantity")
    if not raw.get("QUANTITY"):
        problems.append(Problem(raw.where("QUANTITY"), "missing", "QUANTITY missing"))
    elif quantity is not None and quantity <= 0:
        problems.append(
            Problem(raw.where("QUANTITY"), "not_positive", "quantity must be more than 0")
        )
    price = number("PRICE", "price")
    if not price_text:
        problems.append(Problem(raw.where("PRICE"), "missing", "PRICE missing"))
    elif price is not None and price < 0:
        problems.append(Problem(raw.where("PRICE"), "negative", "price must not be negative"))
    price_unit: Decimal | None = Decimal(1)
    if not raw.get("PRICEUNIT"):
        problems.append(
            Problem(
                raw.where("PRICEUNIT"),
                "priceunit_missing",
                "PRICEUNIT missing; the price is taken to be for 1 unit",
            )
        )
    else:
        price_unit = number("PRICEUNIT", "price unit")
        if price_unit is not None and price_unit <= 0:
            problems.append(
                Problem(raw.where("PRICEUNIT"), "not_positive", "price unit must be more than 0")
            )
            price_unit = None
    currency = raw.get("CURRENCY")
    if price_text and not currency:
        problems.append(Problem(raw.where("CURRENCY"), "missing", "CURRENCY missing"))
    unit_raw = raw.get("UNIT")
    unit = units.unit_get(unit_raw).code if unit_raw and units.is_known(unit_raw) else None
    if unit is None:
        problems.append(
            Problem(
                raw.where("UNIT"),
                "unit_missing" if not unit_raw else "unit_not_rec20",
                "UNIT missing" if not unit_raw else units.unit_problem(unit_raw) or "",
            )
        )
    lead_text = raw.get("LEADTIME")
    lead_time = int(lead_text) if lead_text.isdigit() else None
    if lead_text and lead_time is None:
        problems.append(
            Problem(
                raw.where("LEADTIME"),
                "not_a_number",
                f"lead time {lead_text!r} is not a whole number of days",
            )
        )
    return OciItem(
        index=raw.index,
        description=description,
        matnr=raw.get("MATNR"),
        quantity=quantity,
        unit_raw=unit_raw,
        unit=unit,
        price=price,
        price_unit=price_unit,
        unit_price=_divide(price, price_unit)
        if price is not None and price_unit is not None
        else None,
        currency=currency,
        lead_time=lead_time,
        vendor=raw.get("VENDOR"),
        vendor_mat=raw.get("VENDORMAT"),
        manufact_code=raw.get("MANUFACTCODE"),
        manufact_mat=raw.get("MANUFACTMAT"),
        mat_group=raw.get("MATGROUP"),
        service=raw.get("SERVICE"),
        contract=raw.get("CONTRACT"),
        contract_item=raw.get("CONTRACT_ITEM"),
        ext_quote_id=raw.get("EXT_QUOTE_ID"),
        ext_quote_item=raw.get("EXT_QUOTE_ITEM"),
        ext_product_id=raw.get("EXT_PRODUCT_ID"),
        ext_schema_type=raw.get("EXT_SCHEMA_TYPE"),
        ext_category_id=raw.get("EXT_CATEGORY_ID"),
        ext_category=raw.get("EXT_CATEGORY"),
        sld_sys_name=raw.get("SLD_SYS_NAME"),
        cust_fields=(
            raw.get("CUST_FIELD1"),
            raw.get("CUST_FIELD2"),
            raw.get("CUST_FIELD3"),
            raw.get("CUST_FIELD4"),
            raw.get("CUST_FIELD5"),
        ),
        parent_id=raw.get("PARENT_ID"),
        item_type=raw.get("ITEM_TYPE"),
        attachment=raw.get("ATTACHMENT"),
        attachment_title=raw.get("ATTACHMENT_TITLE"),
        attachment_purpose=raw.get("ATTACHMENT_PURPOSE"),
        longtext="".join(raw.longtext),
        extra=MappingProxyType(dict(raw.extra)),
        fields=tuple(raw.fields),
        problems=tuple(problems),
    )


def _cart(
    raws: Iterable[_Raw],
    separator: str,
    *,
    problems: Iterable[Problem] = (),
    other_fields: Iterable[tuple[str, str]] = (),
    xml_type: str | None = None,
) -> OciCart:
    items = tuple(_item(raw, separator) for raw in sorted(raws, key=lambda raw: raw.index))
    if not items:
        raise OciFormatError("the form has no NEW_ITEM fields: it is not an OCI cart")
    cart_problems = tuple(problems)
    return OciCart(
        items=items,
        problems=cart_problems + tuple(p for item in items for p in item.problems),
        other_fields=tuple(other_fields),
        xml_type=xml_type,
    )


def _check_separator(decimal_separator: str) -> None:
    if decimal_separator not in (".", ","):
        raise ValueError(f"the decimal separator is '.' or ',', not {decimal_separator!r}")


def _form_field_name(index: int) -> Callable[[str], str]:
    def name(key: str) -> str:
        return f"NEW_ITEM-{key}[{index}]"

    return name


_ITEM_FIELD = re.compile(r"NEW_ITEM-([A-Z0-9_]+)\[(\d+)\]", re.IGNORECASE)
_LONGTEXT = re.compile(r"NEW_ITEM-LONGTEXT_(\d+):132\[\]", re.IGNORECASE)
_LONGTEXT_MISNAMED = re.compile(
    r"NEW_ITEM-LONGTEXT_(\d+):132(?:\[\d+\])?|NEW_ITEM-LONGTEXT\[(\d+)\]", re.IGNORECASE
)
_XML_TYPE_NAMES = ("~xml_type", "~xmltype", "xmltype", "~xml-type")


def cart_parse(fields: Iterable[tuple[str, str]], *, decimal_separator: str = ".") -> OciCart:
    """The cart in the fields of a returned OCI form (as `form_fields_decode` gives them).

    Items are keyed by n of `NEW_ITEM-<FIELD>[n]`; gaps are allowed and items come sorted by
    n. Each item's long text joins its `NEW_ITEM-LONGTEXT_n:132[]` values; the misnamed forms
    `NEW_ITEM-LONGTEXT_n:132[k]`, `NEW_ITEM-LONGTEXT_n:132` and `NEW_ITEM-LONGTEXT[n]` are read
    too, with a Problem. unit_price = PRICE / PRICEUNIT, exact when the division terminates,
    else rounded half-up to 10 places. Fields that are not NEW_ITEM ones are kept in
    `other_fields`. When the form carries `~xmlDocument`, the cart is read from that XML
    document instead (see the module docstring).

    Raises OciFormatError when there are no items, an item has neither DESCRIPTION nor PRICE,
    there are more than MAX_ITEMS items, or the XML variant cannot be read;
    ValueError for a decimal separator other than "." or ",".
    """
    _check_separator(decimal_separator)
    received = list(fields)
    for name, value in received:
        if name.strip().lower() == XML_DOCUMENT_FIELD.lower():
            return _xml_cart_from_form(received, name, value, decimal_separator)
    raws: dict[int, _Raw] = {}
    other: list[tuple[str, str]] = []

    def raw_for(index_text: str, name: str) -> _Raw:
        index = int(index_text)
        if index not in raws:
            if len(raws) >= MAX_ITEMS:
                raise OciFormatError(f"the cart has more than {MAX_ITEMS} items", field=name)
            raws[index] = _Raw(index=index, name=_form_field_name(index))
        return raws[index]

    for name, value in received:
        if len(name) > 200:
            other.append((name, value))
            continue
        item = _ITEM_FIELD.fullmatch(name)
        if item is not None and item.group(1).upper() != "LONGTEXT":
            raw = raw_for(item.group(2), name)
            key = item.group(1).upper()
            if key in ITEM_FIELDS:
                raw.put(key, name, value)
            else:
                raw.extra.setdefault(key, value)
        elif match := _LONGTEXT.fullmatch(name):
            raw = raw_for(match.group(1), name)
            raw.longtext.append(value)
        elif match := _LONGTEXT_MISNAMED.fullmatch(name):
            raw = raw_for(match.group(1) or match.group(2), name)
            raw.longtext.append(value)
            raw.problems.append(
                Problem(
                    name,
                    "longtext_name",
                    f"{name} is not the OCI name for a long text; it is read as "
                    f"NEW_ITEM-LONGTEXT_{raw.index}:132[]",
                )
            )
        else:
            other.append((name, value))
            continue
        raw.fields.append((name, value))
    return _cart(raws.values(), decimal_separator, other_fields=other)


# --- the XML variant ------------------------------------------------------------------------

#: OCI field -> (path below Product, attribute or None) in an ESAPO document.
_XML_PATHS: dict[str, tuple[str, str | None]] = {
    "DESCRIPTION": ("Description", None),
    "EXT_PRODUCT_ID": ("CatalogKey", None),
    "MATGROUP": ("ParentCategoryID", None),
    "ATTACHMENT": ("Attachment/URL", None),
    "ATTACHMENT_TITLE": ("Attachment/Description", None),
    "ATTACHMENT_PURPOSE": ("Attachment/Purpose", None),
    "QUANTITY": ("ShoppingBasketItem/Quantity", None),
    "UNIT": ("ShoppingBasketItem/Quantity", "UoM"),
    "PRICE": ("ShoppingBasketItem/NetPrice/Price", None),
    "CURRENCY": ("ShoppingBasketItem/NetPrice/Price", "Currency"),
    "PRICEUNIT": ("ShoppingBasketItem/NetPrice/PriceUnit", None),
    "LEADTIME": ("ShoppingBasketItem/LeadTime", None),
    "EXT_QUOTE_ID": ("ShoppingBasketItem/Quote/QuoteID", None),
    "EXT_QUOTE_ITEM": ("ShoppingBasketItem/Quote/QuoteItemID", None),
}
_XML_KNOWN_CHILDREN = frozenset(
    {
        "ProductID",
        "CatalogKey",
        "ParentCategoryID",
        "Description",
        "Attachment",
        "ShoppingBasketItem",
        "ManufacturerDescription",
        "VendorDescription",
    }
)


def _xml_text(element: safexml.Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _described(product: safexml.Element, tag: str, reference: str | None) -> safexml.Element | None:
    """The Manufacturer/VendorDescription the ShoppingBasketItem refers to, else the first."""
    found = [child for child in product if child.tag == tag]
    for candidate in found:
        if reference is not None and candidate.get("ID") == reference:
            return candidate
    return found[0] if found else None


def _xml_raw(product: safexml.Element, index: int) -> _Raw:
    base = f"~xmlDocument:/BusinessDocument/Catalog/Product[{index}]"

    def name(key: str) -> str:
        path, attribute = _XML_PATHS.get(key, (key, None))
        return f"{base}/{path}" + (f"/@{attribute}" if attribute else "")

    raw = _Raw(index=index, name=name)

    def put(key: str, value: str, where: str) -> None:
        if value.strip():
            raw.put(key, where, value)
            raw.fields.append((where, value))

    for key, (path, attribute) in _XML_PATHS.items():
        element = product.find(path)
        if element is None:
            continue
        value = (element.get(attribute) or "") if attribute else _xml_text(element)
        put(key, value, name(key))
    for product_id in product.findall("ProductID"):
        if (product_id.get("Code") or "").lower() == "buyer":
            put("MATNR", _xml_text(product_id), f"{base}/ProductID")
    basket = product.find("ShoppingBasketItem")
    item_text = basket.find("ItemText") if basket is not None else None
    if item_text is not None and _xml_text(item_text):
        raw.longtext.append(_xml_text(item_text))
        raw.fields.append((f"{base}/ShoppingBasketItem/ItemText", _xml_text(item_text)))
    references = {
        "ManufacturerDescription": basket.get("RefManufacturerDescription")
        if basket is not None
        else None,
        "VendorDescription": basket.get("RefVendorDescription") if basket is not None else None,
    }
    parties = {
        "ManufacturerDescription": ("MANUFACTMAT", "MANUFACTCODE"),
        "VendorDescription": ("VENDORMAT", "VENDOR"),
    }
    for tag, (material, partner) in parties.items():
        party = _described(product, tag, references[tag])
        if party is None:
            continue
        put(material, _xml_text(party.find("PartnerProductID")), f"{base}/{tag}/PartnerProductID")
        put(partner, _xml_text(party.find("PartnerID")), f"{base}/{tag}/PartnerID")
        if tag == "VendorDescription":
            put(
                "CONTRACT",
                _xml_text(party.find("BuyerContract/ContractID")),
                f"{base}/{tag}/BuyerContract/ContractID",
            )
            put(
                "CONTRACT_ITEM",
                _xml_text(party.find("BuyerContract/ContractItemID")),
                f"{base}/{tag}/BuyerContract/ContractItemID",
            )
    product_type = product.get("ProductType") or ""
    if product_type.strip().lower() == "service":
        put("SERVICE", product_type, f"{base}/@ProductType")
    for child in product:
        if isinstance(child.tag, str) and child.tag not in _XML_KNOWN_CHILDREN:
            key = safexml.local_name(child)
            if key.upper() in ITEM_FIELDS:
                put(key.upper(), _xml_text(child), f"{base}/{key}")
            else:
                raw.extra.setdefault(key, _xml_text(child))
    return raw


def cart_xml_parse(
    raw: bytes, *, decimal_separator: str = ".", xml_type: str | None = "ESAPO"
) -> OciCart:
    """The cart in an OCI XML (ESAPO) document, already base64-decoded, read through
    edi.safexml into the same OciCart as the form variant; one item per Product, indexed
    from 1 in document order. Problems name "~xmlDocument:" and the element path.

    Raises OciFormatError when safexml refuses the document, its root is not
    BusinessDocument, it has no Product, or a Product has neither Description nor Price.
    """
    _check_separator(decimal_separator)
    try:
        root = safexml.parse(raw).root
    except safexml.XmlRejectedError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise OciFormatError(
            f"not accepted as XML: {exc.reason}{where}", field=XML_DOCUMENT_FIELD
        ) from exc
    if safexml.local_name(root) != "BusinessDocument":
        raise OciFormatError(
            f"the XML document is a {safexml.local_name(root)}, not an OCI BusinessDocument",
            field=XML_DOCUMENT_FIELD,
        )
    products = root.findall("Catalog/Product")
    if not products:
        raise OciFormatError(
            "the XML document has no Catalog/Product: it is not an OCI cart",
            field=XML_DOCUMENT_FIELD,
        )
    if len(products) > MAX_ITEMS:
        raise OciFormatError(f"the cart has more than {MAX_ITEMS} items", field=XML_DOCUMENT_FIELD)
    raws = [_xml_raw(product, index) for index, product in enumerate(products, start=1)]
    return _cart(raws, decimal_separator, xml_type=xml_type)


def _xml_cart_from_form(
    received: list[tuple[str, str]], name: str, value: str, decimal_separator: str
) -> OciCart:
    compact = re.sub(r"[ \t\r\n]+", "", value)
    if not compact:
        raise OciFormatError("the XML document field is empty", field=name)
    try:
        document = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise OciFormatError(f"the value is not valid base64 ({exc})", field=name) from None
    xml_type = next(
        (
            (field_name, field_value.strip())
            for field_name, field_value in received
            if field_name.strip().lower() in _XML_TYPE_NAMES
        ),
        None,
    )
    problems: list[Problem] = []
    if xml_type is None:
        problems.append(
            Problem(
                "~xml_type",
                "missing",
                "~xml_type missing; the XML document is read as ESAPO",
            )
        )
    elif not xml_type[1].upper().startswith("ESAPO"):
        raise OciFormatError(
            f"the XML type {xml_type[1]!r} is not supported; Rekvi reads ESAPO", field=xml_type[0]
        )
    cart = cart_xml_parse(
        document, decimal_separator=decimal_separator, xml_type=xml_type[1] if xml_type else None
    )
    other = tuple(
        (field_name, field_value)
        for field_name, field_value in received
        if field_name != name and (xml_type is None or field_name != xml_type[0])
    )
    return OciCart(
        items=cart.items,
        problems=tuple(problems) + cart.problems,
        other_fields=other,
        xml_type=cart.xml_type,
    )


__all__ = [
    "DEFAULT_CHARSET",
    "ITEM_FIELDS",
    "MAX_FORM_FIELDS",
    "MAX_ITEMS",
    "OUTBOUND_NAMES",
    "OciCart",
    "OciError",
    "OciFormatError",
    "OciItem",
    "Problem",
    "cart_parse",
    "cart_xml_parse",
    "form_fields_decode",
    "outbound_parameters",
]
