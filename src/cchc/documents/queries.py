"""The content of the province's periodic PAR report and of the 766 results table, as plain data.

`compile_report(period, options)` gathers, in a fixed number of queries:

- the units that owed a report for the period and whether they sent it on time, late or not at all;
- the statistics of the ACCEPTED agency reports, combined over units (see `combine`): counts are summed; a part
  of a whole (e.g. documents reviewed of documents issued) is also given as a share = sum of the parts over the
  sum of the wholes of the units that reported both — never an average of the units' percentages; a figure that
  units enter as a percentage without numerator and denominator (satisfaction, files handled online) cannot be
  combined honestly, so the report gives its range and the number of units, and the annex lists it per unit;
- the dossier figures computed for the matching calendar period (Q1 → 2023Q1, six months → 2023S1,
  Q3 → 2023Q3, year → 2023): the area-2 targets per level against their thresholds, the on-time rate and the
  province's 766 index. The one-stop system and the 766 index count by calendar month, quarter and year, not by
  the report's data window (Decree 09/2019: 15/12 of the year before, or 15/06, to the 14th): the text and each
  table say plainly which days they cover, the agencies' figures by each statistic's window or year so far
  (`Statistic.covers`), the dossier table by its calendar period;
- the plan's tasks per area with how many units have done, are doing, are late with or have not started them;
- the agencies' narrative sections (departments and districts; communes report to their district).

`table_766(period)` scores every current unit in bulk (two queries in all). word.py and excel.py render both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import translation

from cchc.core import clock
from cchc.documents import synthesis
from cchc.indicators.index766 import catalogue_for
from cchc.indicators.metrics import LEVEL_766, SECOND_MEASURE, TARGET_METRICS, ratio
from cchc.indicators.periods import parse_period, vietnamese_label
from cchc.indicators.queries import entered_many, figures_many, index766, metrics766
from cchc.plans.models import Area, Plan, Target, Task
from cchc.plans.thresholds import describe, for_level, is_intermediate, verdict
from cchc.progress import rules
from cchc.progress.models import TaskProgress
from cchc.reports.models import Report, ReportFigure, ReportPeriod
from cchc.reports.obligations import reporting_units
from cchc.reports.services import without_districts
from cchc.reports.statistics import Statistic, all_statistics
from cchc.review.models import ReviewState
from cchc.targets.queries import LEVELS, target_values
from cchc.units.models import Unit, UnitKind

KIND_ORDER = {UnitKind.PROVINCE: 0, UnitKind.DEPARTMENT: 1, UnitKind.DISTRICT: 2, UnitKind.COMMUNE: 3}
REPORTING_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)
KIND_LABEL = {
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.DEPARTMENT: "Sở, ban, ngành",
    UnitKind.DISTRICT: "Cấp huyện",
    UnitKind.COMMUNE: "Cấp xã",
}
LEVEL_LABEL = {"P": "Cấp tỉnh", "D": "Cấp huyện", "C": "Cấp xã", "all": "Toàn tỉnh"}
PERIOD_PHRASE = {
    "Q1": "Quý I năm {year}",
    "H1": "6 tháng đầu năm {year}",
    "Q3": "Quý III năm {year}",
    "Y": "năm {year}",
}
CALENDAR_PERIOD = {"Q1": "{year}Q1", "H1": "{year}S1", "Q3": "{year}Q3", "Y": "{year}"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
STEERING_AREA = 7  # "Công tác chỉ đạo, điều hành": the report's first part, as the Ministry's outline has it
DEFAULT_RECIPIENTS = (
    "Bộ Nội vụ",
    "Thường trực Tỉnh ủy",
    "Thường trực HĐND tỉnh",
    "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
    "Các sở, ban, ngành tỉnh",
    "UBND các huyện, thị xã, thành phố",
    "Lưu: VT, SNV",
)
DISTRICT_RECIPIENT = "UBND các huyện, thị xã, thành phố"
COMMUNE_RECIPIENT = "UBND các xã, phường, đặc khu"


def default_recipients(on: dt.date) -> list[str]:
    """The usual recipients for the structure valid on `on`: no "UBND các huyện" when there are no districts (the
    two-level local government from 1 July 2025), the communes instead."""
    has_districts = Unit.objects.valid_on(on).filter(kind=UnitKind.DISTRICT).exists()
    return [r if has_districts or r != DISTRICT_RECIPIENT else COMMUNE_RECIPIENT for r in DEFAULT_RECIPIENTS]


# Dossier figures reported besides the area-2 targets: (metric, label).
DOSSIER_FIGURES = (
    ("PROCESSING_ON_TIME", "Hồ sơ TTHC giải quyết đúng hạn"),
    ("ONLINE_SUBMISSION", "Hồ sơ TTHC nộp trực tuyến"),
)
STATUS_LABEL = {
    rules.DONE: "Hoàn thành",
    rules.IN_PROGRESS: "Đang thực hiện",
    rules.OVERDUE: "Quá hạn",
    rules.NOT_STARTED: "Chưa triển khai",
}

Progress = Callable[[int, int, str], None]


# --- data ------------------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[list]
    widths: list[float] | None = None  # centimetres, for the Word document
    caption: str = ""


@dataclass
class Section:
    heading: str
    level: int = 1
    blocks: list[str | Table] = field(default_factory=list)  # paragraphs and tables, in order
    children: list[Section] = field(default_factory=list)
    key: str = ""  # a stable name for tests and anchors: "area-2", "submissions", …

    def add(self, block: str | Table) -> Section:
        self.blocks.append(block)
        return self

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Options:
    """What the person generating the report chooses; None takes the plan's or today's value."""

    number_symbol: str = "      /BC-UBND"  # the number is written in when the document is signed
    date: dt.date | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    on_behalf: str | None = None
    recipients: list[str] | None = None
    place: str | None = None


@dataclass
class StatisticTotal:
    """One statistic of the annex combined over the units whose report was accepted."""

    stat: Statistic
    by_kind: dict[str, Decimal]  # department/district/commune → sum (counts only)
    total: Decimal | None  # counts: the sum over every unit; percentages: None (not combinable)
    units: int  # how many units reported it
    per_unit: list[tuple[Unit, Decimal]]
    share: float | None = None  # parts: sum(part) / sum(whole) × 100 over units reporting both
    share_of: str = ""  # the whole's label
    minimum: Decimal | None = None  # percentages: the range over units
    maximum: Decimal | None = None
    method: str = ""  # how the value is combined, in words (shown in the annex)


@dataclass
class ComputedFigure:
    """A figure computed from dossiers for the calendar period: (numerator, denominator) per level."""

    code: str  # plan target code, or the metric's name when not a target
    label: str
    metric: str
    by_level: dict[str, tuple[int, int]]  # "P", "D", "C", "all"
    thresholds: dict[str, object]  # level → plans.Threshold ("province" for the whole province)
    source: str = "dossiers"
    target: Target | None = None
    on: dt.date | None = None  # the calendar period's last day: what the thresholds are judged on

    def ratio(self, level: str) -> float | None:
        return ratio(*self.by_level.get(level, (0, 0)))

    def met(self, level: str) -> bool | None:
        """The verdict every page gives for this target, level and period (cchc.plans.thresholds)."""
        if self.target is None or self.on is None:
            return None
        threshold = for_level(self.thresholds, level)
        return verdict(self.target, threshold, self.ratio(level), self.on)


@dataclass
class Submission:
    unit: Unit
    state: str  # on_time, late, missing
    status: str | None  # the report's review state (None: no report at all)
    submitted_at: dt.datetime | None


@dataclass
class ProvinceReport:
    period: ReportPeriod
    calendar_period: str
    calendar_from: dt.date  # the days the dossier figures cover (the calendar period)
    calendar_to: dt.date
    plan: Plan
    province: Unit
    issuer_parent: str
    issuer: str
    number_symbol: str
    place: str
    date: dt.date
    title: str
    subtitle: str
    recipients: list[str]
    signer_title: str
    signer_name: str
    on_behalf: str
    sections: list[Section]
    statistics: list[StatisticTotal]
    computed: list[ComputedFigure]
    submissions: list[Submission]
    index766: dict
    accepted_reports: int
    targets: list = field(default_factory=list)  # [(Target, {level: targets.queries.TargetValue})], all targets

    def section(self, key: str) -> Section:
        for top in self.sections:
            for section in top.walk():
                if section.key == key:
                    return section
        raise KeyError(key)


@dataclass
class Row766:
    unit: Unit
    groups: dict[str, dict]  # code → {"score", "max"}
    total: float
    max: float
    band: str | None


@dataclass
class Table766:
    period: str
    groups: list[dict]  # {"code", "name", "max"} in the catalogue's order
    rows: list[Row766]


# --- formatting (Vietnamese conventions: "." for thousands, "," for decimals) -----------------------------


def number(value) -> str:
    if value is None:
        return ""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value: float | None) -> str:
    if value is None:
        return "chưa có số liệu"
    return f"{value:.1f}".replace(".", ",") + "%"


def date_vn(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def calendar_period(period: ReportPeriod) -> str:
    return CALENDAR_PERIOD[period.kind].format(year=period.year)


def calendar_label(period: ReportPeriod) -> str:
    """The calendar period in words ("quý I năm 2023"), never its code."""
    return vietnamese_label(calendar_period(period))


def goals_text(target: Target, thresholds, on: dt.date) -> str:
    """ "Cấp tỉnh ≥ 80%; …" as judged on `on`; a multi-year goal before its deadline year gives its path point and
    the goal ("Cấp tỉnh ≥ 50% (lộ trình đạt 100% năm 2025)")."""
    parts = []
    for t in sorted(thresholds, key=lambda t: ("P", "D", "C", "province").index(t.level)):
        judged = describe(target, t, on) or f"{t.get_op_display()} {t.display_value}"
        if is_intermediate(target, on.year):
            judged += f" (lộ trình đạt {t.display_value} năm {target.final_year})"
        parts.append(f"{LEVEL_LABEL.get(t.level, 'Toàn tỉnh')} {judged}")
    return "; ".join(parts)


def calendar_window(period: ReportPeriod) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar period whose dossier figures the report uses."""
    calendar = parse_period(calendar_period(period))
    return calendar.start, calendar.end


