"""Settings for the test suite: the production settings with a throw-away key and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "cchc-test-suite-key-not-secret")
os.environ.setdefault("SECURE_COOKIES", "0")

from cchc.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
