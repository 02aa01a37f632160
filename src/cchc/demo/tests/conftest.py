"""The demo's year of 2023, seeded once for the tests of the seeders (test_demo_scoring, test_demo_workflow).

The PAR-index round reads the agencies' work of 2023, so both modules need the work seeded; seeding it once for
both (instead of once per module) saves a third of their time. It runs inside a transaction rolled back when the
package's tests are done; each module reads what its seeder reported (summary, output) and the database left.
`cchc demo` itself (test_demo.py) runs before these in the package's order, on a database without this year.
"""

import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@dataclass
class Seeded:
    summary: dict
    output: str
    media: Path
    seconds: float = 0.0


@dataclass
class DemoYear:
    workflow: Seeded
    scoring: Seeded


@pytest.fixture(scope="package")
def demo_year(django_db_setup, django_db_blocker, tmp_path_factory):
    from cchc.demo.scoring import seed_demo_scoring
    from cchc.demo.workflow import seed_demo_workflow

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_defaults", stdout=StringIO())
        output = StringIO()
        started = time.perf_counter()
        summary = seed_demo_workflow(seed=2023, stdout=output)
        workflow = Seeded(summary, output.getvalue(), media, time.perf_counter() - started)
        # The computed sub-criteria read the agency plans, reports and task progress of 2023.
        output = StringIO()
        started = time.perf_counter()
        summary = seed_demo_scoring(seed=2023, stdout=output)
        scoring = Seeded(summary, output.getvalue(), media, time.perf_counter() - started)
        print(f"\nseed_demo_workflow: {workflow.seconds:.1f} s, seed_demo_scoring: {scoring.seconds:.1f} s")
        yield DemoYear(workflow, scoring)
        transaction.set_rollback(True)
