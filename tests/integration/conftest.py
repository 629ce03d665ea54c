"""A real Celery worker process on Redis and PostgreSQL, started by the test that needs it.

Runs in the PostgreSQL lane (DATABASE_URL set); skipped in the embedded lane, which has no
Redis by design. Each run uses a Redis database number of its own (REKVI_TEST_REDIS_URL,
default db 14), flushed first.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
TEST_REDIS_URL = os.environ.get("REKVI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@dataclass(frozen=True)
class Worker:
    node_name: str
    redis_url: str
    process: subprocess.Popen[str]


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Workers:
    """Starts Celery worker processes on the test's Redis database, and stops them all."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self.started: list[Worker] = []

    def start(self) -> Worker:
        node_name = f"rekvi-test-{uuid.uuid4().hex[:8]}@localhost"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REKVI_ENV_FILE": str(BASE_DIR / "no-such.env"),
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "DJANGO_SECRET_KEY": "worker-test-" + uuid.uuid4().hex * 2,
            "CREDENTIALS_KEYS": Fernet.generate_key().decode(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                node_name,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        worker = Worker(node_name=node_name, redis_url=self.redis_url, process=process)
        self.started.append(worker)
        lines: queue.Queue[str] = queue.Queue()

        def read_output() -> None:
            for line in process.stdout or []:
                lines.put(line)

        threading.Thread(target=read_output, daemon=True).start()
        log: list[str] = []
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                pytest.fail("the Celery worker did not start within 60 s:\n" + "".join(log))
            log.append(line)
            if " ready." in line:
                return worker
            if process.poll() is not None:
                pytest.fail("the Celery worker exited:\n" + "".join(log))

    def stop_all(self) -> None:
        for worker in self.started:
            worker.process.terminate()
        for worker in self.started:
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait(timeout=10)


@pytest.fixture
def celery_workers(transactional_db: None) -> Iterator[Workers]:
    """Start worker processes with `start()`; all are stopped after the test."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis: runs in the PostgreSQL lane (DATABASE_URL set)")
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()  # fails the test loudly if Redis is not running
    workers = Workers(TEST_REDIS_URL)
    try:
        yield workers
    finally:
        workers.stop_all()
        client.flushdb()


@pytest.fixture
def celery_worker_process(celery_workers: Workers) -> Worker:
    return celery_workers.start()


@pytest.fixture
def sent_to_the_broker(celery_worker_process: Worker) -> Iterator[Worker]:
    """Tasks leave this process for Redis, as in real mode, for the length of the test."""
    from config.celery import app

    before = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=celery_worker_process.redis_url)
    app._after_fork()  # type: ignore[attr-defined]  # drop pools made for the old broker URL
    try:
        yield celery_worker_process
    finally:
        app.conf.update(**before)
        app._after_fork()  # type: ignore[attr-defined]  # Celery's own reset, as after a fork
