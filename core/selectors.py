"""The kernel's reads: how the background machinery is doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core.models import Heartbeat


@dataclass(frozen=True)
class HeartbeatStatus:
    source: str
    last_seen_at: datetime
    beats: int
    is_stale: bool


def heartbeat_list_status(*, now: datetime | None = None) -> list[HeartbeatStatus]:
    """Every source's last beat, newest first, each marked stale when older than
    HEARTBEAT_STALE_AFTER_SECONDS. Platform data: callers decide who may see source names."""
    moment = now or timezone.now()
    limit = timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS)
    return [
        HeartbeatStatus(
            source=beat.source,
            last_seen_at=beat.last_seen_at,
            beats=beat.beats,
            is_stale=moment - beat.last_seen_at > limit,
        )
        for beat in Heartbeat.objects.order_by("-last_seen_at")
    ]
