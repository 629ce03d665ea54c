"""Where the benchmarks run: a PostgreSQL database of their own, never the project's.

`REKVI_BENCH_DATABASE_URL` names it (default: a local `rekvi_bench`). The catalogue is built
once into a template database (`<name>_template`); every measured run starts from a fresh copy
of it, so runs are alike. Celery runs inline: each benchmark measures one process's work.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[1]
WORK_DIR = BASE_DIR / "var" / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rekvi_bench"
#: The server's settings every benchmark prints before its results (the numbers depend on them;
#: deploy/postgresql/rekvi.conf holds the ones of docs/benchmarks.md).
POSTGRES_SETTINGS = (
    "server_version",
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "effective_cache_size",
    "synchronous_commit",
    "max_wal_size",
    "checkpoint_completion_target",
    "random_page_cost",
    "jit",
    "autovacuum",
)
#: Fixed keys for the benchmark database only (it holds nothing but synthetic data).
BENCH_SECRET_KEY = "bench-only-secret-key-bench-only-secret-key-bench-only-secret"
BENCH_CREDENTIALS_KEY = "YmVuY2gtb25seS1rZXktMzItYnl0ZXMtbG9uZyEhISE="


def bench_url() -> str:
    return os.environ.get("REKVI_BENCH_DATABASE_URL", DEFAULT_URL)


def url_for(database: str) -> str:
    """The benchmark server's URL with another database name."""
    parts = urlsplit(bench_url())
    return urlunsplit(parts._replace(path=f"/{database}"))


def database_name() -> str:
    return urlsplit(bench_url()).path.lstrip("/")


def template_name() -> str:
    return f"{database_name()}_template"


def django_setup(database: str) -> None:
    """Point Django at `database` on the benchmark server (PostgreSQL, Celery inline)."""
    os.environ["DATABASE_URL"] = url_for(database)
    os.environ.pop("REDIS_URL", None)
    os.environ["REKVI_ENV_FILE"] = str(BASE_DIR / "no-such.env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("CREDENTIALS_KEYS", BENCH_CREDENTIALS_KEY)
    os.environ.setdefault("MEDIA_ROOT", str(WORK_DIR / "media"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def admin_execute(*statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(url_for("postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def postgres_settings(url: str) -> dict[str, str]:
    """The settings of POSTGRES_SETTINGS that the server at `url` runs with, as SHOW gives them."""
    import psycopg

    with psycopg.connect(url) as connection:
        return {
            name: str(connection.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in POSTGRES_SETTINGS
        }


def settings_report(settings: dict[str, str] | None) -> str:
    """The line a benchmark starts its output with."""
    if settings is None:
        return "PostgreSQL settings: none (this benchmark does not use PostgreSQL)"
    return "PostgreSQL settings: " + ", ".join(
        f"{key} = {value}" for key, value in settings.items()
    )


def fresh_copy() -> None:
    """(Re)create the benchmark database as a copy of the built template."""
    name, template = database_name(), template_name()
    admin_execute(
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        f"CREATE DATABASE {name} TEMPLATE {template}",
    )
