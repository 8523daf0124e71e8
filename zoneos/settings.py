"""ZoneOS settings, read from the environment with working defaults for the embedded demo.

Development mode (the default) runs on SQLite at var/zoneos.sqlite3 with no configuration at all.
Production mode (ZONEOS_ENV=production) refuses to start without SECRET_KEY, ALLOWED_HOSTS and
ZONEOS_SITE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZONEOS_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("ZONEOS_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured("ZONEOS_ENV must be 'development' or 'production'")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "true").lower() in {"1", "true", "yes"}


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when ZONEOS_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
else:
    # A fixed key is fine for a local demo: it signs nothing that leaves this machine.
    SECRET_KEY = os.environ.get("SECRET_KEY", "zoneos-development-only-not-secret-" + "x" * 32)
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "zoneos.core",
    "zoneos.areas",
    "zoneos.accounts",
    "zoneos.audit",
    "zoneos.workdays",
    "zoneos.notifications",
    "zoneos.enterprises",
    "zoneos.tabular",
    "zoneos.pipeline",
    "zoneos.supervision",
    "zoneos.appeals",
    "zoneos.open311",
    "zoneos.reports",
    "zoneos.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zoneos.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zoneos.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zoneos.audit.middleware.ActorMiddleware",
    "zoneos.core.middleware.TextInputMiddleware",
]

ROOT_URLCONF = "zoneos.urls"
WSGI_APPLICATION = "zoneos.wsgi.application"

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
                "zoneos.core.context_processors.shell",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'zoneos.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes. A 64 MB page cache (SQLite's default
    # is 2 MB) keeps the registry's indexes in memory while an import inserts a hundred thousand rows.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: failed attempts per username and per client address within the window.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "50"))
# The request.META key of a header set by a trusted reverse proxy (e.g. HTTP_X_FORWARDED_FOR): the
# client address is its right-most entry. Empty: REMOTE_ADDR, the header is never trusted.
ZONEOS_CLIENT_IP_HEADER = os.environ.get("ZONEOS_CLIENT_IP_HEADER", "")

# A Redis cache when REDIS_URL is set (several machines); its client, the `redis` package, is a
# dependency so that setting the variable is all a deployment needs.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Shared by the web processes and the task worker of one machine (import progress, throttling).
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zoneos" / "locale"]
LANGUAGE_COOKIE_NAME = "zoneos_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
# Office hours of a working day in local time, for deadlines in working hours (工作时间) and the end of a
# working day; from the environment as "09:00-12:00,13:30-17:30". Checked when the workdays app starts.
ZONEOS_WORKING_HOURS = [
    tuple(time.strip() for time in period.split("-"))
    for period in (os.environ.get("ZONEOS_WORKING_HOURS", "").strip() or "09:00-12:00,13:30-17:30").split(",")
]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Production serves collected files (collectstatic); development serves them from the apps.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")) if PRODUCTION else None
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "zoneos.core.rest.JSONParser",
        "zoneos.core.rest.FormParser",
        "zoneos.core.rest.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "zoneos.core.rest.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zoneos.core.rest.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ZoneOS API",
    "DESCRIPTION": (
        "The REST API of ZoneOS. Authenticate with `Authorization: Token <key>` or a browser session. "
        "Money is a decimal string in yuan; ratios are decimal strings of fractions."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The conventions' error answers of every API operation; the Open311 GeoReport v2 routes are plain
    # Django views, described by hand.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zoneos.core.schema.add_error_responses",
        "zoneos.open311.schema.add_paths",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "zoneos.accounts.models.Role",
        "AreaKindEnum": "zoneos.areas.models.AreaKind.choices",
        "LabelKindEnum": "zoneos.enterprises.models.LabelKind.choices",
        "ImportKindEnum": "zoneos.tabular.registry.choices",
        "IndicatorSourceEnum": "zoneos.enterprises.models.IndicatorSource.choices",
        "EnterpriseStatusEnum": "zoneos.enterprises.models.Status.choices",
        "ImportStatusEnum": "zoneos.tabular.models.ImportStatus.choices",
        "StageCategoryEnum": "zoneos.pipeline.stages.StageCategory.choices",
        "PlanCategoryEnum": "zoneos.pipeline.models.PlanCategory.choices",
        "OrderStatusEnum": "zoneos.supervision.models.OrderStatus.choices",
        "AppealStatusEnum": "zoneos.appeals.models.Status.choices",
        "AppealCategoryEnum": "zoneos.appeals.models.Category.choices",
    },
}

# Notifications (zoneos.notifications): e-mail through this server, links made absolute with the site's
# address, group robots called with a short timeout.
# e.g. https://zoneos.example.cn; production refuses to start without it, since every link in a
# notification or a briefing would otherwise point nowhere.
ZONEOS_SITE_URL = _required("ZONEOS_SITE_URL") if PRODUCTION else os.environ.get("ZONEOS_SITE_URL", "")
NOTIFICATIONS_HTTP_TIMEOUT = float(os.environ.get("NOTIFICATIONS_HTTP_TIMEOUT", "5"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ZoneOS <noreply@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() in {"1", "true", "yes"}
EMAIL_TIMEOUT = 10  # a stuck mail server must not hang the task worker
# In development, mails are written to var/mail/ (one file per batch) instead of a mail server.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# History: store before/after values as JSON (not strings), never the password itself.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() in {"1", "true", "yes"}
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Hostile input (docs/hostile-input.md): limits that keep one bad file or request from taking the
# service down.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock at BEGIN: concurrent writers then wait their turn (up to `timeout`)
    # instead of failing at once with "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
# Request bodies: a form or JSON body is read into memory up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's
# default, 2.5 MB); a whole request (an uploaded file) is refused above ZONEOS_MAX_REQUEST_BYTES before
# any of it is read. The proxy in front (nginx's client_max_body_size) should say the same.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
ZONEOS_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("ZONEOS_IMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
ZONEOS_MAX_REQUEST_BYTES = int(
    os.environ.get("ZONEOS_MAX_REQUEST_BYTES", str(ZONEOS_IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024))
)
# Imported tables (zoneos.tabular): a file over these limits is refused as a whole, before it is read
# into memory; a cell over the length limit is an error of its row. The reader runs in a child process
# whose address space is capped at ZONEOS_IMPORT_READER_MEMORY_BYTES (0: no cap).
ZONEOS_IMPORT_MAX_ROWS = int(os.environ.get("ZONEOS_IMPORT_MAX_ROWS", "1048576"))
ZONEOS_IMPORT_MAX_COLUMNS = int(os.environ.get("ZONEOS_IMPORT_MAX_COLUMNS", "1000"))
ZONEOS_IMPORT_MAX_CELLS = int(os.environ.get("ZONEOS_IMPORT_MAX_CELLS", "50000000"))
ZONEOS_IMPORT_MAX_CELL_CHARS = int(os.environ.get("ZONEOS_IMPORT_MAX_CELL_CHARS", "32767"))
ZONEOS_IMPORT_MAX_LINE_BYTES = int(os.environ.get("ZONEOS_IMPORT_MAX_LINE_BYTES", str(4 * 1024 * 1024)))
ZONEOS_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("ZONEOS_IMPORT_MAX_UNPACKED_BYTES", str(2 * 1024**3)))
ZONEOS_IMPORT_READER_MEMORY_BYTES = int(os.environ.get("ZONEOS_IMPORT_READER_MEMORY_BYTES", str(4 * 1024**3)))
