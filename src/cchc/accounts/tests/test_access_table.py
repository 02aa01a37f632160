"""Issue 13: every routed page and API endpoint × every role × objects of three units, against ONE table.

The routes are walked from the URL configuration (not a hand-kept list): a route missing from TABLE fails the test,
so a new page or endpoint — of this app or a merged one — must state who may use it. Roles are played by one account
each; objects exist for three units seen from Phan Thiết (593, a district): its own, another district (La Gi, 594)
and its child ward (Mũi Né, 22915). The report and agency plan of 593 and 22915 are submitted, La Gi's are drafts
(private); each unit has a draft scoring sheet, a progress row with evidence and a dossier.

Each cell of the table is a letter per object (own, other, child) or one letter for a route without object:
  U  503 on purpose (/healthz while no worker runs in the test);
  Y  the account gets it (2xx, a redirect that is not the login, or 400/409 to an empty POST or PATCH),
  F  403 (an action the account may not take),   N  404 (an object it may not see),   L  login first (302/401).
For API lists the letters say whether the object is IN the list (Y) or not (N); a list answering 403 is F.
Columns: anonymous, administrator (Sở Nội vụ), leader, monitor (Sở Tư pháp), editor, head and district officer
of 593, editor of the ward 22915.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from cchc.accounts.models import Membership
from cchc.agencyplans.models import AgencyPlan
from cchc.conftest import REFERENCE, Snapshot
from cchc.core.models import Job
from cchc.core.tests.test_every_url_needs_login import walk
from cchc.dossiers.models import Dossier, Procedure
from cchc.plans.models import Plan, Target, Task
from cchc.progress.models import Evidence, TaskProgress
from cchc.reminders.models import Notice
from cchc.reports.models import Report, ReportPeriod
from cchc.scoring import services as scoring
from cchc.scoring import sets
from cchc.targets.models import TargetEntry
from cchc.units.models import Unit

ROLES = ["anon", "admin", "leader", "monitor", "editor", "head", "officer", "commune"]
ACCOUNTS = {
    "admin": ("SNV", "administrator"),
    "leader": ("VPUBND", "leader"),
    "monitor": ("STP", "monitor"),
    "editor": ("593", "editor"),
    "head": ("593", "head"),
    "officer": ("593", "district_officer"),
    "commune": ("22915", "editor"),
}
UNITS = ("593", "594", "22915")  # own, other, child (seen from 593)

# route name → (method, letters per role). Object routes have 3 letters per role, the others 1.
# fmt: off
TABLE: dict[str, tuple[str, str]] = {
    # name                              method   anon admin leader monitor editor head officer commune
    "home": ("get", "L Y Y Y Y Y Y Y"),
    "healthz": ("get", "U U U U U U U U"),  # public: database and workers' state, no data
    "job-file": ("get", "L N N N N N N N"),  # the job has no file; jobs are their author's and administrators'
    "login": ("get", "Y Y Y Y Y Y Y Y"),
    "logout": ("post", "L L L L L L L L"),
    "password_change": ("get", "L Y Y Y Y Y Y Y"),
    "password_change_done": ("get", "L Y Y Y Y Y Y Y"),
    "password_reset": ("get", "Y Y Y Y Y Y Y Y"),
    "password_reset_done": ("get", "Y Y Y Y Y Y Y Y"),
    "password_reset_confirm": ("get", "Y Y Y Y Y Y Y Y"),
    "password_reset_complete": ("get", "Y Y Y Y Y Y Y Y"),
    "account": ("get", "L Y Y Y Y Y Y Y"),
    "accounts:list": ("get", "L Y F F F F F F"),
    "accounts:create": ("get", "L Y F F F F F F"),
    "accounts:import": ("get", "L Y F F F F F F"),
    "accounts:edit": ("get", "LLL YYY FFF FFF FFF FFF FFF FFF"),
    "accounts:password-link": ("post", "LLL YYY FFF FFF FFF FFF FFF FFF"),
    "set_language": ("get", "Y Y Y Y Y Y Y Y"),
    "plans:list": ("get", "L Y Y Y Y Y Y Y"),
    "plans:detail": ("get", "L Y Y Y Y Y Y Y"),
    "plans:tasks": ("get", "L Y Y Y Y Y Y Y"),
    "plans:target": ("get", "L Y Y Y Y Y Y Y"),
    "plans:export": ("get", "L Y Y Y Y Y Y Y"),
    # The units' history is reference data: everyone reads it; only administrators record a later event.
    "reorganisation:events": ("get", "L Y Y Y Y Y Y Y"),
    "reorganisation:event_add": ("get", "L Y F F F F F F"),
    "units:directory": ("get", "L Y Y Y Y Y Y Y"),
    "units:detail": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "indicators:home": ("get", "L Y Y Y Y Y Y Y"),
    "indicators:history": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),  # aggregates, as indicators:unit
    "indicators:unit": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "indicators:unit-export": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "indicators:dossiers": ("get", "LLL YYY YYY NNN YNY YNY YNY NNY"),
    "indicators:procedures": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "dossiers:import": ("get", "L Y F F F F F F"),
    "agencyplans:home": ("get", "L Y Y Y Y Y Y Y"),
    "agencyplans:overview": ("get", "L Y Y Y Y Y Y Y"),
    "agencyplans:detail": ("get", "LLL YNN YNN NNN YNN YNN YNN NNN"),
    "agencyplans:review": ("post", "LLL YNN FNN NNN FNN FNN FNN NNN"),
    "agencyplans:document": ("get", "LLL NNN NNN NNN NNN NNN NNN NNN"),
    "progress:home": ("get", "L Y Y Y Y Y Y Y"),
    "progress:monitor": ("get", "L Y Y Y F F F F"),
    "progress:evidence": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "progress:task": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "progress:task-redirect": ("get", "L Y Y Y Y Y Y Y"),
    "reports:index": ("get", "L Y Y Y Y Y Y Y"),
    "reports:open": ("post", "L N N N N N N N"),
    "reports:periods-create": ("post", "L Y F F F F F F"),
    "reports:review": ("get", "L Y F F F F Y F"),
    "reports:detail": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "reminders:notices": ("get", "L Y Y Y Y Y Y Y"),
    "reminders:mark-read": ("post", "L N N N Y N N N"),
    "reminders:mark-all-read": ("post", "L Y Y Y Y Y Y Y"),
    "reminders:owed": ("get", "L Y Y Y Y Y Y Y"),
    "dashboard:home": ("get", "L Y Y Y Y Y Y Y"),
    "documents:index": ("get", "L Y Y F F F F F"),
    "documents:job": ("get", "L Y N F F F F F"),
    "documents:download": ("get", "L N N F F F F F"),
    "scorecards:home": ("get", "L Y Y Y Y Y Y Y"),
    "scorecards:table": ("get", "L Y Y Y Y Y Y Y"),
    "scorecards:unit": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "public:published": ("get", "Y Y Y Y Y Y Y Y"),
    "public:published-year": ("get", "Y Y Y Y Y Y Y Y"),
    "scoring:home": ("get", "L Y Y Y Y Y Y Y"),
    "scoring:sets": ("get", "L Y F F F F F F"),
    "scoring:set-import": ("post", "L Y F F F F F F"),
    "scoring:set-copy": ("post", "L Y F F F F F F"),
    "scoring:set": ("get", "L Y F F F F F F"),
    "scoring:set-export": ("get", "L Y F F F F F F"),
    "scoring:evidence": ("get", "L N N N N N N N"),
    "scoring:worklist": ("get", "L Y F F F F Y F"),
    "scoring:ranking": ("get", "L Y Y Y Y Y Y Y"),
    "scoring:publish": ("post", "L Y F F F F F F"),
    "scoring:annex": ("get", "L N N N N N N N"),
    "scoring:table": ("get", "L N N N N N N N"),
    "scoring:sheet": ("get", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring:act": ("post", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "targets:index": ("get", "L Y Y Y Y Y Y Y"),
    "targets:open": ("post", "L N N N N N N N"),
    "targets:entry": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "targets:review": ("post", "LLL YNY FNF NNN FNN FNN FNY NNF"),
    "targets:evidence": ("get", "L N N N N N N N"),
    "targets:surveys": ("get", "L Y Y Y Y Y Y Y"),
    "targets:survey": ("get", "L N N N N N N N"),
    "targets:baseline": ("get", "L N N N N N N N"),
    "targets:baseline-edit": ("get", "L N F F F F F F"),
    "audit-log": ("get", "L Y F F F F F F"),
    "job": ("get", "L Y N N N N N N"),
    "job-errors": ("get", "L N N N N N N N"),
    "api-indicators": ("get", "L Y Y Y Y Y Y Y"),
    "unit-list": ("get", "L Y Y Y Y Y Y Y"),
    "unit-detail": ("get", "LLL YYY YYY YYY YYY YYY YYY YYY"),
    "plan-list": ("get", "L Y Y Y Y Y Y Y"),
    "plan-detail": ("get", "L Y Y Y Y Y Y Y"),
    "area-list": ("get", "L Y Y Y Y Y Y Y"),
    "area-detail": ("get", "L Y Y Y Y Y Y Y"),
    "target-list": ("get", "L Y Y Y Y Y Y Y"),
    "target-detail": ("get", "L Y Y Y Y Y Y Y"),
    "task-list": ("get", "L Y Y Y Y Y Y Y"),
    "task-detail": ("get", "L Y Y Y Y Y Y Y"),
    "enteredvalue-list": ("get", "L Y Y Y Y Y Y Y"),
    "enteredvalue-detail": ("get", "L N N N N N N N"),
    "procedure-list": ("get", "L Y Y Y Y Y Y Y"),
    "procedure-detail": ("get", "L N N N N N N N"),
    "dossier-list": ("get", "LLL YYY YYY NNN YNY YNY YNY NNY"),
    "dossier-detail": ("get", "LLL YYY YYY NNN YNY YNY YNY NNY"),
    "import-list": ("post", "L Y F F F F F F"),
    "import-detail": ("get", "L Y F F F F F F"),
    "agencyplan-list": ("get", "LL- YN- YN- NN- YN- YN- YN- NN-"),
    "agencyplan-detail": ("get", "LL- YN- YN- NN- YN- YN- YN- NN-"),
    "agencyplan-accept": ("post", "LL- YN- FN- NN- FN- FN- FN- NN-"),
    "agencyplan-return-": ("post", "LL- YN- FN- NN- FN- FN- FN- NN-"),
    "agencyplan-submit": ("post", "LL- FN- FN- NN- FN- YN- FN- NN-"),
    "taskprogress-list": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "taskprogress-detail": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "evidence-list": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "evidence-detail": ("get", "LL- YY- YY- YY- YN- YN- YN- NN-"),
    "report-list": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "report-detail": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "report-accept": ("post", "LLL YNY FNF NNN FNN FNN FNY NNF"),
    "report-return-": ("post", "LLL YNY FNF NNN FNN FNN FNY NNF"),
    "report-send": ("post", "LLL FNF FNF NNN FNN FNN FNF NNF"),
    "report-submit": ("post", "LLL FNF FNF NNN FNN YNN FNF NNF"),
    "report-period-list": ("get", "L Y Y Y Y Y Y Y"),
    "report-period-detail": ("get", "L Y Y Y Y Y Y Y"),
    "notice-list": ("get", "L Y Y Y Y Y Y Y"),
    "notice-detail": ("get", "L N N N Y N N N"),
    "notice-read": ("post", "L N N N Y N N N"),
    "owed-list": ("get", "L Y Y Y Y Y Y Y"),
    "dashboard-list": ("get", "L Y Y Y Y Y Y Y"),
    "document-list": ("get", "L Y Y F F F F F"),
    "document-detail": ("get", "L Y N F F F F F"),
    "scorecard-list": ("get", "L Y Y Y Y Y Y Y"),
    "scoring-assessment-list": ("get", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring-assessment-detail": ("get", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring-assessment-appraise": ("post", "LLL NNN NNN NNN FNN FNN FNN NNF"),
    "scoring-assessment-evidence": ("post", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring-assessment-explain": ("post", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring-assessment-finalise": ("post", "LLL NNN NNN NNN FNN FNN FNN NNF"),
    "scoring-assessment-scores": ("patch", "LLL NNN NNN NNN YNN YNN YNN NNY"),
    "scoring-assessment-submit": ("post", "LLL NNN NNN NNN FNN YNN FNN NNF"),
    "scoring-ranking-list": ("get", "L Y Y Y Y Y Y Y"),
    "scoring-set-list": ("get", "L Y Y Y Y Y Y Y"),
    "scoring-set-detail": ("get", "L Y Y Y Y Y Y Y"),
    "target-entry-list": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "target-entry-open": ("post", "L Y Y Y Y Y Y Y"),
    "target-entry-detail": ("get", "LLL YNY YNY NNN YNN YNN YNY NNY"),
    "target-entry-accept": ("post", "LLL YNY FNF NNN FNN FNN FNY NNF"),
    "target-entry-return-": ("post", "LLL YNY FNF NNN FNN FNN FNY NNF"),
    "target-entry-submit": ("post", "LLL FNF FNF NNN FNN YNN FNF NNF"),
    "baseline-list": ("get", "L Y Y Y Y Y Y Y"),
    "baseline-detail": ("get", "L N N N N N N N"),
    "survey-list": ("get", "L Y Y Y Y Y Y Y"),
    "survey-detail": ("get", "L N N N N N N N"),
    "api-root": ("get", "L Y Y Y Y Y Y Y"),
    "api-token": ("post", "Y Y Y Y Y Y Y Y"),
    "api-schema": ("get", "L Y Y Y Y Y Y Y"),
    "api-docs": ("get", "L Y Y Y Y Y Y Y"),
}
# fmt: on


def unit(code: str) -> Unit:
    return Unit.objects.filter(code=code).order_by("-valid_from").first()


def _account(code: str, role: str, username: str):
    """What the `make_account` fixture makes (a user of the unit with the role, password "<username>-pass-2023")."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, password=f"{username}-pass-2023", email=f"{username}@example.vn"
    )
    Membership.objects.create(user=user, unit=unit(code), role=role)
    return user


