"""Rekvi's one settings module, driven by the environment (read only through `config.env`).

Two modes, one code base (see DESIGN.md):

* **embedded** (default): no `DATABASE_URL`, no `REDIS_URL` -> SQLite file, Celery tasks run
  eagerly after commit, local-memory cache, `runserver`, `manage.py run_periodic` instead of beat.
* **real**: `DATABASE_URL=postgres://...` and `REDIS_URL=redis://...` -> PostgreSQL, Redis as
  Celery broker and cache, `celery worker` + `celery beat`, gunicorn.

`DATABASE_URL` alone is the PostgreSQL test lane: PostgreSQL, Celery still eager.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

# Lets generic Django classes be subscripted at run time (ModelAdmin[Product], ...).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env.load_dotenv(Path(env.text("REKVI_ENV_FILE", str(BASE_DIR / ".env"))))

# --- Mode -------------------------------------------------------------------------------------

DATABASE_URL = env.text("DATABASE_URL")
REDIS_URL = env.text("REDIS_URL")
#: "embedded" (SQLite, eager Celery), "real" (PostgreSQL + Redis) or "postgres-eager" (tests).
REKVI_MODE = (
    "real" if DATABASE_URL and REDIS_URL else "embedded" if not DATABASE_URL else "postgres-eager"
)
if DATABASE_URL and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        f"DATABASE_URL must be a PostgreSQL URL (postgres://...), got scheme "
        f"{DATABASE_URL.split(':', 1)[0]!r}."
    )
if REDIS_URL and not DATABASE_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is set but DATABASE_URL is not: real mode needs both (PostgreSQL and Redis); "
        "unset REDIS_URL for embedded mode."
    )
IS_REAL_MODE = REKVI_MODE == "real"
#: Only embedded mode (no DATABASE_URL) falls back to the public, obviously fake defaults below;
#: with a PostgreSQL database every secret must be given, test lane or not.
IS_EMBEDDED = REKVI_MODE == "embedded"

# --- Core Django ------------------------------------------------------------------------------

EMBEDDED_SECRET_KEY = "embedded-mode-only-not-a-secret-" + "x" * 32
SECRET_KEY = env.text("DJANGO_SECRET_KEY", EMBEDDED_SECRET_KEY if IS_EMBEDDED else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. With DATABASE_URL set Rekvi needs a secret key of its own, "
        'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
    )
DEBUG = env.flag("DJANGO_DEBUG", default=IS_EMBEDDED)
ALLOWED_HOSTS = list(env.words("DJANGO_ALLOWED_HOSTS", ("127.0.0.1", "localhost", "[::1]")))
CSRF_TRUSTED_ORIGINS = list(env.words("DJANGO_CSRF_TRUSTED_ORIGINS"))

INSTALLED_APPS = [
    "org.apps.RekviAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "core",
    "org",
    "catalog",
    "punchout",
    "orders",
    "invoices",
    "insights",
    "shop",
]

#: The simulated supplier web shop: mounted in embedded mode, off in real mode unless turned on.
DEMO_SUPPLIER_ENABLED = env.flag("DEMO_SUPPLIER", default=IS_EMBEDDED)
if DEMO_SUPPLIER_ENABLED:
    INSTALLED_APPS.append("demo_supplier")


def _demo_supplier_accounts(name: str, default: dict[str, str]) -> dict[str, str]:
    """A JSON object of log-in name -> secret from the environment, or `default`."""
    raw = env.text(name)
    if not raw:
        return default
    try:
        accounts = json.loads(raw)
    except json.JSONDecodeError as exc:  # the message names a position, never the value
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(accounts, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in accounts.items()
    ):
        raise ImproperlyConfigured(f'{name} must be a JSON object of strings: {{"name": "secret"}}')
    return accounts


#: The demo supplier's cXML buyers: Sender Credential Identity -> SharedSecret, checked on
#: every PunchOutSetupRequest and OrderRequest. A public demo account in embedded mode or with
#: DJANGO_DEBUG, none otherwise; DEMO_SUPPLIER_ACCOUNTS (JSON) replaces it.
DEMO_SUPPLIER_ACCOUNTS = _demo_supplier_accounts(
    "DEMO_SUPPLIER_ACCOUNTS",
    {"FJORDBY-29900124": "fjordby-demo-secret"} if IS_EMBEDDED or DEBUG else {},
)
#: The demo supplier's OCI buyers: USERNAME -> PASSWORD, the same way (DEMO_SUPPLIER_OCI_ACCOUNTS).
DEMO_SUPPLIER_OCI_ACCOUNTS = _demo_supplier_accounts(
    "DEMO_SUPPLIER_OCI_ACCOUNTS", {"fjordby": "fjordby-demo-secret"} if IS_EMBEDDED or DEBUG else {}
)
#: How long a demo-supplier punch-out session (its signed token and cart cookie) lasts.
DEMO_SUPPLIER_SESSION_MINUTES = env.integer("DEMO_SUPPLIER_SESSION_MINUTES", default=60)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # real mode serves collected static files itself (gunicorn); runserver does it embedded
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if IS_REAL_MODE else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

SQLITE_PATH = Path(env.text("SQLITE_PATH", str(VAR_DIR / "rekvi.sqlite3")))
if DATABASE_URL:
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(
            dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        )
    }
    # No JIT compilation: Rekvi's queries are short, and compiling one costs more than it saves.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000"
                ),
            },
            # A file, not memory: live-server (browser) tests share it across threads.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rekvi",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users, login -----------------------------------------------------------------------------

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "shop:login"
LOGIN_REDIRECT_URL = "shop:home"
LOGOUT_REDIRECT_URL = "shop:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time ---------------------------------------------------------------------------

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
#: DKFDS (Det Fælles Designsystem) is installed by `npm ci`, never committed.
STATICFILES_DIRS = [("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist")]
#: Uploaded files (suppliers' catalogue files, kept as received). Never served directly: views
#: check who may read them. Web and worker processes must share this folder.
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", str(VAR_DIR / "media")))
#: The largest catalogue file accepted from the web form (the command line takes any size).
CATALOGUE_UPLOAD_MAX_BYTES = env.integer("CATALOGUE_UPLOAD_MAX_BYTES", default=500 * 1024 * 1024)
#: A whole-catalogue file that would retire more than this share (in per cent) of a supplier's
#: live items on the agreement needs a person's confirmation, even from a trusted supplier.
CATALOGUE_REMOVAL_CONFIRM_PERCENT = env.integer("CATALOGUE_REMOVAL_CONFIRM_PERCENT", default=20)
#: A new price more than this many times the old (or less than the old divided by it) is shown
#: as a likely misread and must be confirmed before the import is approved.
CATALOGUE_PRICE_JUMP_FACTOR = env.integer("CATALOGUE_PRICE_JUMP_FACTOR", default=5)
#: Rekvi's own address, for the links in its e-mails.
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: Outbound calls to suppliers may use plain http and local addresses (development, the demo
#: supplier, tests). Off in real mode: https to public addresses only.
OUTBOUND_HTTP_LOCAL = env.flag("OUTBOUND_HTTP_LOCAL", default=IS_EMBEDDED)
#: Where the demo data's punch-out suppliers (Nordlys IT, Kontorhuset) find the demo supplier.
#: Unset: the demo supplier this Rekvi serves itself, reached at the address each punch-out's
#: request came to (seed_demo writes its addresses under SITE_URL), so that the demo works on
#: whatever address and port it is opened at. Set it when the demo supplier runs elsewhere.
DEMO_SUPPLIER_BASE_URL = env.text("DEMO_SUPPLIER_BASE_URL").rstrip("/")
#: E-mail (approvers are told of orders that wait for them). Without EMAIL_HOST, e-mails are
#: printed to the console (the demo); real mode sends them by SMTP.
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "rekvi@localhost")
EMAIL_HOST = env.text("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
#: PostgreSQL: no statement of a catalogue search may take longer (a search that would is
#: stopped and the person told so, instead of holding a worker and a connection).
SEARCH_STATEMENT_TIMEOUT_MS = env.integer("SEARCH_STATEMENT_TIMEOUT_MS", default=1000)
#: The largest punch-out cart accepted on a return URL (Django's form limits stay as they are
#: everywhere else; only the return endpoint reads more).
PUNCHOUT_RETURN_MAX_BYTES = env.integer("PUNCHOUT_RETURN_MAX_BYTES", default=8 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_REAL_MODE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security (real mode) ---------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_REAL_MODE:
    SESSION_COOKIE_SECURE = env.flag("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.integer("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    if env.flag("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = list(env.words("DJANGO_SILENCED_SYSTEM_CHECKS"))

# --- Credentials at rest (suppliers' punch-out and channel secrets) ---------------------------

#: Fernet keys, newest first; never SECRET_KEY. The embedded default is public and fake.
EMBEDDED_CREDENTIALS_KEY = "ZW1iZWRkZWQtbW9kZS1vbmx5LW5vdC1hLXNlY3JldCE="
CREDENTIALS_KEYS = env.words("CREDENTIALS_KEYS", (EMBEDDED_CREDENTIALS_KEY,) if IS_EMBEDDED else ())
if not CREDENTIALS_KEYS:
    raise ImproperlyConfigured(
        "CREDENTIALS_KEYS is not set. With DATABASE_URL set Rekvi needs a key of its own to "
        "encrypt suppliers' credentials, e.g. python -c "
        '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())".'
    )

# --- Celery -----------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: Above the longest retry backoff (30 minutes), so a slow task is not delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
#: Run by `celery beat` in real mode, and once per `manage.py run_periodic` in embedded mode.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "core.heartbeat_record": {"task": "core.heartbeat_record", "schedule": crontab()},
}
#: A worker not heard from for this many seconds is shown as missing on the status page.
HEARTBEAT_STALE_AFTER_SECONDS = env.integer("HEARTBEAT_STALE_AFTER_SECONDS", default=180)

# --- REST framework ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rekvi API",
    "DESCRIPTION": "The REST API of Rekvi, the procurement e-shop for Danish municipalities.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Demo -------------------------------------------------------------------------------------

#: The demo data set that `manage.py seed_demo` loads.
DEMO_DATA_PATH = BASE_DIR / "shop" / "fixtures" / "demo" / "fjordby.json"

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
}
