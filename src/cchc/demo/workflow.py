"""The agencies' work of 2023 for the demo: agency plans, task progress and periodic reports with their reviews.

`cchc demo` loads the units, the 2023 plan and a synthetic year of dossiers; without this module every page about
the agencies' work (agency-plan overview, task progress, reports matrix, reminders, audit log, dashboard,
scorecards, the generated province report, the PAR index) would be empty. `seed_demo_workflow` plays the year
through the apps' own services (agencyplans.services, reports.services, cchc.review.services.apply) with the accounts
that would have acted, so the rows, review events and audit entries are the ones the pages expect.

Each step runs at its moment of 2023 on the demo's clock (cchc.demo.clock), which is passed in: the services are
given the moment (`at`: submitted_at, reviewed_at, prepared_at, ReviewEvent.at), the audit entries of the step are
dated then, and the columns the models stamp themselves (created, updated) are written from those dates once the
year is played. A final pass recomputes every on-time flag from the stored first submission and the deadline of
the unit's level (cchc.review.states.on_time).

Deterministic (random.Random(seed), units and tasks taken in a fixed order) and idempotent: nothing is done when
the 2023 agency plans already exist. The numbers of each kind of outcome are the constants below (the tests check
them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.agencyplans import services as agencyplans
from cchc.agencyplans.models import AgencyPlan, AgencyPlanItem
from cchc.plans.assignment import tasks_for_unit
from cchc.plans.models import Plan
from cchc.progress import rules
from cchc.progress.models import ProgressNote, TaskProgress
from cchc.progress.queries import progress_for_unit
from cchc.reports import services as reports
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.services import create_periods, open_report
from cchc.reports.statistics import statistics_for
from cchc.reports.validation import validate
from cchc.review.models import ReviewEvent
from cchc.review.states import Action, on_time
from cchc.units.models import Unit, UnitKind

from .accounts import Accounts
from .clock import Clock, date_from_log, days, moment, workday_after, workday_before
from .pdf import tiny_pdf

YEAR = 2023

# --- the design of the year (the tests count these) ------------------------------------------------------------

# Agency plans of the 29 scored departments and districts.
PLANS_LATE = 3  # submitted in February, after the 31 January deadline (then accepted)
PLANS_RETURNED = 1  # submitted on time, returned with a comment, not yet corrected at the end of the year
PLANS_BOUNCED = 1  # returned once, corrected and accepted
PLANS_DRAFT_ONLY = 1  # started but never submitted
PLANS_NOT_STARTED = 1  # never opened
# Units of the demo accounts: their plans follow the regular path (submitted on time, accepted).
SHOWCASE = ("SNV", "STP", "VPUBND", "593", "594")
OWN_ITEM_SHARE = 0.4  # units that add one task of their own to their plan


@dataclass(frozen=True)
class Mix:
    """How one period's reports end up: late submissions, left awaiting review, left returned, returned then
    accepted, never submitted (a draft for the first of them); every other report is accepted. The day spreads
    (how late, how long a review or a correction takes) keep the year report's steps within 2023."""

    late: int
    waiting: int
    returned: int
    bounced: int
    missing: int
    late_days: int = 10
    review_days: int = 6
    fix_days: int = 3


REPORT_MIX = {
    "Q1": Mix(late=4, waiting=0, returned=0, bounced=2, missing=0),
    "H1": Mix(late=3, waiting=0, returned=1, bounced=1, missing=1),
    "Q3": Mix(late=3, waiting=1, returned=1, bounced=1, missing=2),
    # The year report falls due on 15 December: the province's leaders read the year from it (dashboard).
    "Y": Mix(late=2, waiting=4, returned=1, bounced=1, missing=3, late_days=5, review_days=3, fix_days=2),
}
# Districts whose communes report (to their district officer) in the demo.
COMMUNE_DISTRICTS = ("593", "594")

# Task progress at the end of 2023.
SHARE_DONE = 0.80
SHARE_IN_PROGRESS = 0.15  # the rest has not started
SHARE_NOTED = 0.15
EARLY_DUES = (dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30))  # own dates some units set for a task in their plan

# --- texts -----------------------------------------------------------------------------------------------------

