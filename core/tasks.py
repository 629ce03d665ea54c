"""Celery entry points of the kernel."""

from __future__ import annotations

import socket
from typing import Any

from celery import shared_task


@shared_task(bind=True, name="core.heartbeat_record")
def heartbeat_record_task(self: Any) -> None:
    from core.services import heartbeat_record

    # A worker reports its node name ("celery@host"); inline runs (eager, run_periodic) the host.
    if self.request.is_eager or not self.request.hostname:
        source = f"inline@{socket.gethostname()}"
    else:
        source = str(self.request.hostname)
    heartbeat_record(source=source)
