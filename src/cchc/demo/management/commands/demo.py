import secrets
import time
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.accounts.models import Membership
from cchc.accounts.provisioning import demo_person
from cchc.demo.accounts import DEMO_ACCOUNTS
from cchc.demo.reorganisation import seed_demo_reorganisation
from cchc.demo.scoring import seed_demo_scoring
from cchc.demo.targets import seed_demo_targets
from cchc.demo.workflow import seed_demo_workflow
from cchc.dossiers import synthetic
from cchc.dossiers.models import Dossier
from cchc.units.models import Unit

REUSE_COLUMN = "DuocTaiSuDung"  # optional column of the import contract: papers reused, not asked again (2.7)


def with_reuse_flag(frames, seed: int, known: float = 0.6, reused: float = 0.55):
    """The synthetic dossiers with the optional "reused digitised data" flag: known for 60 % of them, of which 55 %
    reused papers already held (target 2.7); empty (unknown) for the rest, as a one-stop system that does not record
    it would leave it."""
    rng = np.random.default_rng(seed)
    for frame in frames:
        draw = rng.random(frame.height)
        flags = np.where(draw < known * reused, "1", np.where(draw < known, "0", None))
        yield frame.with_columns(pl.Series(REUSE_COLUMN, flags, dtype=pl.Utf8))


@dataclass
class Step:
    """What a seeder of the demo returned (its summary, None when it had nothing to do), what it printed and how
    long it took."""

    summary: dict | None
    output: str
    seconds: float


class Recorder:
    """The command's output, kept as well for the step that writes it."""

    def __init__(self, out):
        self.out, self.parts = out, []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.out.write(text)


class Command(BaseCommand):
    help = (
        "Migrate, load the shipped data, print a demo administrator's login and serve on 127.0.0.1:8000 with a task "
        "worker beside the server (--no-serve: prepare the database and exit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database only")
        parser.add_argument(
            "--dossiers", type=int, default=300_000, help="synthetic dossiers of 2023 to load when there are none"
        )

    def handle(self, *args, addrport: str, no_serve: bool, dossiers: int, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_defaults", stdout=self.stdout)
        if dossiers and not Dossier.objects.exists():
            self.load_demo_dossiers(dossiers)
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username="admin")
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        accounts = self.create_demo_accounts(password)
        # What each seeder returned, printed and took (`self.steps["workflow"].summary`: the tests read it).
        self.steps: dict[str, Step] = {}
        # The agencies' 2023: plans, task progress, reports and their reviews, dated in 2023 (skipped when present).
        self.step("workflow", seed_demo_workflow)
        # The 2023 PAR-index round: self-assessment, appraisal, one explanation, final, published in March 2024.
        self.step("scoring", seed_demo_scoring)
        # Target values no record gives: entries with evidence (reviewed), baselines of 2021, SIPAS surveys.
        self.step("targets", seed_demo_targets)
        # Lâm Đồng after the 2025 reorganisation: units and events, the 2026 plan mapped from 2023, 2024–2026 dossiers.
        new_accounts = seed_demo_reorganisation(
            self.stdout,
            password,
            dossiers // 15,  # 20,000 dossiers a year beside the 300,000 of 2023
        )
        self.stdout.write(f"Accounts of Lâm Đồng after the reorganisation (same password): {new_accounts}")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo administrator — user: admin   password: {password}\n"
                f"Accounts of the units (same password): {accounts}\n"
                f"Open http://{addrport}/ (database: {settings.DATABASES['default']['NAME']})\n"
            )
        )
        if not no_serve:
            self.serve(addrport)

    def step(self, name: str, seeder) -> None:
        out = Recorder(self.stdout)
        started = time.perf_counter()
        summary = seeder(stdout=out)
        self.steps[name] = Step(summary, "".join(out.parts), time.perf_counter() - started)

    def serve(self, addrport: str) -> None:
        """The web server and one task worker (imports, recomputes, documents and reminders run in the worker)."""
        import subprocess
        import sys

        worker = subprocess.Popen([sys.executable, "-m", "cchc", "worker"])
        self.stdout.write(f"Task worker started (pid {worker.pid})")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    def create_demo_accounts(self, password: str) -> str:
        user_model = get_user_model()
        for username, unit_code, role in DEMO_ACCOUNTS:
            # The 2023 accounts belong to the 2023 units (the later versions of a code are Lâm Đồng's).
            unit = Unit.objects.filter(code=unit_code).order_by("valid_from").first()
            if unit is None:
                continue
            user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@example.vn"})
            user.set_password(password)
            user.save()
            Membership.objects.update_or_create(
                user=user, defaults={"unit": unit, "role": role, **demo_person(username)}
            )
        return ", ".join(f"{username} ({role.label})" for username, _, role in DEMO_ACCOUNTS)

    def load_demo_dossiers(self, count: int) -> None:
        """A synthetic year (catalogue SYN.*, names "[Mô phỏng] …") so the pages show real-looking figures."""
        folder = settings.DATA_DIR / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        catalogue_path, dossiers_path = folder / "tthc-mo-phong.csv", folder / f"ho-so-mo-phong-2023-{count}.csv"
        self.stdout.write(f"Generating {count:,} synthetic dossiers of 2023 (seed 2023) …")
        catalogue = synthetic.generate_catalogue(2023)
        catalogue.write_csv(catalogue_path)
        synthetic.write_csv(
            with_reuse_flag(synthetic.generate_dossiers(2023, count, 2023, catalogue), seed=2023),
            str(dossiers_path),
            [*synthetic.DOSSIER_COLUMNS, REUSE_COLUMN],
        )
        call_command("import_catalogue", str(catalogue_path), stdout=self.stdout, stderr=self.stderr)
        call_command("import_dossiers", str(dossiers_path), no_refresh=True, stdout=self.stdout, stderr=self.stderr)
        call_command("recompute_indicators", year=2023, stdout=self.stdout, stderr=self.stderr)
