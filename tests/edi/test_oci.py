"""SAP OCI punch-out, buyer side: the outbound parameters, the returned form decoded in the
right character set, and the cart read from it (form and XML variants) with every problem
named by its field."""

from __future__ import annotations

import base64
import os
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from edi import oci, units
from tests.conftest import SampleLoader

MALFORMED = Path(__file__).resolve().parent.parent / "fixtures" / "rekvi_punchout"
EXTERNAL_CORPUS = os.environ.get("REKVI_SAMPLE_CORPUS", "")
FORM = "application/x-www-form-urlencoded"
REAL_WORLD = "oci/oci_return_real_world_meplato.html"
EXTENSIONS = "oci/oci_return_extensions_meplato.html"


class _FormInputs(HTMLParser):
    """The named <input> fields inside <form> elements, in document order: what a browser
    posts for a form of hidden fields."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self._forms += 1
        elif tag == "input" and self._forms:
            values = dict(attrs)
            if values.get("name") and (values.get("type") or "text") != "submit":
                self.fields.append((values["name"] or "", values.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._forms:
            self._forms -= 1


def browser_post(page: bytes) -> bytes:
    """The body a browser posts for the page's form (accept-charset UTF-8)."""
    parser = _FormInputs()
    parser.feed(page.decode("utf-8"))
    return urlencode(parser.fields, encoding="utf-8").encode("ascii")


def returned_cart(page: bytes) -> oci.OciCart:
    return oci.cart_parse(oci.form_fields_decode(browser_post(page), FORM))


def fields(**items: dict[str, str]) -> list[tuple[str, str]]:
    """NEW_ITEM fields: fields(_1={"DESCRIPTION": "x"}) -> [("NEW_ITEM-DESCRIPTION[1]", "x")]."""
    return [
        (f"NEW_ITEM-{name}[{index.lstrip('_')}]", value)
        for index, values in items.items()
        for name, value in values.items()
    ]


COMPLETE = {
    "DESCRIPTION": "Kuglepen, blå",
    "QUANTITY": "2",
    "UNIT": "EA",
    "PRICE": "4.50",
    "PRICEUNIT": "1",
    "CURRENCY": "DKK",
}


# --- outbound -------------------------------------------------------------------------------


def test_outbound_parameters_default_to_the_oci_values_in_order() -> None:
    assert oci.outbound_parameters(
        hook_url="https://rekvi.testby.dk/punchout/oci/tok-123", username="testby", password="pw"
    ) == [
        ("HOOK_URL", "https://rekvi.testby.dk/punchout/oci/tok-123"),
        ("~OkCode", "ADDI"),
        ("~TARGET", "_top"),
        ("~CALLER", "CTLG"),
        ("USERNAME", "testby"),
        ("PASSWORD", "pw"),
    ]


def test_outbound_parameters_are_renamed_per_supplier_and_extended() -> None:
    parameters = oci.outbound_parameters(
        hook_url="https://rekvi.testby.dk/h",
        username="u",
        password="p",
        function="DETAIL",
        names={"USERNAME": "user", "password": "pass"},
        extra={"OCI_VERSION": "4.0", "http_content_charset": "UTF-8", "PRODUCTID": "KP-100"},
    )
    assert parameters == [
        ("HOOK_URL", "https://rekvi.testby.dk/h"),
        ("~OkCode", "ADDI"),
        ("~TARGET", "_top"),
        ("~CALLER", "CTLG"),
        ("user", "u"),
        ("pass", "p"),
        ("FUNCTION", "DETAIL"),
        ("OCI_VERSION", "4.0"),
        ("http_content_charset", "UTF-8"),
        ("PRODUCTID", "KP-100"),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"hook_url": "javascript:alert(1)"}, "the HOOK_URL must be an http"),
        ({"names": {"LOGIN": "user"}}, "'LOGIN' is not an OCI outbound parameter"),
        ({"extra": {"username": "again"}}, "the extra parameter 'username' repeats one"),
    ],
)
def test_outbound_parameters_refuse_a_wrong_configuration(
    arguments: dict[str, object], message: str
) -> None:
    base: dict[str, object] = {"hook_url": "https://x.dk/h", "username": "u", "password": "p"}
    with pytest.raises(ValueError, match=message):
        oci.outbound_parameters(**{**base, **arguments})  # type: ignore[arg-type]


