"""Embedded mode's stand-in for `celery beat`: run every scheduled task once, inline."""

from __future__ import annotations

import time
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run every entry of CELERY_BEAT_SCHEDULE once, inline (embedded mode has no beat). "
        "With --every N, repeat every N seconds until interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if every < 0:
            raise CommandError("--every must be 0 (run once) or a number of seconds.")
        while True:
            failed = self._run_once()
            if not every:
                if failed:
                    raise CommandError(f"{len(failed)} task(s) failed: {', '.join(failed)}")
                return
            time.sleep(every)

    def _run_once(self) -> list[str]:
        failed: list[str] = []
        # the apps' tasks modules, as a worker imports them at its start (autodiscovery)
        current_app.loader.import_default_modules()
        registry = current_app.tasks
        for entry_name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task_name = entry["task"]
            if task_name not in registry:
                raise CommandError(f"{entry_name}: no task named {task_name!r} is registered.")
            result = registry[task_name].apply(
                args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=False
            )
            if result.failed():
                failed.append(entry_name)
                self.stderr.write(f"{entry_name}: failed\n{result.traceback}")
            else:
                self.stdout.write(f"{entry_name}: ok")
        return failed
