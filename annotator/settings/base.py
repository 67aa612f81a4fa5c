"""Settings for every mode, read from the environment.

Two ways to run share this module:

* Embedded (the default): no services to install. SQLite under ``MOOT_DATA_DIR``, a Celery broker
  on a SQLite file (kombu's SQLAlchemy transport) and a SQLite-backed channel layer, so a worker
  process started beside the web server can reach browsers connected to it.
* Services: ``DATABASE_URL`` points at PostgreSQL and ``REDIS_URL`` at Redis, which then carries
  both the Celery broker and the Channels layer. ``annotator.settings.production`` adds the
  hardening a public deployment needs on top.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"


def env_bool(name: str, *, default: bool) -> bool:
    """Read a boolean environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("MOOT_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MOOT_DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally, no CDN
    "channels",
    "annotator",
    "judges",
    # Configures the Celery app so the web process can enqueue tasks by name; it imports no task
    # module and nothing from the model stack.
    "workers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "annotator.urls"
ASGI_APPLICATION = "annotator.asgi.application"
WSGI_APPLICATION = "annotator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets the web process and the embedded worker read while the other writes; IMMEDIATE
    # transactions take the write lock up front instead of failing with "database is locked"
    # when a read transaction tries to upgrade.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # A connection per request, closed at its end. Under ASGI each request's sync code runs in a
    # thread of its own, so a persistent connection (CONN_MAX_AGE > 0) stays open after its
    # thread is gone until the garbage collector finds it: two web processes serving 16 people
    # held 80 sessions in the soak test (bench/soak.py). Django's docs say to turn persistent
    # connections off under ASGI.
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(
            dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=int(os.environ.get("MOOT_DB_CONN_MAX_AGE", "0")),
                conn_health_checks=True,
            )
        )
    }
    # A pool of connections per process (psycopg_pool, through Django): requests borrow one and
    # give it back at their end, so a web process reuses a bounded set of sessions instead of
    # opening one per request. Meant for web processes; size it so that every process's pool
    # together stays under PostgreSQL's max_connections (see docs/operations.md).
    MOOT_DB_POOL_MAX_SIZE = int(os.environ.get("MOOT_DB_POOL_MAX_SIZE", "0"))
    if MOOT_DB_POOL_MAX_SIZE > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, MOOT_DB_POOL_MAX_SIZE),
            "max_size": MOOT_DB_POOL_MAX_SIZE,
            # A request waits this long for a free connection before it fails (with a 503).
            "timeout": float(os.environ.get("MOOT_DB_POOL_TIMEOUT_S", "10")),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "moot.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            "TEST": {"NAME": DATA_DIR / "test-moot.sqlite3"},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker and channel layer -------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not REDIS_URL
CHANNELS_PREFIX = os.environ.get("MOOT_CHANNELS_PREFIX", "moot")

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CHANNEL_LAYERS: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # channels_redis waits for messages with a blocking pop of 5 s; redis-py 8
                # gives every socket a 5 s read timeout by default, which then fires first and
                # drops the connection of any idle websocket. Read a little longer than the pop.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": CHANNELS_PREFIX,
            },
        }
    }
else:
    # A second SQLite file keeps the channel layer's short-lived rows out of the main database.
    DATABASES["channels"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("MOOT_CHANNELS_DB", str(DATA_DIR / "channels.sqlite3")),
        "OPTIONS": SQLITE_OPTIONS,
        "TEST": {"NAME": DATA_DIR / "test-channels.sqlite3"},
    }
    DATABASE_ROUTERS = ["annotator.db_routers.EmbeddedRouter"]
    INSTALLED_APPS.append("channels_lite")
    CELERY_BROKER_URL = f"sqla+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_lite.layers.core.SQLiteChannelLayer",
            "CONFIG": {"database": "channels", "polling_interval": 0.1},
        }
    }

# Celery reads these through config_from_object(namespace="CELERY") in workers/celery.py.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers a task whose worker died once this visibility timeout passes. (kombu's
# SQLAlchemy transport hands its options to create_engine, so it gets none.)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {} if EMBEDDED else {"visibility_timeout": 3600}
# A request must never hang because the broker is down: give up publishing quickly and report.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# --- Cache --------------------------------------------------------------------------------------
# Sign-in limits and short-lived figures must be shared by every web process, so with services the
# cache lives in Redis (MOOT_CACHE_URL, by default the broker's REDIS_URL). Its keys all start
# with "moot:<version>:", which is how the test suite clears them without flushing the broker's
# or the channel layer's keys in the same database. Embedded mode runs one web process, so a
# cache in that process's memory is shared by all its requests.
MOOT_CACHE_URL = os.environ.get("MOOT_CACHE_URL", REDIS_URL)
if MOOT_CACHE_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MOOT_CACHE_URL,
            "KEY_PREFIX": "moot",
            # A sign-in must not hang on an unreachable cache; fail fast instead.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "moot",
            "KEY_PREFIX": "moot",
        }
    }