# --- decoding the posted form ---------------------------------------------------------------


def test_a_form_without_charset_is_read_as_utf8_when_it_is_utf8() -> None:
    body = b"NEW_ITEM-DESCRIPTION%5B1%5D=Kuglepen+bl%C3%A5&empty=&flag&a=1+%2B+1"
    assert oci.form_fields_decode(body, FORM) == [
        ("NEW_ITEM-DESCRIPTION[1]", "Kuglepen blå"),
        ("empty", ""),
        ("flag", ""),
        ("a", "1 + 1"),
    ]


def test_a_form_without_charset_falls_back_to_latin1_as_oci_says() -> None:
    body = (MALFORMED / "oci_body_latin1.txt").read_bytes().strip()
    decoded = oci.form_fields_decode(body, "application/x-www-form-urlencoded")
    assert decoded[0] == ("NEW_ITEM-DESCRIPTION[1]", "Kuglepen blå")
    assert len(decoded) == 6


def test_a_declared_charset_is_used() -> None:
    body = b"NEW_ITEM-DESCRIPTION%5B1%5D=%E6bler&x=%80"
    assert oci.form_fields_decode(body, f"{FORM}; charset=windows-1252") == [
        ("NEW_ITEM-DESCRIPTION[1]", "æbler"),
        ("x", "€"),
    ]


def test_bytes_invalid_in_the_declared_charset_are_refused_naming_the_field() -> None:
    body = (MALFORMED / "oci_body_latin1.txt").read_bytes().strip()
    with pytest.raises(oci.OciFormatError) as caught:
        oci.form_fields_decode(body, f'{FORM}; charset="UTF-8"')
    assert caught.value.field == "NEW_ITEM-DESCRIPTION[1]"
    assert str(caught.value) == (
        "NEW_ITEM-DESCRIPTION[1]: the value is not valid utf-8 (byte 0xe5 at position 11)"
    )


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("multipart/form-data; boundary=x", "the cart was posted as multipart/form-data"),
        (f"{FORM}; charset=klingon-8", "the request names an unknown charset 'klingon-8'"),
    ],
)
def test_a_body_that_is_not_a_readable_form_is_refused(content_type: str, message: str) -> None:
    with pytest.raises(oci.OciFormatError, match=message):
        oci.form_fields_decode(b"a=1", content_type)


# --- the captured real-world carts ----------------------------------------------------------


def test_the_real_world_cart_is_read_exactly(sample: SampleLoader) -> None:
    # when
    cart = returned_cart(sample(REAL_WORLD))
    # then
    assert len(cart.items) == 10
    assert [item.index for item in cart.items] == list(range(1, 11))
    first = cart.items[0]
    assert first.description == (
        "MantisRegistered Elite Stereo-Betrachtungssystem mit Universalständer... E"
    )
    assert first.price == Decimal("1730.900")
    assert first.price_unit == Decimal("1.0")
    assert first.unit_price == Decimal("1730.90")
    assert first.quantity == Decimal("1.0")
    assert (first.unit_raw, first.unit, first.currency) == ("PCE", None, "EUR")
    assert (first.lead_time, first.manufact_mat, first.ext_product_id) == (1, "491901E", "491901E")
    assert first.longtext == (
        "Klare, verzerrungsfreie, dreidimensionale, farb- und lagerichtige Vergrößerung nach "
        "patentiertem Verfahren. Betrachtungsschirm anstelle von Okularen ermöglicht "
        "ermüdungsfreie, ergonomische Inspektion wie bei Großfeldlupen. Die Augen müssen beim "
        "Betrachten des Werkstückes nicht umfokussieren, wenn zum Betrachtungsschirm gewechselt "
        "wird. Elite Projektionskopf mit Quick Change Objektivwechsler für 2 Objektive und "
        "excellenter optischer Performance. Universalständer mit Tischbefestigung LED "
        "Beleuchtung, Netzteil und Staubschutzhülle (ohne Objektive)."
    )
    assert first.problems == (
        oci.Problem(
            "NEW_ITEM-UNIT[1]",
            "unit_not_rec20",
            "unit 'PCE' is not UN/ECE Rec 20 — did you mean H87/EA?",
        ),
    )
    assert dict(first.extra) == {}
    assert first.fields[:3] == (
        ("NEW_ITEM-DESCRIPTION[1]", first.description),
        ("NEW_ITEM-QUANTITY[1]", "1.0"),
        ("NEW_ITEM-UNIT[1]", "PCE"),
    )
    # a long text with a line break in it keeps it
    assert cart.items[7].longtext.endswith(
        "Größe: 24 x 32,7 cm (B x H).\n              • Material: Karton • Verschluß: "
        "Eckspanngummi • Format: A4"
    )
    fourth = cart.items[3]
    assert (fourth.description, fourth.unit_raw, fourth.unit_price) == (
        "Beschriftungsstreifen-Set 10-teilig 27E",
        "PA",
        Decimal("4.76"),
    )
    assert fourth.problems[0].message == "unit 'PA' is not UN/ECE Rec 20 — did you mean PK?"
    assert [item.unit_price for item in cart.items][-3:] == [
        Decimal("12.68"),
        Decimal("12.68"),
        Decimal("11.87"),
    ]
    # the form's other fields are kept as received
    assert cart.other_fields == (
        ("_snowman", "☃"),
        ("authenticity_token", "lmdtcyjCw2yb9+mcwnhPSKGO2+4h48SiypwW6WS1cAY="),
        ("HEADER-PAGE", "1"),
        ("HEADER-PER_PAGE", "10"),
        ("HEADER-TOTAL_PAGES", "109"),
        ("HEADER-TOTAL_RESULTS", "1081"),
    )
    assert len(cart.problems) == 10  # one unit problem per item
    assert cart.xml_type is None