OWNERS = {
    UnitKind.DEPARTMENT: {
        1: "Phòng Pháp chế",
        2: "Văn phòng Sở",
        3: "Phòng Tổ chức - Hành chính",
        4: "Phòng Tổ chức - Hành chính",
        5: "Phòng Kế hoạch - Tài chính",
        6: "Văn phòng Sở",
        7: "Văn phòng Sở",
    },
    UnitKind.DISTRICT: {
        1: "Phòng Tư pháp",
        2: "Văn phòng HĐND và UBND",
        3: "Phòng Nội vụ",
        4: "Phòng Nội vụ",
        5: "Phòng Tài chính - Kế hoạch",
        6: "Phòng Văn hóa và Thông tin",
        7: "Phòng Nội vụ",
    },
}
OWN_TASKS = (
    "Tổ chức Hội thi tìm hiểu về cải cách hành chính trong cán bộ, công chức, viên chức",
    "Triển khai mô hình “Cà phê doanh nghiệp” đối thoại với doanh nghiệp về thủ tục hành chính",
    "Xây dựng chuyên mục cải cách hành chính trên Trang thông tin điện tử của đơn vị",
    "Khảo sát, đánh giá mức độ hài lòng của người dân tại Bộ phận Một cửa theo quý",
)
PLAN_RETURN_COMMENTS = (
    "Đề nghị bổ sung nhiệm vụ số hóa hồ sơ, kết quả giải quyết TTHC và ghi rõ thời gian hoàn thành từng nhiệm vụ.",
    "Kế hoạch chưa phân công cụ thể phòng chủ trì từng nhiệm vụ; đề nghị hoàn chỉnh và gửi lại.",
)
REPORT_RETURN_COMMENTS = (
    "Đề nghị bổ sung số liệu rà soát văn bản QPPL và làm rõ nguyên nhân các nhiệm vụ chậm tiến độ.",
    "Phần đánh giá chung còn sơ sài; đề nghị nêu rõ tồn tại, hạn chế và nguyên nhân.",
    "Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng chưa khớp với Hệ thống quản lý văn bản; đề nghị rà soát lại.",
)
STEERING = (
    "Ban hành Kế hoạch CCHC năm {year} và triển khai đến các phòng, đơn vị trực thuộc; lồng ghép nội dung CCHC "
    "trong các cuộc họp giao ban định kỳ.",
    "Lãnh đạo {unit} chỉ đạo thực hiện công tác CCHC gắn với nhiệm vụ chính trị; phân công cụ thể trách nhiệm "
    "cho từng phòng, đơn vị.",
    "Kiện toàn bộ phận tham mưu công tác CCHC; tuyên truyền về CCHC trên Trang thông tin điện tử và tại Bộ phận "
    "Một cửa.",
)
ASSESSMENT = (
    "Công tác CCHC được triển khai đồng bộ, đúng kế hoạch. Tuy nhiên, việc số hóa hồ sơ, kết quả giải quyết TTHC "
    "còn chậm; một số nhiệm vụ chưa hoàn thành đúng thời hạn do thiếu nhân lực chuyên trách.",
    "Các nhiệm vụ CCHC cơ bản hoàn thành theo tiến độ. Hạn chế: tỷ lệ thanh toán trực tuyến còn thấp; hạ tầng "
    "công nghệ thông tin chưa đáp ứng yêu cầu.",
    "Nhận thức của cán bộ, công chức về CCHC được nâng lên; chất lượng phục vụ người dân, doanh nghiệp chuyển biến "
    "tích cực. Vẫn còn hồ sơ TTHC giải quyết trễ hạn ở một số lĩnh vực.",
)
NEXT_TASKS = (
    "Tiếp tục rà soát, đơn giản hóa TTHC; đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và số hóa hồ sơ, "
    "kết quả giải quyết TTHC.",
    "Hoàn thành các nhiệm vụ còn lại của Kế hoạch CCHC năm {year}; tăng cường kiểm tra công tác CCHC tại các đơn vị "
    "trực thuộc.",
    "Nâng cao chất lượng hoạt động của Bộ phận Một cửa; khảo sát mức độ hài lòng của người dân, doanh nghiệp.",
)
PROPOSALS = (
    "Đề nghị Sở Thông tin và Truyền thông hỗ trợ nâng cấp đường truyền, thiết bị phục vụ xử lý hồ sơ trực tuyến.",
    "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ CCHC cho công chức làm công tác tham mưu.",
    "Không có.",
)
COMMUNE_PROPOSALS = (
    "Đề nghị UBND {parent} bố trí kinh phí số hóa hồ sơ, kết quả giải quyết TTHC.",
    "Đề nghị {parent} tập huấn sử dụng Hệ thống thông tin giải quyết TTHC cho công chức Bộ phận Một cửa.",
    "Không có.",
)
NOTES = {
    rules.DONE: (
        "Đã hoàn thành; văn bản báo cáo kết quả đã gửi Sở Nội vụ.",
        "Hoàn thành đúng kế hoạch, có văn bản triển khai kèm theo.",
    ),
    rules.IN_PROGRESS: (
        "Đang triển khai; dự kiến hoàn thành trong tháng 12/{year}.",
        "Đã ban hành văn bản triển khai, đang tổng hợp kết quả từ các phòng, đơn vị.",
    ),
    rules.OVERDUE: ("Chậm tiến độ do chờ hướng dẫn của cơ quan cấp trên; đã báo cáo lãnh đạo đơn vị.",),
    rules.NOT_STARTED: ("Chưa triển khai do chưa được bố trí kinh phí.",),
}
CORRECTION = "Đã bổ sung, làm rõ tồn tại, hạn chế và nguyên nhân theo ý kiến của cơ quan thẩm định."
PERIOD_PHRASE = {"Q1": "quý I", "H1": "6 tháng đầu năm", "Q3": "quý III", "Y": "năm"}