def _build_world():
    """The world from an empty database: the reference data of `plan_2023`, then the accounts and objects."""
    if REFERENCE.present():
        call_command("load_defaults", stdout=StringIO())
    else:
        REFERENCE.restore(stamp_now=True)
    plan_2023 = Plan.objects.get(year=2023)
    call_command("create_report_periods", "2023", stdout=StringIO())
    sets.load_defaults()
    users = {role: _account(code, kind, username=role) for role, (code, kind) in ACCOUNTS.items()}
    users["anon"] = None
    q1 = ReportPeriod.objects.get(year=2023, kind="Q1")
    procedure = Procedure.objects.create(code="1.000001", name="Cấp phép", at_district=True, at_commune=True)
    # The plan gives no task to communes: the ward has no progress row (its cells are "-").
    task = next(t for t in Task.objects.filter(plan=plan_2023).order_by("order") if _assigned_to_districts(t))
    accepted = timezone.make_aware(dt.datetime(2023, 3, 1, 9))
    targets = list(Target.objects.filter(plan=plan_2023).order_by("order")[:3])  # one entered value per unit
    objects: dict[str, dict[str, object]] = {}
    for code in UNITS:
        state = "draft" if code == "594" else "submitted"
        progress = evidence = None
        if code != "22915":
            progress = TaskProgress.objects.create(task=task, unit=unit(code))
            evidence = Evidence(progress=progress, original_name="a.pdf", kind="pdf", size=4, sha256="0" * 64)
            evidence.file.save("a.pdf", ContentFile(EVIDENCE_BYTES), save=False)
            evidence.save()
        kind = "commune" if code == "22915" else "district"
        objects[code] = {
            "unit": unit(code),
            "report": Report.objects.create(unit=unit(code), period=q1, status=state),
            "agency_plan": None
            if code == "22915"
            else AgencyPlan.objects.create(plan=plan_2023, unit=unit(code), status=state),
            "progress": progress,
            "evidence": evidence,
            "task": task,
            "dossier": Dossier.objects.create(
                code=f"HS-{code}", procedure=procedure, unit=unit(code), status=2, accepted_at=accepted
            ),
            "assessment": scoring.open_assessment(scoring.set_for(2023, kind), unit(code)),
            "entry": TargetEntry.objects.create(
                target=targets[UNITS.index(code)], unit=unit(code), period=q1, status=state
            ),
            "membership": Membership.objects.get(user__username=f"acc-{code}")
            if Membership.objects.filter(user__username=f"acc-{code}").exists()
            else Membership.objects.get(user=_account(code, "editor", username=f"acc-{code}")),
        }
    shared = {
        "job": Job.objects.create(kind="import_dossiers", title="hoso.csv", created_by=users["admin"]),
        "document": Job.objects.create(kind="document_report", title="Báo cáo", created_by=users["admin"]),
        "notice": Notice.objects.create(
            user=users["editor"],
            unit=unit("593"),
            event_key="k:e",
            item_key="k",
            event="upcoming",
            kind="report",
            title="Báo cáo quý I",
            due=dt.date(2023, 3, 15),
            url="/reports/",
            message="Sắp đến hạn",
        ),
        "set": scoring.set_for(2023, "district"),
        "plan": Plan.objects.get(year=2023),
    }
    return users, objects, shared