def test_the_cart_with_vendor_extensions_keeps_them_per_item(sample: SampleLoader) -> None:
    cart = returned_cart(sample(EXTENSIONS))
    assert len(cart.items) == 10
    first, last = cart.items[0], cart.items[-1]
    assert (first.description, first.price, first.currency) == (
        "MantisRegistered Elite Stereo-Betrachtungssystem mit Universalständer... E",
        Decimal("1730.900"),
        "EUR",
    )
    assert dict(first.extra) == {
        "MPS_SAGE_NUMBER": "80222",
        "MPS_SAGE_CONTRACT": "AA03",
        "CUST_FIELD30": "30th cust field with up to 100 characters",
        "TAX_RATE": "0.19",
        "TAX_CODE": "V19",
        "SOLD_BY": "Seller 1",
        "FULFILLED_BY": "Fulfiller 1",
    }
    assert first.cust_fields == ("", "", "", "", "")
    assert last.extra["CUST_FIELD50"] == "50th cust field with up to 100 characters"
    assert last.extra["SOLD_BY"] == "Seller 10"
    assert (last.description, last.unit_price) == (
        "Ordnungsmappe Ordonator, A4, 12 Fächer, schwarz",
        Decimal("11.87"),
    )


# --- problems, field by field ----------------------------------------------------------------


def test_items_are_keyed_by_index_with_gaps_and_sorted() -> None:
    cart = oci.cart_parse(
        fields(_5={**COMPLETE, "DESCRIPTION": "five"})
        + fields(_1={**COMPLETE, "DESCRIPTION": "one"})
        + fields(_2={**COMPLETE, "DESCRIPTION": "two"})
    )
    assert [(item.index, item.description) for item in cart.items] == [
        (1, "one"),
        (2, "two"),
        (5, "five"),
    ]
    assert cart.problems == ()


def test_a_missing_price_unit_counts_as_one_and_is_a_problem() -> None:
    values = {key: value for key, value in COMPLETE.items() if key != "PRICEUNIT"}
    cart = oci.cart_parse(fields(_1=COMPLETE, _2=values))
    second = cart.items[1]
    assert (second.price_unit, second.unit_price) == (Decimal(1), Decimal("4.50"))
    assert cart.problems == (
        oci.Problem(
            "NEW_ITEM-PRICEUNIT[2]",
            "priceunit_missing",
            "PRICEUNIT missing; the price is taken to be for 1 unit",
        ),
    )


def test_the_unit_price_is_the_price_divided_by_the_price_unit() -> None:
    cart = oci.cart_parse(
        fields(
            _1={**COMPLETE, "PRICE": "0.50", "PRICEUNIT": "5"},
            _2={**COMPLETE, "PRICE": "5.00", "PRICEUNIT": "1000"},
            _3={**COMPLETE, "PRICE": "10", "PRICEUNIT": "3"},
        )
    )
    assert [item.unit_price for item in cart.items] == [
        Decimal("0.1"),
        Decimal("0.005"),
        Decimal("3.3333333333"),
    ]
    assert [item.price for item in cart.items] == [Decimal("0.50"), Decimal("5.00"), Decimal(10)]