# --- the seeding -----------------------------------------------------------------------------------------------


class Seeder:
    def __init__(self, plan: Plan, rng: random.Random, clock: Clock, write):
        self.plan, self.rng, self.clock, self.write = plan, rng, clock, write
        self.accounts = Accounts()
        self.issuing = list(agencyplans.issuing_units(YEAR))
        self.administrator_unit = Unit.objects.filter(code="SNV").order_by("-valid_from").first()
        self.summary: dict[str, object] = {}
        self.profiles: dict[int, dict] = {}
        self.task_rows: dict[int, list[dict]] = {}
        self.units = self.reporting_units()
        self.accounts.ensure(
            [(unit, role) for unit in self.units for role in (Role.EDITOR, Role.HEAD)]
            + [(self.administrator_unit, Role.ADMINISTRATOR)]
            + [(unit, Role.DISTRICT_OFFICER) for unit in self.issuing if unit.code in COMMUNE_DISTRICTS]
        )

    # agency plans ------------------------------------------------------------------------------------------------

    def agency_plans(self) -> None:
        rng = self.rng
        pool = [u for u in self.issuing if u.code not in SHOWCASE]
        chosen = rng.sample(pool, PLANS_DRAFT_ONLY + PLANS_NOT_STARTED + PLANS_LATE + PLANS_RETURNED + PLANS_BOUNCED)
        draft_only = {u.pk for u in chosen[:PLANS_DRAFT_ONLY]}
        rest = chosen[PLANS_DRAFT_ONLY:]
        not_started, rest = {u.pk for u in rest[:PLANS_NOT_STARTED]}, rest[PLANS_NOT_STARTED:]
        late, rest = {u.pk for u in rest[:PLANS_LATE]}, rest[PLANS_LATE:]
        returned, rest = {u.pk for u in rest[:PLANS_RETURNED]}, rest[PLANS_RETURNED:]
        bounced = {u.pk for u in rest[:PLANS_BOUNCED]}
        serial = {UnitKind.DEPARTMENT: 0, UnitKind.DISTRICT: 0}
        for unit in self.issuing:
            if unit.pk in not_started:
                continue
            editor, head = self.accounts.get(unit, Role.EDITOR), self.accounts.get(unit, Role.HEAD)
            reviewer = self.accounts.reviewer(unit, self.administrator_unit)
            opened = workday_after(dt.date(YEAR, 1, rng.randint(3, 6)))
            with self.clock.at(moment(rng, opened, 8, 10), editor):
                agency_plan = agencyplans.create_draft(self.plan, unit)
            with self.clock.at(moment(rng, opened, 13, 16), editor):
                self.fill_items(agency_plan, unit)
            if unit.pk in draft_only:
                continue
            if unit.pk in late:
                submit_day = workday_after(dt.date(YEAR, 2, rng.randint(2, 20)))
            else:
                submit_day = workday_before(dt.date(YEAR, 1, rng.randint(10, 31)))
            issued = workday_before(max(submit_day - days(rng.randint(0, 3)), opened + days(1)))
            serial[unit.kind] += 1
            with self.clock.at(moment(rng, issued, 8, 11), editor):
                self.attach_signed_plan(agency_plan, unit, issued, number=serial[unit.kind] * 3 + rng.randint(1, 2))
            with self.clock.at(moment(rng, submit_day), head) as at:
                agencyplans.act(agency_plan, Action.SUBMIT, head, at=at)
            review_day = workday_after(submit_day + days(rng.randint(2, 8)))
            if unit.pk in returned or unit.pk in bounced:
                with self.clock.at(moment(rng, review_day), reviewer) as at:
                    agencyplans.act(agency_plan, Action.RETURN, reviewer, rng.choice(PLAN_RETURN_COMMENTS), at=at)
                if unit.pk in returned:
                    continue
                resubmit_day = workday_after(review_day + days(rng.randint(2, 5)))
                with self.clock.at(moment(rng, resubmit_day), head) as at:
                    agencyplans.act(agency_plan, Action.SUBMIT, head, at=at)
                review_day = workday_after(resubmit_day + days(rng.randint(1, 4)))
            with self.clock.at(moment(rng, review_day), reviewer) as at:
                agencyplans.act(agency_plan, Action.ACCEPT, reviewer, at=at)
        plans = AgencyPlan.objects.filter(plan=self.plan)
        counts = {
            "units": len(self.issuing),
            "on_time": plans.filter(on_time=True).count(),
            "late": plans.filter(on_time=False).count(),
            "not_submitted": len(self.issuing) - plans.filter(first_submitted_at__isnull=False).count(),
            "accepted": plans.filter(status="accepted").count(),
            "returned": plans.filter(status="returned").count(),
            "items": AgencyPlanItem.objects.filter(agency_plan__plan=self.plan).count(),
        }
        self.summary["agency_plans"] = counts
        self.write(
            "Agency plans 2023: {units} units — {on_time} submitted on time, {late} late, {not_submitted} not "
            "submitted; {accepted} accepted, {returned} returned; {items} items".format(**counts)
        )

    def fill_items(self, agency_plan: AgencyPlan, unit: Unit) -> None:
        """Who leads each task, a couple of earlier own dates, and for some units a task of their own."""
        rng = self.rng
        owners = OWNERS[unit.kind]
        items = list(agency_plan.lines.select_related("task__area").order_by("order", "pk"))
        by_owner: dict[str, list[int]] = {}
        for item in items:
            by_owner.setdefault(owners.get(item.task.area.number if item.task else 7, ""), []).append(item.pk)
        for owner, pks in by_owner.items():
            AgencyPlanItem.objects.filter(pk__in=pks).update(owner=owner)
        for item in rng.sample(items, min(len(items), rng.randint(0, 2))):
            AgencyPlanItem.objects.filter(pk=item.pk).update(due=rng.choice(EARLY_DUES))
        if rng.random() < OWN_ITEM_SHARE:
            AgencyPlanItem.objects.create(
                agency_plan=agency_plan,
                text=rng.choice(OWN_TASKS),
                owner=owners[7],
                start=dt.date(YEAR, 3, 1),
                due=dt.date(YEAR, rng.choice((9, 10, 11)), 30),
                order=len(items) + 1,
                is_own=True,
            )

    def attach_signed_plan(self, agency_plan: AgencyPlan, unit: Unit, issued: dt.date, number: int) -> None:
        symbol = f"KH-{unit.code}" if unit.kind == UnitKind.DEPARTMENT else "KH-UBND"
        agency_plan.document_number = f"{number}/{symbol}"
        agency_plan.issued_on = issued
        content = tiny_pdf(
            [unit.name, agency_plan.title, f"So: {agency_plan.document_number}", f"Ngay {issued:%d/%m/%Y}"]
        )
        name = f"ke-hoach-cchc-{YEAR}-{unit.code.lower()}.pdf"
        agency_plan.signed_document.save(name, ContentFile(content, name=name), save=False)
        agency_plan.signed_document_name = name
        agency_plan.signed_document_sha256 = hashlib.sha256(content).hexdigest()
        agency_plan.save()

    # task progress -------------------------------------------------------------------------------------------

    def progress(self) -> None:
        rng = self.rng
        own_dues = {
            (unit_id, task_id): due
            for unit_id, task_id, due in AgencyPlanItem.objects.filter(
                agency_plan__plan=self.plan, agency_plan__status__in=("submitted", "accepted"), task__isnull=False
            )
            .exclude(due__in=[None, dt.date(YEAR, 12, 31)])
            .values_list("agency_plan__unit_id", "task_id", "due")
        }
        counts = {status: 0 for status in rules.EFFECTIVE_STATUSES}
        notes = 0
        year_end = dt.date(YEAR, 12, 31)
        for unit in self.issuing:
            editor = self.accounts.get(unit, Role.EDITOR)
            rows, noted = [], []
            for task in tasks_for_unit(unit, self.plan):
                own_due = own_dues.get((unit.pk, task.pk))
                draw = rng.random()
                if own_due:  # a date set earlier than the province's: met, or missed
                    status = rules.DONE if draw < 0.6 else rules.IN_PROGRESS
                elif draw < SHARE_DONE:
                    status = rules.DONE
                elif draw < SHARE_DONE + SHARE_IN_PROGRESS:
                    status = rules.IN_PROGRESS
                else:
                    status = rules.NOT_STARTED
                completed = None
                if status == rules.DONE:
                    latest = own_due or dt.date(YEAR, 12, 20)
                    if task.recurring and not own_due:
                        completed = dt.date(YEAR, 12, rng.randint(1, 20))
                    else:
                        completed = dt.date(YEAR, 2, 1) + days(rng.randint(0, (latest - dt.date(YEAR, 2, 1)).days))
                    completed = workday_before(completed)
                rows.append(
                    TaskProgress(task=task, unit=unit, status=status, completed_on=completed, updated_by=editor)
                )
                effective = rules.effective_status(status, own_due or task.due, year_end)
                counts[effective] += 1
                if rng.random() < SHARE_NOTED or effective == rules.OVERDUE:
                    noted.append((len(rows) - 1, effective, completed or dt.date(YEAR, rng.randint(9, 12), 15)))
            with self.clock.at(moment(rng, workday_before(dt.date(YEAR, 12, rng.randint(11, 22)))), editor) as at:
                created = TaskProgress.objects.bulk_create(rows)
                # Dated as data: the bulk insert stamps updated_at with the real time.
                TaskProgress.objects.filter(pk__in=[row.pk for row in created]).update(updated_at=at)
                ProgressNote.objects.bulk_create(
                    ProgressNote(
                        progress=created[index],
                        text=rng.choice(NOTES[effective]).format(year=YEAR),
                        author=editor,
                        at=moment(rng, workday_before(day)),
                    )
                    for index, effective, day in noted
                )
            notes += len(noted)
        total = sum(counts.values())
        self.summary["progress"] = {**counts, "rows": total, "notes": notes}
        self.write(
            f"Task progress 2023: {total} rows for {len(self.issuing)} units — {counts[rules.DONE]} done, "
            f"{counts[rules.IN_PROGRESS]} in progress, {counts[rules.OVERDUE]} overdue, "
            f"{counts[rules.NOT_STARTED]} not started (on 31/12/{YEAR}); {notes} notes"
        )

    # periodic reports ----------------------------------------------------------------------------------------

    def reporting_units(self) -> list[Unit]:
        year_end = dt.date(YEAR, 12, 31)
        communes = []
        for code in COMMUNE_DISTRICTS:
            district = next((u for u in self.issuing if u.code == code), None)
            if district:
                communes += list(
                    Unit.objects.valid_on(year_end)
                    .filter(parent=district, kind=UnitKind.COMMUNE, is_scored=True)
                    .select_related("parent")
                    .order_by("sort_order", "code")
                )
        return self.issuing + communes

    def profile(self, unit: Unit) -> dict:
        """What does not change between a unit's reports: its public service units and information systems."""
        if unit.pk not in self.profiles:
            rng = self.rng
            if unit.kind == UnitKind.DISTRICT:
                psu = rng.randint(35, 90)  # mostly schools
                staff = psu * rng.randint(18, 30)
            else:
                psu = rng.randint(0, 8)
                staff = psu * rng.randint(8, 35)
            groups = [0, 0, 0, 0]  # recurrent + investment, recurrent, partial, state-funded
            weights = (0.03, 0.12, 0.35, 0.5) if unit.kind == UnitKind.DISTRICT else (0.1, 0.3, 0.4, 0.2)
            for _ in range(psu):
                groups[rng.choices(range(4), weights)[0]] += 1
            systems = rng.randint(1, 6) if unit.kind == UnitKind.DEPARTMENT else rng.randint(2, 8)
            self.profiles[unit.pk] = {
                "psu_total": psu,
                "psu_staff": staff,
                "psu_autonomy_recurrent_investment": groups[0],
                "psu_autonomy_recurrent": groups[1],
                "psu_autonomy_partial": groups[2],
                "psu_autonomy_state": groups[3],
                "info_systems": systems,
                "info_systems_connected": rng.randint(max(systems - 2, 0), systems),
            }
        return self.profiles[unit.pk]

    def figures(self, unit: Unit, kind: str) -> dict[str, object]:
        """A value for every statistic the unit's report asks for, within the rules of reports.validation."""
        rng = self.rng
        issued = {"Q1": (5, 15), "H1": (10, 30), "Q3": (5, 20), "Y": (20, 40)}[kind]
        values: dict[str, object] = dict(self.profile(unit)) if unit.kind != UnitKind.COMMUNE else {}
        values["legal_docs_issued"] = rng.randint(*issued)
        values["legal_docs_reviewed"] = rng.randint(values["legal_docs_issued"] * 6 // 10, values["legal_docs_issued"])
        values["legal_docs_unlawful"] = min(rng.choice((0, 0, 0, 1, 1, 2)), values["legal_docs_reviewed"])
        values["satisfaction_tthc"] = Decimal(rng.randint(850, 990)) / 10
        values["satisfaction_land"] = Decimal(rng.randint(850, 970)) / 10
        values["commune_officials_standard"] = Decimal(rng.randint(880, 1000)) / 10
        values["work_files_online"] = Decimal(rng.randint(750, 985)) / 10
        values["inspections_total"] = rng.randint(0, 2 if unit.kind == UnitKind.COMMUNE else 6)
        values["inspections_digital"] = rng.randint(0, values["inspections_total"])
        # The bases of the percent figures (issue 10) come from their own generator, so the figures above stay the
        # same as before they were added.
        bases = random.Random(f"bases-{unit.code}-{kind}")
        values["satisfaction_respondents"] = bases.randint(40, 400)
        values["satisfaction_land_respondents"] = bases.randint(10, 120)
        values["commune_officials"] = bases.randint(18, 24)
        values["work_files_total"] = bases.randint(300, 900 if unit.kind == UnitKind.COMMUNE else 6000)
        codes = {stat.code for stat in statistics_for(unit.kind, kind)}
        return {code: value for code, value in values.items() if code in codes}

    def narrative(self, unit: Unit, kind: str, values: dict[str, object]) -> dict[str, str]:
        rng = self.rng
        phrase = f"{PERIOD_PHRASE[kind]} {YEAR}"
        online = f"{values['work_files_online']}".replace(".", ",")
        if unit.kind == UnitKind.COMMUNE:
            results = (
                f"Trong {phrase}, Bộ phận Một cửa tiếp nhận, giải quyết hồ sơ TTHC đúng quy định; tỷ lệ hồ sơ công "
                f"việc xử lý trên môi trường mạng đạt {online}%; "
                f"{str(values['commune_officials_standard']).replace('.', ',')}% cán bộ, công chức đạt chuẩn chức danh."
            )
            proposals = rng.choice(COMMUNE_PROPOSALS).format(parent=unit.parent.name)
        else:
            results = (
                f"Trong {phrase}, đơn vị ban hành {values['legal_docs_issued']} văn bản QPPL, rà soát "
                f"{values['legal_docs_reviewed']} văn bản; 100% TTHC được công khai trên Cổng Dịch vụ công tỉnh; tỷ "
                f"lệ hồ sơ công việc xử lý trên môi trường mạng đạt {online}%."
            )
            proposals = rng.choice(PROPOSALS)
        return {
            "steering": rng.choice(STEERING).format(year=YEAR, unit=unit.name),
            "results": results,
            "assessment": rng.choice(ASSESSMENT),
            "next_tasks": rng.choice(NEXT_TASKS).format(year=YEAR),
            "proposals": proposals,
        }

    def prepare(self, report: Report, unit: Unit, editor, day: dt.date, hand_over: bool = True) -> None:
        """The editor fills the report in the morning and hands it to the head in the afternoon.

        The sections go through reports.services.save; the figures are checked with the same validation
        (complete=True, as on submission) and written in one insert, which keeps the seeding fast."""
        kind = report.period.kind
        values = self.figures(unit, kind)
        cleaned, errors = validate(values, reports.statistics_of(report), complete=True)
        if errors:
            raise reports.ReportInvalid(errors)
        with self.clock.at(moment(self.rng, day, 8, 10), editor):
            reports.save(editor, report, self.narrative(unit, kind, values), None)
            ReportFigure.objects.bulk_create(
                ReportFigure(report=report, code=code, value=value)
                for code, value in cleaned.items()
                if value is not None
            )
        if hand_over:
            with self.clock.at(moment(self.rng, day, 13, 16), editor) as at:
                reports.send_to_head(editor, report, at=at)

    def correct(self, report: Report, editor, day: dt.date) -> None:
        """After a return: the editor completes the assessment as asked and hands the report over again."""
        assessment = f"{report.assessment} {CORRECTION}"
        with self.clock.at(moment(self.rng, day, 8, 10), editor):
            reports.save(editor, report, {"assessment": assessment}, None)
        with self.clock.at(moment(self.rng, day, 13, 16), editor) as at:
            reports.send_to_head(editor, report, at=at)

    def reports(self) -> None:
        rng = self.rng
        units = self.units
        periods = {p.kind: p for p in ReportPeriod.objects.filter(year=YEAR)}
        totals: dict[str, dict[str, int]] = {}
        for kind, mix in REPORT_MIX.items():
            period = periods[kind]
            order = rng.sample(units, mix.missing + mix.waiting + mix.returned + mix.bounced)
            missing = order[: mix.missing]
            waiting = {u.pk for u in order[mix.missing : mix.missing + mix.waiting]}
            returned = {u.pk for u in order[mix.missing + mix.waiting : mix.missing + mix.waiting + mix.returned]}
            bounced = {u.pk for u in order[len(order) - mix.bounced :]}
            missing_ids = {u.pk for u in missing}
            late = {u.pk for u in rng.sample([u for u in units if u.pk not in missing_ids], mix.late)}
            for unit in units:
                editor, head = self.accounts.get(unit, Role.EDITOR), self.accounts.get(unit, Role.HEAD)
                reviewer = self.accounts.reviewer(unit, self.administrator_unit)
                due = period.due_for(unit)
                if unit.pk in late:
                    submit_day = workday_after(due + days(rng.randint(1, mix.late_days)))
                else:
                    submit_day = workday_before(due - days(rng.randint(0, 4)))
                prepare_day = workday_before(submit_day - days(rng.randint(1, 3)))
                if unit.pk in missing_ids:
                    if unit == missing[0]:  # started, never finished
                        with self.clock.at(moment(rng, prepare_day), editor):
                            report = open_report(unit, period)
                            reports.save(
                                editor,
                                report,
                                {"steering": rng.choice(STEERING).format(year=YEAR, unit=unit.name)},
                                None,
                            )
                    continue
                with self.clock.at(moment(rng, prepare_day, 7, 7), editor):
                    report = open_report(unit, period)
                self.prepare(report, unit, editor, prepare_day)
                with self.clock.at(moment(rng, submit_day), head) as at:
                    reports.act(head, report, Action.SUBMIT, at=at, tasks=self.tasks_as_submitted(report, submit_day))
                if unit.pk in waiting:
                    continue
                review_day = workday_after(submit_day + days(rng.randint(1, mix.review_days)))
                if unit.pk in returned or unit.pk in bounced:
                    with self.clock.at(moment(rng, review_day), reviewer) as at:
                        reports.act(reviewer, report, Action.RETURN, rng.choice(REPORT_RETURN_COMMENTS), at=at)
                    if unit.pk in returned:
                        continue
                    fix_day = workday_after(review_day + days(rng.randint(1, mix.fix_days)))
                    self.correct(report, editor, fix_day)
                    review_day = workday_after(fix_day + days(rng.randint(1, mix.fix_days)))
                    with self.clock.at(moment(rng, fix_day, 17, 17), head) as at:
                        reports.act(head, report, Action.SUBMIT, at=at, tasks=self.tasks_as_submitted(report, fix_day))
                with self.clock.at(moment(rng, review_day), reviewer) as at:
                    reports.act(reviewer, report, Action.ACCEPT, at=at)
            totals[kind] = self.count_reports(period, len(units))
        self.summary["reports"] = totals
        for kind, counts in totals.items():
            self.write(
                f"Reports {kind} {YEAR}: {counts['units']} units — {counts['on_time']} on time, {counts['late']} late, "
                f"{counts['not_submitted']} not submitted; {counts['accepted']} accepted, {counts['submitted']} "
                f"awaiting review, {counts['returned']} returned, {counts['draft']} drafts"
            )

    @staticmethod
    def count_reports(period: ReportPeriod, units: int) -> dict[str, int]:
        reports = Report.objects.filter(period=period)
        counts = {
            status: reports.filter(status=status).count() for status in ("draft", "submitted", "accepted", "returned")
        }
        counts.update(
            units=units,
            on_time=reports.filter(on_time=True).count(),
            late=reports.filter(on_time=False).count(),
            not_submitted=units - reports.filter(first_submitted_at__isnull=False).count(),
        )
        return counts

    # the final pass ------------------------------------------------------------------------------------------

    def recheck_on_time(self) -> int:
        """Recompute every on-time flag from the stored first submission and the deadline of the unit's level;
        returns how many had to change (none, when the clock did its work)."""
        changed = 0
        items = [
            *AgencyPlan.objects.filter(plan=self.plan, first_submitted_at__isnull=False).select_related("plan", "unit"),
            *Report.objects.filter(period__year=YEAR, first_submitted_at__isnull=False).select_related(
                "period", "unit"
            ),
        ]
        due_of: dict[tuple[type, int], dt.date] = {}
        for model in (AgencyPlan, Report):
            rows = [item for item in items if isinstance(item, model)]
            stale = []
            for item in rows:
                due_of[(model, item.pk)] = item.due_date()
                verdict = on_time(timezone.localdate(item.first_submitted_at), item.due_date())
                if item.on_time != verdict:
                    item.on_time = verdict
                    stale.append(item)
            model.objects.bulk_update(stale, ["on_time"])
            changed += len(stale)
            content_type_events = ReviewEvent.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=[item.pk for item in rows],
                action=Action.SUBMIT,
            )
            stale_events = []
            for event in content_type_events:
                verdict = on_time(timezone.localdate(event.at), due_of[(model, event.object_id)])
                if event.on_time != verdict:
                    event.on_time = verdict
                    stale_events.append(event)
            ReviewEvent.objects.bulk_update(stale_events, ["on_time"])
            changed += len(stale_events)
        return changed

    def tasks_as_submitted(self, report: Report, on: dt.date) -> list[dict]:
        """What reports.services.act keeps with a submission (`tasks`), as reports.services.tasks_now would give it
        on the (simulated) submission day `on` — a task finished later was then still under way — computed from one
        read of the unit's progress instead of one per submission."""
        if report.unit_id not in self.task_rows:
            # Before any deadline the effective status is the stored one.
            self.task_rows[report.unit_id] = progress_for_unit(report.unit, self.plan, dt.date(YEAR, 1, 1))
        result = []
        for row in self.task_rows[report.unit_id]:
            row = dict(row)
            status = row["status"]
            if row["completed_on"] and row["completed_on"] > on:
                status, row["completed_on"], row["last_note"] = rules.IN_PROGRESS, None, ""
            row["status"] = rules.effective_status(status, row["due"], on)
            result.append(row)
        return result