# --- Background jobs ------------------------------------------------------------------------------
# A worker holds a lease on the job in hand (a judge batch, an export build) and renews it; each
# worker's watchdog queues again, every MOOT_RECOVERY_EVERY_S seconds, the jobs whose lease ran
# out (their worker died). A job interrupted MOOT_TASK_MAX_ATTEMPTS times fails with a reason.
MOOT_RECOVERY_EVERY_S = float(os.environ.get("MOOT_RECOVERY_EVERY_S", "15"))
MOOT_TASK_MAX_ATTEMPTS = int(os.environ.get("MOOT_TASK_MAX_ATTEMPTS", "5"))
MOOT_EXPORT_LEASE_S = float(os.environ.get("MOOT_EXPORT_LEASE_S", "120"))

# --- Judges ---------------------------------------------------------------------------------------
# Items per judge task. A running batch holds a lease its worker renews; when the worker dies
# the lease runs out and the batch is handed out again.
MOOT_JUDGE_BATCH_ITEMS = int(os.environ.get("MOOT_JUDGE_BATCH_ITEMS", "32"))
MOOT_JUDGE_LEASE_S = float(os.environ.get("MOOT_JUDGE_LEASE_S", "120"))
# API judges' keys by name, for deployments that keep secrets in settings rather than in the
# environment: {"OPENAI_API_KEY": "..."}. Judges store only the name.
MOOT_JUDGE_API_KEYS: dict[str, str] = {}

# --- Dashboards ---------------------------------------------------------------------------------
# A change to a project's data refreshes its report this many seconds later, so a burst of
# submissions costs one computation. Bootstrap resamples behind every confidence interval. A
# refresh queued longer ago than MOOT_METRICS_LOST_AFTER_S is taken as lost and queued again.
MOOT_METRICS_DEBOUNCE_S = float(os.environ.get("MOOT_METRICS_DEBOUNCE_S", "0.5"))
MOOT_METRICS_RESAMPLES = int(os.environ.get("MOOT_METRICS_RESAMPLES", "1000"))
MOOT_METRICS_LOST_AFTER_S = float(os.environ.get("MOOT_METRICS_LOST_AFTER_S", "600"))
# Reports of filtered views nobody has opened for this long are dropped (and recomputed if
# opened again).
MOOT_METRICS_KEEP_FILTERED_S = float(os.environ.get("MOOT_METRICS_KEEP_FILTERED_S", "86400"))

# --- Active learning ----------------------------------------------------------------------------
# Priorities are recomputed this many seconds after a head or judge run finishes (a burst of
# finishing runs costs one refresh). A head training or priority refresh queued longer ago than
# MOOT_ACTIVE_LOST_AFTER_S is taken as lost (its worker died) and may be queued again.
MOOT_PRIORITIES_DEBOUNCE_S = float(os.environ.get("MOOT_PRIORITIES_DEBOUNCE_S", "1"))
MOOT_ACTIVE_LOST_AFTER_S = float(os.environ.get("MOOT_ACTIVE_LOST_AFTER_S", "1800"))

# Exports: snapshot files live here (served only through the API, after an access check).
# Annotators appear in exports under ids keyed by MOOT_EXPORT_PSEUDONYM_KEY (SECRET_KEY if
# unset): keep it fixed, or the same person gets new ids in later exports. MOOT_HF_TOKEN
# (a Hugging Face token with write access) enables pushing exports to the Hub.
MOOT_EXPORT_DIR = Path(os.environ.get("MOOT_EXPORT_DIR", DATA_DIR / "exports"))
MOOT_EXPORT_PSEUDONYM_KEY = os.environ.get("MOOT_EXPORT_PSEUDONYM_KEY", "")
MOOT_HF_TOKEN = os.environ.get("MOOT_HF_TOKEN", "")
MOOT_HF_ENDPOINT = os.environ.get("MOOT_HF_ENDPOINT", "")

# --- Auth and API -------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login"

