"""The two modes, chosen by the environment: each case starts a fresh Python process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]
#: Everything config/ reads, so that the developer's own environment cannot leak in.
MODE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CREDENTIALS_KEYS",
    "DEMO_SUPPLIER",
    "DEMO_SUPPLIER_ACCOUNTS",
    "DEMO_SUPPLIER_OCI_ACCOUNTS",
    "DEMO_SUPPLIER_SESSION_MINUTES",
    "SQLITE_PATH",
    "HEARTBEAT_STALE_AFTER_SECONDS",
    "LOG_LEVEL",
)
REPORT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "mode": settings.REKVI_MODE,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "demo_supplier": "demo_supplier" in settings.INSTALLED_APPS,
}))
"""
#: Where the demo supplier's URLs lead (a view name, or None when nothing is mounted there).
ROUTES = """
import json, django
from django.conf import settings
from django.urls import Resolver404, resolve
django.setup()
routes = {}
for path in ("/demo-supplier/", "/demo-supplier/nordlys-it/cxml/setup", "/en/demo-supplier/"):
    try:
        routes[path] = resolve(path).view_name
    except Resolver404:
        routes[path] = None
print(json.dumps({
    "routes": routes,
    "accounts": settings.DEMO_SUPPLIER_ACCOUNTS,
    "oci_accounts": settings.DEMO_SUPPLIER_OCI_ACCOUNTS,
    "minutes": settings.DEMO_SUPPLIER_SESSION_MINUTES,
}))
"""
REAL = {
    "DATABASE_URL": "postgres://rekvi@127.0.0.1:5432/rekvi",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "DJANGO_SECRET_KEY": "a-real-secret-key-of-sufficient-length-and-variety-0123456789",
    "CREDENTIALS_KEYS": Fernet.generate_key().decode(),
}


def _run(
    args: list[str], *, executable: str = sys.executable, **variables: str
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in MODE_VARIABLES and not key.startswith("DJANGO_")
    }
    env.update(
        REKVI_ENV_FILE=str(BASE_DIR / "no-such.env"), DJANGO_SETTINGS_MODULE="config.settings"
    )
    env.update(variables)
    return subprocess.run(
        [executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(**variables: str) -> dict[str, Any]:
    done = _run(["-c", REPORT], **variables)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_no_urls_is_the_embedded_mode() -> None:
    assert _settings() == {
        "mode": "embedded",
        "engine": "django.db.backends.sqlite3",
        "name": str(BASE_DIR / "var" / "rekvi.sqlite3"),
        "eager": True,
        "broker": "memory://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "debug": True,
        "whitenoise": False,
        "demo_supplier": True,
    }


def test_database_url_alone_is_postgresql_with_eager_celery() -> None:
    report = _settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/rekvi_ci",
        DJANGO_SECRET_KEY=REAL["DJANGO_SECRET_KEY"],
        CREDENTIALS_KEYS=REAL["CREDENTIALS_KEYS"],
    )
    assert report == {
        "mode": "postgres-eager",
        "engine": "django.db.backends.postgresql",
        "name": "rekvi_ci",
        "eager": True,
        "broker": "memory://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "debug": False,
        "whitenoise": False,
        "demo_supplier": False,
    }


def test_a_database_without_keys_of_its_own_does_not_start() -> None:
    done = _run(["-c", REPORT], DATABASE_URL="postgres://postgres@127.0.0.1:5432/rekvi")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set. With DATABASE_URL set" in done.stderr


def test_both_urls_are_the_real_mode() -> None:
    assert _settings(**REAL) == {
        "mode": "real",
        "engine": "django.db.backends.postgresql",
        "name": "rekvi",
        "eager": False,
        "broker": "redis://127.0.0.1:6379/3",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "debug": False,
        "whitenoise": True,
        "demo_supplier": False,
    }


def test_the_demo_supplier_can_be_turned_on_in_real_mode() -> None:
    assert _settings(**REAL, DEMO_SUPPLIER="on")["demo_supplier"] is True


def _routes(**variables: str) -> dict[str, Any]:
    done = _run(["-c", ROUTES], **variables)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_embedded_mode_mounts_the_demo_supplier_with_its_demo_accounts() -> None:
    assert _routes() == {
        "routes": {
            "/demo-supplier/": "demo_supplier:index",
            "/demo-supplier/nordlys-it/cxml/setup": "demo_supplier:cxml_setup",
            "/en/demo-supplier/": None,
        },
        "accounts": {"FJORDBY-29900124": "fjordby-demo-secret"},
        "oci_accounts": {"fjordby": "fjordby-demo-secret"},
        "minutes": 60,
    }


def test_real_mode_without_demo_supplier_does_not_mount_it() -> None:
    assert _routes(**REAL) == {
        "routes": {
            "/demo-supplier/": None,
            "/demo-supplier/nordlys-it/cxml/setup": None,
            "/en/demo-supplier/": None,
        },
        "accounts": {},
        "oci_accounts": {},
        "minutes": 60,
    }


def test_real_mode_with_demo_supplier_takes_its_accounts_from_the_environment() -> None:
    report = _routes(
        **REAL,
        DEMO_SUPPLIER="on",
        DEMO_SUPPLIER_ACCOUNTS='{"KOMMUNE-1": "s3cret"}',
        DEMO_SUPPLIER_SESSION_MINUTES="15",
    )
    assert report["routes"]["/demo-supplier/"] == "demo_supplier:index"
    assert (report["accounts"], report["oci_accounts"], report["minutes"]) == (
        {"KOMMUNE-1": "s3cret"},
        {},
        15,
    )


def test_demo_supplier_accounts_that_are_not_json_are_refused_without_the_value() -> None:
    done = _run(["-c", ROUTES], DEMO_SUPPLIER_OCI_ACCOUNTS="{fjordby: hemmelig-kode}")
    assert done.returncode != 0
    assert "DEMO_SUPPLIER_OCI_ACCOUNTS is not valid JSON: Expecting property name" in done.stderr
    assert "hemmelig-kode" not in done.stderr
    listed = _run(["-c", ROUTES], DEMO_SUPPLIER_ACCOUNTS='["a", "b"]')
    assert listed.returncode != 0
    assert "DEMO_SUPPLIER_ACCOUNTS must be a JSON object of strings" in listed.stderr


def test_real_mode_without_a_secret_key_does_not_start() -> None:
    variables = {key: value for key, value in REAL.items() if key != "DJANGO_SECRET_KEY"}
    done = _run(["-c", REPORT], **variables)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set. With DATABASE_URL set" in done.stderr


def test_real_mode_without_a_credentials_key_does_not_start() -> None:
    variables = {key: value for key, value in REAL.items() if key != "CREDENTIALS_KEYS"}
    done = _run(["-c", REPORT], **variables)
    assert done.returncode != 0
    assert "CREDENTIALS_KEYS is not set." in done.stderr


def test_redis_without_a_database_is_refused() -> None:
    done = _run(["-c", REPORT], REDIS_URL="redis://127.0.0.1:6379/0")
    assert done.returncode != 0
    assert "REDIS_URL is set but DATABASE_URL is not" in done.stderr


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    done = _run(["-c", REPORT], DATABASE_URL="mysql://root@127.0.0.1/rekvi")
    assert done.returncode != 0
    assert (
        "DATABASE_URL must be a PostgreSQL URL (postgres://...), got scheme 'mysql'" in done.stderr
    )


def test_a_flag_with_a_strange_value_is_refused_by_name() -> None:
    done = _run(["-c", REPORT], DJANGO_DEBUG="maybe")
    assert done.returncode != 0
    assert "DJANGO_DEBUG='maybe': expected one of on/off" in done.stderr


def test_check_deploy_fails_in_embedded_mode_with_a_clear_message() -> None:
    done = _run(["manage.py", "check", "--deploy"])
    assert done.returncode == 1
    assert "(rekvi.E001) Rekvi is running in embedded mode (SQLite or eager Celery)" in done.stderr
    assert "(rekvi.E002) DJANGO_SECRET_KEY is the public embedded-mode default." in done.stderr


def test_check_deploy_passes_in_real_mode() -> None:
    done = _run(["manage.py", "check", "--deploy"], **REAL)
    assert done.returncode == 0, done.stderr
    assert "rekvi.E00" not in done.stderr + done.stdout


def _readme_real_mode_exports() -> list[str]:
    """The `export` lines of the README's real mode, as a person copies them."""
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    block = readme.split("**Real mode** is chosen by", 1)[1].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("export ")]


