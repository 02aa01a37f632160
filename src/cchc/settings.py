"""Settings, all from environment variables (twelve-factor, as Healthchecks does).

DATABASE_URL   sqlite:///path or postgres://user@host:port/name (default: SQLite in CCHC_DATA_DIR)
SECRET_KEY     required when DEBUG is off: production refuses the built-in default
DEBUG          1/true to enable debug mode (default off)
ALLOWED_HOSTS  comma-separated (default 127.0.0.1,localhost)
CCHC_DATA_DIR  where the SQLite file and uploads live (default ./var)
CACHE_URL      where pages keep what they compute (default: files in CCHC_DATA_DIR/cache; Redis in production)
"""

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR") or Path.cwd() / "var").resolve()

DEFAULT_SECRET_KEY = "cchc-insecure-default-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEFAULT_SECRET_KEY
DEBUG = env_bool("DEBUG")
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in default: set the SECRET_KEY environment variable (or DEBUG=1 for a local demo)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "auditlog",
    "axes",
    # Django's tasks API (the `django-tasks` backport) with its database backend: long work runs in `cchc worker`.
    "django_tasks",
    "django_tasks_db",
    "cchc.core",
    "cchc.accounts",
    "cchc.units",
    "cchc.reorganisation",
    "cchc.plans",
    "cchc.workdays",
    "cchc.dossiers",
    "cchc.indicators",
    "cchc.review",
    "cchc.agencyplans",
    "cchc.progress",
    "cchc.reports",
    "cchc.reminders",
    "cchc.dashboard",
    "cchc.documents",
    "cchc.scorecards",
    "cchc.public",
    "cchc.scoring",
    "cchc.targets",
    "cchc.home",
    "cchc.demo",  # the demo seeders: on top of every other app
]

