"""The demo's target values that no record gives (issue 10): entries with evidence, baselines and surveys of 2023
(`cchc seed_demo_targets`, run by `cchc demo`).

Synthetic, like the rest of the demo: every value goes through the real path — the responsible unit's editor enters
it and attaches a PDF, its head submits it, Sở Nội vụ accepts it (cchc.targets.services); the surveys are written as
SIPAS-form CSV files and imported with `import_sipas`; the baselines are the 2021 counts an administrator records
with their source document. All of it is dated in 2023, before the dashboard's "as of 1/3/2024".
"""

from __future__ import annotations

import csv
import datetime as dt
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cchc.accounts.models import Role
from cchc.plans.models import Plan, Target
from cchc.reports.models import ReportFigure, ReportPeriod
from cchc.review.models import ReviewState
from cchc.review.states import Action
from cchc.targets import services
from cchc.targets.models import Baseline, EntryEvidence, Survey, TargetEntry
from cchc.targets.services import import_survey
from cchc.units.models import Unit

from .accounts import Accounts
from .clock import Clock, date_from_log, moment, workday_before
from .pdf import tiny_pdf
from .workflow import YEAR

# target → [(report period, level, value fields, evidence title)]
ENTRIES = {
    "1.1": [
        ("H1", "all", {"numerator": 17, "denominator": 17}, "Báo cáo công tác xây dựng, ban hành VBQPPL 6 tháng"),
        ("Y", "all", {"numerator": 38, "denominator": 39}, "Báo cáo công tác xây dựng, ban hành VBQPPL năm 2023"),
    ],
    "1.2": [
        ("H1", "all", {"numerator": 2, "denominator": 2}, "Báo cáo kết quả kiểm tra, xử lý văn bản 6 tháng"),
        ("Y", "all", {"numerator": 5, "denominator": 5}, "Báo cáo kết quả kiểm tra, xử lý văn bản năm 2023"),
    ],
    "2.6": [("Y", "all", {"numerator": 112, "denominator": 121}, "Quyết định công bố danh mục TTHC nội bộ")],
    "3.2": [("Y", "all", {"qualitative": "done"}, "Quyết định quy định chức năng, nhiệm vụ của các sở")],
    "4.1": [
        ("Y", "all", {"qualitative": "partly"}, "Báo cáo cơ cấu ngạch công chức theo vị trí việc làm"),
        ("Y", "P", {"qualitative": "done"}, "Đề án vị trí việc làm cấp tỉnh được phê duyệt"),
        ("Y", "D", {"qualitative": "done"}, "Đề án vị trí việc làm cấp huyện được phê duyệt"),
        ("Y", "C", {"qualitative": "partly"}, "Báo cáo rà soát chức danh cán bộ, công chức cấp xã"),
    ],
    "5.1b": [("Y", "all", {"numerator": 2, "denominator": 3}, "Báo cáo chuyển đổi đơn vị sự nghiệp kinh tế")],
    "6.2": [("Y", "all", {"numerator": 3, "denominator": 3}, "Biên bản kết nối Hệ thống thông tin báo cáo quốc gia")],
}
# 2021 counts: the current count (accepted year reports) divided by these, i.e. the province has cut 6.5 % of its
# public service units and 7.2 % of their budget-paid staff since 2021 (synthetic).
BASELINE_SHARE = {"3.1a": 0.935, "3.1b": 0.928}
BASELINE_DOCUMENTS = {
    "3.1a": "Báo cáo số 45/BC-SNV ngày 15/02/2022 của Sở Nội vụ về số lượng đơn vị sự nghiệp công lập năm 2021",
    "3.1b": "Quyết định số 3210/QĐ-UBND ngày 20/12/2021 của UBND tỉnh giao số lượng người làm việc năm 2021",
}
SURVEYS = {
    "admin": (
        "Khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước năm 2023",
        ["Đất đai", "Tư pháp - Hộ tịch", "Đăng ký kinh doanh", "Xây dựng", "Lao động - Thương binh và Xã hội"],
        ["TIEP_CAN", "TTHC", "CONG_CHUC", "KET_QUA", "GOP_Y"],
        (84.0, 95.0),
    ),
    "health": (
        "Khảo sát sự hài lòng của người dân đối với dịch vụ y tế công năm 2023",
        ["Khám, chữa bệnh nội trú", "Khám, chữa bệnh ngoại trú", "Tiêm chủng mở rộng"],
        ["TIEP_CAN", "CO_SO_VAT_CHAT", "NHAN_VIEN", "KET_QUA"],
        (82.0, 93.0),
    ),
    "education": (
        "Khảo sát sự hài lòng của người dân đối với dịch vụ giáo dục công năm 2023",
        ["Giáo dục mầm non", "Giáo dục tiểu học", "Giáo dục trung học cơ sở", "Giáo dục trung học phổ thông"],
        ["TIEP_CAN", "CO_SO_VAT_CHAT", "GIAO_VIEN", "KET_QUA"],
        (83.0, 94.0),
    ),
}


