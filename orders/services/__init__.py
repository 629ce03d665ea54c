"""Every write and rule of carts, checkout and approvals."""

from orders.services.approvals import (
    ApprovalError,
    ApprovalErrorCode,
    order_approval_request_notify,
    order_approve,
    order_reject,
    order_send_back,
)
from orders.services.carts import (
    MAX_QUANTITY,
    CartError,
    CartErrorCode,
    CheckoutChoices,
    cart_checkout,
    cart_get_for,
    cart_line_add,
    cart_line_quantity_set,
    cart_line_remove,
    quantity_clean,
)

__all__ = [
    "MAX_QUANTITY",
    "ApprovalError",
    "ApprovalErrorCode",
    "CartError",
    "CartErrorCode",
    "CheckoutChoices",
    "cart_checkout",
    "cart_get_for",
    "cart_line_add",
    "cart_line_quantity_set",
    "cart_line_remove",
    "order_approval_request_notify",
    "order_approve",
    "order_reject",
    "order_send_back",
    "quantity_clean",
]
