"""Hand work to Celery only once the current transaction has committed.

A rolled-back transaction enqueues nothing; in embedded mode (eager Celery) the task runs inline,
right after the commit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import Task
from django.db import transaction


def enqueue_after_commit(task: Task[..., Any], *, using: str | None = None, **kwargs: Any) -> None:
    """Queue `task(**kwargs)` when the surrounding transaction commits (at once outside one).

    Pass ids, never model instances: the task reads fresh rows when it runs.
    """
    transaction.on_commit(partial(task.delay, **kwargs), using=using, robust=False)
