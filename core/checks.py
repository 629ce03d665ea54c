"""System checks. `manage.py check --deploy` fails in embedded mode, on purpose."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def embedded_mode_is_not_deployable(**kwargs: Any) -> list[CheckMessage]:
    """Embedded mode (SQLite, eager Celery, public keys) must never be deployed."""
    problems: list[CheckMessage] = []
    if not settings.IS_REAL_MODE:
        problems.append(
            Error(
                f"Rekvi is running in {settings.REKVI_MODE} mode (SQLite or eager Celery): "
                "it is for the demo and for tests, not for production.",
                hint="Set DATABASE_URL (PostgreSQL), REDIS_URL, DJANGO_SECRET_KEY and "
                "CREDENTIALS_KEYS; see .env.example.",
                id="rekvi.E001",
            )
        )
    if settings.SECRET_KEY == settings.EMBEDDED_SECRET_KEY:
        problems.append(
            Error(
                "DJANGO_SECRET_KEY is the public embedded-mode default.",
                hint="Set DJANGO_SECRET_KEY to a long random value of your own.",
                id="rekvi.E002",
            )
        )
    if settings.EMBEDDED_CREDENTIALS_KEY in settings.CREDENTIALS_KEYS:
        problems.append(
            Error(
                "CREDENTIALS_KEYS contains the public embedded-mode key.",
                hint="Generate a Fernet key of your own for CREDENTIALS_KEYS.",
                id="rekvi.E003",
            )
        )
    return problems
