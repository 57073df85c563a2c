"""One settings module for every environment, driven by environment variables.

With nothing set, the project runs on embedded defaults: SQLite and a
filesystem Celery broker under ``var/``, e-mails written to a local outbox.
``DSAR_PRODUCTION=true`` switches to production behaviour and fails loudly
when a value that production needs is missing.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from requests_app.api import API_VERSION

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file next to manage.py, for deployments that prefer it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.bool("DSAR_PRODUCTION", default=False)
VAR_DIR = Path(env.str("DSAR_VAR_DIR", default=str(BASE_DIR / "var")))
if _xdist_worker := env.str("PYTEST_XDIST_WORKER", default=""):
    # The test suite under pytest-xdist (make test): each worker gets its own
    # var dir, as the file cache (cleared by every test), the filesystem broker
    # and the demo databases are files one worker would pull from under another.
    VAR_DIR = VAR_DIR / _xdist_worker
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret(name: str) -> str:
    """A random secret kept in var/ so that embedded runs survive restarts.

    Production never uses this: there, every secret comes from the environment.
    """
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _required_in_production(name: str, local_file: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DSAR_PRODUCTION is true.")
    return _local_secret(local_file)


# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
SECRET_KEY = _required_in_production("SECRET_KEY", ".secret_key")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when DSAR_PRODUCTION is true.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DSAR_PRODUCTION is true.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base URL used in e-mails, where no request is at hand (Celery tasks).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:" + env.str("PORT", default="8000")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "anymail",
    "csp",
    "dsar",
    "dsar.exports",
    "dsar.execution",
    "requests_app",
    "requests_app.api",
    "requests_app.delivery.downloads",
    "requests_app.accounts.two_factor",
    "requests_app.accounts.sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # JSON, never an HTML page, for whatever goes wrong under /api/ before a
    # view answers (a body over the limit, JSON too deep, bad Unicode).
    "config.api_errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the OTP middleware: a single-sign-on session is asked again of the
    # identity provider (groups still mapped to a role?) before any view runs.
    "requests_app.accounts.sso.middleware.SsoSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "requests_app.context_processors.controller",
                "requests_app.workspace.context_processors.workspace",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one SQLite file: wait for the
    # write lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so that tests with threads or a worker share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A connection kept across requests is checked before reuse: after a
    # PostgreSQL restart the first request gets a fresh one, not a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django turns psycopg's prepared statements off, for connection
        # poolers. Only together.prepared_cursor prepares: the statements
        # every submission runs the same (its rows, its lock, the form's
        # open-requests query; dsar/core/together.py), planned once per kept
        # connection instead of on every submission (issue 17); Django's own
        # cursors never prepare. Behind a pooler that cannot keep named
        # statements (PgBouncer's transaction mode before 1.21),
        # DATABASE_PREPARED_STATEMENTS=false.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "prepare_threshold", 5 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and throttles must hold across the web and worker processes, so
# the embedded default is a file cache, not per-process memory.
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, without a new Redis client for every cache call (config/cache.py).
    CACHES["default"]["BACKEND"] = "config.cache.RedisCache"

# ------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:queue"
LOGOUT_REDIRECT_URL = "workspace:login"

# Two-factor sign-in is required for every staff account in production: the
# workspace shows every subject's identity and data, so a password alone is not
# an appropriate measure (Art. 32). Outside production it is off unless turned on.
DSAR_REQUIRE_2FA = env.bool("DSAR_REQUIRE_2FA", default=PRODUCTION)
if PRODUCTION and not DSAR_REQUIRE_2FA:
    raise ImproperlyConfigured(
        "DSAR_REQUIRE_2FA cannot be false when DSAR_PRODUCTION is true: every staff account signs in with "
        "two factors in production. Remove DSAR_REQUIRE_2FA from the environment."
    )
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="DSAR desk")
# django-otp's admin pages never show a seed or a QR code (ours have none anyway).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Single sign-on for staff with OpenID Connect (requests_app.accounts.sso,
# mozilla-django-oidc). Off unless DSAR_OIDC_ISSUER is set. The endpoints come
# from the issuer's discovery document; the client secret only from the
# environment (never the database, never a log line).
DSAR_OIDC_ISSUER = env.str("DSAR_OIDC_ISSUER", default="").rstrip("/")
DSAR_OIDC_PROVIDER_NAME = env.str("DSAR_OIDC_PROVIDER_NAME", default="") or DSAR_OIDC_ISSUER
OIDC_RP_CLIENT_ID = env.str("DSAR_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("DSAR_OIDC_CLIENT_SECRET", default="")
if DSAR_OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("DSAR_OIDC_ISSUER is set: set DSAR_OIDC_CLIENT_ID and DSAR_OIDC_CLIENT_SECRET too.")
# The identity provider's groups claim, and which of its groups give which
# role (comma-separated lists; a person in none of them is refused).
DSAR_OIDC_GROUPS_CLAIM = env.str("DSAR_OIDC_GROUPS_CLAIM", default="groups")
DSAR_OIDC_ROLE_DPO = env.list("DSAR_OIDC_ROLE_DPO", default=[])
DSAR_OIDC_ROLE_AGENT = env.list("DSAR_OIDC_ROLE_AGENT", default=[])
DSAR_OIDC_ROLE_AUDITOR = env.list("DSAR_OIDC_ROLE_AUDITOR", default=[])
# How old (seconds) the last answer of the identity provider about a session's
# groups may be before the next request asks again. 0: every request asks, so
# a person removed from the group loses access at their very next request.
DSAR_OIDC_RECHECK_SECONDS = env.int("DSAR_OIDC_RECHECK_SECONDS", default=0)
OIDC_RP_SCOPES = env.str("DSAR_OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("DSAR_OIDC_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
# Match the ID token's key by its "kid" header (off only for a provider that
# signs without one and publishes a single key).
OIDC_VERIFY_KID = env.bool("DSAR_OIDC_VERIFY_KID", default=True)
OIDC_TIMEOUT = env.float("DSAR_OIDC_TIMEOUT", default=10.0)
OIDC_AUTHENTICATION_CALLBACK_URL = "workspace:sso_callback"
OIDC_CREATE_USER = True
OIDC_REDIRECT_REQUIRE_HTTPS = PRODUCTION
if DSAR_OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("requests_app.accounts.sso.backend.SsoBackend")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workspace/locked.html"

# ------------------------------------------------------------------------------
# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# European English dates (day first, 24-hour clock); see config/formats/en.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("DSAR_TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static and uploaded files
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
if not PRODUCTION:
    # WhiteNoise serves from the finders in development; an empty root keeps it quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded and generated files hold personal data: they live outside the web
# root and are only ever served through views that check permissions.
MEDIA_ROOT = Path(env.str("DSAR_FILES_DIR", default=str(VAR_DIR / "files")))
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ------------------------------------------------------------------------------
# E-mail
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="privacy@dsar.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL_ESP = env.str("ANYMAIL_ESP", default="")  # e.g. "mailgun", "postmark", "amazon_ses"
ANYMAIL = env.json("ANYMAIL", default={})
if ANYMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
elif env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise ImproperlyConfigured("Set ANYMAIL_ESP (with ANYMAIL) or EMAIL_URL when DSAR_PRODUCTION is true.")
else:
    # Embedded default: every message is kept as an .eml file in var/outbox and
    # listed at /dev/outbox/, so a local user can read it without a provider.
    EMAIL_BACKEND = "config.mail.OutboxBackend"
DSAR_OUTBOX_DIR = VAR_DIR / "outbox"
# A mail server that does not answer must not hold a worker forever (seconds).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# How long an unsent message keeps being tried before it is given up, and
# after how long unsent it is shown to the DPO on the dashboard.
DSAR_EMAIL_RETRY_HOURS = env.int("DSAR_EMAIL_RETRY_HOURS", default=72)
DSAR_EMAIL_ALERT_MINUTES = env.int("DSAR_EMAIL_ALERT_MINUTES", default=60)

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
# Embedded default: kombu's SQLAlchemy transport on a SQLite file in WAL mode.
# SQLite serialises concurrent writers (web, worker and beat each enqueue), so
# no message is half-written or lost, unlike the filesystem transport, whose
# JSON files a reader could open mid-write (JSONDecodeError, worker stopped).
# bench/bench_broker.py measures it: 1,000 messages from 4 producers.
_BROKER_FILE = VAR_DIR / "broker.sqlite3"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"sqla+sqlite:///{_BROKER_FILE}")


def _xdist_redis_db(url: str) -> str:
    """Under pytest-xdist on real services (.ci/run), each worker takes its
    own pair of Redis databases below the configured ones (gw0 keeps them,
    gw1 takes two lower...): a test's cache.clear() is a FLUSHDB, and a real
    Celery worker must not take another test database's messages."""
    import re

    index = int(_xdist_worker.removeprefix("gw") or 0)
    match = re.match(r"^(rediss?(?:cache)?://[^/]+/)(\d+)$", url)
    if not index or not match:
        return url
    return f"{match.group(1)}{(int(match.group(2)) - 2 * index) % 16}"


