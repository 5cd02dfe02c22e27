"""Settings shared by every environment; everything that varies is read from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Every file the running portal writes (SQLite database, uploads, the filesystem broker's folders,
# beat's schedule) lives under var/; DJANGO_VAR_DIR moves it elsewhere. Created at the end of this file.
VAR_DIR = Path(env("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "portal.units",
    "portal.accounts",
    "procedures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.VietnameseFirstLocaleMiddleware",
    # Errors under /api/ are JSON whatever produced them (runs after the language is chosen).
    "portal.middleware.ApiErrorsAsJsonMiddleware",
    # Before any view, form or query: a NUL byte anywhere in the input is a 400, never a database error.
    "portal.middleware.RejectUnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "procedures.context_processors.notifications",
            ],
        },
    },
]

# SQLite by default so `make run` needs no server; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.PhoneOrEmailBackend",
    "portal.accounts.permissions.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Our users have no first/last name but a phone, which is the first thing people reuse.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "phone", "email")},
    },
    {"NAME": "portal.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Language: Vietnamese first, English second; times shown in Hanoi time, stored in UTC.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_COOKIE_NAME = "motcua_language"
# The switcher is a plain form post, so no script needs to read the cookie.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).
REDIS_URL = env("REDIS_URL", default="")
CELERY_FS_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Redis redelivers an unacknowledged task after visibility_timeout: longer than any countdown or retry
    # delay (portal.celery checks this at import), so a task is never run twice because it waited.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 3600)}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "store_processed": False,
        # The broadcast (pidbox, mingle, gossip) exchange table; kombu's default is ./control.
        "control_folder": str(CELERY_FS_DIR / "control"),
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_FS_DIR / "beat-schedule")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = False
# JSON only: no pickle from the broker.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Every task has limits (a task may lower them): the soft one raises inside the task, the hard one kills it.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# The longest countdown or retry delay any task uses; visibility_timeout must exceed it.
CELERY_MAX_COUNTDOWN = 3600
# Exactly one beat: the scheduler ticks only while it holds a Redis lock (portal.celery_beat).
CELERY_BEAT_SCHEDULER = "portal.celery_beat:LockedScheduler"
CELERY_BEAT_LOCK_SECONDS = env.int("CELERY_BEAT_LOCK_SECONDS", default=60)

# /he-thong/suc-khoe/ (portal.monitoring): superusers and unit admins, or a monitoring tool sending
# "Authorization: Bearer <HEALTH_TOKEN>" (empty: no token accepted). The worker ping waits HEALTH_PING_TIMEOUT s.
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
HEALTH_PING_TIMEOUT = env.float("HEALTH_PING_TIMEOUT", default=1.0)

# The deadline sweep (procedures.services.deadline_sweep), run by beat every DEADLINE_SWEEP_INTERVAL seconds.
DEADLINE_SWEEP_INTERVAL = env.int("DEADLINE_SWEEP_INTERVAL", default=300)
# "Due soon": within this much working time of the due time (same-day procedures: the hours, not the days).
DEADLINE_DUE_SOON_WORKING_DAYS = env.int("DEADLINE_DUE_SOON_WORKING_DAYS", default=1)
DEADLINE_DUE_SOON_SAME_DAY_WORKING_HOURS = env.int("DEADLINE_DUE_SOON_SAME_DAY_WORKING_HOURS", default=1)
# Feedback and complaints (procedures.services.feedback): working days to answer one, counted on the unit's
# calendar from its receipt. Default 15: a provincial procedure sheet citing Decree 20/2008/NĐ-CP as amended by
# Decree 92/2017/NĐ-CP gives "không quá 15 ngày làm việc"; the decrees' own article could not be read to confirm.
FEEDBACK_RESPONSE_WORKING_DAYS = env.int("FEEDBACK_RESPONSE_WORKING_DAYS", default=15)
# Open feedback is "due soon" within this many working days of its due time (the sweep's flag).
FEEDBACK_DUE_SOON_WORKING_DAYS = env.int("FEEDBACK_DUE_SOON_WORKING_DAYS", default=2)
# Public feedback form: at most this many submissions per client address per LOOKUP_RATE_WINDOW_SECONDS.
FEEDBACK_SUBMIT_RATE_PER_CLIENT = env.int("FEEDBACK_SUBMIT_RATE_PER_CLIENT", default=5)
# The outbox relay (beat, every OUTBOX_RELAY_INTERVAL s) re-enqueues e-mail rows undelivered after
# OUTBOX_RELAY_AFTER s: a hand-off lost with a dead worker or broker is delivered anyway.
OUTBOX_RELAY_INTERVAL = env.int("OUTBOX_RELAY_INTERVAL", default=60)
OUTBOX_RELAY_AFTER = env.int("OUTBOX_RELAY_AFTER", default=120)
# After this many failed sends a row is left for an operator (it stays undelivered, visible in the admin/DB).
OUTBOX_MAX_ATTEMPTS = 20
# A control-slip step is due soon within this many working minutes of its allotment's end.
DEADLINE_STEP_DUE_SOON_WORKING_MINUTES = env.int("DEADLINE_STEP_DUE_SOON_WORKING_MINUTES", default=60)

CACHES = {
    "default": (
        {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Một Cửa API",
    "DESCRIPTION": "API of the ward one-stop desk portal (catalogue, deadlines, dossiers).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's toggle button: nested controls a screen reader cannot reach.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # One name for the dossier statuses, however many serializers list them.
    "ENUM_NAME_OVERRIDES": {"DossierStatusEnum": "procedures.domain.workflow.DossierStatus.values"},
}

# Login lockout: a cool-off, never a permanent lock.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# Failures count per account whatever login was typed, and per client address with a higher limit
# (portal/accounts/lockout.py explains both); the owner lifts the lock by resetting the password.
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.lockout_key"
AXES_HANDLER = "portal.accounts.lockout.AccountOrAddressHandler"
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_CLIENT_IP_CALLABLE = "portal.accounts.lockout.client_ip"
# Proxies in front of the portal that append to X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The lock lasts one cool-off from the failure that set it: more guesses during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Password reset by e-mail: console in development, SMTP from EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Một Cửa <no-reply@motcua.local>")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
# Requests per client address per window (seconds) for the reset form, and for registrations that hit an
# existing account: enough for a person, too few to probe which phones or citizen IDs are registered.
PASSWORD_RESET_RATE = (env.int("PASSWORD_RESET_PER_HOUR", default=5), 3600)
REGISTRATION_CONFLICT_RATE = (env.int("REGISTRATION_CONFLICTS_PER_HOUR", default=5), 3600)

# Content Security Policy: every asset is ours, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Where to report a security problem (an e-mail or https address), published at /.well-known/security.txt
# (RFC 9116) and in SECURITY.md; the file answers 404 until it is set.
SECURITY_CONTACT = env("SECURITY_CONTACT", default="")

# The unit whose calendar answers public questions when none is named (the demo's Hoàng Liệt).
DEFAULT_UNIT_CODE = env("DEFAULT_UNIT_CODE", default="H26.08.04")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO, fontTools every font subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Demo data (seed_demo) is never allowed in production.
DEMO_DATA_ALLOWED = True
# seed_demo's year of history across the 14 demo wards (dossiers; made once). Sized for `make run` on SQLite.
DEMO_HISTORY_DOSSIERS = env.int("DEMO_HISTORY_DOSSIERS", default=30_000)
# Lockout is by account, and by address only at a higher limit (AXES_IP_FAILURE_LIMIT): a ward office's
# kiosks share one public address and one citizen's mistakes must not lock out the whole queue.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Every login attempt is logged (successes in AccessLog, failures in AccessFailureLog) and kept
# for a bounded time: personal data is kept no longer than needed (Decree 356/2025/NĐ-CP).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_LOG_RETENTION_DAYS = env.int("LOGIN_LOG_RETENTION_DAYS", default=180)

# Catalogue import in the admin: larger uploads are refused (10 MB is about 2,500 procedures, imported in
# about 10 s); files with more rows than CATALOGUE_IMPORT_BACKGROUND_ROWS are imported by the Celery worker
# with progress shown in the admin, so no request runs into the server's timeout.
CATALOGUE_IMPORT_MAX_BYTES = env.int("CATALOGUE_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
CATALOGUE_IMPORT_BACKGROUND_ROWS = env.int("CATALOGUE_IMPORT_BACKGROUND_ROWS", default=200)
# Dossier uploads (PDF, JPEG, PNG): per file, per dossier (all files of one submission or supplement), count.
DOSSIER_MAX_FILE_BYTES = env.int("DOSSIER_MAX_FILE_BYTES", default=10 * 1024 * 1024)
DOSSIER_MAX_TOTAL_BYTES = env.int("DOSSIER_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
DOSSIER_MAX_FILES = env.int("DOSSIER_MAX_FILES", default=30)
# The online form's review step keeps checked uploads in MEDIA_ROOT/dossier-drafts/ (procedures/services/
# dossier_drafts.py); an abandoned draft is deleted by the daily sweep after this long.
DOSSIER_DRAFT_TTL = timedelta(hours=env.int("DOSSIER_DRAFT_TTL_HOURS", default=24))

# The desk queue's "due soon": dossiers due within this many working hours (on the unit's calendar).
DOSSIER_DUE_SOON_WORKING_HOURS = env.int("DOSSIER_DUE_SOON_WORKING_HOURS", default=8)

# Uploaded files that no dossier document names (a crash between file write and commit) are deleted by
# the nightly sweep once older than this; younger ones may belong to a submission still in flight.
DOSSIER_ORPHAN_GRACE_HOURS = env.int("DOSSIER_ORPHAN_GRACE_HOURS", default=24)
# Public dossier lookup (code + applicant's phone): at most this many lookups per client address and per
# dossier code in each fixed window, so neither a phone nor a code can be guessed by brute force.
LOOKUP_RATE_PER_CLIENT = env.int("LOOKUP_RATE_PER_CLIENT", default=30)
LOOKUP_RATE_PER_CODE = env.int("LOOKUP_RATE_PER_CODE", default=10)
LOOKUP_RATE_WINDOW_SECONDS = env.int("LOOKUP_RATE_WINDOW_SECONDS", default=600)
# The lookup's query is a prepared statement on PostgreSQL (planned once per connection). Turn this off behind
# a connection pooler that hands transactions, not sessions, to clients (PgBouncer's transaction pooling).
LOOKUP_PREPARED_STATEMENT = env.bool("LOOKUP_PREPARED_STATEMENT", default=True)

# Printed slips and e-mails: the absolute address their QR codes and links point to (the public lookup), and
# the rating page: "{code}" is replaced by the dossier code and "{token}" by its signed token
# (procedures.rating_links), so the link opens the rating form without asking for the phone.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
RATING_URL = env("RATING_URL", default=PUBLIC_BASE_URL.rstrip("/") + "/danh-gia/{code}/?k={token}")
# A signed rating link is printed on the receipt, so it must outlive the dossier's processing.
RATING_LINK_MAX_AGE_DAYS = env.int("RATING_LINK_MAX_AGE_DAYS", default=180)

# A fresh checkout has no var/: create the runtime folders here, so `manage.py migrate` (SQLite in
# var/) works before `make run` ever has. Idempotent, and a few mkdir calls per process start.
for _runtime_dir in (VAR_DIR, Path(MEDIA_ROOT), *(CELERY_FS_DIR / name for name in ("queue", "processed", "control"))):
    _runtime_dir.mkdir(parents=True, exist_ok=True)