def test_danish_numbers_are_read_with_a_comma_separator() -> None:
    cart = oci.cart_parse(
        fields(_1={**COMPLETE, "PRICE": "1.234,50", "QUANTITY": "2,5", "PRICEUNIT": "1"}),
        decimal_separator=",",
    )
    item = cart.items[0]
    assert (item.price, item.quantity, item.unit_price) == (
        Decimal("1234.50"),
        Decimal("2.5"),
        Decimal("1234.50"),
    )
    assert cart.problems == ()


@pytest.mark.parametrize(
    ("values", "separator", "problem"),
    [
        (
            {"PRICE": "12,5x"},
            ".",
            oci.Problem(
                "NEW_ITEM-PRICE[1]",
                "not_a_number",
                "price '12,5x' is not a number (the decimal separator for this supplier is '.')",
            ),
        ),
        (
            {"PRICE": "1,234.50"},
            ".",
            oci.Problem(
                "NEW_ITEM-PRICE[1]",
                "not_a_number",
                "price '1,234.50' is not a number (the decimal separator for this supplier is '.')",
            ),
        ),
        (
            {"PRICE": "1730.900"},
            ",",
            oci.Problem(
                "NEW_ITEM-PRICE[1]",
                "not_a_number",
                "price '1730.900' is not a number (the decimal separator for this supplier is ',')",
            ),
        ),
        (
            {"QUANTITY": "0"},
            ".",
            oci.Problem("NEW_ITEM-QUANTITY[1]", "not_positive", "quantity must be more than 0"),
        ),
        (
            {"QUANTITY": "-1"},
            ".",
            oci.Problem("NEW_ITEM-QUANTITY[1]", "not_positive", "quantity must be more than 0"),
        ),
        (
            {"UNIT": "STK"},
            ".",
            oci.Problem(
                "NEW_ITEM-UNIT[1]",
                "unit_not_rec20",
                "unit 'STK' is UN/ECE Rec 20 for 'stick, cigarette', not a unit Rekvi orders in "
                "— did you mean H87/EA?",
            ),
        ),
        ({"UNIT": ""}, ".", oci.Problem("NEW_ITEM-UNIT[1]", "unit_missing", "UNIT missing")),
        (
            {"PRICEUNIT": "0"},
            ".",
            oci.Problem("NEW_ITEM-PRICEUNIT[1]", "not_positive", "price unit must be more than 0"),
        ),
        (
            {"CURRENCY": ""},
            ".",
            oci.Problem("NEW_ITEM-CURRENCY[1]", "missing", "CURRENCY missing"),
        ),
        (
            {"PRICE": "-3"},
            ".",
            oci.Problem("NEW_ITEM-PRICE[1]", "negative", "price must not be negative"),
        ),
        (
            {"LEADTIME": "3 dage"},
            ".",
            oci.Problem(
                "NEW_ITEM-LEADTIME[1]",
                "not_a_number",
                "lead time '3 dage' is not a whole number of days",
            ),
        ),
        (
            {"DESCRIPTION": ""},
            ".",
            oci.Problem("NEW_ITEM-DESCRIPTION[1]", "missing", "DESCRIPTION missing"),
        ),
    ],
)
def test_a_bad_field_is_a_problem_naming_it_and_the_item_is_kept(
    values: dict[str, str], separator: str, problem: oci.Problem
) -> None:
    cart = oci.cart_parse(fields(_1={**COMPLETE, **values}), decimal_separator=separator)
    assert len(cart.items) == 1
    assert cart.problems == (problem,)
    assert cart.items[0].problems == (problem,)


def test_a_value_that_is_not_a_number_leaves_the_number_empty() -> None:
    item = oci.cart_parse(fields(_1={**COMPLETE, "PRICE": "12,5x"})).items[0]
    assert (item.price, item.unit_price, item.quantity) == (None, None, Decimal(2))


