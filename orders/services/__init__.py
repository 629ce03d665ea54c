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
from orders.services.favourites import (
    ToCartOutcome,
    favourite_line_add,
    favourite_line_quantity_set,
    favourite_line_remove,
    favourite_list_create,
    favourite_list_may_edit,
    favourite_list_to_cart,
    order_reorder,
)

__all__ = [
    "MAX_QUANTITY",
    "ApprovalError",
    "ApprovalErrorCode",
    "CartError",
    "CartErrorCode",
    "CheckoutChoices",
    "ToCartOutcome",
    "cart_checkout",
    "cart_get_for",
    "cart_line_add",
    "cart_line_quantity_set",
    "cart_line_remove",
    "favourite_line_add",
    "favourite_line_quantity_set",
    "favourite_line_remove",
    "favourite_list_create",
    "favourite_list_may_edit",
    "favourite_list_to_cart",
    "order_approval_request_notify",
    "order_approve",
    "order_reject",
    "order_reorder",
    "order_send_back",
    "quantity_clean",
]
