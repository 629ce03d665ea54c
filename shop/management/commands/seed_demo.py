"""Load the Fjordby demo data set: `python manage.py seed_demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.errors import validation_error_lines
from shop.demo import DEMO_PASSWORD, DemoDataError, demo_data_load, demo_seed


class Command(BaseCommand):
    help = (
        "Load the Fjordby demo municipality (units, people, roles, budgets, agreements, "
        "suppliers, products), idempotently, with dates moved to today. Refuses real mode "
        "unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=settings.DEMO_DATA_PATH)
        parser.add_argument(
            "--force", action="store_true", help="Seed even in real mode (never in production)."
        )

    def handle(self, *args: Any, file: Path, force: bool, **options: Any) -> None:
        if settings.IS_REAL_MODE and not force:
            raise CommandError(
                "seed_demo refuses to run in real mode (DATABASE_URL and REDIS_URL are set): it "
                "would put a fictional municipality with the password 'demo' in this database. "
                "Use --force only on a database meant for demos."
            )
        try:
            result = demo_seed(data=demo_data_load(file), today=timezone.localdate())
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(validation_error_lines(exc))) from exc
        created = ", ".join(f"{count} {kind}" for kind, count in sorted(result.created.items()))
        updated = ", ".join(f"{count} {kind}" for kind, count in sorted(result.updated.items()))
        self.stdout.write(f"Demo data loaded. Created: {created or 'nothing'}.")
        if updated:
            self.stdout.write(f"Updated: {updated}.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        width = max(len(username) for username, _name, _roles in result.logins)
        for username, name, roles in result.logins:
            self.stdout.write(f"  {username.ljust(width)}  {name} – {roles}")