def seed_demo_targets(seed: int = 2023, stdout=None) -> dict | None:
    """Entries, baselines and surveys of 2023; skipped when the plan has entries already."""

    def write(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    plan = Plan.objects.filter(year=YEAR, province__code="60").order_by("pk").first()
    if plan is None or not ReportPeriod.objects.filter(year=YEAR).exists():
        write(f"Demo target values of {YEAR}: no plan or report periods, nothing seeded")
        return None
    if TargetEntry.objects.filter(target__plan=plan).exists():
        write(f"Demo target values of {YEAR}: entries already present, left unchanged")
        return None
    rng = random.Random(seed)
    targets = {
        t.code: t for t in Target.objects.filter(plan=plan).select_related("responsible", "area__monitor", "plan")
    }
    periods = {p.kind: p for p in ReportPeriod.objects.filter(year=YEAR)}
    accounts = Accounts()
    snv = Unit.objects.filter(code="SNV").order_by("-valid_from").first()
    administrator = accounts.get(snv, Role.ADMINISTRATOR)
    clock = Clock()
    counts = {"entries": 0, "baselines": 0, "surveys": 0}
    with transaction.atomic():
        for code, rows in ENTRIES.items():
            target = targets.get(code)
            if target is None or target.value_source != Target.Source.ENTERED:
                continue
            unit = services.responsible_unit(target)
            editor, head = accounts.get(unit, Role.EDITOR), accounts.get(unit, Role.HEAD)
            for kind, level, values, title in rows:
                period = periods[kind]
                due = period.due_for(unit)
                with clock.at(moment(rng, workday_before(due - dt.timedelta(days=4))), editor) as at:
                    entry = services.open_entry(editor, target, period, level)
                    for name, value in values.items():
                        setattr(entry, name, value)
                    entry.note = f"Số liệu do {unit.name} tổng hợp ({period.title})."
                    entry.save()
                    content = tiny_pdf([unit.name, title, f"Chi tieu {code} - {period.title}"])
                    name = f"minh-chung-{code}-{kind}-{level}.pdf".lower()
                    EntryEvidence(entry=entry, uploaded_at=at).attach(ContentFile(content, name=name), "pdf", editor)
                with clock.at(moment(rng, workday_before(due - dt.timedelta(days=1))), head) as at:
                    services.act(entry, Action.SUBMIT, head, at=at)
                with clock.at(moment(rng, workday_before(due + dt.timedelta(days=5))), administrator) as at:
                    services.act(entry, Action.ACCEPT, administrator, "Số liệu phù hợp với tài liệu kiểm chứng.", at=at)
                counts["entries"] += 1

        year_report = periods.get("Y")
        for code, share in BASELINE_SHARE.items():
            target = targets.get(code)
            if target is None or not target.source_detail or year_report is None:
                continue
            current = sum(
                ReportFigure.objects.filter(
                    report__period=year_report, report__status=ReviewState.ACCEPTED, code=target.source_detail
                ).values_list("value", flat=True)
            )
            if not current:
                continue
            with clock.at(dt.datetime(YEAR, 2, 10, 9, tzinfo=moment(rng, dt.date(YEAR, 2, 10)).tzinfo), administrator):
                Baseline.objects.update_or_create(
                    target=target,
                    defaults={
                        "year": target.baseline_year or 2021,
                        "value": round(float(current) / share),
                        "source_document": BASELINE_DOCUMENTS[code],
                        "note": "Số liệu mô phỏng của bản demo.",
                        "updated_by": administrator,
                    },
                )
            counts["baselines"] += 1

        folder = settings.DATA_DIR / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        for index, (title, survey_services, criteria, (low, high)) in SURVEYS.items():
            path = folder / f"sipas-{index}-{YEAR}.csv"
            sample = rng.randint(300, 500)
            with path.open("w", encoding="utf-8", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(["DichVu", "TieuChi", "SoNguoiTraLoi", "TyLeHaiLong", "DiemTrungBinh"])
                for name in survey_services:
                    respondents = max(20, sample // len(survey_services) + rng.randint(-15, 15))
                    for criterion in criteria:
                        share = f"{rng.uniform(low, high):.1f}".replace(".", ",")
                        out.writerow([name, criterion, respondents, share, ""])
            with clock.at(
                dt.datetime(YEAR, 12, 20, 10, tzinfo=moment(rng, dt.date(YEAR, 12, 20)).tzinfo), administrator
            ) as at:
                survey = import_survey(
                    path,
                    year=YEAR,
                    index=index,
                    title=title,
                    organiser="Sở Nội vụ tỉnh Bình Thuận (phối hợp Bưu điện tỉnh) — số liệu mô phỏng",
                    sample_size=sample,
                    started_on=dt.date(YEAR, 10, 2),
                    ended_on=dt.date(YEAR, 11, 30),
                    user=administrator,
                )
                Survey.objects.filter(pk=survey.pk).update(created_at=at)  # dated as data (auto_now_add)
            counts["surveys"] += 1
        # The rows' own created/updated columns, as the audit entries of the steps date them.
        date_from_log(TargetEntry, rows=TargetEntry.objects.filter(target__plan=plan))
        date_from_log(Baseline, created=None, rows=Baseline.objects.filter(target__plan=plan))
    write(
        "Demo target values of {year}: {entries} entries with evidence (accepted), {baselines} baselines, "
        "{surveys} surveys".format(year=YEAR, **counts)
    )
    return counts