def test_long_texts_are_joined_and_misnamed_ones_are_read_with_a_problem() -> None:
    cart = oci.cart_parse(
        [
            *fields(_1=COMPLETE, _2=COMPLETE),
            ("NEW_ITEM-LONGTEXT_1:132[]", "Første del, "),
            ("NEW_ITEM-LONGTEXT_1:132[]", "anden del."),
            ("NEW_ITEM-LONGTEXT[2]", "Forkert navn."),
        ]
    )
    assert cart.items[0].longtext == "Første del, anden del."
    assert cart.items[1].longtext == "Forkert navn."
    assert cart.problems == (
        oci.Problem(
            "NEW_ITEM-LONGTEXT[2]",
            "longtext_name",
            "NEW_ITEM-LONGTEXT[2] is not the OCI name for a long text; it is read as "
            "NEW_ITEM-LONGTEXT_2:132[]",
        ),
    )


def test_every_oci_field_is_read() -> None:
    values = {
        **COMPLETE,
        "MATNR": "4711",
        "LEADTIME": "3",
        "VENDOR": "100042",
        "VENDORMAT": "KP-100",
        "MANUFACTCODE": "BIC",
        "MANUFACTMAT": "8373",
        "MATGROUP": "44121704",
        "SERVICE": "X",
        "CONTRACT": "SKI-50.10",
        "CONTRACT_ITEM": "17",
        "EXT_QUOTE_ID": "Q-1",
        "EXT_QUOTE_ITEM": "2",
        "EXT_PRODUCT_ID": "KP-100-B",
        "EXT_SCHEMA_TYPE": "UNSPSC",
        "EXT_CATEGORY_ID": "44121704",
        "EXT_CATEGORY": "Kuglepenne",
        "SLD_SYS_NAME": "SRM_100",
        "CUST_FIELD1": "c1",
        "CUST_FIELD2": "c2",
        "CUST_FIELD3": "c3",
        "CUST_FIELD4": "c4",
        "CUST_FIELD5": "c5",
        "PARENT_ID": "0",
        "ITEM_TYPE": "R",
        "ATTACHMENT": "https://shop.example.dk/kp.pdf",
        "ATTACHMENT_TITLE": "Datablad",
        "ATTACHMENT_PURPOSE": "C",
    }
    item = oci.cart_parse(fields(_1=values)).items[0]
    assert (item.matnr, item.lead_time, item.vendor, item.vendor_mat) == (
        "4711",
        3,
        "100042",
        "KP-100",
    )
    assert (item.manufact_code, item.manufact_mat, item.mat_group, item.service) == (
        "BIC",
        "8373",
        "44121704",
        "X",
    )
    assert (item.contract, item.contract_item, item.ext_quote_id, item.ext_quote_item) == (
        "SKI-50.10",
        "17",
        "Q-1",
        "2",
    )
    assert (item.ext_product_id, item.ext_schema_type, item.ext_category_id) == (
        "KP-100-B",
        "UNSPSC",
        "44121704",
    )
    assert (item.ext_category, item.sld_sys_name, item.parent_id, item.item_type) == (
        "Kuglepenne",
        "SRM_100",
        "0",
        "R",
    )
    assert item.cust_fields == ("c1", "c2", "c3", "c4", "c5")
    assert (item.attachment, item.attachment_title, item.attachment_purpose) == (
        "https://shop.example.dk/kp.pdf",
        "Datablad",
        "C",
    )
    assert (item.unit, item.quantity, item.unit_price) == ("EA", Decimal(2), Decimal("4.50"))
    assert item.problems == ()


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ({"EXT_SCHEMA_TYPE": "UNSPSC", "EXT_CATEGORY_ID": "50202201"}, "50202201"),
        ({"EXT_SCHEMA_TYPE": "unspsc v14", "EXT_CATEGORY_ID": "50.20.22.01"}, "50202201"),
        (
            {"EXT_SCHEMA_TYPE": "UNSPSC", "EXT_CATEGORY_ID": "50202201", "MATGROUP": "VIN"},
            "50202201",
        ),
        ({"EXT_SCHEMA_TYPE": "ECLASS", "EXT_CATEGORY_ID": "16-01-02-03"}, ""),
        ({"EXT_SCHEMA_TYPE": "ECLASS", "EXT_CATEGORY_ID": "1", "MATGROUP": "44121704"}, "44121704"),
        ({"EXT_CATEGORY_ID": "50202201"}, ""),
        ({"MATGROUP": "44121704"}, "44121704"),
        ({}, ""),
    ],
)
def test_the_unspsc_code_is_read_from_the_category_when_its_schema_is_unspsc(
    category: dict[str, str], expected: str
) -> None:
    item = oci.cart_parse(fields(_1={**COMPLETE, **category})).items[0]
    assert item.unspsc == expected


