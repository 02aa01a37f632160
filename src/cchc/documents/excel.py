"""The Excel files: the statistics annex of the province report and the 766 results table (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cchc.core.text import safe_append
from cchc.documents.queries import (
    KIND_LABEL,
    LEVEL_LABEL,
    QUALITATIVE_LABEL,
    SOURCE_LABEL,
    ProvinceReport,
    Table766,
)
from cchc.formats import XLSX_PERCENT, vietnam_time
from cchc.indicators.periods import vietnamese_label
from cchc.review.models import ReviewState

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
STATE_LABEL = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa gửi"}


def status_label(status: str | None) -> str:
    """A review state in the annex's language (Vietnamese, whatever the generating user's language)."""
    if not status:
        return ""
    with translation.override("vi"):
        return str(ReviewState(status).label)


ANNEX_HEADER = [
    "Lĩnh vực",
    "Mã",
    "Chỉ số",
    "Đơn vị tính",
    "Sở, ban, ngành",
    "Cấp huyện",
    "Cấp xã",
    "Toàn tỉnh",
    "Tỷ lệ (%)",
    "Mục tiêu",
    "Nguồn",
    "Kỳ",
    "Cách tổng hợp",
]


def render_annex(report: ProvinceReport, path: Path | str) -> Path:
    """One long table of every statistic (reported and computed), then the per-unit values and submissions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục số liệu"
    safe_append(sheet, [f"Phụ lục số liệu — {report.subtitle}"])
    sheet["A1"].font = Font(bold=True, size=13)
    safe_append(sheet, [f"Kèm theo Báo cáo số {report.number_symbol} ngày {report.date:%d/%m/%Y} của {report.issuer}"])
    safe_append(sheet, [])
    safe_append(sheet, ANNEX_HEADER)
    header_row = sheet.max_row
    calendar = (
        f"{report.calendar_from:%d/%m/%Y} – {report.calendar_to:%d/%m/%Y} ({vietnamese_label(report.calendar_period)})"
    )
    for total in report.statistics:
        stat = total.stat
        is_percent = stat.is_percent
        if is_percent:  # a range, not a combined value (see queries.combine)
            low, high = _num(total.minimum), _num(total.maximum)
            value = low if low == high else f"{low:g}–{high:g}"
        safe_append(
            sheet,
            [
                stat.area,
                stat.code,
                stat.label,
                "%" if is_percent else "số lượng",
                None if is_percent else _num(total.by_kind.get("department")),
                None if is_percent else _num(total.by_kind.get("district")),
                None if is_percent else _num(total.by_kind.get("commune")),
                value if is_percent else _num(total.total),
                None if total.share is None else round(total.share, 2),
                stat.target or "",
                f"Báo cáo được chấp nhận của {total.units} đơn vị",
                # The days this figure covers: the report's window, or the year so far (statistics.yaml)
                "{:%d/%m/%Y} – {:%d/%m/%Y}".format(*stat.covers(report.period.data_from, report.period.data_to))
                + (" (lũy kế)" if stat.is_cumulative else ""),
                total.method,
            ],
            {7: XLSX_PERCENT, 8: XLSX_PERCENT} if is_percent else {8: XLSX_PERCENT},
        )
    for figure in report.computed:
        goals = "; ".join(
            f"{LEVEL_LABEL.get(level, 'Toàn tỉnh')} {t.get_op_display()} {t.display_value}"
            for level, t in figure.thresholds.items()
        )
        safe_append(
            sheet,
            [
                2,
                figure.code,
                figure.label,
                "%",
                _ratio(figure, "P"),
                _ratio(figure, "D"),
                _ratio(figure, "C"),
                _ratio(figure, "all"),
                _ratio(figure, "all"),
                goals,
                "Hồ sơ TTHC trên Hệ thống thông tin giải quyết TTHC của tỉnh",
                calendar,
                "Tổng số hồ sơ đạt / tổng số hồ sơ (tử số và mẫu số cộng dồn theo cấp).",
            ],
            dict.fromkeys(range(4, 9), XLSX_PERCENT),
        )
    _style(sheet, header_row, [9, 28, 48, 11, 13, 13, 13, 13, 10, 24, 30, 22, 60])

    targets = book.create_sheet("Chỉ tiêu Kế hoạch")
    safe_append(targets, ["Mã", "Chỉ tiêu", "Cấp", "Giá trị (%)", "Tử số", "Mẫu số", "Kết quả", "Nguồn", "Kỳ số liệu"])
    for target, values in report.targets:  # the same values as the dashboard (cchc.targets.queries)
        for level in ("P", "D", "C", "all"):
            value = values[level]
            if value.value is None:
                continue
            safe_append(
                targets,
                [
                    target.code,
                    target.name,
                    LEVEL_LABEL.get(level, "Toàn tỉnh"),
                    None if value.qualitative else round(value.value, 2),
                    None if value.numerator is None else round(value.numerator, 2),
                    None if value.denominator is None else round(value.denominator, 2),
                    QUALITATIVE_LABEL.get(value.qualitative or "", ""),
                    SOURCE_LABEL.get(value.source, value.source),
                    _period_words(value.period),
                ],
                {3: XLSX_PERCENT},
            )
    _style(targets, 1, [8, 48, 14, 12, 12, 12, 20, 30, 26])

    units = book.create_sheet("Theo đơn vị")
    safe_append(units, ["Mã chỉ số", "Chỉ số", "Mã đơn vị", "Đơn vị", "Cấp", "Giá trị"])
    for total in report.statistics:
        for unit, value in total.per_unit:
            safe_append(
                units, [total.stat.code, total.stat.label, unit.code, unit.name, KIND_LABEL[unit.kind], _num(value)]
            )
    _style(units, 1, [28, 48, 10, 36, 16, 12])

    sent = book.create_sheet("Tình hình gửi báo cáo")
    safe_append(sent, ["Mã đơn vị", "Đơn vị", "Cấp", "Tình hình", "Gửi lần đầu", "Trạng thái"])
    for submission in report.submissions:
        safe_append(
            sent,
            [
                submission.unit.code,
                submission.unit.name,
                KIND_LABEL[submission.unit.kind],
                STATE_LABEL[submission.state],
                vietnam_time(submission.submitted_at),  # a date-time cell in Vietnam's time (UTC+7)
                status_label(submission.status),
            ],
        )
    _style(sent, 1, [10, 36, 16, 12, 18, 12])
    return _save(book, path)