def seed_demo_workflow(seed: int = 2023, stdout=None) -> dict | None:
    """Create the agencies' work of 2023 (see the module's docstring); returns the counts per step, or None when
    there was nothing to do (no 2023 plan, or its agency plans already exist)."""

    def write(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    plan = Plan.objects.filter(year=YEAR, province__code="60").order_by("pk").first()
    if plan is None:
        write(f"Demo work of {YEAR}: no {YEAR} plan, nothing seeded")
        return None
    if AgencyPlan.objects.filter(plan=plan).exists():
        write(f"Demo work of {YEAR}: agency plans already present, left unchanged")
        return None
    if ReportPeriod.objects.filter(year=YEAR).count() < 4:
        create_periods(YEAR)
    clock = Clock()
    with transaction.atomic():
        seeder = Seeder(plan, random.Random(seed), clock, write)
        seeder.agency_plans()
        seeder.progress()
        seeder.reports()
        corrected = seeder.recheck_on_time()
        # The rows' own created/updated columns, as the audit entries of the steps date them.
        date_from_log(AgencyPlan, rows=AgencyPlan.objects.filter(plan=plan))
        date_from_log(Report, rows=Report.objects.filter(period__year=YEAR))
        events = ReviewEvent.objects.filter(at__year=YEAR).count()
        seeder.summary.update(
            accounts_created=seeder.accounts.created, review_events=events, on_time_corrected=corrected
        )
        write(
            f"Demo work of {YEAR}: {events} review events, {seeder.accounts.created} unit accounts created (no "
            f"password), {corrected} on-time flags corrected"
        )
    return seeder.summary
