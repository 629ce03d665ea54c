"""SAP OCI 4.0 as the demo supplier speaks it: the outbound parameters it reads when a buyer
sends a person over, and the NEW_ITEM-* fields of the cart it posts back to the HOOK_URL.

Parameter names are read ignoring letter case, with the variants buyers use (HOOKURL, USER,
PASS, OKCODE without the tilde, returntarget). Numbers are written with "." as the decimal
separator and no thousands separator; the long text is cut into values of at most 132
characters, all named NEW_ITEM-LONGTEXT_n:132[].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from demo_supplier.catalogue import Supplier
from demo_supplier.session import Fault, PricedLine, quantity_text

#: The unit written instead of a Rec 20 code in the wrong-unit fault mode.
WRONG_UNIT = "STK"
LONGTEXT_LENGTH = 132

_NAMES = {
    "hook_url": ("hook_url", "hookurl"),
    "username": ("username", "user", "login", "userid"),
    "password": ("password", "pass", "pwd"),
    "ok_code": ("~okcode", "okcode"),
    "target": ("~target", "target", "returntarget"),
    "caller": ("~caller", "caller"),
    "function": ("function",),
    "product_id": ("productid", "product_id"),
    "quantity": ("quantity",),
}
#: The outbound parameters sent back with the cart, unchanged, as OCI asks.
_ECHOED = (("~OkCode", "ok_code"), ("~TARGET", "target"), ("~CALLER", "caller"))


@dataclass(frozen=True)
class OutboundParameters:
    hook_url: str
    username: str
    password: str
    ok_code: str
    target: str
    caller: str
    function: str
    product_id: str
    quantity: str

    @property
    def echoed(self) -> tuple[tuple[str, str], ...]:
        """~OkCode, ~TARGET and ~CALLER as received (those that were sent)."""
        return tuple((name, getattr(self, key)) for name, key in _ECHOED if getattr(self, key))


def outbound_parameters_read(fields: Iterable[tuple[str, str]]) -> OutboundParameters:
    """The OCI parameters among `fields` (name, value), the first of each name winning."""
    values: dict[str, str] = {}
    for name, value in fields:
        values.setdefault(name.strip().lower(), value)

    def pick(key: str, *, strip: bool = True) -> str:
        value = next((values[n] for n in _NAMES[key] if n in values), "")
        return value.strip() if strip else value

    return OutboundParameters(
        hook_url=pick("hook_url"),
        username=pick("username"),
        password=pick("password", strip=False),
        ok_code=pick("ok_code"),
        target=pick("target"),
        caller=pick("caller"),
        function=pick("function").upper(),
        product_id=pick("product_id"),
        quantity=pick("quantity"),
    )


def _longtext(text: str) -> list[str]:
    return [text[start : start + LONGTEXT_LENGTH] for start in range(0, len(text), LONGTEXT_LENGTH)]


def _price(amount: Decimal, fault: Fault) -> str:
    if fault is Fault.MALFORMED_CART:
        return f"{amount:.2f} kr.".replace(".", ",", 1)
    return f"{amount:.2f}"


def cart_fields(
    *,
    supplier: Supplier,
    lines: Sequence[PricedLine],
    fault: Fault,
    echoed: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """The fields of the form that returns `lines` to the HOOK_URL, in order: the echoed
    outbound parameters, then per item n (from 1) DESCRIPTION, MATNR (empty), QUANTITY, UNIT,
    PRICE (for PRICEUNIT units), PRICEUNIT, CURRENCY, LEADTIME, VENDOR, VENDORMAT,
    MANUFACTCODE, MANUFACTMAT, MATGROUP (UNSPSC), EXT_PRODUCT_ID and the long text.

    The fault modes: malformed-cart writes every PRICE as Danish text ("32,50 kr."),
    wrong-unit writes "STK" as every UNIT, missing-priceunit leaves out PRICEUNIT."""
    fields = list(echoed)
    for priced in lines:
        product = priced.product
        n = priced.number

        def put(name: str, value: str, n: int = n) -> None:
            fields.append((f"NEW_ITEM-{name}[{n}]", value))

        put("DESCRIPTION", product.name)
        put("MATNR", "")
        put("QUANTITY", quantity_text(priced.line.quantity))
        put("UNIT", WRONG_UNIT if fault is Fault.WRONG_UNIT else product.unit)
        put("PRICE", _price(product.price, fault))
        if fault is not Fault.MISSING_PRICEUNIT:
            put("PRICEUNIT", str(product.price_unit))
        put("CURRENCY", "DKK")
        put("LEADTIME", str(product.lead_time_days))
        put("VENDOR", supplier.cvr)
        put("VENDORMAT", product.sku)
        put("MANUFACTCODE", product.manufacturer.code)
        put("MANUFACTMAT", product.manufacturer_part_no)
        put("MATGROUP", product.unspsc)
        put("EXT_PRODUCT_ID", product.sku)
        fields.extend(
            (f"NEW_ITEM-LONGTEXT_{n}:132[]", part) for part in _longtext(product.description)
        )
    return fields