EVIDENCE_BYTES = b"%PDF"


def _keys(value):
    """The world with each row replaced by (model, key): what `_rows` fetches again after the snapshot is written."""
    if isinstance(value, dict):
        return {name: _keys(item) for name, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_keys(item) for item in value)
    return value if value is None else (type(value), value.pk)


def _rows(value):
    if isinstance(value, dict):
        return {name: _rows(item) for name, item in value.items()}
    if isinstance(value, tuple) and value and isinstance(value[0], type):
        model, pk = value
        return model._base_manager.get(pk=pk)
    if isinstance(value, tuple):
        return tuple(_rows(item) for item in value)
    return value


class _World(Snapshot):
    """The world's rows, captured the first time a test asks for it (per test database) and written back for the
    next ones (the link crawler asks once per role): about 0.3 s instead of building it again."""

    def __init__(self):
        super().__init__(self._capture_build)
        self.keys = None

    def _capture_build(self):
        self.keys = _keys(_build_world())

    def make(self):
        from django.core.files.storage import default_storage

        # Rows of the world's tables already there (or, before the capture, the reference data that the world's
        # rows would point at): built here, as without a snapshot.
        if self.present() if self.keys is not None else REFERENCE.present():
            return _build_world()
        if self.keys is None:
            self.capture()
        self.restore(stamp_now=True)
        users, objects, shared = _rows(self.keys)
        for obj in objects.values():  # the evidence files, in this test's media folder
            if obj["evidence"] is not None:
                path = Path(default_storage.path(obj["evidence"].file.name))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(EVIDENCE_BYTES)
        return users, objects, shared


