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


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared reference material (the seed plan, the domain notes), beside the checkout."""
    if not (SHARED / "seed").is_dir():
        pytest.skip(f"shared reference material not found at {SHARED}")
    return SHARED


@pytest.fixture
def plan_2023(db):
    """The shipped units and 2023 plan, loaded as the README's main command loads them."""
    from cchc.plans.models import Plan

    call_command("load_defaults", stdout=StringIO())
    return Plan.objects.get(year=2023)


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password="officer-pass-2023")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def page():
    """A page in Debian's Chromium, driven by Playwright (the browser tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
        context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads (evidence, signed documents, imports) go to a throw-away folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