if _xdist_worker:
    CELERY_BROKER_URL = _xdist_redis_db(CELERY_BROKER_URL)
    if "LOCATION" in CACHES["default"] and isinstance(CACHES["default"]["LOCATION"], str):
        CACHES["default"]["LOCATION"] = _xdist_redis_db(CACHES["default"]["LOCATION"])
if CELERY_BROKER_URL.startswith("sqla+sqlite:"):
    import sqlite3

    _broker_path = CELERY_BROKER_URL.split(":///", 1)[1]
    Path(_broker_path).parent.mkdir(parents=True, exist_ok=True)
    # WAL is a property of the file, set once: readers never block the writer.
    with sqlite3.connect(_broker_path, timeout=30) as _broker_db:
        _broker_db.execute("PRAGMA journal_mode=WAL")
    _broker_db.close()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Passed to SQLAlchemy's create_engine: wait for the write lock.
        "connect_args": {"timeout": 30},
    }
# Work is tracked in our own tables (per-source outcomes), so no result backend
# is needed; none keeps the embedded mode free of servers.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process that has grown past this many KiB of resident memory is
# replaced after its current task (never during it): a PDF of thousands of
# records leaves WeasyPrint's caches and a fragmented heap behind, and a
# long-lived child would keep that peak for the rest of its life (issue 17:
# a pool process stays under 250 MB after 200 PDFs). The default, 300 MB, is
# above what one child needs between exports (about 150 MB) and below the
# peak of a large PDF even when rendered in parts (dsar.exports.pdf_parts);
# 0 turns the cap off. Applies to every worker; the export queue is the one
# that needs it (docker-compose.yml).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000) or None
# Celery's Django fix-up closes the database connection around every task
# unless connections are reused; config.celery_app closes them by Django's own
# rule instead (CONN_MAX_AGE, CONN_HEALTH_CHECKS), so the fix-up's own count
# never comes due.
CELERY_DB_REUSE_MAX = 2**31
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}  # filled by config.celery_app from each app's schedule
# A broker that does not answer must not hang a web request: the work is in
# the database already (dsar.queueing), so give up quickly and let the sweepers
# send it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# One queue per kind of work, so that slow sources never delay a verification
# e-mail (issue 16). CELERY_QUEUES_ALL is the one list that `make run`
# (config.run_local), the Procfile and the documented worker commands read.
CELERY_QUEUE_EMAIL = "email"
CELERY_QUEUE_GATHERING = "gathering"
CELERY_QUEUE_EXPORTS = "exports"
CELERY_QUEUE_WEBHOOKS = "webhooks"
CELERY_TASK_DEFAULT_QUEUE = "default"  # periodic housekeeping and everything unrouted
CELERY_QUEUES_ALL = [
    CELERY_TASK_DEFAULT_QUEUE,
    CELERY_QUEUE_EMAIL,
    CELERY_QUEUE_GATHERING,
    CELERY_QUEUE_EXPORTS,
    CELERY_QUEUE_WEBHOOKS,
]
# Declared, so that a worker started without --queues (docker-compose, the CI
# scripts, `make run`) consumes every one of them; `--queues email` narrows it.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in CELERY_QUEUES_ALL]
CELERY_TASK_ROUTES = {
    "requests_app.tasks.deliver_email": {"queue": CELERY_QUEUE_EMAIL},
    "requests_app.tasks.deliver_pending_emails": {"queue": CELERY_QUEUE_EMAIL},
    "dsar.tasks.*": {"queue": CELERY_QUEUE_GATHERING},
    "dsar.execution.tasks.*": {"queue": CELERY_QUEUE_GATHERING},
    "requests_app.downloads.tasks.*": {"queue": CELERY_QUEUE_EXPORTS},
    "requests_app.delivery.tasks.*": {"queue": CELERY_QUEUE_EXPORTS},
    "requests_app.api.tasks.*": {"queue": CELERY_QUEUE_WEBHOOKS},
}