WORLD = _World()


@pytest.fixture
def world(db):
    """The world of the table (see the module's documentation): (users by role, objects by unit code, shared rows).
    Built once per test database and written back from a snapshot (`Snapshot` in cchc/conftest.py) for each test
    that asks for it, in the state a build leaves; built again if the test already wrote rows of its tables."""
    from django.core.cache import cache

    cache.clear()  # the drill-down caches dossier lists per figure version; these dossiers come without a recompute
    return WORLD.make()


def _assigned_to_districts(task) -> bool:
    from cchc.plans.assignment import is_assigned

    return all(is_assigned(task, unit(code)) for code in UNITS[:2])


def url_for(name: str, route: str, obj: dict | None, shared: dict) -> str | None:
    """A URL for the route, with the object's identifiers (own/other/child) where the route takes one."""
    import re

    ids = {
        "year": "2023",
        "period": "2023",
        "fmt": "yaml",
        "uidb64": "MQ",
        "token": "x-y",
    }
    if obj is not None:
        ids |= {"code": obj["unit"].code, "unit": obj["unit"].code}
        by_name = {
            "reports:": obj["report"].pk,
            "report-": obj["report"].pk,
            "agencyplan-": getattr(obj["agency_plan"], "pk", None),
            "taskprogress-": getattr(obj["progress"], "pk", None),
            "evidence-": getattr(obj["evidence"], "pk", None),
            "progress:evidence": getattr(obj["evidence"], "pk", None),
            "scoring:evidence": None,
            "scoring-assessment-": obj["assessment"].pk,
            "unit-": obj["unit"].pk,
            "units:": obj["unit"].pk,
            "accounts:": obj["membership"].pk,
            "dossier-": obj["dossier"].code,
            "targets:entry": obj["entry"].pk,
            "targets:review": obj["entry"].pk,
            "target-entry-": obj["entry"].pk,
        }
        pk = next((v for prefix, v in by_name.items() if name.startswith(prefix)), None)
        if name.startswith("progress:task"):
            if obj["progress"] is None:
                return None
            ids["code"] = obj["task"].code
        if name == "dossier-detail":
            ids["code"] = obj["dossier"].code
        if pk is None and ("<int:pk>" in route or "(?P<pk>" in route):
            return None
        ids["pk"] = str(pk)
    else:
        ids |= {
            "pk": "1",
            "code": "2.1",
        }
        for prefix, key in (("job", "job"), ("documents:", "document"), ("reminders:", "notice"),
                            ("notice-", "notice"), ("document-", "document"), ("import-", "job"),
                            ("scoring:set", "set"), ("scoring-set-", "set"), ("plan-", "plan")):  # fmt: skip
            if name.startswith(prefix):
                ids["pk"] = str(shared[key].pk)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ids.get(m.group(1), "1"), route).replace("^", "").replace("$", "")
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "1"), url)
    return "/" + url


