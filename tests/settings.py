"""Settings for the test suite: production settings, with what tests need on top."""

import atexit
import os
import shutil
import tempfile

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
# Supporters' data keys: a folder of this run's own, removed when it ends.
URGE_KEY_DIR = tempfile.mkdtemp(prefix="urge-test-keys-")
atexit.register(shutil.rmtree, URGE_KEY_DIR, ignore_errors=True)
