import asyncio
import gc
import itertools
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHARED = REPO.parent / "shared"


COLLECTED = pytest.StashKey[int]()
_collected = itertools.count()


def pytest_itemcollected(item):
    """Remember the order of collection (pytest-django sorts before our ordering runs)."""
    item.stash[COLLECTED] = next(_collected)


def _database_order(item) -> int:
    """pytest-django's order (database tests, then transactional ones, then the rest), with one change: a test that
    reads what a module-scoped fixture wrote through `django_db_blocker` (e.g. the seeded demo) counts as a database
    test, so it stays beside the other tests of its module and the expensive fixture is not set up a second time."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in names or "live_server" in names
    ):
        return 1
    if marker or "db" in names or "django_db_setup" in names:
        return 0
    return 2


def pytest_addoption(parser):
    parser.addoption(
        "--cpu-durations",
        type=int,
        metavar="N",
        default=None,
        help="after the run, list the N test files and N tests that used the most CPU (user + system of the test "
        "process, its threads included: the live server, Polars) and the total: on a busy machine wall times "
        "(--durations) mostly measure the others",
    )
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="deselect the tests that use neither the database nor the browser: `make test` runs them on SQLite "
        "and passes this to the PostgreSQL run, where they would only repeat themselves",
    )


def _uses_database(item) -> bool:
    """Whether the test can reach the test database: pytest-django refuses any query to a test that asks for none of
    these fixtures (directly or through its fixtures), so a test without them runs the same on every database.
    (`django_db_blocker` is in every test's closure; the one fixture that unblocks it without the test database,
    in test_sqlite_contention.py, opens SQLite files of its own and is skipped on PostgreSQL.)"""
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or names & {"db", "transactional_db", "django_db_setup", "live_server"}
    )


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With --cpu-durations, each phase's report carries the CPU its test process used during it (pytest-xdist sends
    `user_properties` to the controller with the report)."""
    if item.config.getoption("cpu_durations") is None:
        return (yield)
    item.stash[CPU_AT] = _cpu_seconds()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if CPU_AT in item.stash:
        now = _cpu_seconds()
        report.user_properties.append(("cpu", now - item.stash[CPU_AT]))
        item.stash[CPU_AT] = now
    return report


CPU_AT = pytest.StashKey[float]()
CPU_USED: dict[str, float] = {}


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == "cpu":
            CPU_USED[report.nodeid] = CPU_USED.get(report.nodeid, 0.0) + value


def pytest_terminal_summary(terminalreporter, config):
    count = config.getoption("cpu_durations")
    if count is None or not CPU_USED:
        return
    files: dict[str, float] = {}
    for nodeid, seconds in CPU_USED.items():
        files[nodeid.split("::", 1)[0]] = files.get(nodeid.split("::", 1)[0], 0.0) + seconds
    write = terminalreporter.write_line
    terminalreporter.section("CPU seconds per test file and per test (set-up and teardown included)")
    write(f"{sum(CPU_USED.values()):9.1f}  all {len(CPU_USED)} tests")
    for path, seconds in sorted(files.items(), key=lambda kv: -kv[1])[:count]:
        write(f"{seconds:9.1f}  {path}")
    write("")
    for nodeid, seconds in sorted(CPU_USED.items(), key=lambda kv: -kv[1])[:count]:
        write(f"{seconds:9.1f}  {nodeid}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium (uses `page`) is a browser test, marked or not: `-m "not browser"` skips it.
    With `--database-tests-only`, the tests that use no database (and no browser) are deselected.
    Then the order of `_database_order`, in the order of collection within each group (as pytest-django does)."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
    if config.getoption("database_tests_only"):
        free = [item for item in items if not _uses_database(item) and not item.get_closest_marker("browser")]
        if free:
            config.hook.pytest_deselected(items=free)
            kept = set(map(id, free))
            items[:] = [item for item in items if id(item) not in kept]
    items.sort(key=lambda item: (_database_order(item), item.stash.get(COLLECTED, 0)))


# Files whose tests share a package-scoped fixture: one unit of work for pytest-xdist (`--dist loadfile` sends each
# file to a worker whole; split across two workers, each would set the fixture up). The demo (demo/tests/conftest.py:
# `cchc demo --no-serve --dossiers 3000`, whose seeded 2023 the three files read) takes some 40 s of CPU to run.
TOGETHER = {
    "src/cchc/demo/tests/test_demo.py": "the demo",
    "src/cchc/demo/tests/test_demo_scoring.py": "the demo",
    "src/cchc/demo/tests/test_demo_workflow.py": "the demo",
}


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with the files of `TOGETHER` sent to one worker as if they were one file."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return TOGETHER.get(path, path)

    return Scheduling(config, log)


def _flush_filled_tables(style, connection, reset_sequences=True, allow_cascade=False):
    """What `flush` runs after a transactional test (TransactionTestCase._fixture_teardown): only the tables that
    hold a row are emptied, with DELETE (PostgreSQL checks the deferred foreign keys at commit). The same empty
    database as Django's TRUNCATE of every table (~150 of them: a new file per table and index each time), at a
    fraction of the cost. Content types and permissions stay: they are what the post_migrate signal, sent after the
    flush, would write again (it still adds any a test removed)."""
    from django.core.management.sql import sql_flush

    if reset_sequences:
        return sql_flush(style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    kept = {"django_content_type", "auth_permission"}
    tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)]
    if allow_cascade:  # only part of the apps: Django's own statement (TRUNCATE … CASCADE), nothing kept
        return connection.ops.sql_flush(style, tables, allow_cascade=True)
    quote = connection.ops.quote_name
    probe = " UNION ALL ".join(
        f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(t)})" for i, t in enumerate(tables) if t not in kept
    )
    if not probe:
        return []
    with connection.cursor() as cursor:
        cursor.execute(probe)
        filled = [tables[i] for (i,) in cursor.fetchall()]
    return [f"DELETE FROM {quote(table)};" for table in filled]


