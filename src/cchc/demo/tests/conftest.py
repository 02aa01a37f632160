"""The demo, run once for the package's three modules: `cchc demo --no-serve --dossiers 3000` (test_demo.py) and
what its seeders of 2023 reported (test_demo_workflow.py, test_demo_scoring.py).

The whole command runs once per test database (the three files go to one xdist worker: TOGETHER in
src/cchc/conftest.py), inside a transaction rolled back when the package's tests are done; each test reads the
database it left, and what a test writes is undone at its end (pytest-django's `db` opens a savepoint inside that
transaction). The seeders' summaries, outputs and durations are those the command kept (`Command.steps`).
"""

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cchc.demo.management.commands.demo import Command


@dataclass
class Seeded:
    summary: dict
    output: str
    media: Path
    seconds: float = 0.0


@dataclass
class DemoRun:
    output: str  # what `cchc demo` printed
    folder: Path  # its DATA_DIR (MEDIA_ROOT is `media`)
    media: Path
    workflow: Seeded  # what seed_demo_workflow returned and printed
    scoring: Seeded  # what seed_demo_scoring returned and printed


@pytest.fixture(scope="package")
def demo_run(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    media = folder / "media"
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=folder, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        out, command = StringIO(), Command()
        call_command(command, no_serve=True, dossiers=3000, stdout=out)
        workflow, scoring = command.steps["workflow"], command.steps["scoring"]
        print(f"\nseed_demo_workflow: {workflow.seconds:.1f} s, seed_demo_scoring: {scoring.seconds:.1f} s")
        yield DemoRun(
            out.getvalue(),
            folder,
            media,
            Seeded(workflow.summary, workflow.output, media, workflow.seconds),
            Seeded(scoring.summary, scoring.output, media, scoring.seconds),
        )
        transaction.set_rollback(True)
