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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zoneos.core",
    "zoneos.areas",
    "zoneos.accounts",
    "zoneos.security",
    "zoneos.audit",
    "zoneos.workdays",
    "zoneos.notifications",
    "zoneos.scheduler",
    "zoneos.enterprises",
    "zoneos.tabular",
    "zoneos.pipeline",
    "zoneos.supervision",
    "zoneos.appeals",
    "zoneos.policies",
    "zoneos.chains",
    "zoneos.space",
    "zoneos.research",
    "zoneos.future",
    "zoneos.innovation",
    "zoneos.whitelist",
    "zoneos.open311",
    "zoneos.reports",
    "zoneos.stats",
    "zoneos.observability",
]

MIDDLEWARE = [
    "zoneos.observability.middleware.RequestIdMiddleware",  # first: every response and log line has the id
    "django.middleware.security.SecurityMiddleware",
    "zoneos.core.middleware.ContentSecurityPolicyMiddleware",
    "zoneos.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zoneos.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zoneos.accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zoneos.audit.middleware.ActorMiddleware",
    "zoneos.security.middleware.PermissionRefusalMiddleware",
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
            "zoneos.core.staticfiles.HashedGzipStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zoneos.security.authentication.ApiTokenAuthentication",
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
        "ResearchBudgetCategoryEnum": "zoneos.research.models.Category.choices",
        "ResearchProjectStatusEnum": "zoneos.research.models.Status.choices",
        "ResearchAdjustmentStatusEnum": "zoneos.research.models.AdjustmentStatus.choices",
        "AreaKindEnum": "zoneos.areas.models.AreaKind.choices",
        "LabelKindEnum": "zoneos.enterprises.models.LabelKind.choices",
        "ImportKindEnum": "zoneos.tabular.registry.choices",
        "IndicatorSourceEnum": "zoneos.enterprises.models.IndicatorSource.choices",
        "EnterpriseStatusEnum": "zoneos.enterprises.models.Status.choices",
        "ImportStatusEnum": "zoneos.tabular.models.ImportStatus.choices",
        "StageCategoryEnum": "zoneos.pipeline.stages.StageCategory.choices",
        "PlanCategoryEnum": "zoneos.pipeline.models.PlanCategory.choices",
        "DatePrecisionEnum": "zoneos.pipeline.models.DatePrecision.choices",
        "OrderStatusEnum": "zoneos.supervision.models.OrderStatus.choices",
        "AppealStatusEnum": "zoneos.appeals.models.Status.choices",
        "AppealCategoryEnum": "zoneos.appeals.models.Category.choices",
        "PolicyApplicationStatusEnum": "zoneos.policies.models.applications.ApplicationStatus.choices",
        "RuleStatusEnum": "zoneos.policies.models.RuleStatus.choices",
        "EligibilityResultEnum": "zoneos.policies.api.RESULT_CHOICES",
        "CriterionResultEnum": "zoneos.policies.api.LEAF_RESULTS",
        "ChainStrengthEnum": "zoneos.chains.models.Strength.choices",
        "WhitelistStatusEnum": "zoneos.whitelist.models.Status.choices",
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

# Observability (docs/observability.md): log lines as JSON objects in production, readable text in
# development, each with the request id; `/metrics` for Prometheus, open to loopback and to this token.
LOG_FORMAT = os.environ.get("ZONEOS_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("ZONEOS_LOG_FORMAT must be 'json' or 'text'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "zoneos.observability.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "zoneos.observability.logs.JSONFormatter"},
        "text": {"()": "zoneos.observability.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own loggers write through the root's handler only, once and in the same format (its
    # defaults give them handlers of their own: plain lines, a second copy of each in development).
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
ZONEOS_METRICS_TOKEN = os.environ.get("ZONEOS_METRICS_TOKEN", "")

# Read replica and backups (docs/scaling.md, docs/backup.md). DATABASE_REPLICA_URL adds a second
# database that dashboards, exports and briefings read from (zoneos.core.replica); in tests it is a
# mirror of the primary. The replica is skipped while it is unreachable or more than
# ZONEOS_REPLICA_MAX_LAG seconds behind, checked at most every ZONEOS_REPLICA_CHECK_SECONDS.
DATABASE_ROUTERS = ["zoneos.core.replica.ReplicaRouter"]
ZONEOS_READ_REPLICA = None
if os.environ.get("DATABASE_REPLICA_URL"):
    ZONEOS_READ_REPLICA = "replica"
    DATABASES[ZONEOS_READ_REPLICA] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES[ZONEOS_READ_REPLICA]["TEST"] = {"MIRROR": "default"}
    if DATABASES[ZONEOS_READ_REPLICA]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable replica costs a page at most this long, once per check interval.
        DATABASES[ZONEOS_READ_REPLICA].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
ZONEOS_REPLICA_MAX_LAG = float(os.environ.get("ZONEOS_REPLICA_MAX_LAG", "30"))
ZONEOS_REPLICA_CHECK_SECONDS = float(os.environ.get("ZONEOS_REPLICA_CHECK_SECONDS", "5"))
# Where `manage.py backup` writes its archives when --output is not given.
ZONEOS_BACKUP_DIR = Path(os.environ.get("ZONEOS_BACKUP_DIR", VAR_DIR / "backups"))

# Two-factor sign-in and Content-Security-Policy (docs/security.md).
# Superusers and area admins must sign in with a second factor (TOTP, or a backup code). On by default in
# production; off by default in development so that the demo signs in with passwords alone.
ZONEOS_REQUIRE_2FA = os.environ.get("ZONEOS_REQUIRE_2FA", "true" if PRODUCTION else "false").lower() in {
    "1",
    "true",
    "yes",
}
# The name an authenticator app shows beside the account (e.g. "ZoneOS 高新区").
OTP_TOTP_ISSUER = os.environ.get("ZONEOS_OTP_ISSUER", "ZoneOS")
# Between the password and the code: how long the first step stays valid, in seconds.
ZONEOS_2FA_PENDING_SECONDS = int(os.environ.get("ZONEOS_2FA_PENDING_SECONDS", "300"))
ZONEOS_BACKUP_CODES = 10
# The policy sent with every answer; `CSP_REPORT_ONLY=true` sends it as Content-Security-Policy-Report-Only.
CSP_REPORT_ONLY = os.environ.get("CSP_REPORT_ONLY", "false").lower() in {"1", "true", "yes"}

# Security (zoneos.security): hashed API tokens, the security event log and its retention, Open311's
# public face. See docs/security.md.
# A new API token lives this many days unless its owner picks another date, at most the maximum.
ZONEOS_API_TOKEN_DAYS = int(os.environ.get("ZONEOS_API_TOKEN_DAYS", "90"))
ZONEOS_API_TOKEN_MAX_DAYS = int(os.environ.get("ZONEOS_API_TOKEN_MAX_DAYS", "365"))
# Security events are kept this many days; fewer than 180 (the six months that China's classified
# protection level 3 asks for) is refused when the platform starts.
ZONEOS_SECURITY_LOG_DAYS = int(os.environ.get("ZONEOS_SECURITY_LOG_DAYS", "365"))
# Whether anonymous Open311 readers see the descriptions of service requests (appeals). Off: an
# appeal's text often names the enterprise and its business, so only signed-in readers who may see
# the appeal read it.
_OPEN311_PUBLIC = os.environ.get("ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS", "false").lower()
ZONEOS_OPEN311_PUBLIC_DESCRIPTIONS = _OPEN311_PUBLIC in {"1", "true", "yes"}

# Scheduler and readiness (zoneos.scheduler): `/readyz` answers 503 when the scheduler's or the task
# worker's last heartbeat is older than this many seconds (the scheduler beats every few seconds and
# queues the worker's heartbeat task every minute).
ZONEOS_HEARTBEAT_MAX_AGE = int(os.environ.get("ZONEOS_HEARTBEAT_MAX_AGE", "180"))
# The probes answer on plain HTTP too, so that a load balancer or systemd can ask gunicorn directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

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