def days_phrase(first: dt.date, last: dt.date) -> str:
    return f"từ ngày {date_vn(first)} đến ngày {date_vn(last)}"


def covers_phrase(stat: Statistic, period: ReportPeriod) -> str:
    """Which days an agency figure covers in this report: its window, or the year so far (statistics.yaml)."""
    first, last = stat.covers(period.data_from, period.data_to)
    if stat.is_cumulative:
        return f"lũy kế {days_phrase(first, last)}"
    return f"trong kỳ {days_phrase(first, last)}"


def period_phrase(period: ReportPeriod) -> str:
    return PERIOD_PHRASE[period.kind].format(year=period.year)


def _sort_key(unit: Unit):
    return (KIND_ORDER.get(unit.kind, 9), unit.sort_order, unit.code)


# --- the report ------------------------------------------------------------------------------------------


def compile_report(
    period: ReportPeriod, options: Options | None = None, progress: Progress | None = None
) -> ProvinceReport:
    """Everything the Word report and the Excel annex show, in Vietnamese whatever the page's language."""
    options = options or Options()
    step = progress or (lambda done, total, message: None)
    with translation.override("vi"):
        plan = _plan(period.year)
        province = plan.province
        areas = list(Area.objects.filter(plan=plan).select_related("monitor").order_by("number"))
        step(1, 6, "Tình hình gửi báo cáo của các cơ quan, đơn vị")
        submissions = _submissions(period)
        step(2, 6, "Tổng hợp số liệu từ báo cáo đã được chấp nhận")
        reports = list(
            Report.objects.filter(period=period, status=ReviewState.ACCEPTED).select_related("unit").order_by("pk")
        )
        reports.sort(key=lambda r: _sort_key(r.unit))
        statistics = combine(period, reports)
        step(3, 6, "Số liệu giải quyết hồ sơ TTHC")
        cal = calendar_period(period)
        computed, index = _computed(plan, province, cal, calendar_window(period)[1])
        targets = _targets(plan, province, cal)
        step(4, 6, "Tiến độ thực hiện nhiệm vụ")
        tasks = _task_progress(plan, period.data_to)
        step(5, 6, "Soạn nội dung báo cáo")
        sections = _sections(period, plan, areas, submissions, reports, statistics, computed, index, tasks, cal)
        _target_table(sections, targets, calendar_label(period), calendar_window(period)[1])

        signer_title = options.signer_title or plan.signer_title or "Chủ tịch"
        on_behalf = options.on_behalf
        if on_behalf is None:
            on_behalf = "TM. Ủy ban nhân dân"
            if signer_title.lower().startswith("phó"):  # a deputy signs for the chairman (KT. = ký thay)
                on_behalf += "\nKT. Chủ tịch"
        place = options.place or province.name.removeprefix("Tỉnh ").removeprefix("tỉnh ")
        calendar_from, calendar_to = calendar_window(period)
        report = ProvinceReport(
            period=period,
            calendar_period=cal,
            calendar_from=calendar_from,
            calendar_to=calendar_to,
            plan=plan,
            province=province,
            issuer_parent="",
            issuer=plan.issuer or f"UBND {province.name}",
            number_symbol=options.number_symbol,
            place=place,
            # Without a date, today — but a report on a past period is dated by its deadline to the Ministry.
            date=options.date or min(clock.today(), period.ministry_due),
            title="Báo cáo",
            subtitle=f"Tình hình thực hiện công tác cải cách hành chính {period_phrase(period)}",
            recipients=list(
                options.recipients if options.recipients is not None else default_recipients(period.data_to)
            ),
            signer_title=signer_title,
            signer_name=options.signer_name or plan.signer or "",
            on_behalf=on_behalf,
            sections=sections,
            statistics=statistics,
            computed=computed,
            targets=targets,
            submissions=submissions,
            index766=index,
            accepted_reports=len(reports),
        )
        step(6, 6, "Đã tổng hợp xong")
        return report