def render_766(table: Table766, path: Path | str) -> Path:
    """Units × the 766 groups, with the total, the maximum and the band."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Chỉ số 766 {table.period}"
    safe_append(
        sheet, [f"Kết quả Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) — kỳ {table.period}"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    safe_append(sheet, [])
    safe_append(
        sheet,
        [
            "Mã",
            "Đơn vị",
            "Cấp",
            *(f"{g['name']} (tối đa {g['max']})" for g in table.groups),
            "Tổng điểm",
            "Tối đa",
            "Xếp loại",
        ],
    )
    header_row = sheet.max_row
    for row in table.rows:
        safe_append(
            sheet,
            [
                row.unit.code,
                row.unit.name,
                KIND_LABEL[row.unit.kind],
                *(row.groups.get(g["code"], {}).get("score") for g in table.groups),
                round(row.total, 2),
                row.max,
                row.band or "",
            ],
        )
    _style(sheet, header_row, [10, 36, 16, *([14] * len(table.groups)), 11, 9, 14])
    return _save(book, path)


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(figure, level: str):
    value = figure.ratio(level)
    return None if value is None else round(value, 2)


def _period_words(code: str) -> str:
    """A period code (2023Q1) in words (quý I năm 2023); a report period's title or a survey's is kept as it is."""
    try:
        return vietnamese_label(code)
    except ValueError:
        return code


def _style(sheet, header_row: int, widths: list[int]) -> None:
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def _save(book: Workbook, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
