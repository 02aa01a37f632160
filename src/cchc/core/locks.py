"""Locks that serialise work which must not overlap, and that a dead process cannot leave held.

PostgreSQL: a session-level advisory lock (`pg_advisory_lock`), released when the holder unlocks or its connection
ends — a killed worker's connection is closed by the server. SQLite (one machine): an exclusive `flock` on a file in
CCHC_LOCK_DIR, released by the kernel when the holder's process ends. Waiting is blocking (with a timeout), so a
second import or a recompute of the same year waits for the first instead of failing.

Names used: `dossier-import` (every dossier import: one at a time, whatever years the files touch) and
`indicators-<year>` (recomputing or refreshing a year's figures).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connection


class LockTimeout(Exception):
    pass


def _key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"cchc:{name}".encode(), digest_size=8).digest(), "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str, timeout: float | None = None, poll: float = 0.2) -> Iterator[None]:
    """Hold the lock `name` for the block; wait for it up to `timeout` seconds (None: as long as it takes)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    if connection.vendor == "postgresql":
        key = _key(name)
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise LockTimeout(name)
                time.sleep(poll)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = settings.CCHC_LOCK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    raise LockTimeout(name) from None
                time.sleep(poll)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_held(name: str) -> bool:
    """Whether someone holds the lock now (for /healthz and tests)."""
    try:
        with exclusive(name, timeout=0):
            return False
    except LockTimeout:
        return True