def _plan(year: int) -> Plan:
    plan = (
        Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT).select_related("province").first()
        or Plan.objects.filter(year=year).select_related("province").first()
    )
    if plan is None:
        raise Plan.DoesNotExist(f"there is no plan for {year}")
    return plan


def _submissions(period: ReportPeriod) -> list[Submission]:
    """Every unit that owed the report: sent on time, sent late, or not sent (no report or never submitted)."""
    units = sorted(reporting_units(period.data_to).only("pk", "code", "name", "kind", "sort_order"), key=_sort_key)
    reports = {
        row["unit_id"]: row
        for row in Report.objects.filter(period=period).values("unit_id", "status", "on_time", "first_submitted_at")
    }
    result = []
    for unit in units:
        row = reports.get(unit.pk)
        if row is None or row["first_submitted_at"] is None:
            state = "missing"
        else:
            state = "late" if row["on_time"] is False else "on_time"
        result.append(
            Submission(unit, state, row["status"] if row else None, row["first_submitted_at"] if row else None)
        )
    return result


def combine(period: ReportPeriod, reports: list[Report]) -> list[StatisticTotal]:
    """Combine the figures of the accepted reports (one query): see the module's docstring for the rules."""
    units = {report.pk: report.unit for report in reports}
    values: dict[str, dict[int, Decimal]] = defaultdict(dict)  # code → unit id → value
    unit_by_id = {}
    for report_id, code, value in ReportFigure.objects.filter(report_id__in=list(units)).values_list(
        "report_id", "code", "value"
    ):
        unit = units[report_id]
        unit_by_id[unit.pk] = unit
        values[code][unit.pk] = value
    statistics = [stat for stat in all_statistics() if period.kind in stat.report_kinds]
    labels = {stat.code: stat.label for stat in all_statistics()}
    result = []
    for stat in statistics:
        by_unit = values.get(stat.code, {})
        per_unit = sorted(((unit_by_id[uid], value) for uid, value in by_unit.items()), key=lambda p: _sort_key(p[0]))
        total = StatisticTotal(stat=stat, by_kind={}, total=None, units=len(per_unit), per_unit=per_unit)
        if not per_unit:
            total.method = "Chưa có đơn vị báo cáo."
            result.append(total)
            continue
        if stat.is_percent:
            if per_unit:
                total.minimum = min(v for _, v in per_unit)
                total.maximum = max(v for _, v in per_unit)
            total.method = (
                "Tỷ lệ do từng đơn vị tự báo cáo, không kèm tử số và mẫu số nên không cộng gộp hay lấy bình quân: "
                "nêu khoảng giá trị và số đơn vị báo cáo; số liệu từng đơn vị tại sheet “Theo đơn vị”."
            )
        else:
            for unit, value in per_unit:
                total.by_kind[unit.kind] = total.by_kind.get(unit.kind, Decimal(0)) + value
            total.total = sum((v for _, v in per_unit), Decimal(0))
            total.method = "Tổng số liệu của các đơn vị có báo cáo được chấp nhận."
            if stat.part_of:
                wholes = values.get(stat.part_of, {})
                both = [uid for uid in by_unit if uid in wholes]
                whole_sum = sum((wholes[uid] for uid in both), Decimal(0))
                part_sum = sum((by_unit[uid] for uid in both), Decimal(0))
                total.share = float(100 * part_sum / whole_sum) if whole_sum else None
                total.share_of = labels.get(stat.part_of, stat.part_of)
                total.method += (
                    f" Tỷ lệ so với “{total.share_of}” = tổng tử số / tổng mẫu số của các đơn vị báo cáo cả hai chỉ số"
                    " (không lấy bình quân các tỷ lệ)."
                )
        result.append(total)
    return result