def test_a_field_sent_twice_keeps_the_first_value_and_says_so() -> None:
    cart = oci.cart_parse([*fields(_1=COMPLETE), ("NEW_ITEM-PRICE[1]", "999")])
    assert cart.items[0].price == Decimal("4.50")
    assert cart.problems == (
        oci.Problem(
            "NEW_ITEM-PRICE[1]",
            "duplicate_field",
            "NEW_ITEM-PRICE[1] appears more than once; the first value is used",
        ),
    )


def test_a_form_without_items_is_not_a_cart() -> None:
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse([("~OkCode", "ADDI"), ("HEADER-PAGE", "1")])
    assert str(caught.value) == "the form has no NEW_ITEM fields: it is not an OCI cart"


def test_an_item_with_neither_description_nor_price_is_refused_naming_the_field() -> None:
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse(fields(_1=COMPLETE, _2={"QUANTITY": "1", "UNIT": "EA"}))
    assert caught.value.field == "NEW_ITEM-DESCRIPTION[2]"
    assert str(caught.value) == (
        "NEW_ITEM-DESCRIPTION[2]: item 2 has neither a description nor a price"
    )


def test_an_unknown_decimal_separator_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"the decimal separator is '\.' or ','"):
        oci.cart_parse(fields(_1=COMPLETE), decimal_separator=" ")


# --- the XML variant ------------------------------------------------------------------------


def esapo_form(xml_type_name: str = "~xml_type", xml_type: str = "ESAPO") -> list[tuple[str, str]]:
    document = (MALFORMED / "oci_esapo_cart.xml").read_bytes()
    return [
        ("~xmlDocument", base64.b64encode(document).decode("ascii")),
        (xml_type_name, xml_type),
        ("~OkCode", "ADDI"),
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [("~xml_type", "ESAPO"), ("~XML_TYPE", "ESAPO-3.5"), ("~xmlType", "ESAPO-V1.0")],
)
def test_the_xml_variant_is_read_into_the_same_cart(name: str, value: str) -> None:
    cart = oci.cart_parse(esapo_form(name, value))
    assert cart.xml_type == value
    assert len(cart.items) == 2
    first, second = cart.items
    assert (first.index, first.description, first.ext_product_id, first.mat_group) == (
        1,
        "Kuglepen, blå, 10 stk.",
        "KP-100",
        "44121704",
    )
    assert (first.quantity, first.unit_raw, first.unit) == (Decimal(12), "PK", "PK")
    assert (first.price, first.price_unit, first.unit_price, first.currency) == (
        Decimal("45.00"),
        Decimal(10),
        Decimal("4.50"),
        "DKK",
    )
    assert (first.lead_time, first.longtext) == (2, "Kuglepen med blåt blæk. Pakke med 10 stk.")
    assert (first.vendor, first.vendor_mat, first.contract, first.contract_item) == (
        "100042",
        "KP-100",
        "SKI-50.10",
        "17",
    )
    assert (first.manufact_code, first.manufact_mat) == ("BIC", "BIC-8373")
    assert (first.attachment, first.attachment_title, first.attachment_purpose) == (
        "https://shop.example.dk/img/kp-100.jpg",
        "Billede",
        "C",
    )
    assert first.cust_fields[0] == "K1"
    assert dict(first.extra) == {"TAX_CODE": "V25"}
    assert first.problems == ()
    assert (second.matnr, second.service, second.ext_quote_id, second.ext_quote_item) == (
        "4711",
        "Service",
        "Q-9",
        "1",
    )
    assert (second.quantity, second.unit_price) == (Decimal("1.5"), Decimal("600.00"))
    product = "~xmlDocument:/BusinessDocument/Catalog/Product[2]"
    assert cart.problems == (
        oci.Problem(
            f"{product}/ShoppingBasketItem/NetPrice/PriceUnit",
            "priceunit_missing",
            "PRICEUNIT missing; the price is taken to be for 1 unit",
        ),
        oci.Problem(
            f"{product}/ShoppingBasketItem/Quantity/@UoM",
            "unit_not_rec20",
            "unit 'STK' is UN/ECE Rec 20 for 'stick, cigarette', not a unit Rekvi orders in — "
            "did you mean H87/EA?",
        ),
    )
    assert cart.other_fields == (("~OkCode", "ADDI"),)