# ------------------------------------------------------------------------------
# REST framework
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Deep JSON and bad Unicode are a 400 in plain words (config.api_errors).
    "DEFAULT_PARSER_CLASSES": [
        "config.api_errors.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DSAR desk API",
    "DESCRIPTION": "Data-subject requests under the GDPR: intake, workflow, exports and webhooks.",
    # One place for the contract's version (requests_app/api/__init__.py).
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    # The paths start with /api/v1/: a client is given the site's address
    # (SITE_URL); this one is the local server of `make run`.
    # Relative: the server the documentation is read from (make run on any PORT,
    # or SITE_URL in production), so "Try it out" calls the same origin (CSP
    # connect-src 'self') and the committed contract is the same everywhere.
    "SERVERS": [{"url": "/", "description": "This desk (the server this schema is read from)"}],
    "LICENSE": {"name": "EUPL-1.2", "url": "https://spdx.org/licenses/EUPL-1.2.html"},
    # The documentation pages load Swagger UI and Redoc from this server, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RequestTypeEnum": "requests_app.models.RequestType",
        "RequestStatusEnum": "requests_app.models.Status",
        "LanguageEnum": "requests_app.models.Language",
        "RejectionReasonEnum": "requests_app.models.RejectionReason",
        "RetentionHoldReasonEnum": "requests_app.models.HoldReason",
        "OperationEnum": "dsar.models.Operation",
        "ChannelEnum": "requests_app.models.Channel",
        "InboxSourceEnum": "requests_app.inbox.models.InboxSource",
        "InboxStateEnum": "requests_app.inbox.models.InboxState",
        "StaffChannelEnum": "requests_app.api.serializers.intake.STAFF_CHANNELS",
        "SourceStatusEnum": "dsar.models.SourceRun.Status",
        "PlanStatusEnum": "dsar.execution.models.Plan.Status",
        "PlanItemStatusEnum": "dsar.execution.models.PlanItem.Status",
        "PlanActionEnum": "dsar.execution.models.Action",
        "KeepReasonEnum": "dsar.execution.models.Exception17",
        "LiftReasonEnum": "requests_app.execution.services.LiftReason",
        "PlanItemChangeEnum": "requests_app.api.serializers.plan.ITEM_CHANGES",
        "PlanWarningCodeEnum": "requests_app.api.serializers.plan.WARNING_CODES",
        "TransmissionDecisionEnum": "requests_app.api.serializers.requests.TRANSMISSION_DECISIONS",
        "ExportFormatEnum": "requests_app.api.serializers.exports.EXPORT_FORMATS",
        "ManualTaskStatusEnum": "dsar.models.ManualTask.Status",
        "RestrictionGroundEnum": "requests_app.intake.details.RestrictionGround",
        "ErasureScopeEnum": "requests_app.api.serializers.type_details.ERASURE_SCOPES",
        "PortabilityFormatEnum": "requests_app.api.serializers.type_details.PORTABILITY_FORMATS",
        "EventKindEnum": "requests_app.api.serializers.requests.EVENT_KINDS",
        "RequestActionEnum": "requests_app.api.serializers.requests.REQUEST_ACTIONS",
        "PlanAllowedActionEnum": "requests_app.api.serializers.plan.PLAN_ACTIONS",
        "IdentityCheckEnum": "requests_app.models.IdentityCheck",
        "FeeGroundEnum": "requests_app.api.serializers.checks.FEE_GROUNDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "requests_app.api.schema_hooks.request_submission_any_of",
        "requests_app.api.schema_hooks.client_ready",
    ],
}
# API throttles (requests per period, per IP for the public intake, per user for staff).
DSAR_API_PUBLIC_RATE = env.str("DSAR_API_PUBLIC_RATE", default="20/minute")
DSAR_API_STAFF_RATE = env.str("DSAR_API_STAFF_RATE", default="1200/minute")