def _computed(plan: Plan, province: Unit, period: str, on: dt.date) -> tuple[list[ComputedFigure], dict]:
    """The dossier figures of the whole province and its 766 index (three queries)."""
    stored = figures_many([province.pk], period).get(province.pk, {})
    targets = {
        t.code: t
        for t in Target.objects.filter(plan=plan, code__in=list(TARGET_METRICS)).prefetch_related("thresholds")
    }
    result = []
    for metric, label in DOSSIER_FIGURES:
        result.append(ComputedFigure(metric, label, metric, _levels(stored.get(metric, {})), {}))
    for code, metric in TARGET_METRICS.items():
        target = targets.get(code)
        thresholds = {t.level: t for t in target.thresholds.all()} if target else {}
        name = target.name if target else code
        second = SECOND_MEASURE.get(code)
        if second:  # a survey target: the dossier-based 766 measure is what the system can compute
            metric = second
        if second:
            name += " (đánh giá trên hệ thống khi tiếp nhận hồ sơ)"
        levels = _levels(stored.get(metric, {}))
        result.append(ComputedFigure(code, name, metric, levels, thresholds, target=target, on=on))
    index = index766(province, period, metrics766(province, period, stored))
    return result, index


def _targets(plan: Plan, province: Unit, period: str) -> list:
    """Every target of the plan at each level, from the function the dashboard uses (cchc.targets.queries)."""
    targets = list(
        Target.objects.filter(plan=plan).select_related("baseline").prefetch_related("thresholds").order_by("order")
    )
    found = target_values(plan, province, parse_period(period), targets=targets)
    return [(t, {level: found[(t.code, level)] for level in LEVELS}) for t in targets]