OBJECT_ROUTES = (
    "reports:detail", "agencyplans:detail", "agencyplans:review", "agencyplans:document", "progress:task",
    "progress:evidence", "scoring:sheet", "scoring:act", "indicators:unit", "indicators:unit-export",
    "indicators:dossiers", "indicators:procedures", "indicators:history", "scorecards:unit", "units:detail",
    "accounts:edit",
    "accounts:password-link", "unit-detail", "dossier-detail", "agencyplan-detail", "agencyplan-accept",
    "agencyplan-return-", "agencyplan-submit", "taskprogress-detail", "evidence-detail", "report-detail",
    "report-accept", "report-return-", "report-send", "report-submit", "scoring-assessment-detail",
    "scoring-assessment-appraise", "scoring-assessment-evidence", "scoring-assessment-explain",
    "scoring-assessment-finalise", "scoring-assessment-scores", "scoring-assessment-submit",
    "targets:entry", "targets:review", "target-entry-detail", "target-entry-accept", "target-entry-return-",
    "target-entry-submit",
)  # fmt: skip
# API lists: the letters say which of the three units' objects the list holds.
LISTS = {
    "dossier-list": "dossier", "report-list": "report", "agencyplan-list": "agency_plan",
    "taskprogress-list": "progress", "evidence-list": "evidence", "scoring-assessment-list": "assessment",
    "target-entry-list": "entry",
}  # fmt: skip
POST_ONLY = (
    "accounts:password-link", "agencyplans:review", "reports:open", "reminders:mark-read", "reminders:mark-all-read",
    "scoring:set-copy", "scoring:publish", "scoring:act", "logout",
)  # fmt: skip


