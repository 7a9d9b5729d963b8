"""Settings for the meetings and issue follow-up system.

Every value comes from the environment (or a local ``.env`` in development); the
README lists each variable with its development and production default.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import environ
import fontpkg_sarabun
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by `make run`) feeds development; ENV_FILE= (empty) skips it,
# which the test suite does so that a developer's .env cannot change its results.
_env_file = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key exists only so that DEBUG work needs no set-up; production must
# bring its own, and a missing one stops the process instead of signing with a
# publicly known key.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="เทศบาลนครหัวหิน")
MUNICIPALITY_NAME_EN = env.str("MUNICIPALITY_NAME_EN", default="Hua Hin City Municipality")

INSTALLED_APPS = [
    "huahin_meetings.apps.MunicipalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "accounts.apps.LoginSecurityConfig",  # django-axes
    # django-allauth, for signing in with LINE only: the password login stays Django's.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.line",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "communities",
    "meetings",
    "issues",
    "notifications",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files leave here, already compressed (WhiteNoise's .br and .gz files).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed after every middleware below has written them.
    "core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huahin_meetings.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huahin_meetings.context_processors.municipality",
            ],
            "builtins": ["core.templatetags.thaidate"],
        },
    },
]

# Django's renderer, with its commonest widget templates written in Python (the same
# output, a fraction of the time: core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.FormRenderer"

WSGI_APPLICATION = "huahin_meetings.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Kept for a minute: opening a PostgreSQL connection for each request was measured at
# about 56 ms more than reusing one (README, "Load"); each gunicorn thread keeps one.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# With connections kept open, test each one before a request reuses it: a server
# restarted in between costs one reconnect instead of that request's error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every request is a transaction (ATOMIC_REQUESTS). SQLite's default BEGIN takes
    # the write lock only at the first write, and a second writer then fails at once
    # with "database is locked". BEGIN IMMEDIATE takes it at the start, so writers
    # wait their turn (up to ``timeout`` seconds) instead; in WAL mode readers go on
    # while one writes, and NORMAL syncing is safe with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a login from a user and address that failed too often.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
# Locked per user name and address together: a meeting's hundred people share the
# hall's Wi-Fi address, so locking the address alone would lock them all out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Signing in with LINE (LINE Login, through django-allauth's LINE provider), beside
# the password. A leader links their LINE account once, from their profile page,
# while signed in with the password; LINE then signs in only a linked account and
# never creates one. Both empty: no LINE button is shown.
LINE_LOGIN_CHANNEL_ID = env.str("LINE_LOGIN_CHANNEL_ID", default="")
LINE_LOGIN_CHANNEL_SECRET = env.str("LINE_LOGIN_CHANNEL_SECRET", default="")
_LINE_LOGIN_CONFIGURED = bool(LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET)
# The channel itself is built from the two settings above (accounts.line_login), so
# no SocialApp row is kept in the database.
# PKCE: a code caught on its way back from LINE is of no use without this session's
# verifier (LINE Login v2.1 supports it).
SOCIALACCOUNT_PROVIDERS = {"line": {"SCOPE": ["profile", "openid"], "OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_ADAPTER = "accounts.line_login.LineSocialAccountAdapter"
ACCOUNT_ADAPTER = "accounts.line_login.LineAccountAdapter"
# No sign-up, no e-mail addresses or confirmations, no tokens kept: LINE only says
# who the person is.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="th")
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Bangkok")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# The TTFs the PDFs embed, from the installed package. Browsers get the WOFF2 files
# made from them (static/fonts/sarabun, `manage.py build_webfonts`); a test fails when
# the package's version or the characters the pages use move away from those files.
SARABUN_FONT_DIR = fontpkg_sarabun.ROOT / "files"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Photos on local disk (MEDIA_ROOT), or on S3-compatible object storage with
# MEDIA_STORAGE=s3 (pip install ".[s3]"); they are always served through views
# that check who may see them, never straight from the bucket.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
_MEDIA_BACKENDS = {
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET", default=""),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    },
}
if MEDIA_STORAGE not in _MEDIA_BACKENDS:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
STORAGES = {
    "default": _MEDIA_BACKENDS[MEDIA_STORAGE],
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Meetings are counted within the calendar year (ข้อ ๒๕ of the correspondence
# regulation); a municipality whose practice counts by fiscal year sets "fiscal".
MEETING_NUMBERING = env.str("MEETING_NUMBERING", default="calendar")
if MEETING_NUMBERING not in ("calendar", "fiscal"):
    raise ImproperlyConfigured("MEETING_NUMBERING must be 'calendar' or 'fiscal'.")

# Who may read the open data page and its downloads (reports/open_data.py): "staff",
# the roles that read the city dashboard (the default); "signed_in", anyone signed
# in; "public", anyone, without signing in (for data.go.th and the ITA).
OPEN_DATA_AUDIENCE = env.str("OPEN_DATA_AUDIENCE", default="staff")
if OPEN_DATA_AUDIENCE not in ("staff", "signed_in", "public"):
    raise ImproperlyConfigured("OPEN_DATA_AUDIENCE must be 'staff', 'signed_in' or 'public'.")

# Official PDFs write their numbers in Thai digits (๑๒๓) unless this is false.
PDF_THAI_DIGITS = env.bool("PDF_THAI_DIGITS", default=True)

# Photos: the largest file accepted and the most pixels it may decode to.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The attendance roll posts three fields for each of 100+ people in one request.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# The map on a leader's report: a tile server URL in Leaflet's form
# (https://tile.example.org/{z}/{x}/{y}.png, "{s}" for subdomains) and the credit its
# licence asks for. Empty: no map, the report takes the phone's position and words.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
# Where the map opens before a pin is placed: "latitude,longitude" and a zoom level.
MAP_CENTER = env.str("MAP_CENTER", default="12.5684,99.9577")
MAP_ZOOM = env.int("MAP_ZOOM", default=14)


def _tile_origin(url: str) -> str:
    """The origin the map's tiles come from, for the report page's img-src."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    if parts.scheme not in ("https", "http") or not host or "{" in host or "/" in host:
        raise ImproperlyConfigured(
            "MAP_TILE_URL must be an http(s) URL such as "
            "https://tile.example.org/{z}/{x}/{y}.png ({s} may stand for a subdomain)."
        )
    return f"{parts.scheme}://{host}"


MAP_TILE_ORIGIN = _tile_origin(MAP_TILE_URL) if MAP_TILE_URL else ""

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# LINE Messaging API: a bot invited into the chairs' group (LINE Notify ended in 2025).
# Both empty: the LINE summary is copied by hand and never pushed.
LINE_CHANNEL_ACCESS_TOKEN = env.str("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_GROUP_ID = env.str("LINE_GROUP_ID", default="")
# The channel secret signs what LINE posts to /line/webhook/ (X-Line-Signature);
# empty, the webhook refuses every request.
LINE_CHANNEL_SECRET = env.str("LINE_CHANNEL_SECRET", default="")
# Messages a month in the LINE plan (the free plan: 300); the admin's LINE page
# counts this month's against it, a group push once per member.
LINE_MONTHLY_QUOTA = env.int("LINE_MONTHLY_QUOTA", default=300)
# Where the site is reached, for the links in emails and LINE messages.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Background work (notifications, LINE pushes) is queued in the database and run by
# `manage.py db_worker`; TASKS_BACKEND=immediate runs each task at once in the
# process that queues it (the test suite's default).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_ENABLED so
# Django trusts X-Forwarded-Proto; SECURE_SSL_REDIRECT can then stay on.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages load is our own: scripts, styles, the Sarabun font, photos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Signing in with LINE posts a form here that is redirected to LINE.
        "form-action": [SELF, "https://access.line.me"] if _LINE_LOGIN_CONFIGURED else [SELF],
        "frame-ancestors": [NONE],
    },
}
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=json gives one JSON object a line, for log collectors.
            "formatter": env.str("LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print every record a second time.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