SOURCE_LABEL = {
    "dossiers": "hồ sơ TTHC",
    "catalogue": "danh mục TTHC",
    "reports": "báo cáo được chấp nhận",
    "agency_plans": "kế hoạch của các cơ quan, đơn vị",
    "survey": "khảo sát",
    "baseline": "so với năm gốc",
    "entered": "số liệu nhập kèm tài liệu kiểm chứng",
}
QUALITATIVE_LABEL = {"done": "Hoàn thành", "partly": "Hoàn thành một phần", "not_done": "Chưa hoàn thành"}


def target_cell(value) -> str:
    """A target's value as the report writes it (the same number as the dashboard's)."""
    if value is None or value.value is None:
        return "—"
    if value.qualitative:
        return QUALITATIVE_LABEL[value.qualitative]
    text = percent(value.value)
    if value.numerator is not None and value.denominator is not None and value.source != "survey":
        text += f" ({number(round(value.numerator))}/{number(round(value.denominator))})"
    return text


def _target_table(sections: list[Section], targets: list, label: str, on: dt.date) -> None:
    results = next((s for s in sections if s.key == "results"), None)
    if results is None or not targets:
        return
    section = Section(f"{len(results.children) + 1}. Kết quả thực hiện các chỉ tiêu của Kế hoạch", key="targets")
    section.add(
        f"Giá trị của từng chỉ tiêu theo nguồn số liệu đã khai báo trong Kế hoạch (số liệu {label}; tỷ lệ gộp"
        " toàn tỉnh = tổng tử số / tổng mẫu số, tỷ lệ của đơn vị được gia quyền theo số lượng làm cơ sở; chỉ tiêu"
        " nhiều năm được đánh giá theo lộ trình đến năm đích):"
    )
    rows = []
    for target, values in targets:
        goals = goals_text(target, target.thresholds.all(), on)
        sources = sorted({SOURCE_LABEL[v.source] for v in values.values() if v.source in SOURCE_LABEL})
        rows.append(
            [
                target.code,
                target.name,
                goals,
                *(target_cell(values[level]) for level in ("P", "D", "C", "all")),
                ", ".join(sources) or "chưa có số liệu",
            ]
        )
    section.add(
        Table(
            ["Mã", "Chỉ tiêu", "Mục tiêu", "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Toàn tỉnh", "Nguồn"],
            rows,
            [1.0, 3.8, 2.4, 1.8, 1.8, 1.8, 1.8, 2.2],
        )
    )
    results.children.append(section)