# ------------------------------------------------------------------------------
# The product's own settings (DSAR_*)
# ------------------------------------------------------------------------------
# Art. 12(3) deadlines follow Regulation 1182/71 with this country's holidays.
DSAR_HOLIDAY_COUNTRY = env.str("DSAR_HOLIDAY_COUNTRY", default="BE")
DSAR_HOLIDAY_SUBDIVISION = env.str("DSAR_HOLIDAY_SUBDIVISION", default="") or None
DSAR_INTERNAL_TARGET_DAYS = env.int("DSAR_INTERNAL_TARGET_DAYS", default=28)
# The GDPR has no legal pause; this only moves the internal target.
DSAR_PAUSE_MOVES_INTERNAL_TARGET = env.bool("DSAR_PAUSE_MOVES_INTERNAL_TARGET", default=True)
DSAR_VERIFICATION_DAYS = env.int("DSAR_VERIFICATION_DAYS", default=7)
# Only an exact double (same right, same details, same address) submitted
# within this many hours is joined to the open request; anything else is a
# new request (a second objection to another activity is not a duplicate).
DSAR_DUPLICATE_WINDOW_HOURS = env.int("DSAR_DUPLICATE_WINDOW_HOURS", default=24)
# Art. 18(3): working days between the notice to the subject leaving the
# outbox and the lifting of the restriction in the sources.
DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS = env.int("DSAR_RESTRICTION_LIFT_LEAD_WORKING_DAYS", default=2)
# Patient Rights Act of 22 August 2002, art. 9 §2: a patient's access within
# 15 days of the request, counted from our day of receipt (the care provider's
# deadline, told when the request is forwarded), rolled to a working day as
# Regulation 1182/71 does for the GDPR's. Reminders go this many days before.
DSAR_PATIENT_RIGHTS_DAYS = env.int("DSAR_PATIENT_RIGHTS_DAYS", default=15)
DSAR_PATIENT_REMINDER_DAYS_BEFORE = env.int("DSAR_PATIENT_REMINDER_DAYS_BEFORE", default=3)
# EDPB Guidelines 01/2022 advise against keeping copies of identity documents:
# once the DPO records the identity check, the subject's documents go.
DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK = env.bool("DSAR_DELETE_ID_DOCUMENTS_AFTER_CHECK", default=True)
DSAR_DOWNLOAD_DAYS = env.int("DSAR_DOWNLOAD_DAYS", default=30)
# Retention of the desk's own records (requests_app.retention). The law fixes
# no period: payloads (attachments, messages, notes, identity, gathered data)
# go soon after a request ends; the decision log and metadata stay longer to
# demonstrate compliance (Art. 5(2)), then go too (Art. 5(1)(e)).
DSAR_PAYLOAD_RETENTION_DAYS = env.int("DSAR_PAYLOAD_RETENTION_DAYS", default=90)
DSAR_RECORD_RETENTION_YEARS = env.int("DSAR_RECORD_RETENTION_YEARS", default=5)
if DSAR_PAYLOAD_RETENTION_DAYS < 1 or DSAR_RECORD_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("DSAR_PAYLOAD_RETENTION_DAYS and DSAR_RECORD_RETENTION_YEARS must be at least 1.")
if DSAR_PAYLOAD_RETENTION_DAYS > DSAR_RECORD_RETENTION_YEARS * 365:
    raise ImproperlyConfigured("DSAR_PAYLOAD_RETENTION_DAYS cannot be longer than DSAR_RECORD_RETENTION_YEARS.")
