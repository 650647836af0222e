"""Settings for MindLAB CMS, read from the environment.

Ours carry a DJANGO_ prefix; the ecosystem's usual names (DATABASE_URL, REDIS_URL) are used as they are.
Development defaults are safe ones: DEBUG is off unless DJANGO_DEBUG says otherwise.
"""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_count(name, default, meaning, aliases=None):
    """A whole number of zero or more; anything else stops start-up with a message that says what it means."""
    raw = os.environ.get(name, "")
    value = (aliases or {}).get(raw.strip().lower(), raw.strip())
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of zero or more ({meaning}); got {raw!r}.")
    return int(value)


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(or set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Set it to the comma-separated host names the site answers to, "
        "e.g. DJANGO_ALLOWED_HOSTS=www.example.org."
    )

SITE_NAME = "MindLAB Neuroscience"
# The canonical origin: canonical links, sharing tags and structured data use it, never the Host header.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL is not set. Set it to the site's public origin, e.g. DJANGO_SITE_URL=https://www.example.org: "
        "canonical links, sharing tags, feeds and the admin's \"View on site\" use it."
    )
# Names the deployed code in every cache key, so no server hands out pages or fragments rendered by another
# release. Empty: a hash of the code, templates and static files, worked out at start-up (mindlab/cache.py).
RELEASE = os.environ.get("DJANGO_RELEASE", "")

INSTALLED_APPS = [
    "mindlab.admin_site.MindlabAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mindlab",
    "authors",
    "references",
    "hubs",
    "articles",
    "faqs",
    "media_library",
    "pages",
    "library",
    "editorial",
    "strategy_calls",
    "transfer",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mindlab.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, which keeps only the parameters a page reads: WordPress's `/?p=12` addresses.
    "mindlab.redirects.QueryRedirectMiddleware",
    "mindlab.cache.AnonymousPageCacheMiddleware",
    # Inside the page cache: a cached page is stored with the policy it was rendered with.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: only a 404 consults the redirects table.
    "mindlab.redirects.RedirectFallbackMiddleware",
    "axes.middleware.AxesMiddleware",
]
SITE_ID = 1

ROOT_URLCONF = "mindlab.urls"
WSGI_APPLICATION = "mindlab.wsgi.application"

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
                "mindlab.context_processors.site",
                "pages.navigation.navigation",
            ],
        },
    },
]

# The embedded default needs no server: a SQLite file under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED_STATEMENTS", default=True
):
    # psycopg sends the values apart from the SQL and prepares a query the fifth time a connection runs it
    # (every page's query is run again and again), so the server stops parsing and planning it: the article
    # query costs it 240 µs instead of 430. Django leaves both off for the sake of connection poolers that
    # cannot keep prepared statements; behind one, set DJANGO_DB_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anonymous public pages are served from the cache (mindlab/cache.py). Several worker processes or app
