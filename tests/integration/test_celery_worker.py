from __future__ import annotations

import time

import pytest
from django.db import transaction

from core.models import Heartbeat
from core.tasks import heartbeat_record_task
from core.transactions import enqueue_after_commit
from tests.integration.conftest import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for_heartbeat(source: str, timeout: float = 30) -> Heartbeat:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(source=source).first()
        if beat is not None:
            return beat
        time.sleep(0.2)
    raise AssertionError(f"no heartbeat from {source} within {timeout} s")


def test_a_task_enqueued_after_commit_runs_on_a_real_worker(sent_to_the_broker: Worker) -> None:
    with transaction.atomic():
        enqueue_after_commit(heartbeat_record_task)
        assert Heartbeat.objects.count() == 0  # nothing leaves before the commit

    beat = _wait_for_heartbeat(sent_to_the_broker.node_name)
    assert beat.beats == 1