def _levels(by_level: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return {level: tuple(by_level[level]) for level in ("P", "D", "C", "all") if level in by_level}


def _task_progress(plan: Plan, on: dt.date) -> dict[int, list[tuple[Task, dict[str, int]]]]:
    """area number → [(task, {status on `on`: units})] in plan order (two queries). The status each unit's task had
    on the report's cut-off (progress.rules.status_on), not today's: a task finished after it was then under way."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        TaskProgress.objects.filter(task__plan=plan)
        .with_status_as_of(on)
        .values("task_id", "status_as_of")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["task_id"]][row["status_as_of"]] = row["n"]
    result: dict[int, list] = defaultdict(list)
    for task in Task.objects.filter(plan=plan).select_related("area").order_by("order", "code"):
        result[task.area.number].append((task, counts.get(task.pk, {})))
    return result


# --- the sections ----------------------------------------------------------------------------------------


def _sections(period, plan, areas, submissions, reports, statistics, computed, index, tasks, cal) -> list[Section]:
    stats_by_area: dict[int, list[StatisticTotal]] = defaultdict(list)
    for total in statistics:
        stats_by_area[total.stat.area].append(total)
    # Whose narratives the province synthesises: those reporting to it — departments and districts, and the communes
    # themselves when there are no districts (the two-level government from 1 July 2025).
    to_province = {UnitKind.DEPARTMENT, UnitKind.DISTRICT}
    if any(r.unit.kind == UnitKind.COMMUNE for r in reports) and without_districts(period.data_to):
        to_province.add(UnitKind.COMMUNE)
    narrative = [r for r in reports if r.unit.kind in to_province]
    owed = len(submissions)
    sent = sum(1 for s in submissions if s.state != "missing")

    intro = Section("", level=0, key="intro")
    intro.add(
        f"Thực hiện {plan.title}"
        + (f" (Kế hoạch số {plan.document_number})" if plan.document_number else "")
        + f", trên cơ sở báo cáo của các cơ quan, đơn vị ({sent}/{owed} đơn vị đã gửi báo cáo, {len(reports)} báo cáo"
        f" đã được thẩm định, chấp nhận; kỳ số liệu báo cáo {days_phrase(period.data_from, period.data_to)}) và số"
        " liệu giải quyết hồ sơ thủ tục hành chính trên hệ thống (tính theo kỳ dương lịch"
        f" {days_phrase(*calendar_window(period))}, {calendar_label(period)}), Ủy ban nhân dân tỉnh báo cáo tình hình"
        f" thực hiện công tác cải cách hành chính {period_phrase(period)} như sau:"
    )

    areas_by_number = {area.number: area for area in areas}
    sections = [intro]

    # I. Steering: the reporting discipline, the steering tasks, the agencies' own account.
    steering_area = areas_by_number.get(STEERING_AREA)
    steering = Section(
        f"{ROMAN[0]}. {steering_area.name if steering_area else 'Công tác chỉ đạo, điều hành'}",
        key="steering-part",
    )
    steering.children.append(_submission_section(submissions, "1."))
    if steering_area:
        steering.children.append(
            _area_body(
                steering_area,
                tasks.get(STEERING_AREA, []),
                stats_by_area.get(STEERING_AREA, []),
                "2.",
                period,
                "Tiến độ thực hiện các nhiệm vụ chỉ đạo, điều hành",
            )
        )
    steering.children.append(
        _by_theme("3. Theo báo cáo của các cơ quan, đơn vị", narrative, "steering", "steering", synthesis.RESULT, 2)
    )
    sections.append(steering)

    # II. Results per reform area (1–6).
    results = Section(f"{ROMAN[1]}. Kết quả thực hiện các nhiệm vụ cải cách hành chính", key="results")
    number = 0
    for area in areas:
        if area.number == STEERING_AREA:
            continue
        number += 1
        body = _area_body(area, tasks.get(area.number, []), stats_by_area.get(area.number, []), f"{number}.", period)
        if area.number == 2:
            _dossier_figures(body, computed, index, period)
        results.children.append(body)
    results.children.append(
        _by_theme(
            f"{number + 1}. Kết quả theo báo cáo của các cơ quan, đơn vị",
            narrative,
            "results",
            "results-units",
            synthesis.RESULT,
            2,
        )
    )
    sections.append(results)

    sections.append(_assessment(f"{ROMAN[2]}. Đánh giá chung", narrative, tasks, computed, period))
    sections.append(
        _by_theme(f"{ROMAN[3]}. Nhiệm vụ trọng tâm kỳ tới", narrative, "next_tasks", "next", synthesis.RESULT)
    )
    sections.append(
        _by_theme(f"{ROMAN[4]}. Đề xuất, kiến nghị", narrative, "proposals", "proposals", synthesis.PROPOSAL)
    )
    sections.append(
        Section("", level=0, key="closing").add(
            f"Trên đây là báo cáo tình hình thực hiện công tác cải cách hành chính {period_phrase(period)} của"
            " Ủy ban nhân dân tỉnh. Số liệu chi tiết tại Phụ lục kèm theo./."
        )
    )
    return sections


def _submission_section(submissions: list[Submission], prefix: str) -> Section:
    section = Section(f"{prefix} Tình hình gửi báo cáo định kỳ của các cơ quan, đơn vị", level=2, key="submissions")
    rows = []
    for kind in REPORTING_KINDS:
        of_kind = [s for s in submissions if s.unit.kind == kind]
        if not of_kind:
            continue
        counts = {state: sum(1 for s in of_kind if s.state == state) for state in ("on_time", "late", "missing")}
        rows.append([KIND_LABEL[kind], len(of_kind), counts["on_time"], counts["late"], counts["missing"]])
    rows.append(["Tổng cộng", *(sum(row[i] for row in rows) for i in range(1, 5))])
    section.add(Table(["Cấp", "Phải báo cáo", "Đúng hạn", "Trễ hạn", "Chưa gửi"], rows, [4.5, 3, 2.8, 2.8, 2.8]))
    for state, phrase in (("late", "Các đơn vị gửi báo cáo trễ hạn"), ("missing", "Các đơn vị chưa gửi báo cáo")):
        named = [s.unit for s in submissions if s.state == state and s.unit.kind != UnitKind.COMMUNE]
        communes = [s.unit for s in submissions if s.state == state and s.unit.kind == UnitKind.COMMUNE]
        if named or communes:
            text = ", ".join(unit.name for unit in named)
            if communes:
                text += ("; " if text else "") + f"{len(communes)} đơn vị cấp xã"
            section.add(f"{phrase}: {text}.")
    if all(s.state == "on_time" for s in submissions):
        section.add("Tất cả các cơ quan, đơn vị đã gửi báo cáo đúng hạn.")
    return section


def _area_body(
    area: Area,
    tasks,
    statistics: list[StatisticTotal],
    prefix: str,
    period: ReportPeriod,
    title: str = "",
) -> Section:
    on = period.data_to
    section = Section(f"{prefix} {title or area.name}", level=2, key=f"area-{area.number}")
    if area.monitor_id:
        section.add(f"Cơ quan theo dõi: {area.monitor.name}.")
    if tasks:
        section.add(
            f"Kế hoạch đề ra {len(tasks)} nhiệm vụ. Tiến độ theo số đơn vị thực hiện, tình trạng tại ngày"
            f" {date_vn(on)} (hoàn thành: có ngày hoàn thành đến hết ngày đó; quá hạn: chưa hoàn thành khi đã quá"
            " thời hạn):"
        )
        rows = [
            [
                task.code,
                task.text,
                date_vn(task.due),
                *(
                    counts.get(status, 0)
                    for status in (rules.DONE, rules.IN_PROGRESS, rules.OVERDUE, rules.NOT_STARTED)
                ),
            ]
            for task, counts in tasks
        ]
        section.add(
            Table(
                ["Mã", "Nhiệm vụ", "Thời hạn", "Hoàn thành", "Đang thực hiện", "Quá hạn", "Chưa triển khai"],
                rows,
                [1.2, 6.6, 2.2, 1.5, 1.5, 1.5, 1.5],
            )
        )
    for total in statistics:
        section.add(statistic_sentence(total, period))
    return section


def statistic_sentence(total: StatisticTotal, period: ReportPeriod | None = None) -> str:
    stat = total.stat
    label = f"{stat.label} ({covers_phrase(stat, period)})" if period else stat.label
    if total.units == 0:
        return f"{label}: chưa có đơn vị báo cáo."
    if stat.is_percent:
        if total.minimum == total.maximum:
            return f"{label}: {number(total.minimum)}% ({total.units} đơn vị báo cáo)."
        return (
            f"{label}: từ {number(total.minimum)}% đến {number(total.maximum)}% ({total.units} đơn vị báo cáo;"
            " chi tiết từng đơn vị tại Phụ lục)."
        )
    parts = [
        f"{KIND_LABEL[kind].lower()} {number(value)}"
        for kind, value in sorted(total.by_kind.items(), key=lambda kv: KIND_ORDER[kv[0]])
    ]
    text = f"{label}: {number(total.total)}"
    if len(parts) > 1:
        text += f" ({'; '.join(parts)})"
    if stat.part_of and total.share is not None:
        text += f", đạt {percent(total.share)} so với {total.share_of[0].lower()}{total.share_of[1:]}"
    return text + f" — tổng hợp từ {total.units} đơn vị."


def _dossier_figures(section: Section, computed: list[ComputedFigure], index: dict, period: ReportPeriod) -> None:
    first, last = calendar_window(period)
    section.add(
        f"Kết quả giải quyết hồ sơ thủ tục hành chính trên hệ thống, {days_phrase(first, last)}"
        f" ({calendar_label(period)}; hệ thống và Chỉ số 766 tính theo tháng, quý, năm dương lịch, nên bảng này"
        f" không trùng kỳ số liệu báo cáo {days_phrase(period.data_from, period.data_to)}). Chỉ tiêu 2.3 là số"
        f" lũy kế kết quả còn hiệu lực đến ngày {date_vn(last)}; các chỉ tiêu về TTHC (2.2a, 2.4a, 2.4b) theo danh"
        " mục TTHC hiện hành:"
    )
    rows = []
    for figure in computed:
        cells = []
        for level in ("P", "D", "C", "all"):
            n, d = figure.by_level.get(level, (0, 0))
            if not d:
                cells.append("—")
                continue
            met = figure.met(level)
            mark = "" if met is None else ("; đạt" if met else "; chưa đạt")
            cells.append(f"{percent(figure.ratio(level))} ({number(n)}/{number(d)}{mark})")
        goals = goals_text(figure.target, figure.thresholds.values(), last) if figure.target else ""
        rows.append([figure.code if figure.code in TARGET_METRICS else "", figure.label, goals, *cells])
    section.add(
        Table(
            ["Mã", "Chỉ tiêu", "Mục tiêu", "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Toàn tỉnh"],
            rows,
            [1.2, 4.2, 2.6, 2.0, 2.0, 2.0, 2.0],
        )
    )
    if index.get("groups"):
        score = number(round(index["total"], 2))
        section.add(
            f"Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) của tỉnh: {score}"
            f"/{number(index['max'])} điểm" + (f", xếp loại {index['band']}." if index.get("band") else ".")
        )


NO_CONTENT = "Không có nội dung trong các báo cáo đã được chấp nhận."
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _written(reports: list[Report], field_name: str) -> list[tuple[str, str]]:
    return [(r.unit.name, getattr(r, field_name).strip()) for r in reports if getattr(r, field_name).strip()]


def _source_line(found: synthesis.Synthesis, reports: list[Report]) -> str:
    return (
        f"Tổng hợp từ báo cáo đã được chấp nhận của {len(found.units)}/{len(reports)} cơ quan, đơn vị có nội dung"
        " này; ý kiến trùng nhau được gộp một lần, ghi rõ các đơn vị nêu."
    )


def _themes(section: Section, themes: dict, all_units: int, level: int) -> None:
    for letter, (theme, statements) in zip(LETTERS, themes.items(), strict=False):
        child = Section(f"{letter}) {synthesis.THEME_TITLE[theme]}", level=level, key=f"{section.key}-{theme}")
        for statement in statements:
            child.add(synthesis.sentence(statement, all_units))
        section.children.append(child)


def _by_theme(heading: str, reports: list[Report], field_name: str, key: str, kind: str, level: int = 1) -> Section:
    """One field of the agencies' reports, as a synthesis by theme (cchc.documents.synthesis), not pasted texts."""
    section = Section(heading, level=level, key=key)
    found = synthesis.synthesise(_written(reports, field_name), kinds=(kind,), default=kind)
    themes = found.by_kind.get(kind, {})
    if not themes:
        section.add(NO_CONTENT)
        return section
    section.add(_source_line(found, reports))
    _themes(section, themes, len(found.units), min(level + 1, 3))
    return section


def _assessment(heading: str, reports: list[Report], tasks, computed, period: ReportPeriod) -> Section:
    """III. Đánh giá chung: results, limitations and their causes, each by theme with the units that said so, and
    what the figures themselves show (tasks done and overdue at the cut-off, targets met and not met)."""
    section = Section(heading, level=1, key="assessment")
    found = synthesis.synthesise(
        _written(reports, "assessment"), kinds=(synthesis.RESULT, synthesis.LIMIT, synthesis.CAUSE)
    )
    if found.units:
        section.add(_source_line(found, reports))
    on = period.data_to
    counts = defaultdict(int)
    for area_tasks in tasks.values():
        for _task, by_status in area_tasks:
            for status, n in by_status.items():
                counts[status] += n
    total = sum(counts.values())
    judged = [(f, f.met("all")) for f in computed if f.met("all") is not None]
    facts = {
        synthesis.RESULT: [],
        synthesis.LIMIT: [],
    }
    if total:
        facts[synthesis.RESULT].append(
            f"Đến ngày {date_vn(on)}, {number(counts[rules.DONE])}/{number(total)} lượt nhiệm vụ của các cơ quan,"
            f" đơn vị đã hoàn thành, {number(counts[rules.IN_PROGRESS])} đang thực hiện."
        )
        if counts[rules.OVERDUE]:
            facts[synthesis.LIMIT].append(
                f"{number(counts[rules.OVERDUE])} lượt nhiệm vụ đã quá thời hạn mà chưa hoàn thành tại ngày"
                f" {date_vn(on)}; {number(counts[rules.NOT_STARTED])} lượt chưa triển khai."
            )
    met = [f.code for f, is_met in judged if is_met]
    missed = [f.code for f, is_met in judged if not is_met]
    if met:
        facts[synthesis.RESULT].append(
            f"Toàn tỉnh đạt {len(met)}/{len(judged)} chỉ tiêu về giải quyết TTHC tính được từ hệ thống"
            f" ({calendar_label(period)}): {', '.join(met)}."
        )
    if missed:
        facts[synthesis.LIMIT].append(
            f"Chưa đạt các chỉ tiêu {', '.join(missed)} ({calendar_label(period)}, so với mục tiêu hoặc lộ trình"
            " của Kế hoạch)."
        )
    for number_, kind in enumerate((synthesis.RESULT, synthesis.LIMIT, synthesis.CAUSE), start=1):
        part = Section(f"{number_}. {synthesis.KIND_TITLE[kind]}", level=2, key=f"assessment-{kind}")
        for fact in facts.get(kind, []):
            part.add(fact)
        themes = found.by_kind.get(kind, {})
        _themes(part, themes, len(found.units), 3)
        if not part.blocks and not part.children:
            part.add(NO_CONTENT)
        section.children.append(part)
    return section


# --- the 766 table ---------------------------------------------------------------------------------------


def table_766(period: str, progress: Progress | None = None) -> Table766:
    """Every current unit (province, departments, districts, communes) scored on the 766 index for `period`,
    from the stored values in bulk: two queries, whatever the number of units."""
    step = progress or (lambda done, total, message: None)
    end = parse_period(period).end
    units = sorted(Unit.objects.valid_on(end).filter(kind__in=list(LEVEL_766)), key=_sort_key)
    ids = [unit.pk for unit in units]
    stored = figures_many(ids, period)
    entered = entered_many(ids, period)
    catalogue = catalogue_for(parse_period(period).start)
    rows = []
    for number_done, unit in enumerate(units, start=1):
        metrics = metrics766(unit, period, stored.get(unit.pk, {}), entered.get(unit.pk, {}))
        scored = index766(unit, period, metrics)
        rows.append(Row766(unit, scored["groups"], scored["total"], scored["max"], scored["band"]))
        if number_done % 50 == 0:
            step(number_done, len(units), f"{number_done}/{len(units)} đơn vị")
    step(len(units), len(units), f"{len(units)} đơn vị")
    groups = [{"code": code, "name": g["name"], "max": g["max"]} for code, g in catalogue.groups.items()]
    return Table766(period, groups, rows)
