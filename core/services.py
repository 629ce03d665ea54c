"""The kernel's writes: heartbeats, proof that the background machinery is alive."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from core.models import Heartbeat


def heartbeat_record(*, source: str) -> Heartbeat:
    """Record that `source` (a worker's node name, or an inline run) is alive now.

    Safe to run concurrently: the first beat is created under a unique source, later beats are
    counted with a conditional update.
    """
    name = source[: Heartbeat._meta.get_field("source").max_length]
    now = timezone.now()
    heartbeat, created = Heartbeat.objects.get_or_create(
        source=name, defaults={"last_seen_at": now, "beats": 1}
    )
    if not created:
        Heartbeat.objects.filter(pk=heartbeat.pk).update(last_seen_at=now, beats=F("beats") + 1)
        heartbeat.refresh_from_db()
    return heartbeat
