"""Settings for the test suite: production settings, with what tests need on top."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("URGE_HASH_KEY", "tests-only-hash-key")

from urge.settings import *  # noqa: F403

# The manifest needs collectstatic; the browser tests exercise it through `urge serve`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Served from the apps' folders instead of a collected STATIC_ROOT.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
URGE_INDEX_RECHECK_SECONDS = 0  # see a newly activated release at once
# Throwaway keys: the tests' personal data is made up.
URGE_ENCRYPTION_KEYS = ["dGVzdHMtb25seS1rZXktMDEyMzQ1Njc4OWFiY2RlZng="]
URGE_HASH_KEY = "tests-only-hash-key"
