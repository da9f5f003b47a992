"""govbuy settings: one module, read from the environment.

DJANGO_ENV selects the profile: "development" (default: SQLite under var/, debug on),
"test" (set by pytest) or "production" (every secret must come from the environment).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("GOVBUY_SHARED_DIR", BASE_DIR.parent / "shared"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "govbuy-development-key-not-for-production-use-0123456789")

DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "govbuy.core",
    "govbuy.audit",
    "govbuy.accounts",
    "govbuy.organizations",
    "govbuy.providers",
    "govbuy.catalog",
    "govbuy.planning",
    "govbuy.procurement",
    "govbuy.contracts",
    "govbuy.performance",
    "govbuy.credit",
    "govbuy.disclosure",
    "govbuy.portal",
    "govbuy.oversight",
    "govbuy.api",
    "govbuy.demo",
]

MIDDLEWARE = [
    "govbuy.core.middleware.RequestIdMiddleware",
    "govbuy.core.middleware.RetryAfterMiddleware",
    "govbuy.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "govbuy.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govbuy.accounts.middleware.SessionLimitsMiddleware",
    "govbuy.accounts.middleware.TwoFactorMiddleware",
    "govbuy.core.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "govbuy.core.replica.ReplicaRoutingMiddleware",
    "govbuy.core.pagecache.PublicPageCacheMiddleware",
    "govbuy.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govbuy.core.context_processors.navigation",
            ],
            # when, when_s, day, yuan, qty, person: one way to show times, money, counts, people.
            "builtins": ["govbuy.core.templatetags.present"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default (a file under var/); PostgreSQL when DATABASE_URL is set.
# SQLite runs write transactions as BEGIN IMMEDIATE: without it concurrent writers lose
# updates or fail with "database is locked" instead of waiting (design/reliability.md R1).
SQLITE_PATH = Path(env_str("GOVBUY_SQLITE_PATH", str(BASE_DIR / "var" / "govbuy.sqlite3")))
if env_str("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"].setdefault("OPTIONS", {})
    # Bound every statement and lock wait so a stuck request fails fast instead of piling up.
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 15000)}"
        f" -c lock_timeout={env_int('DB_LOCK_TIMEOUT_MS', 10000)}"
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # Tests use a file too: the in-memory test database answers "table is locked" to
            # concurrent threads instead of waiting as a real SQLite file does, and the
            # concurrency tests must run on SQLite as well as PostgreSQL.
            # One file per test run (the pid), so runs side by side never share a database.
            "TEST": {
                "NAME": env_str("GOVBUY_SQLITE_TEST_PATH", str(BASE_DIR / "var" / f"test-govbuy-{os.getpid()}.sqlite3"))
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A streaming replica of the primary (docs/deployment.md): anonymous public pages, /ocds/* and the
# public search read from it while it has replayed what they need (govbuy.core.replica).
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["replica"].get("OPTIONS", {}),
        "options": f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 15000)}",
        "connect_timeout": env_int("DB_REPLICA_CONNECT_TIMEOUT", 2),
    }
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    # Tests create their database on the primary only; the replica receives it by streaming.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["govbuy.core.replica.PrimaryReplicaRouter"]
# Past this replay lag (seconds) the replica is not read; one that does not answer is left alone
# for GOVBUY_REPLICA_RETRY_SECONDS; each process asks it where it is at most every
# GOVBUY_REPLICA_CHECK_SECONDS (sooner when a request needs a later position).
GOVBUY_REPLICA_MAX_LAG_SECONDS = float(env_str("GOVBUY_REPLICA_MAX_LAG_SECONDS", "5"))
GOVBUY_REPLICA_RETRY_SECONDS = float(env_str("GOVBUY_REPLICA_RETRY_SECONDS", "5"))
GOVBUY_REPLICA_CHECK_SECONDS = float(env_str("GOVBUY_REPLICA_CHECK_SECONDS", "1"))
# After a write a visitor reads the primary until the replica has replayed it, at most this long.
GOVBUY_READ_YOUR_WRITES_SECONDS = env_int("GOVBUY_READ_YOUR_WRITES_SECONDS", 300)

# --- Cache -----------------------------------------------------------------------------------------
# "default" holds the capacity rate-limit counters (govbuy.core.ratelimit) and small lookups;
# "pages" the public page cache (govbuy.core.pagecache). One process (make run, the tests) keeps
# them in its own memory; several application processes must share them: REDIS_URL (or the older
# name GOVBUY_CACHE_URL), e.g. redis://127.0.0.1:6379/1, else each process counts rate limits
# alone and moves its own page generation only (docs/deployment.md).
CACHE_URL = env_str("REDIS_URL") or env_str("GOVBUY_CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "govbuy.core.redis_cache.SharedRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "govbuy",
        },
        "pages": {
            "BACKEND": "govbuy.core.redis_cache.SharedRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "govbuy-pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "govbuy"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "govbuy-pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("GOVBUY_PAGE_CACHE_ENTRIES", 5000)},
        },
    }
# Anonymous public pages are stored at most this long (0: off). Every public change empties the
# cache at once (a new generation); this bounds only what changes with the clock alone. The test
# suite turns it off (conftest.py) unless a test turns it on, since tests change rows directly.
GOVBUY_PAGE_CACHE_SECONDS = env_int("GOVBUY_PAGE_CACHE_SECONDS", 60)
# Cache-Control max-age of shareable public answers (the OCDS JSON) for a CDN or browser in front.
GOVBUY_PUBLIC_MAX_AGE = env_int("GOVBUY_PUBLIC_MAX_AGE", 60)
# Overrides of the default limits: {kind: (count, seconds)} or {kind: None} to lift one.
GOVBUY_RATE_LIMITS: dict[str, tuple[int, int] | None] = {}
# A 429 whose limit did not say how long to wait carries Retry-After of this many seconds.
GOVBUY_RETRY_AFTER_SECONDS = env_int("GOVBUY_RETRY_AFTER_SECONDS", 60)
# Our own reverse proxies (addresses or networks, comma-separated). Only a request arriving from
# one of them has its X-Forwarded-For read, from the right, to find the client's address
# (govbuy.core.middleware.client_ip; docs/operations.md). Empty: REMOTE_ADDR is the client.
GOVBUY_TRUSTED_PROXIES = env_list("GOVBUY_TRUSTED_PROXIES")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout: this many failures for one user from one IP lock that pair for the window.
LOGIN_FAILURE_LIMIT = env_int("GOVBUY_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("GOVBUY_LOGIN_LOCKOUT_SECONDS", 15 * 60)
SESSION_IDLE_SECONDS = env_int("GOVBUY_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("GOVBUY_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
TOTP_ISSUER = env_str("GOVBUY_TOTP_ISSUER", "govbuy")
# Users whose role requires TOTP are kept on the enrolment page until their session proves a code.
GOVBUY_ENFORCE_TWO_FACTOR = env_bool("GOVBUY_ENFORCE_TWO_FACTOR", True)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [Path(env_str("GOVBUY_LOCALE_DIR", str(BASE_DIR / "locale")))]
TIME_ZONE = "Asia/Shanghai"
# A datetime or date printed without a filter reads like govbuy.core.present in every language
# ("2026-12-05 09:30"), never the locale's long form or an ISO string.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("GOVBUY_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"


def document_storage(environ=os.environ) -> dict:
    """Where uploaded documents live: the file system under MEDIA_ROOT, or an S3-compatible bucket
    when GOVBUY_S3_BUCKET is set (docs/deployment.md, "Documents"). Either way govbuy.core.storage
    names each file by its sha256, never overwrites one and re-hashes the bytes on every read."""
    bucket = environ.get("GOVBUY_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("GOVBUY_S3_PREFIX", "").strip("/"),
        # Write-once: an existing key is never replaced (save_once relies on it).
        "file_overwrite": False,
        # Private objects; documents are served by the application after the hash check, never
        # by a URL into the bucket.
        "default_acl": None,
        "querystring_auth": True,
    }
    for variable, option in (
        ("GOVBUY_S3_ENDPOINT_URL", "endpoint_url"),
        ("GOVBUY_S3_REGION", "region_name"),
        ("GOVBUY_S3_ACCESS_KEY_ID", "access_key"),
        ("GOVBUY_S3_SECRET_ACCESS_KEY", "secret_key"),
        ("GOVBUY_S3_ADDRESSING_STYLE", "addressing_style"),
    ):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": document_storage(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploads (design/reliability.md R14; checked by govbuy.core.uploads) -------------------------
GOVBUY_UPLOAD_MAX_BYTES = env_int("GOVBUY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
GOVBUY_UPLOAD_ZIP_MAX_MEMBERS = env_int("GOVBUY_UPLOAD_ZIP_MAX_MEMBERS", 1000)
GOVBUY_UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("GOVBUY_UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
GOVBUY_UPLOAD_ZIP_MAX_RATIO = env_int("GOVBUY_UPLOAD_ZIP_MAX_RATIO", 100)
GOVBUY_BID_MAX_DOCUMENTS = env_int("GOVBUY_BID_MAX_DOCUMENTS", 10)
# Request bodies. A request declaring more than GOVBUY_REQUEST_MAX_BYTES is answered 413 before
# anything reads it (govbuy.core.middleware.RequestSizeLimitMiddleware): a bid with its most
# documents at the file limit, and the form around them. Files stream through
# govbuy.core.uploads.CappedUploadHandler, which keeps at most the file limit and one byte of each
# (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE per request, else in a temporary file), so a larger
# file is refused with its size message instead of filling memory or disk. Fields other than
# files (and JSON bodies) are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE: one document in
# base64 (the API's bid and evidence documents) and the rest. The reverse proxy in front should
# refuse bodies over GOVBUY_REQUEST_MAX_BYTES too (docs/operations.md).
GOVBUY_REQUEST_MAX_BYTES = env_int(
    "GOVBUY_REQUEST_MAX_BYTES", GOVBUY_BID_MAX_DOCUMENTS * GOVBUY_UPLOAD_MAX_BYTES + 2 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = GOVBUY_UPLOAD_MAX_BYTES * 4 // 3 + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = GOVBUY_BID_MAX_DOCUMENTS + 2
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("GOVBUY_UPLOAD_MEMORY_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "govbuy.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Providers are reminded this many days before a dossier document expires.
GOVBUY_DOCUMENT_EXPIRY_WARNING_DAYS = env_int("GOVBUY_DOCUMENT_EXPIRY_WARNING_DAYS", 30)
# Key for the HMAC of legal representatives' identity numbers (related parties, Reg. Art. 18);
# kept apart from SECRET_KEY so rotating that does not unlink every pair. Production must set
# its own (system check accounts.E001); development and tests fall back to SECRET_KEY.
GOVBUY_IDENTITY_KEY = env_str("GOVBUY_IDENTITY_KEY", SECRET_KEY)
# Key for the TOTP secrets encrypted in the database (govbuy.accounts.crypto), a separate value
# so neither key opens what the other protects. Production must set it (accounts.E002);
# development and tests use SECRET_KEY. Changing it makes every two-factor user enrol again.
GOVBUY_TOTP_KEY = env_str("GOVBUY_TOTP_KEY", "")
# Key for the hash of satisfaction-survey codes (govbuy.performance): only the HMAC is stored, so a
# copy of the database neither reveals the codes nor lets anyone test guesses offline. Production
# must set its own (system check performance.E001, tagged deploy); development uses SECRET_KEY.
GOVBUY_SURVEY_CODE_KEY = env_str("GOVBUY_SURVEY_CODE_KEY", SECRET_KEY)

# --- Planning (issue 5) ---------------------------------------------------------------------
# Public-tender threshold for services (Law Art. 28, Reg. Art. 28), used by the splitting check.
# A DEFAULT (2,000,000 yuan, Beijing's figure for services as gathered second-hand): the city
# finance bureau sets the real value per region on /planning/threshold/ (audited); this applies
# only where no value was set.
GOVBUY_PUBLIC_TENDER_THRESHOLD_SERVICES = env_str("GOVBUY_PUBLIC_TENDER_THRESHOLD_SERVICES", "2000000.00")
PLANNING_IMPORT_MAX_ROWS = env_int("PLANNING_IMPORT_MAX_ROWS", 2000)

# --- Procurement (issue 6) ------------------------------------------------------------------
# Key-encryption key for sealed bids (base64 of 32 bytes), never stored in the database. In
# production it must come from the environment (a system check refuses to start without it);
# in development and tests it is read from GOVBUY_BID_KEK_FILE, created on first use.
GOVBUY_BID_KEK = env_str("GOVBUY_BID_KEK", "")
GOVBUY_BID_KEK_FILE = Path(env_str("GOVBUY_BID_KEK_FILE", str(BASE_DIR / "var" / "bid-kek")))
# Above this award amount (yuan) one purchaser user proposes the award and another confirms it.
GOVBUY_AWARD_FOUR_EYES_THRESHOLD = env_str("GOVBUY_AWARD_FOUR_EYES_THRESHOLD", "1000000.00")

# --- Mail -----------------------------------------------------------------------------------
# Notifications (receipts, deadlines, expiry reminders). Development prints mail to the console;
# production sends through the SMTP relay named here. Tests get the locmem backend from Django.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "GOVBUY_MAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": (
            {
                "host": env_str("GOVBUY_SMTP_HOST", "localhost"),
                "port": env_int("GOVBUY_SMTP_PORT", 25),
                "username": env_str("GOVBUY_SMTP_USER"),
                "password": env_str("GOVBUY_SMTP_PASSWORD"),
                "use_tls": env_bool("GOVBUY_SMTP_TLS", False),
            }
            if PRODUCTION
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "govbuy@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("GOVBUY_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Bearer first: DRF takes the WWW-Authenticate challenge from the first class, so an
    # anonymous API call gets 401 (with "Bearer") instead of a 403 that hides the cause.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "govbuy.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "govbuy.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "govbuy.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"login": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "govbuy API",
    "DESCRIPTION": "Government purchase of services: catalog, planning, procurement, contracts, "
    "performance, credit and open data. Errors share one shape: {code, message, fields}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status") get stable component names instead
    # of hashed ones (drf_spectacular.W001, which also fails `check --deploy --fail-level WARNING`).
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "govbuy.organizations.models.OrganisationKind",
        "CalendarDayKindEnum": "govbuy.core.models.CalendarDay.Kind",
        "CalendarYearStatusEnum": "govbuy.core.models.CalendarYear.Status",
        "PlanningMethodEnum": "govbuy.planning.models.Method",
        "PlanningCostCategoryEnum": "govbuy.planning.models.CostCategory",
        "PlanningIndicatorFamilyEnum": "govbuy.planning.models.IndicatorFamily",
        "PlanningProjectStatusEnum": "govbuy.planning.models.ProjectStatus",
        "PlanningStaffingReviewEnum": "govbuy.planning.models.StaffingReview",
        "PlanningTargetDirectionEnum": "govbuy.planning.models.PerformanceTarget.Direction",
        "TenderStatusEnum": "govbuy.procurement.models.TenderStatus",
        "BidStatusEnum": "govbuy.procurement.models.BidStatus",
        "PanelDeclarationEnum": "govbuy.procurement.models.PanelMember.Declaration",
        "CreditResultEnum": "govbuy.procurement.models.CreditResult",
        "AwardStatusEnum": "govbuy.procurement.models.AwardStatus",
        "AwardRefusalGroundEnum": "govbuy.procurement.models.RefusalGround",
        "ChallengeStatusEnum": "govbuy.procurement.models.ChallengeStatus",
        "ComplaintStatusEnum": "govbuy.procurement.models.ComplaintStatus",
        "ReminderKindEnum": "govbuy.procurement.models.ReminderKind",
        "ContractStatusEnum": "govbuy.contracts.models.ContractStatus",
        "ContractAmendmentStatusEnum": "govbuy.contracts.models.AmendmentStatus",
        "ContractMilestoneStatusEnum": "govbuy.contracts.models.MilestoneStatus",
        "ContractMilestoneKindEnum": "govbuy.contracts.models.MilestoneKind",
        "ContractDeliverableStatusEnum": "govbuy.contracts.models.DeliverableStatus",
        "ContractFlagKindEnum": "govbuy.contracts.models.FlagKind",
        "EvaluationRoundStatusEnum": "govbuy.performance.models.RoundStatus",
        "EvaluationRoundKindEnum": "govbuy.performance.models.RoundKind",
        "EvaluationGradeEnum": "govbuy.performance.models.Grade",
        "SurveyStatusEnum": "govbuy.performance.models.SurveyStatus",
        "SurveyFlagKindEnum": "govbuy.performance.models.FlagKind",
        "CommissionStatusEnum": "govbuy.performance.models.CommissionStatus",
        "ConsultationStatusEnum": "govbuy.performance.models.ConsultationStatus",
        "ConsultationCommentStatusEnum": "govbuy.performance.models.CommentStatus",
        "CreditFactKindEnum": "govbuy.credit.models.FactKind",
        "CreditListKindEnum": "govbuy.credit.models.ListKind",
        "CreditObjectionStatusEnum": "govbuy.credit.models.Objection.Status",
        "CreditFactDirectionEnum": "govbuy.credit.models.CreditFact.Direction",
        "CaseStatusEnum": "govbuy.oversight.models.CaseStatus",
        "ContractBasisEnum": "govbuy.contracts.models.Basis",
        "RelatedPartyBasisEnum": "govbuy.providers.models.RelatedParty.Basis",
    },
}

# --- Security headers (design/reliability.md R12) --------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
else:
    SECURE_HSTS_SECONDS = 0

# --- Working-day calendar -------------------------------------------------------------------
# Each process caches the holiday table; outside a transaction it checks at most this often
# whether another process changed it (inside one it always checks, and its own writes drop the
# cache at once). 0 checks on every call.
GOVBUY_CALENDAR_RECHECK_SECONDS = env_int("GOVBUY_CALENDAR_RECHECK_SECONDS", 30)

# --- Audit ----------------------------------------------------------------------------------
# Checkpoints of the audit chain's head are signed with this key so a rewritten chain cannot
# also forge its published checkpoints.
AUDIT_CHECKPOINT_KEY = os.environ["DJANGO_AUDIT_KEY"] if PRODUCTION else env_str("DJANGO_AUDIT_KEY", "dev-audit-key")
# Every event's hash is an HMAC under this key (govbuy.audit.chain), so someone who can write to
# the database cannot rewrite events and recompute the chain. Production must set its own value
# (system check audit.E001); development and tests use a fixed one. Keep it with the backups of
# the other keys: without it the chain of a restored copy cannot be verified.
_DEV_AUDIT_CHAIN_KEY = "dev-audit-chain-key-not-for-production"
GOVBUY_AUDIT_CHAIN_KEY = env_str("GOVBUY_AUDIT_CHAIN_KEY", "" if PRODUCTION else _DEV_AUDIT_CHAIN_KEY)
# Each checkpoint is also appended to this file, which must live where the database cannot reach
# (production: required, audit.E002; a separate append-only volume). verify_audit holds the chain
# against every line. Empty: no copy (development and tests, unless a test sets it).
GOVBUY_AUDIT_CHECKPOINT_FILE = env_str("GOVBUY_AUDIT_CHECKPOINT_FILE", "")
# The audit app sits below organizations in the layer contract, so it reaches scope_for by name.
AUDIT_SCOPE_FUNCTION = "govbuy.organizations.scope.scope_for"

# --- Open data (OCDS) and public search: docs/ocds.md ----------------------------------------
# The ocid prefix is registered with the Open Contracting Partnership; "ocds-xxxxxx" is only the
# documented placeholder until the city registers its own: production refuses to start with it
# (system check disclosure.E001).
OCDS_OCID_PREFIX = env_str("OCDS_OCID_PREFIX", "" if PRODUCTION else "ocds-xxxxxx")
# Where the public reaches the site: every URL in releases and packages (extension, publication
# policy, classifications, documents, package and record URIs, next pages) is built on it, never
# on the host of the request. Production must set it to its https address (disclosure.E002);
# development serves on make run's address.
GOVBUY_PUBLIC_URL = env_str("GOVBUY_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
OCDS_PUBLISHER_NAME = env_str("GOVBUY_OCDS_PUBLISHER_NAME", "北京市财政局")
OCDS_PUBLISHER_USCC = env_str("GOVBUY_OCDS_PUBLISHER_USCC", "")
OCDS_LICENSE = env_str("GOVBUY_OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
# Identifier scheme of parties' unified social credit codes, and of our catalog's item codes.
OCDS_ORG_SCHEME = "CN-USCC"
OCDS_CATALOG_SCHEME = env_str("GOVBUY_OCDS_CATALOG_SCHEME", "x_govbuy_catalog")  # docs/ocds-catalog-scheme.md

# --- Logging: one line per event, with the request id ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "govbuy.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("GOVBUY_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "govbuy.security": {"level": "INFO"},
    },
}

# Demo data may never be loaded into production.
DEMO_DATA_ALLOWED = not PRODUCTION