def pytest_configure(config):
    """The flush after each transactional test empties only the tables it filled (`_flush_filled_tables`).

    Python's cycle collector runs less often: with Django's defaults it ran some 1,500 times per 25 tests and took
    about a sixth of the suite's CPU time scanning the same long-lived objects (modules, URL patterns, query
    compilers). Memory freed by reference counting is unaffected; cyclic garbage waits a little longer."""
    from django.core.management.commands import flush

    flush.sql_flush = _flush_filled_tables
    gc.set_threshold(10_000, 50, 10)


def pytest_collection_finish(session):
    """What is loaded by now (modules, the collected tests) lives until the end: the cycle collector skips it."""
    gc.collect()
    gc.freeze()


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared reference material (the seed plan, the domain notes), beside the checkout."""
    if not (SHARED / "seed").is_dir():
        pytest.skip(f"shared reference material not found at {SHARED}")
    return SHARED


class Snapshot:
    """The rows that `build()` writes, captured once (per test database) and written back with one multi-row INSERT
    per table (and batch), much faster than building them again.

    Capturing runs `build` inside a transaction (a savepoint within a test) that is rolled back, then compares every
    table with what it held before. Keys are kept, so the rows point at each other as they did; the database checks
    foreign keys at commit (Django declares them deferred), so the order of the tables does not matter."""

    def __init__(self, build):
        self.build = build
        self.models = []  # the models build() fills, in registration order
        self.statements = []  # [(sql, params)]: the INSERTs of those rows, values as the database stores them
        self.clock_fields = {}  # model → fields stamped with the time of writing (auto_now, default=timezone.now)

    def capture(self):
        from django.apps import apps
        from django.db import connection, transaction
        from django.db.models.sql import InsertQuery
        from django.utils import timezone

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
        with transaction.atomic():
            before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
            self.build()
            for model in models:
                objects = [o for o in model._base_manager.order_by("pk") if o.pk not in before[model]]
                if not objects:
                    continue
                assert not model._meta.parents, f"{model.__name__}: multi-table inheritance is not restored"
                fields = model._meta.local_concrete_fields
                size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
                for start in range(0, len(objects), size):
                    query = InsertQuery(model)
                    query.insert_values(fields, objects[start : start + size], raw=True)
                    self.statements += query.get_compiler(connection=connection).as_sql()
                self.models.append(model)
                clock = [
                    f.attname
                    for f in fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or f.default is timezone.now
                ]
                if clock:
                    self.clock_fields[model] = clock
            transaction.set_rollback(True)

    def present(self) -> bool:
        """Whether any table of the snapshot already has a row."""
        return any(model._base_manager.exists() for model in self.models)

    def restore(self, stamp_now: bool = False):
        """Write the captured rows; with `stamp_now` (tables that held nothing else) their clock fields get the time
        of writing, as when `build` writes them."""
        from django.core.management.color import no_style
        from django.db import connection, transaction
        from django.utils import timezone

        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in self.statements:
                cursor.execute(sql, params)
            # Explicit keys do not move PostgreSQL's sequences: rows the test adds must not collide with these.
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)
        if stamp_now:
            now = timezone.now()
            for model, fields in self.clock_fields.items():
                model._base_manager.update(**dict.fromkeys(fields, now))


class Replay:
    """A command's changes to the database, recorded the first time it runs from a given state of the tables it
    reads, and written back (a statement per table and batch) when it is asked for again from that same state; from
    any other state the command itself runs, and what it changes from there is recorded in turn.

    `reads` are the models whose rows decide what the command writes (compared column by column, clock fields
    aside); the command may add, change or remove their rows, and add rows to the `appends` tables (the audit log),
    whose rows written back take the next keys as the command's own would. A change to any other table fails the
    recording: the command no longer fits this description. Rows written back carry the time of writing in their
    clock fields, as the command's rows do."""

    def __init__(self, run, reads: list[str], appends: list[str]):
        self.run = run
        self.reads, self.appends = reads, appends
        self.recordings: dict[str, tuple] = {}

    def __call__(self):
        from django.apps import apps

        reads = [apps.get_model(label) for label in self.reads]
        state = repr([list(model._base_manager.order_by("pk").values_list(*_compared(model))) for model in reads])
        if state not in self.recordings:
            self.recordings[state] = self._record(reads, [apps.get_model(label) for label in self.appends])
        else:
            self._write(*self.recordings[state])
        return self.recordings[state][-1]

    def _record(self, reads, appends):
        from django.apps import apps
        from django.db import transaction

        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
        keys = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        rows = {model: {row[0]: row for row in model._base_manager.values_list(*_compared(model))} for model in reads}
        with transaction.atomic():
            output = self.run()
        added, updates, removed = [], {}, []
        for model in models:
            now = set(model._base_manager.values_list("pk", flat=True))
            new, gone = sorted(now - keys[model]), sorted(keys[model] - now)
            if model not in reads and not new and not gone:
                continue
            assert model in reads or (model in appends and not gone), f"{model.__name__} changed unexpectedly"
            if gone:
                removed.append((model, gone))
            if new:
                added.append((model, list(model._base_manager.filter(pk__in=new).order_by("pk"))))
            if model in reads:
                columns = _compared(model)
                for row in model._base_manager.filter(pk__in=keys[model] - set(gone)).values_list(*columns):
                    old = rows[model][row[0]]
                    changed = tuple((c, v) for c, v, o in zip(columns, row, old, strict=True) if v != o)
                    if changed:  # rows given the same new values are written in one UPDATE
                        updates.setdefault((model, repr(changed)), (changed, []))[1].append(row[0])
        return added, updates, removed, output

    def _write(self, added, updates, removed, _output):
        from django.core.management.color import no_style
        from django.db import connection, transaction
        from django.db.models.sql import InsertQuery
        from django.utils import timezone

        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            for model, keys in removed:
                model._base_manager.filter(pk__in=keys)._raw_delete(connection.alias)
            for (model, _key), (changed, keys) in updates.items():
                model._base_manager.filter(pk__in=keys).update(**dict(changed))
            for model, objects in added:
                keyed = model._meta.label in self.reads
                fields = [f for f in model._meta.local_concrete_fields if keyed or not f.primary_key]
                for name in _clock(model):
                    for obj in objects:
                        setattr(obj, name, now)
                size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
                for start in range(0, len(objects), size):
                    query = InsertQuery(model)
                    query.insert_values(fields, objects[start : start + size], raw=True)
                    for sql, params in query.get_compiler(connection=connection).as_sql():
                        cursor.execute(sql, params)
            # Explicit keys do not move PostgreSQL's sequences: rows added later must not collide with these.
            keyed = [model for model, _objects in added if model._meta.label in self.reads]
            for sql in connection.ops.sequence_reset_sql(no_style(), keyed):
                cursor.execute(sql)