def test_check_deploy_passes_without_a_warning_with_the_readmes_real_mode_variables() -> None:
    exports = _readme_real_mode_exports()
    assert [line.split("=", 1)[0] for line in exports] == [
        "export REKVI_ADMIN_DATABASE_URL",
        "export REKVI_POSTGRES_CLUSTER",
        "export DATABASE_URL",
        "export REDIS_URL",
        "export DJANGO_SECRET_KEY",
        "export CREDENTIALS_KEYS",
        "export DJANGO_ALLOWED_HOSTS",
        "export SITE_URL",
        "export DJANGO_BEHIND_TLS_PROXY",
    ]
    script = "\n".join(
        [
            "set -euo pipefail",
            *exports,
            f'exec "{sys.executable}" manage.py check --deploy --fail-level WARNING',
        ]
    )

    done = _run(["-c", script], executable="bash")

    assert done.returncode == 0, done.stderr
    assert done.stdout == "System check identified no issues (1 silenced).\n"
    assert done.stderr == ""


def test_hsts_preload_is_the_municipalitys_setting_and_off_by_default() -> None:
    report = (
        "import json, django\nfrom django.conf import settings\ndjango.setup()\n"
        "print(json.dumps([settings.SECURE_HSTS_PRELOAD, settings.SILENCED_SYSTEM_CHECKS]))"
    )
    default = _run(["-c", report], **REAL)
    chosen = _run(["-c", report], **REAL, DJANGO_SECURE_HSTS_PRELOAD="on")
    checked = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **REAL,
        DJANGO_SECURE_HSTS_PRELOAD="on",
        DJANGO_BEHIND_TLS_PROXY="on",
    )

    assert json.loads(default.stdout) == [False, ["security.W021"]]
    assert json.loads(chosen.stdout) == [True, []]
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "System check identified no issues (0 silenced).\n"
