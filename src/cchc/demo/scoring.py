"""The PAR index of 2023 for the demo: self-assessments, appraisal, final scores and the published ranking.

Without this module the ranking pages and the public page's PAR table are empty. `seed_demo_scoring` plays the
assessment round of 2023 through cchc.scoring.services with the accounts that would have acted, each step at its
moment on the demo's clock (cchc.demo.clock: the moment is passed to the services as `at`, and the step's audit
entries are dated then), so every record, workflow step and audit entry carries the date it would have had:

- November 2023: each department, district and commune of district 593 opens its sheet and self-scores every
  self-assessed sub-criterion (notes, a few rows not applicable, a declared deduction for a couple of units,
  bonuses claimed by some), attaching a small PDF as evidence to some rows and explaining the lack of it on others.
- Early December 2023 (by the set's deadline): the heads submit; a department and a commune never do (their
  sheets stay drafts: the service refuses a late submission).
- January 2024: Sở Nội vụ imports the survey results (surveys.import_results, every scored unit of the sets) and
  recomputes the computed sub-criteria on the data of 2023 (the `cchc compute_scores` logic); the council
  appraises — Sở Nội vụ's administrator for departments and districts, the district officer of 593 for its
  communes — lowering some rows with a note.
- February 2024: TP Phan Thiết explains one lowered row with new evidence, the council accepts the explanation;
  every submitted sheet is finalised.
- March 2024: Sở Nội vụ publishes the department and district sets, leaving the unsubmitted department out with a
  reason. The commune set covers every commune of the province, and publication is per set, so the 593
  communes' final results stay unpublished.

Deterministic (random.Random(seed), units in a fixed order), in one transaction, and idempotent: nothing is done
when 2023 assessments exist.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from cchc.accounts.models import Role
from cchc.scoring import computed, queries, services, surveys
from cchc.scoring.criteria import ADJUSTMENTS, BONUS, DEDUCTION, SURVEY
from cchc.scoring.models import Assessment, CriteriaSet, Score, ScoreSource
from cchc.scoring.workflow import State
from cchc.units.models import Unit, UnitKind

from .accounts import Accounts
from .clock import TZ, Clock, moment, workday_after, workday_before
from .pdf import tiny_pdf

YEAR = 2023
COMMUNE_DISTRICT = "593"  # the district whose communes are assessed (by its district officer) in the demo
EXPLAINING_UNIT = "593"  # the unit that explains a lowered row (its demo accounts can see the exchange)
SHOWCASE = ("SNV", "STP", "VPUBND", "593", "594", "22915")  # units of the demo accounts: the regular path
NOT_SUBMITTED = {UnitKind.DEPARTMENT: 1, UnitKind.COMMUNE: 1}  # sheets left as drafts (never submitted)
DECLARED_DEDUCTIONS = 2  # units that declare a deduction against themselves
NOT_APPLICABLE_UNITS = 6  # units with one row that does not apply to them
BONUS_SHARE = 0.3  # units that claim a bonus
EVIDENCE_SHARE = 0.3  # scored rows with a PDF attached (the others explain why there is none)
LOWERED_SHARE = 0.5  # units of which the council lowers one to three rows
PUBLISHED_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT)
SURVEY_FILE = "ket-qua-dieu-tra-xa-hoi-hoc-2023.csv"

SELF_NOTES = (
    "Đơn vị đã thực hiện đầy đủ theo kế hoạch.",
    "Hoàn thành đúng thời hạn, có văn bản triển khai.",
    "Thực hiện đạt yêu cầu; còn một số nội dung chưa kịp thời.",
    "Đã triển khai đến các phòng, đơn vị trực thuộc.",
    "Kết quả được tổng hợp trong báo cáo CCHC năm 2023.",
    "Thực hiện cơ bản đầy đủ; một số việc còn chậm so với kế hoạch.",
)
NO_EVIDENCE = (
    "Tài liệu kiểm chứng đã gửi Sở Nội vụ kèm báo cáo CCHC năm 2023 (bản giấy).",
    "Kết quả công khai trên Cổng Dịch vụ công tỉnh, tra cứu trực tuyến được.",
    "Hồ sơ lưu tại Văn phòng đơn vị, xuất trình khi Hội đồng thẩm định yêu cầu.",
    "Số liệu thể hiện trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
)
NOT_APPLICABLE_NOTE = "Năm 2023 đơn vị không phát sinh nhiệm vụ này."
BONUS_NOTES = {
    "TH.1": "Mô hình “Một cửa thân thiện” được UBND tỉnh công nhận là sáng kiến năm 2023.",
    "TH.2": "Được UBND tỉnh tặng Bằng khen về thành tích CCHC năm 2023.",
}
DEDUCTION_NOTES = {
    "TR.2": "02 hồ sơ TTHC trễ hạn chưa gửi phiếu xin lỗi đến người dân.",
    "TR.3": "01 công chức bị kỷ luật khiển trách do vi phạm trong giải quyết TTHC.",
}
APPRAISAL_NOTES = (
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện; Hội đồng điều chỉnh điểm.",
    "Nhiệm vụ hoàn thành chậm so với kế hoạch; không đạt điểm tối đa.",
    "Chưa có văn bản kiểm chứng kết quả; chấm theo số liệu Sở Nội vụ theo dõi.",
    "Nội dung thực hiện chưa đầy đủ theo hướng dẫn; điều chỉnh giảm điểm.",
)
BONUS_REFUSED = "Sáng kiến chưa được cấp có thẩm quyền công nhận trong năm 2023; không tính điểm thưởng."
EXPLANATION = (
    "Đơn vị bổ sung Quyết định công nhận kết quả và báo cáo tổng kết kèm theo; đề nghị Hội đồng xem xét giữ nguyên "
    "điểm tự chấm."
)
EXPLANATION_ACCEPTED = "Hội đồng chấp nhận giải trình và tài liệu bổ sung của đơn vị; giữ nguyên điểm tự chấm."
EXCLUSION_REASON = "Đơn vị không gửi hồ sơ tự đánh giá, chấm điểm Chỉ số CCHC năm 2023 trong thời hạn quy định."

QUARTER = Decimal("0.25")
CENT = Decimal("0.01")


def quarters(value: Decimal) -> Decimal:
    """Points in steps of a quarter, as councils score."""
    return ((value / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER).quantize(CENT)


class ScoringSeeder:
    def __init__(self, rng: random.Random, clock: Clock, write):
        self.rng, self.clock, self.write = rng, clock, write
        self.sets = {s.kind: s for s in CriteriaSet.objects.filter(year=YEAR, status="active")}
        year_end = dt.date(YEAR, 12, 31)
        self.administrator_unit = Unit.objects.valid_on(year_end).filter(code="SNV").order_by("-valid_from").first()
        scored = Unit.objects.valid_on(year_end).filter(is_scored=True).select_related("parent")
        self.units = {
            kind: list(scored.filter(kind=kind).order_by("sort_order", "code"))
            for kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT)
            if kind in self.sets
        }
        if UnitKind.COMMUNE in self.sets:
            self.units[UnitKind.COMMUNE] = list(
                scored.filter(kind=UnitKind.COMMUNE, parent__code=COMMUNE_DISTRICT).order_by("sort_order", "code")
            )
        self.surveyed = list(scored.filter(kind__in=list(self.sets)).order_by("kind", "sort_order", "code"))
        self.accounts = Accounts()
        needed = [(unit, role) for unit in self.all_units() for role in (Role.EDITOR, Role.HEAD)]
        needed.append((self.administrator_unit, Role.ADMINISTRATOR))
        if self.units.get(UnitKind.COMMUNE):
            needed.append((self.units[UnitKind.COMMUNE][0].parent, Role.DISTRICT_OFFICER))
        self.accounts.ensure(needed)
        self.administrator = self.accounts.get(self.administrator_unit, Role.ADMINISTRATOR)
        # How well each unit does (the same for its self-scores and its survey results).
        self.quality = {unit.pk: rng.uniform(0.74, 0.97) for unit in self.surveyed}
        self.assessments: dict[int, Assessment] = {}
        self.summary: dict[str, object] = {"evidence": 0, "lowered": 0, "not_applicable": 0}
        self.choose()

    def all_units(self) -> list[Unit]:
        return [unit for units in self.units.values() for unit in units]

    def choose(self) -> None:
        """Which units leave their sheet a draft, declare a deduction, have a row that does not apply …"""
        rng = self.rng
        self.drafts = set()
        for kind, count in NOT_SUBMITTED.items():
            pool = [u for u in self.units.get(kind, []) if u.code not in SHOWCASE]
            self.drafts |= {u.pk for u in rng.sample(pool, min(count, len(pool)))}
        submitting = [u for u in self.all_units() if u.pk not in self.drafts]
        self.deductions = {u.pk for u in rng.sample(submitting, DECLARED_DEDUCTIONS)}
        self.not_applicable = {u.pk for u in rng.sample(submitting, NOT_APPLICABLE_UNITS)}
        self.bonus = {u.pk for u in submitting if rng.random() < BONUS_SHARE}
        self.lowered = {u.pk for u in submitting if rng.random() < LOWERED_SHARE}
        explaining = next((u for u in submitting if u.code == EXPLAINING_UNIT), None)
        self.explaining = explaining.pk if explaining else None
        if explaining:
            self.lowered.add(explaining.pk)

    def reviewer(self, unit: Unit):
        return self.accounts.reviewer(unit, self.administrator_unit)

    # the self-assessment (November, early December 2023) ---------------------------------------------------

    def self_assess(self) -> None:
        rng = self.rng
        for kind, units in self.units.items():
            criteria_set = self.sets[kind]
            due = criteria_set.self_assessment_due or dt.date(YEAR, 12, 10)
            for unit in units:
                editor, head = self.accounts.get(unit, Role.EDITOR), self.accounts.get(unit, Role.HEAD)
                opened = workday_after(dt.date(YEAR, 11, rng.randint(6, 17)))
                with self.clock.at(moment(rng, opened, 8, 10), editor) as at:
                    assessment = services.open_assessment(criteria_set, unit, at=at)
                self.assessments[unit.pk] = assessment
                filled = workday_after(opened + dt.timedelta(days=rng.randint(2, 7)))
                scores = list(services.scores_of(assessment).filter(source=ScoreSource.SELF))
                rows, documented = self.self_rows(unit, scores)
                with self.clock.at(moment(rng, filled, 8, 11), editor):
                    services.save_self_scores(assessment, editor, rows)
                with self.clock.at(moment(rng, filled, 13, 16), editor):
                    for score in documented:
                        self.add_pdf(unit, score, editor, "Tai lieu kiem chung")
                if unit.pk in self.drafts:
                    continue
                day = workday_before(due - dt.timedelta(days=rng.randint(0, 6)))
                with self.clock.at(moment(rng, day), head) as at:
                    services.submit(assessment, head, at=at)
            counts = Assessment.objects.filter(criteria_set=criteria_set)
            self.write(
                f"PAR index {YEAR}, {kind}s: {len(units)} sheets self-scored, "
                f"{counts.filter(status=State.SUBMITTED).count()} submitted by {due:%d/%m/%Y}, "
                f"{counts.filter(status=State.DRAFT).count()} left as drafts"
            )

    def self_rows(self, unit: Unit, scores: list[Score]) -> tuple[list[dict], list[Score]]:
        """The rows the editor saves, and the scores that get a document attached (the other scored rows carry
        an explanation of why there is none; a declared deduction needs neither)."""
        rng = self.rng
        quality = self.quality[unit.pk]
        ordinary = [s for s in scores if s.criterion.method not in ADJUSTMENTS]
        not_applicable = {rng.choice(ordinary).pk} if unit.pk in self.not_applicable else set()
        self.summary["not_applicable"] += len(not_applicable)
        rows, documented = [], []
        for score in scores:
            criterion = score.criterion
            row = {"criterion": criterion.code}
            if score.pk in not_applicable:
                row.update(not_applicable=True, self_note=NOT_APPLICABLE_NOTE)
            elif criterion.method == BONUS:
                if unit.pk in self.bonus and criterion.code in BONUS_NOTES:
                    row.update(self_score=criterion.maximum, self_note=BONUS_NOTES[criterion.code])
                    documented.append(score)  # a bonus is claimed with its decision
            elif criterion.method == DEDUCTION:
                if unit.pk in self.deductions and criterion.code in DEDUCTION_NOTES:
                    points = min(criterion.maximum, Decimal("0.5") if criterion.code == "TR.2" else Decimal(1))
                    row.update(self_score=points, self_note=DEDUCTION_NOTES[criterion.code])
            else:
                share = quality + rng.uniform(-0.12, 0.08)
                if rng.random() < 0.05:
                    share = rng.uniform(0.4, 0.6)  # a weak spot
                if rng.random() < 0.3:
                    share = 1.0
                points = min(criterion.maximum, quarters(criterion.maximum * Decimal(str(max(share, 0)))))
                row.update(self_score=points, self_note=rng.choice(SELF_NOTES))
                if points and rng.random() < EVIDENCE_SHARE:
                    documented.append(score)
                elif points:
                    row["explanation_missing_evidence"] = rng.choice(NO_EVIDENCE)
            rows.append(row)
        return rows, documented

    def add_pdf(self, unit: Unit, score: Score, editor, heading: str) -> None:
        criterion = score.criterion
        content = tiny_pdf([unit.name, heading, f"{criterion.code}. {criterion.title}"[:90], f"Nam {YEAR}"])
        name = f"kiem-chung-{criterion.code.replace('.', '-').lower()}-{unit.code.lower()}.pdf"
        services.add_evidence(score, editor, ContentFile(content, name=name), at=self.clock.now)
        self.summary["evidence"] += 1

    # surveys and computed figures (January 2024) -----------------------------------------------------------

    def import_surveys(self) -> None:
        rng = self.rng
        lines = ["unit,criterion,value"]
        for unit in self.surveyed:
            criteria_set = self.sets[unit.kind]
            quality = self.quality[unit.pk]
            for criterion in criteria_set.criteria.filter(is_leaf=True, method=SURVEY).order_by("order"):
                share = min(max(quality + rng.uniform(-0.08, 0.06), 0.55), 0.99)
                lines.append(f"{unit.code},{criterion.code},{(criterion.maximum * Decimal(str(share))).quantize(CENT)}")
        day = workday_after(dt.date(YEAR + 1, 1, 3))
        with self.clock.at(moment(self.rng, day, 9, 10), self.administrator) as at:
            content = "\n".join(lines).encode("utf-8")
            counts = surveys.import_results(YEAR, content, SURVEY_FILE, self.administrator, at=at)
        self.summary["survey_rows"] = counts["rows"]
        self.write(f"Survey results {YEAR}: {counts['rows']} values for {len(self.surveyed)} units imported")

    def compute(self) -> None:
        day = workday_after(dt.date(YEAR + 1, 1, 5))
        written = 0
        with self.clock.at(moment(self.rng, day, 9, 10), self.administrator):
            for kind in self.units:
                written += computed.compute_for_set(self.sets[kind], today=dt.date(YEAR, 12, 31))
        self.summary["computed"] = written
        self.write(f"Computed sub-criteria {YEAR}: {written} scores from the system's data of {YEAR}")

    # the council (January – February 2024) -----------------------------------------------------------------

    def appraise(self) -> None:
        rng = self.rng
        for unit in self.all_units():
            if unit.pk in self.drafts:
                continue
            assessment = self.assessments[unit.pk]
            reviewer = self.reviewer(unit)
            rows = []
            if unit.pk in self.lowered:
                candidates = [
                    s
                    for s in services.scores_of(assessment).filter(source=ScoreSource.SELF, self_score__gt=0)
                    if s.criterion.method != DEDUCTION
                ]
                for score in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
                    if score.criterion.method == BONUS:
                        rows.append(
                            {"criterion": score.criterion.code, "appraised_score": 0, "appraisal_note": BONUS_REFUSED}
                        )
                    else:
                        lower = max(Decimal(0), score.self_score - max(QUARTER, quarters(score.self_score / 3)))
                        rows.append(
                            {
                                "criterion": score.criterion.code,
                                "appraised_score": lower,
                                "appraisal_note": rng.choice(APPRAISAL_NOTES),
                            }
                        )
                self.summary["lowered"] += len(rows)
            day = workday_after(dt.date(YEAR + 1, 1, rng.randint(8, 26)))
            with self.clock.at(moment(rng, day), reviewer) as at:
                services.appraise(assessment, reviewer, rows, at=at)
            if unit.pk == self.explaining and rows:
                self.explain(unit, assessment, rows[0]["criterion"], day)
        self.write(
            f"Appraisal: {self.summary['lowered']} self-scores lowered with a note; "
            f"{Assessment.objects.filter(criteria_set__year=YEAR, status=State.EXPLAINED).count()} explanation(s)"
        )

    def explain(self, unit: Unit, assessment: Assessment, code: str, appraised: dt.date) -> None:
        """The unit adds a document and explains one lowered row; the council accepts and restores its score."""
        rng = self.rng
        editor, head = self.accounts.get(unit, Role.EDITOR), self.accounts.get(unit, Role.HEAD)
        score = assessment.scores.select_related("criterion").get(criterion__code=code)
        day = workday_after(appraised + dt.timedelta(days=rng.randint(3, 6)))
        with self.clock.at(moment(rng, day, 8, 11), editor):
            self.add_pdf(unit, score, editor, "Tai lieu bo sung giai trinh")
        with self.clock.at(moment(rng, day, 14, 16), head) as at:
            services.explain(assessment, head, [{"criterion": code, "unit_explanation": EXPLANATION}], at=at)
        reviewer = self.reviewer(unit)
        day = workday_after(day + dt.timedelta(days=rng.randint(5, 9)))
        with self.clock.at(moment(rng, day), reviewer) as at:
            services.appraise(
                assessment,
                reviewer,
                [{"criterion": code, "appraised_score": score.self_score, "appraisal_note": EXPLANATION_ACCEPTED}],
                at=at,
            )

    def finalise(self) -> None:
        rng = self.rng
        for unit in self.all_units():
            if unit.pk in self.drafts:
                continue
            reviewer = self.reviewer(unit)
            day = workday_after(dt.date(YEAR + 1, 2, rng.randint(19, 28)))
            with self.clock.at(moment(rng, day), reviewer) as at:
                services.finalise(self.assessments[unit.pk], reviewer, at=at)
        finals = Assessment.objects.filter(criteria_set__year=YEAR, status=State.FINAL).count()
        self.write(f"Final scores: {finals} sheets finalised and locked")

    # publication (March 2024) ------------------------------------------------------------------------------

    def publish(self) -> None:
        published = []
        day = dt.datetime(YEAR + 1, 3, 15, 9, 30, tzinfo=TZ)
        for kind in PUBLISHED_KINDS:
            if kind not in self.sets:
                continue
            excluded = {u.pk: EXCLUSION_REASON for u in self.units[kind] if u.pk in self.drafts}
            with self.clock.at(day, self.administrator) as at:
                services.publish(self.sets[kind], self.administrator, excluded, at=at)
            published.append(kind)
            self.write(
                f"Published the {kind} results of {YEAR} on {day:%d/%m/%Y}"
                + (f" ({len(excluded)} unit(s) left out: not submitted)" if excluded else "")
            )
        self.summary["published"] = published

    def ranking(self) -> None:
        top = {}
        for kind in self.units:
            rows = queries.results(self.sets[kind], with_previous=False)
            top[kind] = [
                (row["rank"], row["unit_code"], row["unit_name"], row["shown"], row["band"]) for row in rows[:3]
            ]
            state = "published" if self.sets[kind].is_published else "final, not published"
            self.write(f"Top 3 {kind}s ({state}):")
            for rank, code, name, shown, band in top[kind]:
                self.write(f"  {rank}. {name} ({code}): {shown} — {band}")
        self.summary["top"] = top


def seed_demo_scoring(seed: int = 2023, stdout=None) -> dict | None:
    """Play the 2023 PAR-index round (see the module's docstring); returns counts and the top 3 per kind, or None
    when there was nothing to do (no active 2023 criteria sets, or 2023 assessments exist already)."""

    def write(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    if not CriteriaSet.objects.filter(year=YEAR, status="active").exists():
        write(f"PAR index {YEAR}: no active {YEAR} criteria sets, nothing seeded")
        return None
    if Assessment.objects.filter(criteria_set__year=YEAR).exists():
        write(f"PAR index {YEAR}: assessments already present, left unchanged")
        return None
    clock = Clock()
    with transaction.atomic():
        seeder = ScoringSeeder(random.Random(seed), clock, write)
        seeder.self_assess()
        seeder.import_surveys()
        seeder.compute()
        seeder.appraise()
        seeder.finalise()
        seeder.publish()
        seeder.ranking()
        seeder.summary.update(
            assessments=Assessment.objects.filter(criteria_set__year=YEAR).count(),
            final=Assessment.objects.filter(criteria_set__year=YEAR, status=State.FINAL).count(),
            drafts=Assessment.objects.filter(criteria_set__year=YEAR, status=State.DRAFT).count(),
            accounts_created=seeder.accounts.created,
        )
    return seeder.summary
