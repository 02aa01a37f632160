"""Settings for the test suite: the production settings with a throw-away key and plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "cchc-test-suite-key-not-secret")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client and the live server speak plain HTTP
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from cchc.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Files are looked up when asked for, not listed when the middleware starts: the test client starts the middleware
# again for every test (~15 ms each listing every static file of every app).
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # nothing is collected in tests; WhiteNoise serves from the finders
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
# The live server's thread must not keep a connection open, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A commit of the test connections does not wait for its WAL to reach the disk: the throw-away test databases
    # need no durability, and the suite commits often (migrations, transactional tests, their flushes). Only these
    # sessions are affected; what a test sees is the same (a crash of the server would lose the last commits).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

# Tasks run before enqueue returns (Django's immediate backend): deterministic tests. The worker's own path (database
# backend, run loop, heartbeats, recovery) is tested in cchc/core/tests/test_worker*.py with the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each test process keeps its own page cache, emptied before every test (conftest.py): never CACHE_URL's, which the
# suite would flush. CCHC_TEST_CACHE_URL runs the suite against another backend (e.g. a Redis database of its own).
CACHES = {"default": cache_from_url(os.environ.get("CCHC_TEST_CACHE_URL", "locmem://"))}  # noqa: F405
LOG_FORMAT = "text"
LOGGING["handlers"]["console"]["formatter"] = "text"  # noqa: F405
# The line per request (cchc.core.middleware.RequestIdMiddleware) is not written in tests: the suite makes some
# 20,000 requests, and each line was formatted and captured by three handlers (stderr, pytest's two) for nothing.
# Warnings and errors, Django's 4xx/5xx lines among them, are still logged and shown with a failing test.
LOGGING["loggers"]["cchc.request"] = {"level": "WARNING"}  # noqa: F405
CCHC_LOCK_DIR = Path(tempfile.mkdtemp(prefix="cchc-test-locks-"))