# Key for files and fields encrypted at rest (Fernet, urlsafe base64, 32 bytes).
# Several keys separated by commas allow rotation: the first encrypts.
DSAR_ENCRYPTION_KEYS = env.list("DSAR_ENCRYPTION_KEYS", default=[])
if not DSAR_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("DSAR_ENCRYPTION_KEYS must be set when DSAR_PRODUCTION is true.")
    _key_file = VAR_DIR / ".encryption_key"
    if not _key_file.exists():
        from cryptography.fernet import Fernet

        _key_file.write_text(Fernet.generate_key().decode())
        _key_file.chmod(0o600)
    DSAR_ENCRYPTION_KEYS = [_key_file.read_text().strip()]
# Key of the audit trail's hash chain (HMAC), so that a person with write access
# to the database alone cannot forge a consistent chain.
DSAR_AUDIT_KEY = _required_in_production("DSAR_AUDIT_KEY", ".audit_key")
# Key of erasure by keyed hash (dsar.execution), kept apart from the data and
# from SECRET_KEY: masked values must stay the same hashes across a rotation of
# SECRET_KEY, or duplicates of an erased value would no longer be recognisable.
DSAR_ERASURE_HASH_KEY = _required_in_production("DSAR_ERASURE_HASH_KEY", ".erasure_hash_key")
DSAR_DEMO_DIR = VAR_DIR / "demo"
# The demo marketing API (/demo/marketing/, never in production) asks for this
# bearer token when it is set, as a real platform would; empty: no token asked.
DSAR_DEMO_MARKETING_TOKEN = env.str("DSAR_DEMO_MARKETING_TOKEN", default="")

