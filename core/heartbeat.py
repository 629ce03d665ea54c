"""Heartbeats: proof that the background machinery (worker, beat, run_periodic) is alive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from core.models import Heartbeat


def heartbeat_record(*, source: str) -> Heartbeat:
    """Record that `source` is alive now. Safe to run concurrently."""
    name = source[: Heartbeat._meta.get_field("source").max_length]
    now = timezone.now()
    heartbeat, created = Heartbeat.objects.get_or_create(
        source=name, defaults={"last_seen_at": now, "beats": 1}
    )
    if not created:
        Heartbeat.objects.filter(pk=heartbeat.pk).update(last_seen_at=now, beats=F("beats") + 1)
        heartbeat.refresh_from_db()
    return heartbeat


@dataclass(frozen=True)
class HeartbeatStatus:
    source: str
    last_seen_at: datetime
    beats: int
    is_stale: bool


def heartbeat_list_status(*, now: datetime | None = None) -> list[HeartbeatStatus]:
    """Every source's last beat, newest first, each marked stale when it is too old."""
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
