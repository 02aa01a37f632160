#!/usr/bin/env python
"""Where an import's CPU and waiting go, per phase and per thread (issue 15; not run by CI).

    DATABASE_URL=… python bench/import_phases.py FILE [--batch-rows N] [--cprofile OUT]

Imports FILE in this process into the database of DATABASE_URL (migrated, with its units and the file's catalogue
already imported: e.g. a copy of the SQLite file or a PostgreSQL database made from a template the benchmark left)
and prints, per row: the CPU of each phase in the thread that runs it (reading and checking in the worker thread,
the SQL statements in the calling one; Polars' own threads are only in the process total), the wall time of each,
how long the writer waited for the next batch, the process CPU and, on PostgreSQL, the server backend's CPU (read
from /proc: the server must run on this machine). On a shared machine compare CPU per row, not wall times.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from collections import defaultdict

from benchmark import backend_cpu  # the script's folder is on sys.path: both run as `python bench/…`

cpu: dict[str, float] = defaultdict(float)
wall: dict[str, float] = defaultdict(float)
_lock = threading.Lock()


def _add(name: str, seconds_cpu: float, seconds_wall: float) -> None:
    with _lock:
        cpu[name] += seconds_cpu
        wall[name] += seconds_wall


def timed(name, fn):
    def wrapper(*args, **kwargs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _add(name, time.thread_time() - started_cpu, time.perf_counter() - started)

    return wrapper


def timed_iterator(name, fn):
    def wrapper(*args, **kwargs):
        iterator = fn(*args, **kwargs)
        while True:
            started, started_cpu = time.perf_counter(), time.thread_time()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                _add(name, time.thread_time() - started_cpu, time.perf_counter() - started)
            yield item

    return wrapper


class _TimedCursor:
    """A cursor whose statements are timed by their first words."""

    def __init__(self, cursor):
        self._cursor = cursor

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def execute(self, sql, params=None):
        return timed("sql: " + " ".join(sql.split()[:2])[:28], self._cursor.execute)(sql, params)

    def executemany(self, sql, params):
        return timed("sql: executemany", self._cursor.executemany)(sql, params)


def instrument() -> None:
    from cchc.dossiers import importing, readers, validation

    importing.records.validate_dossiers = timed("check", validation.validate_dossiers)
    readers.Source.batches = timed_iterator("read", readers.Source.batches)
    for stage in (importing._SQLiteStage, importing._PostgresStage):
        stage.prepare = timed("prepare for the writer", stage.prepare)
        stage.write = timed("write (all of it)", stage.write)
        entered = stage.__enter__

        def enter(self, entered=entered):
            result = entered(self)
            self.cursor = _TimedCursor(self.cursor)
            return result

        stage.__enter__ = enter
    pipelined = importing._pipelined

    def waiting(batches, prepare, *args, **kwargs):
        iterator = pipelined(batches, timed("worker: read + check + prepare", prepare), *args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                wall["writer waits for a batch"] += time.perf_counter() - started
            yield item

    importing._pipelined = waiting


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--batch-rows", type=int, default=None)
    parser.add_argument("--cprofile", help="write a cProfile of the calling thread to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from cchc.dossiers import importing

    instrument()
    kwargs = {"batch_rows": args.batch_rows} if args.batch_rows else {}
    profile = None
    if args.cprofile:
        import cProfile

        profile = cProfile.Profile()
    server_before = backend_cpu()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started, started_cpu = time.perf_counter(), time.thread_time()
    if profile:
        profile.enable()
    result = importing.import_dossiers(args.file, **kwargs)
    if profile:
        profile.disable()
        profile.dump_stats(args.cprofile)
    elapsed, calling_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    after = resource.getrusage(resource.RUSAGE_SELF)
    server_after = backend_cpu()
    rows = max(result.rows_read, 1)
    process = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(result.summary())
    print(
        f"{rows:,} rows in {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s), load {os.getloadavg()[0]:.1f}; "
        f"CPU µs a row: process {process / rows * 1e6:.2f}, calling thread {calling_cpu / rows * 1e6:.2f}"
        + (
            f", server backend {(server_after - server_before) / rows * 1e6:.2f}"
            if server_before is not None and server_after is not None
            else ""
        )
    )
    print(f"  {'phase':36} {'thread CPU µs a row':>20} {'wall s':>8}")
    for name in sorted(set(cpu) | set(wall)):
        print(f"  {name:36} {cpu[name] / rows * 1e6:20.2f} {wall[name]:8.2f}")
    print(f"peak RSS {after.ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
