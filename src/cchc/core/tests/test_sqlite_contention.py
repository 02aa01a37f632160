"""SQLite waits instead of failing: with the project's settings (WAL, busy timeout, IMMEDIATE transactions) a writer
that comes while another holds the write lock queues and succeeds; a write that still cannot get the lock is answered
503 "busy, try again", never 500."""

import threading
import time

import pytest
from django.db import OperationalError, connections, transaction
from django.test import RequestFactory

from cchc.core.middleware import BusyOrConflictMiddleware


@pytest.fixture
def two_connections(tmp_path, django_db_blocker):
    """Two connections to one SQLite file, configured exactly as the site's database (settings.DATABASES)."""
    base = connections["default"].settings_dict
    if base["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite locking")
    assert base["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and base["OPTIONS"]["timeout"] >= 30
    aliases = ["contention_a", "contention_b"]
    for alias in aliases:
        options = dict(base["OPTIONS"])
        connections.settings[alias] = {**base, "NAME": str(tmp_path / "contention.sqlite3"), "OPTIONS": options}
    with django_db_blocker.unblock():
        with connections["contention_a"].cursor() as cursor:
            cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, text TEXT, version INTEGER)")
            cursor.execute("INSERT INTO report VALUES (1, 'nháp', 1)")
        yield aliases
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def hold_write_lock(alias: str, seconds: float, started: threading.Event):
    def run():
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("UPDATE report SET text = 'nhập dữ liệu' WHERE id = 1")
            started.set()
            time.sleep(seconds)
        connections[alias].close()

    return threading.Thread(target=run)


def read_then_write(alias: str) -> None:
    """What a page's save does: read the row in the transaction, then write it."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT version FROM report WHERE id = 1")
        version = cursor.fetchone()[0]
        cursor.execute("UPDATE report SET text = 'đã nộp', version = %s WHERE id = 1", [version + 1])


def test_a_writer_waits_for_the_write_lock_and_then_succeeds(two_connections):
    first, second = two_connections
    started = threading.Event()
    holder = hold_write_lock(first, 1.5, started)
    holder.start()
    assert started.wait(10)
    began = time.monotonic()
    read_then_write(second)  # waits for the first transaction, no "database is locked"
    waited = time.monotonic() - began
    holder.join()
    assert waited > 0.5  # it did wait for the holder
    with connections[second].cursor() as cursor:
        cursor.execute("SELECT text, version FROM report WHERE id = 1")
        assert cursor.fetchone() == ("đã nộp", 2)


def test_without_immediate_transactions_the_same_write_fails(two_connections):
    """The control: SQLite's default (deferred) transactions fail at once when a read turns into a write."""
    first, second = two_connections
    connections[second].settings_dict["OPTIONS"] = {**connections[second].settings_dict["OPTIONS"]}
    connections[second].settings_dict["OPTIONS"]["transaction_mode"] = "DEFERRED"
    connections[second].close()
    started = threading.Event()
    holder = hold_write_lock(first, 1.5, started)
    with connections[second].cursor() as cursor:  # a reader already in WAL before the writer starts
        cursor.execute("SELECT 1")
    holder.start()
    assert started.wait(10)
    try:
        with transaction.atomic(using=second), connections[second].cursor() as cursor:
            cursor.execute("SELECT version FROM report WHERE id = 1")
            time.sleep(2)  # the holder commits meanwhile: this snapshot is now stale
            with pytest.raises(OperationalError, match="locked"):
                cursor.execute("UPDATE report SET text = 'x' WHERE id = 1")
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    holder.join()


def test_a_write_that_cannot_get_the_lock_is_answered_503_not_500(rf: RequestFactory, settings):
    middleware = BusyOrConflictMiddleware(lambda request: None)
    request = rf.post("/reports/1/", HTTP_ACCEPT="text/html")
    request.user = None
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"]
    api = middleware.process_exception(rf.post("/api/reports/1/submit/"), OperationalError("database is locked"))
    assert api.status_code == 503 and b"detail" in api.content
    assert middleware.process_exception(request, ValueError("other")) is None
