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
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(
            dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=int(os.environ.get("MOOT_DB_CONN_MAX_AGE", "60")),
                conn_health_checks=True,
            )
        )
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
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
REST_KNOX = {
    # Tokens are for scripts and training jobs: they live until revoked.
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Moot API",
    "DESCRIPTION": "Preference data labeling: projects, items, annotations, judges and exports.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOOT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
