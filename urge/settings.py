"""Django settings for Urge, read from the environment (see the README for each variable)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from urge.core.rediscache import caches_for
from urge.env import Env, private_file

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Where the site writes (the SQLite database, collected static files, downloads, data keys):
# URGE_VAR_DIR, or var/ in the folder the command runs in. Never beside the code, which an
# installed wheel keeps in site-packages.
VAR_DIR = Path.cwd() / env.string("URGE_VAR_DIR", "var")

DEBUG = env.boolean("DEBUG", default=False)

SECRET_KEY = env.string("SECRET_KEY")
# Keys SECRET_KEY replaced, newest first: links already emailed (confirm, leave, erase) and
# sessions signed with them still open while they are listed (README: "Rotating keys").
SECRET_KEY_FALLBACKS = env.strings("URGE_SECRET_KEY_FALLBACKS", [])
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DEBUG=true on a development machine."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Behind TLS (directly or through a proxy that sets X-Forwarded-Proto), turn on every
# protection that only makes sense over HTTPS.
HTTPS = env.boolean("URGE_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django sends HSTS only on responses to HTTPS requests.
SECURE_HSTS_SECONDS = env.integer("URGE_HSTS_SECONDS", 63072000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("URGE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.boolean("URGE_HSTS_PRELOAD", default=False)
# Joining the browsers' preload list is hard to undo, so it is the operator's decision to
# make with URGE_HSTS_PRELOAD, not a warning that every deployment must see.
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
# No address ever leaves the site in a Referer; within it, browsers send their origin with
# posts, which Django's CSRF check compares with the host.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Over HTTPS, cookies named __Host-: the browser keeps them only if set securely by this
# very host, with no Domain, for the whole site (no subdomain can plant or read them).
SESSION_COOKIE_NAME = "__Host-urge-session" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
# Staff sessions (urge/accounts/sessionpolicy.py): ended after this long without a request,
# and this long after the password was given, whatever happens.
# django-otp doubles a device's wait after every wrong code, for everyone: someone who knows
# the password could lock its owner out for years. Urge's own limits (urge/accounts/throttle.py)
# slow guessing per address and per unknown browser instead.
OTP_TOTP_THROTTLE_FACTOR = 0
URGE_STAFF_IDLE_MINUTES = env.integer("URGE_STAFF_IDLE_MINUTES", 30, minimum=1)
URGE_STAFF_SESSION_HOURS = env.integer("URGE_STAFF_SESSION_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = URGE_STAFF_SESSION_HOURS * 3600
# How long the staff accounts' event log (sign-ins, failures, changes) is kept.
URGE_AUTH_LOG_DAYS = env.integer("URGE_AUTH_LOG_DAYS", 365, minimum=1)
# Sessions in the database under a hash of their key: a copy of it is no login (core/sessions.py).
SESSION_ENGINE = "urge.core.sessions"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "urge.core",
    "urge.accounts",
    "urge.campaigns",
    "urge.legislators",
    "urge.sharing",
    "urge.actions",
    "urge.supporters",
    "urge.bills",
    "urge.pages",
    "urge.dashboard",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # /healthz and /readyz for load balancers: any Host, plain HTTP too (urge/core/health.py).
    "urge.core.health.ProbeMiddleware",
    # Request counts and latency per route, and /metrics for a scrape with the token, answered
    # before the host and HTTPS checks as the probes are; out of the chain unless
    # URGE_METRICS_TOKEN is set (urge/core/metrics.py). Its other half, RequestsAfter, is last.
    "urge.core.metrics.RequestsBefore",
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise so that static files carry the same headers as pages.
    "urge.core.csp.SitePolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what compressing makes faster to receive (urge/core/compression.py).
    "urge.core.compression.SiteGZipMiddleware",
    # Sessions, sign-in and messages are the staff's: idle on the public pages, which never
    # use them (urge/core/staffonly.py).
    "urge.core.staffonly.StaffSessions",
    "urge.core.locale.PathLocaleMiddleware",
    # Before anything reads the host, query or body: what Django cannot parse gets a 400 or
    # 413 page in the page's language, not a 500 (urge/core/unreadable.py).
    "urge.core.unreadable.UnreadableRequestMiddleware",
    # A database that does not answer gets a 503 page in the page's language, keeping what
    # a sent form held (urge/core/unavailable.py).
    "urge.core.unavailable.DatabaseDownMiddleware",
    # Logs, once, a proxy that URGE_PROXY_COUNT does not count (urge/core/proxies.py).
    "urge.core.proxies.ProxyCountMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "urge.core.staffonly.StaffAuthentication",
    "django_otp.middleware.OTPMiddleware",
    "urge.accounts.sessionpolicy.StaffSessionMiddleware",
    "urge.core.staffonly.StaffMessages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "urge.core.metrics.RequestsAfter",
]

ROOT_URLCONF = "urge.urls"
WSGI_APPLICATION = "urge.wsgi.application"

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
                "urge.core.context_processors.language",
                "urge.supporters.context_processors.signup",
            ],
        },
    },
]

DATABASE_URL = env.optional_string("DATABASE_URL")
# Connections each worker process keeps open to PostgreSQL, shared by its threads (psycopg's
# pool, built into Django): a host opens at most URGE_WORKERS x this, however many threads
# it runs. 0: no pool, each thread keeps its own connection (for PgBouncer in front).
URGE_DB_POOL_SIZE = env.integer("URGE_DB_POOL_SIZE", 4, minimum=0)
# Seconds a request waits for a pooled connection before it fails (503, see unavailable.py).
URGE_DB_POOL_TIMEOUT = env.integer("URGE_DB_POOL_TIMEOUT", 5, minimum=1)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    # A connection a database restart broke is found and replaced, not handed out (with a
    # pool, Django turns this into the pool's own check).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if URGE_DB_POOL_SIZE:
        # Added to what DATABASE_URL's query gave (sslmode and the like), never in its place.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": URGE_DB_POOL_SIZE,
            "timeout": URGE_DB_POOL_TIMEOUT,
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 600
else:
    # Only this account may read the database: it holds encrypted personal data and staff
    # sessions. (SQLite makes its -wal and -shm files as the database file is; older ones
    # are tightened too.)
    private_file(VAR_DIR / "urge.sqlite3")
    for _journal in (VAR_DIR / "urge.sqlite3-wal", VAR_DIR / "urge.sqlite3-shm"):
        if _journal.exists():
            private_file(_journal)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "urge.sqlite3"),
            # Each server thread keeps its connection: opening one (and running the pragmas
            # below) cost more than the rest of a request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers carry on while one writer commits; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "urge.accounts.passwords.GuessablePasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
]
# The compiled catalogues: inside the package in a built wheel (hatch_build.py puts them
# there), in the source tree's locale/ otherwise (`make` compiles them).
_PACKAGED_LOCALE = Path(__file__).resolve().parent / "locale"
LOCALE_PATHS = [_PACKAGED_LOCALE if _PACKAGED_LOCALE.is_dir() else BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Fingerprinted files never change under the same name; WhiteNoise marks them immutable.
WHITENOISE_MAX_AGE = 3600

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Who may read /metrics (urge/core/metrics.py): requests with `Authorization: Bearer <this>`.
# Unset: no metrics, and /metrics is a 404 like any unknown path.
URGE_METRICS_TOKEN = env.optional_string("URGE_METRICS_TOKEN")
# "text": the message alone, for a person at a terminal; "json": one JSON object a line, for a
# log collector (urge/core/logs.py), from Django, Urge, the queue worker and granian alike.
URGE_LOG_FORMAT = env.choice("URGE_LOG_FORMAT", ("text", "json"), "text")

# No access log by default: it would record visitors' IP addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the paths of refused requests, and an emailed link's path holds its token:
    # these lines name the route with the token cut out (urge/core/logs.py). On the loggers
    # that log paths, so that every handler gets the cut line; on the console for the rest.
    "filters": {"hide_tokens": {"()": "urge.core.logs.HideTokens"}},
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {"()": "urge.core.logs.JsonLines"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["hide_tokens"],
            "formatter": URGE_LOG_FORMAT,
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if URGE_LOG_FORMAT == "json" else "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.request": {"filters": ["hide_tokens"]},
        "django.security.csrf": {"filters": ["hide_tokens"]},
        # runserver's request lines: set up as Django's defaults do, with the filter.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["hide_tokens"],
        },
    },
}

URGE_CAMPAIGNS_DIR = BASE_DIR / "campaigns"
URGE_DATA_DIR = env.optional_string("URGE_DATA_DIR")
URGE_PORT = env.integer("PORT", 8000, minimum=1)
# One worker process per core: granian's HTTP runs in Rust threads, so more processes
# would only contend for the cores.
URGE_WORKERS = env.integer("URGE_WORKERS", min(os.cpu_count() or 1, 16), minimum=1)
URGE_THREADS = env.integer("URGE_THREADS", 16, minimum=1)
# Write sign-ups and actions from concurrent requests in shared transactions
# (urge/core/groupcommit.py); each is still acknowledged only once committed.
URGE_GROUP_COMMIT = env.boolean("URGE_GROUP_COMMIT", default=True)
# How long any cache (urge/core/httpcache.py in each worker, nginx, a CDN, a browser) may
# reuse a public page: the campaign page and the action page. 0: never.
URGE_PAGE_CACHE_SECONDS = env.integer("URGE_PAGE_CACHE_SECONDS", 10, minimum=0)
URGE_INDEX_RECHECK_SECONDS = env.integer("URGE_INDEX_RECHECK_SECONDS", 30, minimum=0)
# Street addresses go to the Census Bureau geocoder (free, no key); turn it off to keep
# every lookup on this server, answering addresses by their ZIP code.
URGE_GEOCODER = env.boolean("URGE_GEOCODER", default=True)
URGE_GEOCODER_URL = env.string("URGE_GEOCODER_URL", "https://geocoding.geo.census.gov")
URGE_GEOCODER_TIMEOUT = env.integer("URGE_GEOCODER_TIMEOUT", 4, minimum=1)
# The bills' latest actions and cosponsors come from the Congress.gov API (urge/bills), with a
# free api.data.gov key; without one `urge track` does nothing and `urge serve` skips it.
URGE_CONGRESS_API_KEY = env.optional_string("URGE_CONGRESS_API_KEY")
URGE_CONGRESS_API_URL = env.string("URGE_CONGRESS_API_URL", "https://api.congress.gov")
URGE_CONGRESS_API_TIMEOUT = env.integer("URGE_CONGRESS_API_TIMEOUT", 10, minimum=1)
# The site's public address, for links in messages (campaign_url) when no request is at hand.
URGE_SITE_URL = env.string("URGE_SITE_URL", f"http://127.0.0.1:{URGE_PORT}")
# A font file (.ttf, .otf, .ttc) for the titles on link-preview images (urge/sharing/preview.py).
# Unset: the Noto CJK fonts of fonts-noto-cjk where installed, else a built-in Latin font.
URGE_PREVIEW_FONT = env.optional_string("URGE_PREVIEW_FONT")
# Personal data at rest (urge/supporters/crypto.py): Fernet keys, newest first, and the key
# of the hashes that find duplicate sign-ups. Both must be kept secret and backed up.
URGE_ENCRYPTION_KEYS = env.strings("URGE_ENCRYPTION_KEYS", [])
# Each supporter's own data key, one file each (urge/supporters/datakeys.py): erasure deletes
# the file, and with it every copy of their data. Shared by all hosts; backed up apart from
# the database.
URGE_KEY_DIR = env.string("URGE_KEY_DIR", str(VAR_DIR / "keys"))
URGE_HASH_KEY = env.string("URGE_HASH_KEY")
if not URGE_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "URGE_HASH_KEY is not set. Set it to a long random string of its own, apart from "
            "SECRET_KEY, and keep it: it recognises returning supporters, so changing it "
            "makes them look new. (`make run` makes one in var/hash-key.)"
        )
    URGE_HASH_KEY = "insecure-development-hash-key"
elif URGE_HASH_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "URGE_HASH_KEY must differ from SECRET_KEY: rotating one must not change the other."
    )

# Cache and rate-limit store. Without REDIS_URL, the cache lives in each process's memory
# and rate limits are counted in memory shared by this server's workers
# (urge/core/sharedcounts.py); with it, Redis does both, for every host, and while Redis
# does not answer the site carries on as without it (urge/core/rediscache.py).
REDIS_URL = env.optional_string("REDIS_URL")
CACHES = caches_for(REDIS_URL)
# How many hosts serve the site. Above 1, REDIS_URL is required (urge.E001,
# urge/core/checks.py): otherwise each host would count rate limits of its own.
URGE_HOSTS = env.integer("URGE_HOSTS", 1, minimum=1)

# Background work: a queue kept in the database, run by `urge db_worker` (which `urge serve`
# starts beside the web workers unless URGE_QUEUE_WORKER=false).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
URGE_QUEUE_WORKER = env.boolean("URGE_QUEUE_WORKER", default=True)
# How many `db_worker` processes `urge serve` starts; each claims tasks on its own.
URGE_QUEUE_WORKERS = env.integer("URGE_QUEUE_WORKERS", 1, minimum=1)
# A task still running this long after a worker claimed it is taken to have lost its worker
# (killed, or its host gone) and is queued again (urge/core/lease.py). Longer than any task
# may run: a batch of emails hands on what it has not sent after half of it.
URGE_TASK_LEASE_SECONDS = env.integer("URGE_TASK_LEASE_SECONDS", 300, minimum=2)

# Email goes out by SMTP. URGE_EMAIL_OUTBOX (a folder) writes each message to a file
# instead: for a laptop with no mail server, never for real supporters.
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Urge <urge@localhost>")
URGE_EMAIL_OUTBOX = env.optional_string("URGE_EMAIL_OUTBOX")
if URGE_EMAIL_OUTBOX:
    EMAIL_BACKEND = "urge.core.outbox.OutboxBackend"
    EMAIL_FILE_PATH = URGE_EMAIL_OUTBOX

# Sign-ups (urge/supporters/): how long things are kept, and the checks against bots.
URGE_CONFIRM_LINK_DAYS = env.integer("URGE_CONFIRM_LINK_DAYS", 7, minimum=1)
URGE_UNCONFIRMED_DAYS = env.integer("URGE_UNCONFIRMED_DAYS", 14, minimum=1)
URGE_RETENTION_DAYS = env.integer("URGE_RETENTION_DAYS", 90, minimum=0)
URGE_SIGNUP_MIN_SECONDS = env.integer("URGE_SIGNUP_MIN_SECONDS", 3, minimum=0)
URGE_SIGNUP_POW_BITS = env.integer("URGE_SIGNUP_POW_BITS", 0, minimum=0)
# Rate limits, as (count, seconds) from "count/seconds", per keyed hash of the visitor's
# IP address (urge/core/ratelimit.py).
URGE_RATE_SIGNUP = env.rate("URGE_RATE_SIGNUP", "20/3600")
URGE_RATE_RESEND = env.rate("URGE_RATE_RESEND", "5/3600")
URGE_RATE_ACTION = env.rate("URGE_RATE_ACTION", "300/3600")
URGE_RATE_SIGNIN = env.rate("URGE_RATE_SIGNIN", "10/900")
# Street addresses sent to the geocoder (ZIP codes are never counted): each one may hold a
# thread for URGE_GEOCODER_TIMEOUT, so one visitor must not send a flood of them.
URGE_RATE_GEOCODE = env.rate("URGE_RATE_GEOCODE", "20/600")
# Emails one address may receive, whoever signs it up, per hour and per day.
URGE_RATE_MAIL_HOUR = env.rate("URGE_RATE_MAIL_HOUR", "3/3600")
URGE_RATE_MAIL_DAY = env.rate("URGE_RATE_MAIL_DAY", "6/86400")
# Behind a reverse proxy, the number of proxies that append to X-Forwarded-For; the
# visitor's address is the one that many places from the right. 0 trusts no header.
URGE_PROXY_COUNT = env.integer("URGE_PROXY_COUNT", 0, minimum=0)
# Whether the operator set it, to 0 too: `urge check --deploy` warns of the default alone.
URGE_PROXY_COUNT_GIVEN = "URGE_PROXY_COUNT" in os.environ

LOGIN_URL = "urge-signin"
OTP_TOTP_ISSUER = "Urge"
# The admin of authenticator devices never shows their keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