def _clock(model) -> list[str]:
    """The fields stamped with the time of writing (auto_now, auto_now_add, default=timezone.now)."""
    from django.utils import timezone

    return [
        f.attname
        for f in model._meta.local_concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or f.default is timezone.now
    ]


def _compared(model) -> list[str]:
    """The columns that say whether two states of a table are the same: all but the clock fields, the key first."""
    clock = [model._meta.pk.attname, *_clock(model)]
    return [model._meta.pk.attname] + [f.attname for f in model._meta.local_concrete_fields if f.attname not in clock]


def _load_units_2026() -> str:
    out = StringIO()
    call_command("load_units", "--as-of", "2026-01-01", stdout=out)
    return out.getvalue()


# `cchc load_units --as-of 2026-01-01` (about 2.5 s: some 650 events written one by one with their audit entries),
# replayed in a fraction of that when the units are as they were the first time (empty, or those of load_defaults).
UNITS_2026 = Replay(
    _load_units_2026, reads=["units.Unit", "units.UnitEvent", "units.UnitEventLink"], appends=["auditlog.LogEntry"]
)


def _load_defaults_without_history():
    """`load_defaults` as the README's commands run it, with the audit log off: its entries are history of that
    run, not reference data (`plan_2023_audited` keeps them)."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        call_command("load_defaults", stdout=StringIO())


# The units, the 2023 plan, calendar changes, report periods and criteria sets that `load_defaults` writes.
REFERENCE = Snapshot(_load_defaults_without_history)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database (one per xdist worker), plus the reference data of `load_defaults`, captured once."""
    with django_db_blocker.unblock():
        REFERENCE.capture()