# The public request form (requests_app.intake): rate limits per client IP
# address and per e-mail address ("count/window", several allowed), and the
# subject's attachments to a reply.
DSAR_INTAKE_RATES_PER_IP = env.list("DSAR_INTAKE_RATES_PER_IP", default=["10/h", "30/d"])
# Room for one person using every right at once (seven), while a stranger
# cannot flood someone's mailbox with confirmation e-mails.
DSAR_INTAKE_RATES_PER_EMAIL = env.list("DSAR_INTAKE_RATES_PER_EMAIL", default=["8/h", "20/d"])
DSAR_NEW_LINK_RATES = env.list("DSAR_NEW_LINK_RATES", default=["5/h", "20/d"])
# One-time download codes asked from one client IP address, across every link
# (requests_app.delivery; each link also waits a minute between two codes).
DSAR_DOWNLOAD_CODE_RATES_PER_IP = env.list("DSAR_DOWNLOAD_CODE_RATES_PER_IP", default=["10/h", "30/d"])
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Behind one TLS proxy, set 1; otherwise every
# visitor would share the proxy's address and its rate limit.
DSAR_TRUSTED_PROXY_COUNT = env.int("DSAR_TRUSTED_PROXY_COUNT", default=0)
# DRF's throttles read the client address the same way: with NUM_PROXIES unset
# they would key on a client-supplied X-Forwarded-For.
REST_FRAMEWORK["NUM_PROXIES"] = DSAR_TRUSTED_PROXY_COUNT
# Sources (dsar.netpolicy, dsar.connectors): hosts and networks a connector may
# reach although they are private or local (e.g. "crm-db.internal,10.20.0.0/16").
DSAR_SOURCE_ALLOWED_HOSTS = env.list("DSAR_SOURCE_ALLOWED_HOSTS", default=[])
# The only environment variables a connector may read its secrets from: the
# desk's own (SECRET_KEY, DATABASE_URL, DSAR_ENCRYPTION_KEYS...) stay home.
DSAR_SOURCE_ENV_PREFIX = "DSAR_SOURCE_"
# The largest answer an HTTP source may send for one call (read as a stream).
DSAR_SOURCE_MAX_RESPONSE_BYTES = env.int("DSAR_SOURCE_MAX_RESPONSE_BYTES", default=20 * 1024 * 1024)
# How deep a JSON body sent to the API may nest (deeper: 400, never a crash).
DSAR_API_MAX_JSON_DEPTH = 64
# Creating or changing a connector in the workspace or the admin asks for a
# second factor confirmed this recently (minutes).
DSAR_RECENT_2FA_MINUTES = env.int("DSAR_RECENT_2FA_MINUTES", default=15)
DSAR_ATTACHMENT_MAX_MB = env.int("DSAR_ATTACHMENT_MAX_MB", default=5)
DSAR_ATTACHMENT_MAX_FILES = env.int("DSAR_ATTACHMENT_MAX_FILES", default=3)