REST_FRAMEWORK = {
    # Token first, so an anonymous call gets 401 with a WWW-Authenticate header rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "annotator.api.pagination.StrictPageNumberPagination",
    "EXCEPTION_HANDLER": "annotator.api.errors.api_exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "annotator.api.schema.ApiAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # DRF's JSON parser, refusing text the database cannot store (NUL, lone surrogates).
        "annotator.api.parsers.StorableJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
REST_KNOX = {
    # Tokens are for scripts and training jobs: they live until revoked.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
}

# Sign-in limits, for both password checks (session sign-in and token creation); see
# docs/security.md. Rates read "<count>/<period>", the period in s, min, h or day with an
# optional multiple ("5/15min"); an empty value turns that limit off.
# - MOOT_LOGIN_RATE: attempts per client address, whatever their outcome.
# - MOOT_LOGIN_FAILURES: failed attempts per username; past it the username is refused, even
#   with the right password, until the period (counted from the first failure) has passed.
# - MOOT_TRUSTED_PROXIES: how many reverse proxies in front of the app append to
#   X-Forwarded-For. 0 (the default) ignores the header: any client can write it.
MOOT_LOGIN_RATE = os.environ.get("MOOT_LOGIN_RATE", "10/min")
MOOT_LOGIN_FAILURES = os.environ.get("MOOT_LOGIN_FAILURES", "5/15min")
MOOT_TRUSTED_PROXIES = int(os.environ.get("MOOT_TRUSTED_PROXIES", "0"))

SPECTACULAR_SETTINGS = {
    "TITLE": "Moot API",
    "DESCRIPTION": "Preference data labeling: projects, items, annotations, judges and exports.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Ids in paths (annotator.converters) are integers like <int:…>, only bounded.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    # Question schemas come from pydantic (JSON Schema 2020-12), which OpenAPI 3.1 matches.
    "OAS_VERSION": "3.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "annotator.api.metrics.REPORT_STATUSES",
        # Imports and exports both have format and file_type fields, with different choices.
        "FormatEnum": "annotator.importers.FORMATS",
        "FileTypeEnum": "annotator.api.imports.FILE_TYPE_CHOICES",
        "ExportFormatEnum": "annotator.exports.options.FORMATS",
        "ExportFileTypeEnum": "annotator.exports.options.FILE_TYPES",
    },
}

# --- Static files and the browser app -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.exists() else []
# Serve straight from the built frontend without a collectstatic step in embedded mode.
WHITENOISE_USE_FINDERS = True

# --- Content-Security-Policy and security headers -----------------------------------------------
# Prompts, candidates, guidelines and comments are untrusted text. The app renders them as text
# (Markdown without raw HTML); the policy is the second line of defence: should markup slip
# through, no script runs that is not one of our own files (no inline script, no eval), and
# nothing can frame the app or post its forms elsewhere.
# - style-src: the CSS files, plus the <style> elements the app writes at run time (Mantine's
#   theme variables and responsive props, the scroll lock under modals). Those carry the
#   per-request nonce that app_index gives the page (annotator/frontend.py); no 'unsafe-inline'.
#   Style attributes set from script (React's `style` prop, ECharts) go through the CSSOM,
#   which the policy does not restrict.
# - connect-src 'self' covers the same origin's ws:/wss: too (CSP Level 3, every current browser).
# - img-src data: for the icons in Swagger UI's CSS and the dashboard's PNG export.
# /api/docs/ needs one inline <style> of its own (annotator/urls.py widens it for that page only).
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Django's own defaults, spelled out because the tests and the deployment docs rely on them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# MOOT_LOG_FORMAT=json writes one JSON object per line (time, level, logger, process, message,
# and the traceback as exc_info) from every process - web, uvicorn's access log, and workers -
# for a log shipper to parse; "plain" is for people reading a terminal.
MOOT_LOG_FORMAT = os.environ.get("MOOT_LOG_FORMAT", "plain")
if MOOT_LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("MOOT_LOG_FORMAT must be 'plain' or 'json'.")
_LOG_LEVEL = os.environ.get("MOOT_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": MOOT_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # uvicorn sets up its own handlers before Django starts; route them through ours.
        **{
            name: {"handlers": ["console"], "level": _LOG_LEVEL, "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
            if MOOT_LOG_FORMAT == "json"
        },
    },
}
# Celery replaces the root logger's handlers unless told not to; keep ours for JSON.
CELERY_WORKER_HIJACK_ROOT_LOGGER = MOOT_LOG_FORMAT != "json"