@pytest.fixture
def plan_2023(db):
    """The shipped units and 2023 plan, loaded as the README's main command loads them (`load_defaults`).

    The rows are the command's own, captured once per session and bulk-inserted here; changes a test makes are
    rolled back with it (or flushed after a transactional test). If the test already wrote some of that data, the
    command itself runs instead (it keeps what is there)."""
    from cchc.plans.models import Plan

    if REFERENCE.present():
        call_command("load_defaults", stdout=StringIO())
    else:
        REFERENCE.restore(stamp_now=True)
    return Plan.objects.get(year=2023)


@pytest.fixture
def plan_2023_audited(db):
    """The same data as `plan_2023`, written by `load_defaults` itself with the audit log on (about a second): for
    the tests of the history that loading leaves (`plan_2023` leaves none)."""
    from cchc.plans.models import Plan

    call_command("load_defaults", stdout=StringIO())
    return Plan.objects.get(year=2023)


@pytest.fixture
def load_units_2026(db):
    """load_units_2026() → the output of `cchc load_units --as-of 2026-01-01`, and the database as that command leaves
    it (the units and events up to 1/1/2026, with their audit entries), replayed when the units are as they were
    the first time the command ran in this session (see `Replay`), else by the command itself."""
    return UNITS_2026


@pytest.fixture(scope="session")
def synthetic_files(tmp_path_factory):
    """synthetic_files(count, seed) → (dossiers CSV, catalogue CSV): a synthetic 2023 from `cchc generate_dossiers`,
    generated once per session (per xdist worker) for each count and seed. Read them, do not change them."""
    made = {}

    def files(count: int, seed: int) -> tuple[Path, Path]:
        if (count, seed) not in made:
            folder = tmp_path_factory.mktemp(f"synthetic-{count}-{seed}")
            out = folder / "dossiers-2023.csv"
            call_command("generate_dossiers", year=2023, count=count, seed=seed, out=str(out), stdout=StringIO())
            made[count, seed] = out, folder / "dossiers-2023-catalogue.csv"
        return made[count, seed]

    return files


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password="officer-pass-2023")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture(scope="session")
def _chromium():
    """One Debian Chromium per test session (per xdist worker), driven by Playwright; each test gets its own context.

    Playwright's sync API marks its event loop as running in this thread; between browser tests it is unmarked, so
    tests that run their own loop (asyncio.run, async_to_sync) still work after a browser test."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    yield browser, loop
    asyncio._set_running_loop(loop)
    browser.close()
    playwright.stop()


@pytest.fixture
def page(_chromium):
    """A page in Debian's Chromium, driven by Playwright (the browser tests): a fresh context (cookies, storage)."""
    browser, loop = _chromium
    asyncio._set_running_loop(loop)
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
        asyncio._set_running_loop(None)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads (evidence, signed documents, imports) go to a throw-away folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Every test starts with an empty cache: on SQLite the data version rolls back with the test's transaction, so
    a page part kept by an earlier test could sit under the number this test reaches again (cchc.core.pagecache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_account(db, django_user_model):
    """make_account("H.BT.PHANTHIET", "editor") → a user of that unit (by code) with that role.

    Its password is "<username>-pass-2023"; the username defaults to "<role>-<unit code>" in lower case.
    """
    from cchc.accounts.models import Membership
    from cchc.units.models import Unit

    def make(unit_code: str, role: str, username: str | None = None, email: str | None = None):
        unit = Unit.objects.filter(code=unit_code).order_by("-valid_from").first()
        assert unit is not None, f"no unit with code {unit_code}"
        username = username or f"{role}-{unit_code}".lower()
        user = django_user_model.objects.create_user(
            username=username, password=f"{username}-pass-2023", email=email or f"{username}@example.vn"
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return make


def grant_role(user, role: str, unit_code: str | None = None):
    """Give `user` a role (roles decide what an account may do, issue 13): in `unit_code`, else the first unit (made
    if the test has none; the whole-province roles do not depend on it)."""
    import datetime as dt

    from cchc.accounts.models import Membership
    from cchc.units.models import Unit

    units = Unit.objects.filter(code=unit_code) if unit_code else Unit.objects.order_by("pk")
    unit = units.order_by("-valid_from").first() or Unit.objects.create(
        code="T", name="Tỉnh", kind="province", division_type="tỉnh", valid_from=dt.date(2000, 1, 1)
    )
    Membership.objects.update_or_create(user=user, defaults={"unit": unit, "role": role})
    if hasattr(user, "_cchc_membership"):
        del user._cchc_membership
    return user