# The privacy mailbox (requests_app.inbox). A whole message over DSAR_INBOX_MAX_MB
# is refused; each attachment is held to DSAR_ATTACHMENT_MAX_MB and its type.
DSAR_INBOX_MAX_MB = env.int("DSAR_INBOX_MAX_MB", default=25)
DSAR_INBOX_MAX_FILES = env.int("DSAR_INBOX_MAX_FILES", default=10)
# IMAP polling: the host, the account and the password are read from the
# environment only (never a file in the repository). Empty host: no polling.
DSAR_INBOX_IMAP_HOST = env.str("DSAR_INBOX_IMAP_HOST", default="")
DSAR_INBOX_IMAP_PORT = env.int("DSAR_INBOX_IMAP_PORT", default=993)
DSAR_INBOX_IMAP_USER = env.str("DSAR_INBOX_IMAP_USER", default="")
DSAR_INBOX_IMAP_PASSWORD = env.str("DSAR_INBOX_IMAP_PASSWORD", default="")
DSAR_INBOX_IMAP_FOLDER = env.str("DSAR_INBOX_IMAP_FOLDER", default="INBOX")
# "ssl" (port 993), "starttls" (port 143), or "none" (a local test server only:
# check --deploy warns about it).
DSAR_INBOX_IMAP_SECURITY = env.str("DSAR_INBOX_IMAP_SECURITY", default="ssl")
DSAR_INBOX_POLL_SECONDS = env.int("DSAR_INBOX_POLL_SECONDS", default=120)
# Storage limitation (Art. 5(1)(e)): an e-mail made into a request (or added to
# one) lives on in the request; its inbox copy is redacted after
# DSAR_INBOX_HANDLED_DAYS. A dismissed one is redacted after DSAR_INBOX_DISMISSED_DAYS.
DSAR_INBOX_HANDLED_DAYS = env.int("DSAR_INBOX_HANDLED_DAYS", default=30)
DSAR_INBOX_DISMISSED_DAYS = env.int("DSAR_INBOX_DISMISSED_DAYS", default=90)
# A watched folder: .eml files dropped in it become inbox items (then move to
# imported/ or refused/). On by default outside production, so that `make run`
# can be tried without a mailbox; empty: off.
DSAR_INBOX_DROP_DIR = env.str("DSAR_INBOX_DROP_DIR", default="" if PRODUCTION else str(VAR_DIR / "inbox-drop"))

# ------------------------------------------------------------------------------
# Security (production)
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles from this server or
# carrying the page's nonce, nothing framed, nothing posted elsewhere. A page
# that needs more says so with a decorator (config.csp: the API docs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# No page of the desk uses these browser features (config.headers).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "xr-spatial-tracking=(), interest-cohort=()"
)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# ------------------------------------------------------------------------------
# Logging: never personal data or secrets in plain text (see config.logging).
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.logging.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # httpx logs every request URL at INFO; a source's URL carries the
        # subject's identifiers (dsar.connectors.http).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# A form posted without its CSRF token gets a page that explains what to do.
CSRF_FAILURE_VIEW = "requests_app.intake.views.csrf_failure"
