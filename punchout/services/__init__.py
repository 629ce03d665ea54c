"""Every write and rule of punch-out: sessions, returned carts, and the supplier self-test."""

from punchout.services.selftest import (
    SelfTestStart,
    punchout_self_test_start,
    self_test_cart_findings,
)
from punchout.services.sessions import (
    PunchoutError,
    PunchoutErrorCode,
    PunchoutStart,
    punchout_cart_discard,
    punchout_cart_receive,
    punchout_cart_take,
    punchout_session_start,
    returned_cart_identity_note,
    returned_line_price_note,
    token_hash,
)

__all__ = [
    "PunchoutError",
    "PunchoutErrorCode",
    "PunchoutStart",
    "SelfTestStart",
    "punchout_cart_discard",
    "punchout_cart_receive",
    "punchout_cart_take",
    "punchout_self_test_start",
    "punchout_session_start",
    "returned_cart_identity_note",
    "returned_line_price_note",
    "self_test_cart_findings",
    "token_hash",
]