def test_an_xml_cart_without_its_type_is_read_as_esapo_with_a_problem() -> None:
    form = [pair for pair in esapo_form() if pair[0] != "~xml_type"]
    cart = oci.cart_parse(form)
    assert cart.problems[0] == oci.Problem(
        "~xml_type", "missing", "~xml_type missing; the XML document is read as ESAPO"
    )
    assert len(cart.items) == 2


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (esapo_form(xml_type="cXML"), "~xml_type: the XML type 'cXML' is not supported"),
        (
            [("~xmlDocument", base64.b64encode(b"<Catalog/>").decode())],
            "~xmlDocument: the XML document is a Catalog, not an OCI BusinessDocument",
        ),
        (
            [("~xmlDocument", base64.b64encode(b"<BusinessDocument/>").decode())],
            "~xmlDocument: the XML document has no Catalog/Product",
        ),
        ([("~xmlDocument", "")], "~xmlDocument: the XML document field is empty"),
    ],
)
def test_an_xml_cart_that_cannot_be_read_is_refused(
    form: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(oci.OciFormatError) as caught:
        oci.cart_parse(form)
    assert str(caught.value).startswith(message)


# --- unit suggestions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "suggestions"),
    [
        ("STK", ("H87", "EA")),
        ("st", ("H87", "EA")),
        ("PCS", ("H87", "EA")),
        ("PCE", ("H87", "EA")),
        ("KG", ("KGM",)),
        ("L", ("LTR",)),
        ("M", ("MTR",)),
        ("PAK", ("PK",)),
        ("EA", ()),
        ("QQQ", ()),
    ],
)
def test_units_that_are_not_rec20_get_a_suggestion(code: str, suggestions: tuple[str, ...]) -> None:
    assert units.unit_suggest(code) == suggestions


def test_the_unit_problem_text_says_what_to_use() -> None:
    assert units.unit_problem("EA") is None
    assert units.unit_problem("kgm") is None
    assert units.unit_problem("STK") == (
        "unit 'STK' is UN/ECE Rec 20 for 'stick, cigarette', not a unit Rekvi orders in — did you "
        "mean H87/EA?"
    )
    assert units.unit_problem("KG") == "unit 'KG' is not UN/ECE Rec 20 — did you mean KGM?"
    assert units.unit_problem("QQQ") == (
        "unit 'QQQ' is not UN/ECE Rec 20, and no likely Rec 20 code is known for it"
    )
    assert units.unit_problem(" ") == "the unit is missing"
    assert units.is_known("STK") is False  # a suggestion never makes a code known


def test_every_oci_page_in_an_external_corpus_is_read() -> None:
    if not EXTERNAL_CORPUS:
        pytest.skip("REKVI_SAMPLE_CORPUS is not set: only the project's own samples are read")
    pages = sorted((Path(EXTERNAL_CORPUS) / "oci").glob("*.html"))
    assert pages
    for page in pages:
        assert returned_cart(page.read_bytes()).items, page.name


def test_a_form_in_a_charset_that_cannot_write_a_form_is_refused_by_name() -> None:
    body = "NEW_ITEM-DESCRIPTION[1]=Mel".encode("utf-16")
    with pytest.raises(oci.OciFormatError) as refused:
        oci.form_fields_decode(body, "application/x-www-form-urlencoded; charset=UTF-16")
    assert str(refused.value) == (
        "a form cannot be written in utf-16, whose & and = are not single bytes; "
        "post it as UTF-8 or ISO-8859-1"
    )


def test_a_nul_character_in_a_field_is_refused_naming_the_field() -> None:
    body = b"NEW_ITEM-VENDORMAT[1]=F-1&NEW_ITEM-DESCRIPTION[1]=Mel%00, 2 kg"
    with pytest.raises(oci.OciFormatError) as refused:
        oci.form_fields_decode(body, "application/x-www-form-urlencoded")
    assert (refused.value.field, str(refused.value)) == (
        "NEW_ITEM-DESCRIPTION[1]",
        "NEW_ITEM-DESCRIPTION[1]: field 2 holds a NUL character (byte 0x00), which is not text",
    )
