"""Django settings for Urge, read from the environment (see the README for each variable)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from urge.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("URGE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", default=False)

SECRET_KEY = env.string("SECRET_KEY")
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
# W003 looks for Django's CSRF middleware by name; urge.core.csrf subclasses it.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "urge.core",
    "urge.campaigns",
    "urge.legislators",
    "urge.actions",
    "urge.supporters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise so that static files carry the same headers as pages.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "urge.core.csrf.FetchMetadataCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

DATABASE_URL = env.optional_string("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "urge.sqlite3"),
            "OPTIONS": {
                # WAL lets readers carry on while one writer commits; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
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

# No access log by default: it would record visitors' IP addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO").upper()},
}

URGE_CAMPAIGNS_DIR = BASE_DIR / "campaigns"
URGE_DATA_DIR = env.optional_string("URGE_DATA_DIR")
URGE_PORT = env.integer("PORT", 8000, minimum=1)
URGE_WORKERS = env.integer("URGE_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 12), minimum=1)
URGE_INDEX_RECHECK_SECONDS = env.integer("URGE_INDEX_RECHECK_SECONDS", 30, minimum=0)
# Street addresses go to the Census Bureau geocoder (free, no key); turn it off to keep
# every lookup on this server, answering addresses by their ZIP code.
URGE_GEOCODER = env.boolean("URGE_GEOCODER", default=True)
URGE_GEOCODER_URL = env.string("URGE_GEOCODER_URL", "https://geocoding.geo.census.gov")
URGE_GEOCODER_TIMEOUT = env.integer("URGE_GEOCODER_TIMEOUT", 4, minimum=1)
# The site's public address, for links in messages (campaign_url) when no request is at hand.
URGE_SITE_URL = env.string("URGE_SITE_URL", "http://127.0.0.1:8000")
# Personal data at rest (urge/supporters/crypto.py): Fernet keys, newest first, and the key
# of the hashes that find duplicate sign-ups. Both must be kept secret and backed up.
URGE_ENCRYPTION_KEYS = env.strings("URGE_ENCRYPTION_KEYS", [])
URGE_HASH_KEY = env.string("URGE_HASH_KEY", SECRET_KEY)