# What the POST of a review form sends (an empty one would only say "unknown action").
POST_DATA = {"agencyplans:review": {"action": "accept"}, "targets:review": {"action": "accept"}}


def method_of(url: str) -> str:
    """GET where the view answers GET (DRF actions or a class-based view's handlers), else POST."""
    from django.urls import Resolver404, resolve

    try:
        func = resolve(url.split("?")[0]).func
    except Resolver404:
        return "get"
    actions = getattr(func, "actions", None)
    if actions is not None:
        return "get" if "get" in actions else next(iter(actions))
    view_class = getattr(func, "view_class", None)
    return "post" if view_class is not None and not hasattr(view_class, "get") else "get"


def letter(response) -> str:
    code = response.status_code
    if code == 401 or (code == 302 and "/login/" in response.get("Location", "")):
        return "L"
    if code == 403:
        return "F"
    if code == 404:
        return "N"
    if code == 405:
        return "M"  # the table's method is wrong for this route
    if code < 500:
        return "Y"
    if code == 503:
        return "U"  # unavailable on purpose (healthz without a worker), not a crash
    return "!"


def listed(response, obj) -> str:
    if obj is None:
        return "-"
    if response.status_code != 200:
        return letter(response) if response.status_code != 200 else "Y"
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    wanted = getattr(obj, "code", None) if hasattr(obj, "procedure_id") else getattr(obj, "pk", None)
    keys = {row.get("code") if hasattr(obj, "procedure_id") else row.get("id") for row in rows}
    return "Y" if wanted in keys else "N"