# servers need REDIS_URL so that they share it; local memory is per process.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", default=True)
# What a CDN or Varnish in front may keep of an anonymous public page: Cache-Control s-maxage, then
# stale-while-revalidate. Other responses are private (mindlab/cache.py).
SHARED_CACHE_SECONDS = env_count("DJANGO_SHARED_CACHE_SECONDS", 60, "how long a shared cache may keep a page")
SHARED_CACHE_STALE_SECONDS = env_count("DJANGO_SHARED_CACHE_STALE_SECONDS", 300,
                                       "how long after that it may serve it while fetching a fresh one")
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "mindlab.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is down: a page waits at most half a second for it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failed sign-ins first
    "mindlab.auth.ModelBackendWithoutDemoLogin",  # Django's, refusing the local demo login with DEBUG off
]
# Admin sign-in: after 5 failures for a user name from one address, wait 15 minutes (not a permanent lock).
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
# Where a sign-in goes when its `next` is missing or unsafe (another site): the admin, not a 404.
LOGIN_REDIRECT_URL = f"/{ADMIN_PATH}"
# Two-factor admin sign-in: staff add a TOTP device (an authenticator app) under "TOTP devices" first.
ADMIN_2FA = env_bool("DJANGO_ADMIN_2FA")
OTP_TOTP_ISSUER = "MindLAB CMS"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, hashed names, so static files can be cached for a year.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Media on several app servers: S3-compatible object storage through django-storages, set with the variables
# django-storages and boto3 read. The keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) are read by them, or come
# from the machine's role. Without a bucket, uploads stay in MEDIA_ROOT and the app serves them (mindlab/media.py).
_bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_ORIGINS = []  # where pages load media from besides this site, for the Content-Security-Policy
if _bucket:
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").rstrip("/")
    _custom_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip("/")
    _region = os.environ.get("AWS_S3_REGION_NAME", "")
    if _endpoint and not re.fullmatch(r"https?://[^/?#\s]+", _endpoint):
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL must be an origin such as https://s3.example.net; got {_endpoint!r}.")
    if _custom_domain and not re.fullmatch(r"[^/:?#\s]+(:\d+)?(/[^?#\s]*)?", _custom_domain):
        raise ImproperlyConfigured("AWS_S3_CUSTOM_DOMAIN is a host name (and optional path) without a scheme, "
                                   f"e.g. media.example.org; got {_custom_domain!r}.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "custom_domain": _custom_domain or None,
            # On another S3-compatible server the bucket is named in the path: one origin, whatever its name.
            "addressing_style": "path" if _endpoint else None,
            # Pages are cached for up to a day, so their media URLs must not expire: the bucket (or the CDN in
            # front of it) lets anyone read its objects, and URLs carry no signature.
            "querystring_auth": False,
            # A taken name gets another, never overwritten, so each URL means one file forever.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if _custom_domain:
        MEDIA_ORIGINS = [f"https://{_custom_domain.split('/')[0]}"]
    elif _endpoint:
        MEDIA_ORIGINS = [_endpoint]
    else:  # Amazon S3 itself: the bucket's global host name, or its regional one
        MEDIA_ORIGINS = [f"https://{_bucket}.s3.amazonaws.com"] + (
            [f"https://{_bucket}.s3.{_region}.amazonaws.com"] if _region else [])

# Proxies in front of the app (a TLS proxy, a load balancer, a CDN), each adding to X-Forwarded-For. Unset or
# 0: forwarded headers are ignored everywhere (mindlab/proxies.py, gunicorn via mindlab/gunicorn.conf.py), so
# nobody can make up an address or claim HTTPS; 1 (or the old "true") is one TLS proxy.
TRUSTED_PROXIES = env_count(
    "DJANGO_BEHIND_PROXY", 0, "the number of proxies in front of the app: 0 for none, 1 for one TLS proxy",
    aliases={"true": "1", "yes": "1", "on": "1", "false": "0", "no": "0", "off": "0"},  # it was once on/off
)
AXES_CLIENT_IP_CALLABLE = "mindlab.proxies.client_ip"

# HTTPS: on by default with DEBUG off. Behind a proxy that terminates TLS (DJANGO_BEHIND_PROXY),
# X-Forwarded-Proto is trusted; a plain-HTTP run on loopback (make serve) turns the redirect off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No inline script and no nonce: a cached page is served to many visitors, so a nonce in it would be
        # shared. JSON-LD blocks are data, which script-src does not govern.
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # Django admin sets inline styles
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, "https:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Uploads and request bodies: bounded, so a huge or field-stuffed request is a 400, not a memory problem.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024
# Hero images and headshots: at most this many pixels, read from the header before anything is decoded
# (a 40-megapixel image takes about 160 MB to decode; a small file can claim far more pixels than that).
MAX_IMAGE_PIXELS = int(os.environ.get("DJANGO_MAX_IMAGE_PIXELS", "40000000"))
MAX_AUDIO_UPLOAD_BYTES = 60 * 1024 * 1024
# Admin → Import content (transfer/admin.py): the largest upload, and where an upload waits between the dry run
# and the confirmation. Outside MEDIA_ROOT on purpose: nothing there may ever be served. On several app servers the
# folder is per machine unless it is a shared mount (docs/editors.md#importing-content).
IMPORT_MAX_UPLOAD_MB = env_count("DJANGO_IMPORT_MAX_UPLOAD_MB", 200, "the largest upload on Import content, in MB")
IMPORT_UPLOAD_DIR = Path(os.environ.get("DJANGO_IMPORT_UPLOAD_DIR", "")
                         or Path(tempfile.gettempdir()) / "mindlab-imports")

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")  # TLS from the first byte, usually on port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL are both on; set only one: DJANGO_EMAIL_USE_TLS for STARTTLS "
        "(usually port 587), DJANGO_EMAIL_USE_SSL for TLS from the first byte (usually port 465)."
    )
