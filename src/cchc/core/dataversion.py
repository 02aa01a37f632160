"""The data version: one number that moves whenever anything a page shows may have changed.

Pages keep what they compute from the stored figures in the cache under this number (`cchc.core.pagecache`), so a
page is computed once per change and never shown stale: a commit that changes data moves the number, and the next
request looks under a new key.

What moves it: every write statement (INSERT, UPDATE, DELETE, through the ORM or a raw cursor) on a table of a cchc
model, seen by an execute wrapper installed on every database connection — recomputes, refreshes, plan and target
changes, reviews, publications, the admin, the API, the commands alike, with no call to forget. Models whose rows
no page shows from the cache say so with `moves_data_version = False`: jobs, worker heartbeats, API tokens, notices,
and an import's own rows (the dossiers, their previous versions, the refresh's marks and batches) — pages read
dossiers only through the stored figures, so an import moves the version when its refresh stores them (or through
their own cache of the computation, keyed on it).

When, so that no request keeps the old figures under the new number (see `bump`):
- SQLite: the counter row is updated after each such statement inside the writing transaction (which already holds
  the write lock), so the new number and the new data become visible at the same commit.
- PostgreSQL: a sequence, which never waits for another transaction: advanced when a writing transaction commits
  (and when the writing session itself asks for the version before: it sees its own change at once).
A request reads the number before it reads the data, so the worst a race does is compute a page once more.
"""

from __future__ import annotations

import logging
import re

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

TABLE = "core_dataversion"  # SQLite: one row (id 1) with the counter
SEQUENCE = "core_data_version"  # PostgreSQL
# The table a write statement writes to (also after a WITH clause); quoted or not.
_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)"
    r"\s+(?:ONLY\s+)?[\"`]?(\w+)[\"`]?",
    re.IGNORECASE,
)
_READ_ONLY = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET", "SHOW", "EXPLAIN")
_DDL = ("CREATE", "DROP", "ALTER", "ANALYZE", "VACUUM")
_watched: frozenset[str] | None = None


def watched_tables() -> frozenset[str]:
    """Tables of cchc models whose writes move the version (every one but those that opt out)."""
    global _watched
    if _watched is None:
        _watched = frozenset(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("cchc.") and getattr(model, "moves_data_version", True)
        )
    return _watched


def writes_watched(sql: str) -> bool:
    """Whether the statement writes to a watched table."""
    head = sql.lstrip()[:10].upper()
    if head.startswith(_READ_ONLY) or head.startswith(_DDL):
        return False
    tables = watched_tables()
    return any(name.lower() in tables for name in _WRITE.findall(sql))


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The version now (0 before anything was written), as this connection sees it: its own uncommitted writes
    count too."""
    connection = connections[using]
    if getattr(connection, "_cchc_version_dirty", False) and connection.in_atomic_block:
        _advance(connection)  # PostgreSQL: this session's own writes since the last advance (see `bump`)
        connection._cchc_version_dirty = False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")
            value, called = cursor.fetchone()
            return int(value) if called else 0
        cursor.execute(f"SELECT counter FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _exists(connection) -> bool:
    """Whether the counter exists on this database yet (not while the migrations that create it are pending)."""
    if getattr(connection, "_cchc_version_exists", False):
        return True
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            raw.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'S'", [SEQUENCE])
        else:
            raw.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE])
        found = raw.fetchone() is not None
    connection._cchc_version_exists = found
    return found


def _advance(connection) -> None:
    if not _exists(connection):
        return
    # Straight on the driver's cursor: the statement must not pass through the wrappers again.
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            raw.execute(f"SELECT nextval('{SEQUENCE}')")
            return
        raw.execute(f"UPDATE {TABLE} SET counter = counter + 1 WHERE id = 1")
        if raw.rowcount == 0:  # the row is gone (a test database flushed): start again
            raw.execute(f"INSERT INTO {TABLE} (id, counter) VALUES (1, 1)")


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the version for a change made on `using` (what the wrapper does after every watched write; call it for a
    change the wrapper cannot see).

    SQLite: the counter row is updated at once, inside the writer's transaction (a few microseconds; the writer
    holds the database's write lock already): it commits, or rolls back, with the data.
    PostgreSQL: outside a transaction the sequence advances at once; inside one, the write is noted and the
    sequence advances when the transaction commits — and before, if this session asks for the version (its own
    uncommitted data is then what it reads): no round trip per statement, no lock held."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        _advance(connection)
        return
    connection._cchc_version_dirty = True
    marker = _marker(connection)
    if not any(func is marker for _sids, func, _robust in connection.run_on_commit):
        connection.on_commit(marker)


def _marker(connection):
    """The on-commit callback that advances the sequence after a transaction that wrote (one per connection, so
    that it is registered once per transaction)."""
    marker = getattr(connection, "_cchc_version_marker", None)
    if marker is None:

        def marker() -> None:
            connection._cchc_version_dirty = False
            try:
                _advance(connection)
            except Exception:  # the data is committed: a failed advance must not turn the request into an error
                log.exception("the data version could not be advanced after a commit")

        connection._cchc_version_marker = marker
    return marker


class _Watcher:
    """The execute wrapper: after a statement that wrote to a watched table, move the version."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and writes_watched(sql):
            bump(self.connection.alias)
        return result


def install(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: watch the connection's writes (once per connection object)."""
    if connection is None or connection.vendor not in ("sqlite", "postgresql"):
        return
    if not any(isinstance(w, _Watcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_Watcher(connection))
