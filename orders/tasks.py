"""Celery entry points of orders."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="orders.order_approval_request_notify",
    autoretry_for=(OSError,),
    retry_backoff=60,
    max_retries=10,
)
def order_approval_request_notify_task(order_id: int) -> int:
    """Tell the approvers an order waits for them (retried while the mail server is away)."""
    from orders.services.approvals import order_approval_request_notify

    return order_approval_request_notify(order_id=order_id)