# Seconds a mail server may take to answer, each step; without it a server that never answers holds the
# sender (the task worker) for minutes.
EMAIL_TIMEOUT = os.environ.get("DJANGO_EMAIL_TIMEOUT") or "10"
if not EMAIL_TIMEOUT.replace(".", "", 1).isdigit() or not float(EMAIL_TIMEOUT) > 0:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_TIMEOUT must be a number of seconds above 0; got {EMAIL_TIMEOUT!r}.")
EMAIL_TIMEOUT = float(EMAIL_TIMEOUT)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "MindLAB Neuroscience <noreply@localhost>")

TAGGIT_CASE_INSENSITIVE = True

# Work off the request path (mail after a strategy-call request): Django's Tasks framework (django-tasks).
# The database backend keeps the queue in the site's database, shared by every app server; `manage.py
# db_worker` runs it (make serve starts one). With DEBUG on, tasks run at once inside the request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Strategy-call requests
STRATEGY_CALL_NOTIFY_EMAILS = env_list("DJANGO_STRATEGY_CALL_NOTIFY", "triage@localhost" if DEBUG else "")
STRATEGY_CALL_RATE_LIMIT = int(os.environ.get("DJANGO_STRATEGY_CALL_RATE_LIMIT", "5"))  # requests per IP...
STRATEGY_CALL_RATE_WINDOW = int(os.environ.get("DJANGO_STRATEGY_CALL_RATE_WINDOW", "3600"))  # ...per this many seconds
STRATEGY_CALL_MIN_FILL_SECONDS = 3
STRATEGY_CALL_FORM_MAX_AGE = 60 * 60 * 24  # a form open longer is sent back with a fresh token, text kept
STRATEGY_CALL_DUPLICATE_WINDOW = 600
# Closed and spam requests are deleted this many days after closing (purge_strategy_calls, run daily); open
# requests received longer ago are flagged in the triage queue.
STRATEGY_CALL_RETENTION_DAYS = int(os.environ.get("DJANGO_STRATEGY_CALL_RETENTION_DAYS", "365"))
# A request's mail is tried this many times, the first retry after this many seconds, each wait twice the last
# (6 and 60: retries over about half an hour); then it stays "notification pending" for the retry action.
STRATEGY_CALL_MAIL_ATTEMPTS = int(os.environ.get("DJANGO_STRATEGY_CALL_MAIL_ATTEMPTS", "6"))
STRATEGY_CALL_MAIL_RETRY_SECONDS = float(os.environ.get("DJANGO_STRATEGY_CALL_MAIL_RETRY_SECONDS", "60"))
# A sender that claimed an email and neither sent nor released it within this time has died: the email may
# be claimed again. Far longer than a send can take: some twenty steps, each at most EMAIL_TIMEOUT.
STRATEGY_CALL_MAIL_CLAIM_SECONDS = max(900, 30 * EMAIL_TIMEOUT)
# Phrases that flag a request urgent on top of the warning signs strategy_calls/crisis.py knows.
STRATEGY_CALL_CRISIS_PHRASES = env_list("DJANGO_STRATEGY_CALL_CRISIS_PHRASES")
# The crisis model (strategy_calls/crisis_model.py) flags a message whose best sentence scores at least this
# (0 to 1). Lower catches more crisis messages and flags more ordinary ones (docs/strategy-calls.md).
try:
    STRATEGY_CALL_CRISIS_MODEL_THRESHOLD = float(os.environ.get("DJANGO_STRATEGY_CALL_CRISIS_MODEL_THRESHOLD", "0.7"))
except ValueError:
    STRATEGY_CALL_CRISIS_MODEL_THRESHOLD = -1.0
if not 0 < STRATEGY_CALL_CRISIS_MODEL_THRESHOLD < 1:
    raise ImproperlyConfigured("DJANGO_STRATEGY_CALL_CRISIS_MODEL_THRESHOLD must be a number between 0 and 1, "
                               "e.g. 0.8.")
# The country of a phone number typed without a country code (an ISO 3166 code: US, GB, ...).
STRATEGY_CALL_PHONE_REGION = os.environ.get("DJANGO_STRATEGY_CALL_PHONE_REGION", "US").strip().upper() or "US"
if not re.fullmatch(r"[A-Z]{2}", STRATEGY_CALL_PHONE_REGION):
    raise ImproperlyConfigured("DJANGO_STRATEGY_CALL_PHONE_REGION must be a two-letter country code, e.g. US or GB.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