def signed_in(client, user, logins: dict) -> None:
    """The client as just after `client.logout()` and, unless `user` is None, `client.force_login(user)`: no cookie
    but the session's, and that session holding what a fresh login writes, with the time of this request.

    The account logs in once (its session is kept in `logins`); before each request its session is written back as
    that login left it, and made again if a request ended it (the logout route). A real login and logout for each
    of the ~1,900 requests took a quarter of the test's time (the session rows, django-axes' login records)."""
    import time
    from http.cookies import SimpleCookie

    from django.conf import settings
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    from cchc.core.middleware import IdleSessionMiddleware

    client.cookies = SimpleCookie()
    if user is None:
        return
    if user.pk not in logins:
        client.force_login(user)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        logins[user.pk] = (key, dict(SessionStore(session_key=key).load()))
        return
    key, data = logins[user.pk]
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    session = SessionStore(session_key=key)
    session._session_cache = {**data, IdleSessionMiddleware.KEY: int(time.time())}  # written, not read first
    try:
        session.save()
    except UpdateError:  # the session was ended: the same key again, as the login made it
        session.save(must_create=True)


@pytest.mark.django_db
def test_every_route_every_role_every_unit_matches_the_table(world, client):
    users, objects, shared = world
    client.raise_request_exception = False
    seen, actual, missing, logins = set(), {}, [], {}
    for name, route in walk(__import__("django.urls", fromlist=["get_resolver"]).get_resolver().url_patterns):
        if "(?P<format>" in route or "<drf_format_suffix" in route or route.startswith(("static/", "media/")):
            continue
        if name in seen:
            continue
        seen.add(name)
        sample = url_for(name, route, objects["593"] if name in OBJECT_ROUTES else None, shared)
        method = "post" if name in POST_ONLY else method_of(sample or "/")
        groups = []
        for role in ROLES:
            signed_in(client, users[role], logins)
            if name in LISTS:
                response = client.get(url_for(name, route, None, shared), {"limit": 500})
                groups.append("".join(listed(response, objects[c][LISTS[name]]) for c in UNITS))
            elif name in OBJECT_ROUTES:
                cells = ""
                for code in UNITS:
                    url = url_for(name, route, objects[code], shared)
                    data = POST_DATA.get(name, {}) if method == "post" else {}
                    cells += "-" if url is None else letter(getattr(client, method)(url, data))
                groups.append(cells)
            else:
                groups.append(letter(getattr(client, method)(url_for(name, route, None, shared))))
        actual[name] = (method, " ".join(groups))
        if name not in TABLE:
            missing.append(name)
    lines = [f'    "{n}": ("{m}", "{g}"),' for n, (m, g) in actual.items()]
    differences = [
        f"{n}: expected {TABLE[n][1]!r}, got {actual[n][1]!r}" for n in actual if n in TABLE and TABLE[n] != actual[n]
    ]
    assert not missing and not differences, (
        "routes not in the table: "
        + ", ".join(missing)
        + "\n"
        + "\n".join(differences)
        + "\n\nACTUAL:\n"
        + "\n".join(lines)
    )
    assert not any("!" in groups for _m, groups in actual.values())
