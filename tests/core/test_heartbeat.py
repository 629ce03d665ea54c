from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.models import Heartbeat
from core.selectors import heartbeat_list_status
from core.services import heartbeat_record
from core.tasks import heartbeat_record_task
from core.transactions import enqueue_after_commit

pytestmark = pytest.mark.django_db


def test_a_heartbeat_counts_beats_of_one_source() -> None:
    heartbeat_record(source="celery@worker-1")
    heartbeat_record(source="celery@worker-1")
    beat = Heartbeat.objects.get(source="celery@worker-1")
    assert beat.beats == 2
    assert Heartbeat.objects.count() == 1


def test_a_source_not_heard_from_is_stale(settings: Any) -> None:
    settings.HEARTBEAT_STALE_AFTER_SECONDS = 180
    with time_machine.travel("2026-11-26 10:00:00+00:00", tick=False):
        heartbeat_record(source="celery@old")
    with time_machine.travel("2026-11-26 10:02:00+00:00", tick=False):
        heartbeat_record(source="celery@fresh")
        statuses = heartbeat_list_status()
    assert [(s.source, s.is_stale) for s in statuses] == [
        ("celery@fresh", False),
        ("celery@old", False),
    ]
    later = timezone.now() + timedelta(days=1)
    assert all(status.is_stale for status in heartbeat_list_status(now=later))


def test_a_source_is_stale_only_after_the_limit(settings: Any) -> None:
    settings.HEARTBEAT_STALE_AFTER_SECONDS = 180
    with time_machine.travel("2026-11-26 10:00:00+00:00", tick=False):
        beat = heartbeat_record(source="celery@edge")
    at_limit = beat.last_seen_at + timedelta(seconds=180)
    [status] = heartbeat_list_status(now=at_limit)
    assert status.is_stale is False
    [status] = heartbeat_list_status(now=at_limit + timedelta(microseconds=1))
    assert status.is_stale is True


def test_run_periodic_runs_the_beat_schedule_inline(capsys: Any) -> None:
    call_command("run_periodic")
    beat = Heartbeat.objects.get()
    assert beat.source == f"inline@{socket.gethostname()}"
    assert beat.beats == 1
    assert "core.heartbeat_record: ok" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_work_enqueued_in_a_rolled_back_transaction_never_runs() -> None:
    class AbortError(Exception):
        pass

    def enqueue_then_fail() -> None:
        with transaction.atomic():
            enqueue_after_commit(heartbeat_record_task)
            raise AbortError

    with pytest.raises(AbortError):
        enqueue_then_fail()
    assert Heartbeat.objects.count() == 0
    with transaction.atomic():
        enqueue_after_commit(heartbeat_record_task)
        assert Heartbeat.objects.count() == 0  # not before the commit
    assert Heartbeat.objects.count() == 1
