"""The committed deployment configuration: nginx's limits and headers, PostgreSQL's settings."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from bench.env import POSTGRES_SETTINGS, postgres_settings, settings_report

BASE_DIR = Path(__file__).resolve().parents[2]
NGINX_SITE = BASE_DIR / "deploy" / "nginx" / "rekvi.conf"
POSTGRES_SNIPPET = BASE_DIR / "deploy" / "postgresql" / "rekvi.conf"


def _directives(path: Path) -> dict[str, str]:
    """The value of each setting or directive of a configuration file, as first written."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].replace("=", " ").strip().rstrip(";").split(None, 1)
        if len(words) == 2:
            found.setdefault(words[0], words[1].strip())
    return found


def test_nginx_takes_the_largest_catalogue_upload_and_little_more() -> None:
    size = _directives(NGINX_SITE)["client_max_body_size"]

    assert size == "501m"
    megabytes = int(size.removesuffix("m")) * 1024 * 1024
    assert settings.CATALOGUE_UPLOAD_MAX_BYTES == 500 * 1024 * 1024
    assert 0 < megabytes - settings.CATALOGUE_UPLOAD_MAX_BYTES <= 1024 * 1024


def test_nginx_buffers_and_overwrites_the_forwarded_headers() -> None:
    text = NGINX_SITE.read_text(encoding="utf-8")
    directives = _directives(NGINX_SITE)

    assert directives["proxy_request_buffering"] == "on"
    assert directives["proxy_buffering"] == "on"
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header Host $http_host;" in text
    assert "$proxy_add_x_forwarded_for" not in text


def test_postgresql_snippet_holds_the_benchmarks_settings_and_the_benchmarks_print_them() -> None:
    snippet = _directives(POSTGRES_SNIPPET)
    documented = (BASE_DIR / "docs" / "benchmarks.md").read_text(encoding="utf-8")

    assert snippet["shared_buffers"] == "2GB"
    assert "`shared_buffers = 2GB`" in documented
    assert set(snippet) <= set(POSTGRES_SETTINGS)
    assert settings_report(None) == (
        "PostgreSQL settings: none (this benchmark does not use PostgreSQL)"
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_benchmarks_report_the_settings_the_server_runs_with() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]

    server = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres")
    running = postgres_settings(urlunsplit(server))

    assert tuple(running) == POSTGRES_SETTINGS
    report = settings_report(running)
    assert report.startswith("PostgreSQL settings: server_version = ")
    assert f", shared_buffers = {shared_buffers}, work_mem = {work_mem}, " in report