MIDDLEWARE = [
    # First: every log line of the request carries its id; a busy database or a concurrent change is answered plainly.
    "cchc.core.middleware.RequestIdMiddleware",
    "cchc.core.middleware.BusyOrConflictMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.core.middleware.VietnameseFirstLocaleMiddleware",
    # Oversized bodies are refused from their Content-Length, before CSRF or a view reads them.
    "cchc.core.middleware.UploadSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cchc.core.middleware.IdleSessionMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

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
                "cchc.accounts.context_processors.account",
                "cchc.reminders.context_processors.unread_notices",
            ],
            "builtins": ["cchc.formats.template_filters"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes. Every write transaction takes the write lock when it begins
    # (IMMEDIATE), so concurrent writers queue on the busy timeout instead of failing half-way with "database is
    # locked". A web request waits up to SQLITE_BUSY_TIMEOUT (below the server's request timeout; then it is answered
    # 503 "busy, try again"), a task worker up to SQLITE_WORKER_BUSY_TIMEOUT (longer than the longest import).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "50")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def cache_from_url(url: str) -> dict:
    """CACHE_URL → a Django cache: file:///path (files shared by the web workers of one machine, nothing else to run:
    the default, in CCHC_DATA_DIR/cache), redis://… or rediss://… (Redis, shared by every web worker and machine;
    needs the `redis` package), locmem:// (each process's own memory), dummy:// (no cache)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else (url or "locmem")
    entries = int(os.environ.get("CACHE_MAX_ENTRIES", "1000"))
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": entries}}
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.split("://", 1)[1],
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL {url!r}: use locmem://, redis://host:port/db, file:///path or dummy://")


# Pages keep what they compute from the stored figures here, keyed on the data version (cchc.core.pagecache).
# The default is shared by every web worker of the machine (measured: a page computed once per data version, not once
# per worker, halves the CPU per request under imports compared with each worker's own memory).
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL") or f"file://{DATA_DIR / 'cache'}")}
# How long a kept page part may live at most (0: pages compute everything at every request).
CCHC_PAGE_CACHE_SECONDS = int(os.environ.get("CCHC_PAGE_CACHE_SECONDS", "3600"))


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses further attempts for a while (django-axes); then the usual backend.
    "axes.backends.AxesStandaloneBackend",
    # One address may fail LOGIN_ADDRESS_FAILURE_LIMIT times in all (every username together) per cool-off time.
    "cchc.accounts.throttle.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, whatever the browser asks for; English when the user picks it (a cookie).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates dd/mm/yyyy in and out, numbers 1.050,5 (cchc/formats/<lang>/formats.py). USE_THOUSAND_SEPARATOR stays off:
# it would group every integer a template prints, ids and years in links included ("/reports/1.234/"); figures are
# grouped by `floatformat` (grouping by default, cchc.formats.template_filters), `num`, `percent` and the forms.
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored htmx and Pico, our CSS
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads above this size are refused with a clear message (the command line has no limit).
CCHC_MAX_UPLOAD_BYTES = int(os.environ.get("CCHC_MAX_UPLOAD_MB", "512")) * 2**20
# Evidence files and signed documents (PDF, DOCX, XLSX, PNG, JPEG; the type is checked from the content).
CCHC_MAX_EVIDENCE_BYTES = int(os.environ.get("CCHC_MAX_EVIDENCE_MB", "20")) * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20  # larger uploads stream to a temporary file
# Paths whose uploads are imports (up to CCHC_MAX_UPLOAD_MB); any other upload is bounded by CCHC_MAX_EVIDENCE_MB.
CCHC_IMPORT_UPLOAD_PATHS = ("/dossiers/import/", "/api/imports/", "/scoring/sets/import/")
# Uploaded import files (and their error reports) are removed this many days after the upload.
CCHC_IMPORT_KEEP_DAYS = float(os.environ.get("CCHC_IMPORT_KEEP_DAYS", "30"))

AUDITLOG_DISABLE_REMOTE_ADDR = False

# Reminders: e-mail through SMTP when EMAIL_HOST is set, otherwise written to the console (and always in-app).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Reminders: first notice this many days before the deadline, second when this few remain (tomorrow/today).
CCHC_REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "7"))
CCHC_REMINDER_SOON_DAYS = int(os.environ.get("REMINDER_SOON_DAYS", "1"))
CCHC_REMINDER_RETRY_DAYS = int(os.environ.get("REMINDER_RETRY_DAYS", "7"))  # unsent e-mails are retried this long
# Periodic reports: day of the period's last month by which each level reports (Decree 09/2019 leaves it to the
# province; the Ministry's own deadline is the 20th).
CCHC_REPORT_DUE_DAY_DEPARTMENT = int(os.environ.get("CCHC_REPORT_DUE_DAY_DEPARTMENT", "15"))
CCHC_REPORT_DUE_DAY_DISTRICT = int(os.environ.get("CCHC_REPORT_DUE_DAY_DISTRICT", "17"))
CCHC_REPORT_DUE_DAY_COMMUNE = int(os.environ.get("CCHC_REPORT_DUE_DAY_COMMUNE", "15"))
# The address of the site in e-mails (links back to the item).
# The province this installation serves (statistics-office code): exports and pages default to it; for a date
# before it existed, the provinces it succeeded (through the unit events) stand for it.
CCHC_PROVINCE = os.environ.get("CCHC_PROVINCE", "68")
CCHC_SITE_URL = os.environ.get("CCHC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# API tokens expire this many days after they are made (their owner makes a new one on /account/).
CCHC_API_TOKEN_DAYS = int(os.environ.get("CCHC_API_TOKEN_DAYS", "90"))
# One-time links to set or reset a password work this long (and once).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_HOURS", "72")) * 3600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Idle timeout: a session ends after this many minutes without a request (cchc.core.middleware.IdleSessionMiddleware
# pushes the expiry on, at most once a minute).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "60")) * 60

# HTTPS. Production sits behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips any
# such header from clients): trusted when BEHIND_PROXY is on (default when DEBUG is off). Plain HTTP is redirected
# to HTTPS and browsers are told to use HTTPS only (HSTS) unless DEBUG is on or the variables turn them off.
if env_bool("BEHIND_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # load balancers' health checks over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from this site (no CDN is used); the few inline
# scripts carry the request's nonce; no framing, no plugins, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF, csp_constants.NONCE],
        "style-src": [csp_constants.SELF, csp_constants.UNSAFE_INLINE],  # style="" attributes in templates
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
        "form-action": [csp_constants.SELF],
    }
}

REST_FRAMEWORK = {
    # Token first: an unauthenticated or bad-token request answers 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cchc.accounts.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The one permission path (cchc.accounts.access): rows through restrict(), actions through may().
    "DEFAULT_PERMISSION_CLASSES": ["cchc.accounts.drf.May"],
    "DEFAULT_FILTER_BACKENDS": [
        "cchc.accounts.drf.RestrictFilterBackend",
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "cchc.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,  # the page size; ?limit= asks for more, up to CCHC_API_MAX_PAGE_SIZE
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": _("Administrative-reform plan, units and indicators of the province"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Agency plans and reports share the review states; one enum in the schema, not two colliding ones.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "cchc.review.models.ReviewState",
        "WorkflowStateEnum": "cchc.review.models.StepState",  # a step's from/to state, in any workflow
        "TaskStatusEnum": "cchc.plans.models.Task.Status",
        "JobStatusEnum": "cchc.core.models.Job.Status",
        "TargetStatusEnum": ["met", "on_track", "at_risk", "missed", "no_data"],
    },
}

# Long work (imports, recomputes, documents, large exports, reminders) runs as tasks in `cchc worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker writes its heartbeat this often; one silent for CCHC_WORKER_LEASE seconds (or whose process is gone, on
# the same machine) is dead: its running job is re-queued (up to CCHC_JOB_ATTEMPTS runs in all) or marked failed.
CCHC_WORKER_HEARTBEAT = float(os.environ.get("CCHC_WORKER_HEARTBEAT", "5"))
CCHC_WORKER_LEASE = float(os.environ.get("CCHC_WORKER_LEASE", "60"))
CCHC_JOB_ATTEMPTS = int(os.environ.get("CCHC_JOB_ATTEMPTS", "2"))
# The daily reminders, enqueued by the workers (no cron): local time of day, empty to switch off.
CCHC_REMINDERS_AT = os.environ.get("CCHC_REMINDERS_AT", "07:00")
# Locks that serialise work (files on SQLite; PostgreSQL uses advisory locks and needs none).
CCHC_LOCK_DIR = Path(os.environ.get("CCHC_LOCK_DIR") or DATA_DIR / "locks")
# Exports with more rows than this run as a job with a download link instead of inside the request.
CCHC_EXPORT_INLINE_ROWS = int(os.environ.get("CCHC_EXPORT_INLINE_ROWS", "20000"))
# API list pages: ?limit= is capped at this.
CCHC_API_MAX_PAGE_SIZE = int(os.environ.get("CCHC_API_MAX_PAGE_SIZE", "1000"))

# Structured logs: one JSON object per line (LOG_FORMAT=json, the default without DEBUG) or plain text; each line
# of a request carries its id (X-Request-ID, from the proxy or made here), each line of a job its job id.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "cchc.core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "cchc.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(job_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
