"""The published results as the annex of the province's decision (Word, Decree 30 layout) and as an Excel table.

Both show the index to 2 decimals (the published value); a set not yet published is marked as a draft.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from cchc.core import clock
from cchc.core.text import safe_append
from cchc.documents import decree30
from cchc.formats import XLSX_DECIMAL
from cchc.scoring.computed import vn_number
from cchc.scoring.models import CriteriaSet
from cchc.scoring.queries import results

KIND_TITLE = {
    "department": "các sở, ban, ngành tỉnh",
    "district": "UBND các huyện, thị xã, thành phố",
    "commune": "UBND các xã, phường, thị trấn",
}
PROVINCE = "Bình Thuận"


def vn(value: Decimal | None, decimals: int = 2) -> str:
    """'85,33' (Vietnamese decimal comma), '' for None."""
    return "" if value is None else vn_number(value, decimals)


def signed_delta(value: Decimal | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + vn(value)


def _areas(criteria_set: CriteriaSet) -> list[tuple[str, str]]:
    """(code, title) of the scored areas, in order (bonus and deduction groups have no index of their own)."""
    return list(
        criteria_set.criteria.filter(parent__isnull=True, method="").order_by("order").values_list("code", "title")
    )


def annex_docx(
    criteria_set: CriteriaSet,
    *,
    number_symbol: str = "Số: ……/QĐ-UBND",
    date: dt.date | None = None,
    signer_title: str = "Chủ tịch",
    signer_name: str = "",
) -> bytes:
    """The annex of the decision publishing the index: the ranking, then the index per area."""
    rows = results(criteria_set)
    date = date or (timezone.localdate(criteria_set.published_at) if criteria_set.published_at else clock.today())
    subtitle = f"Kết quả Chỉ số cải cách hành chính năm {criteria_set.year} của {KIND_TITLE[criteria_set.kind]}"
    if not criteria_set.is_published:
        subtitle += " (DỰ THẢO)"
    doc = decree30.new_document(
        issuer_parent="",
        issuer=f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE.upper()}",
        number_symbol=number_symbol,
        place=PROVINCE,
        date=date,
        title="PHỤ LỤC",
        subtitle=subtitle,
    )
    decree30.add_paragraph(
        doc,
        f"(Kèm theo Quyết định {number_symbol.removeprefix('Số: ')} ngày {date:%d/%m/%Y} của UBND tỉnh {PROVINCE})",
        italic=True,
    )
    decree30.add_heading(doc, "I. Xếp hạng", level=1)
    decree30.add_table(
        doc,
        ["Xếp hạng", "Đơn vị", "Điểm đạt", "Điểm tối đa áp dụng", "Chỉ số (%)", "Xếp loại", "So với năm trước"],
        [
            [
                row["rank"],
                row["unit_name"],
                vn(row["points"] + row["bonus"] - row["deduction"]),
                vn(row["maximum"]),
                vn(row["shown"]),
                row["band"] or "",
                signed_delta(row["delta"]),
            ]
            for row in rows
        ],
        widths=[1.6, 5.0, 1.8, 2.0, 1.8, 2.0, 1.8],
        size=11,
    )
    areas = _areas(criteria_set)
    decree30.add_heading(doc, "II. Chỉ số thành phần theo lĩnh vực (%)", level=1)
    decree30.add_table(
        doc,
        ["Đơn vị", *[code for code, _title in areas]],
        [[row["unit_name"], *[vn(row["areas"].get(code)) for code, _title in areas]] for row in rows],
        size=9,
    )
    for code, title in areas:
        decree30.add_paragraph(doc, f"{code}. {title}", italic=True)
    decree30.finish(
        doc,
        recipients=[
            "Bộ Nội vụ (báo cáo)",
            "Thường trực Tỉnh ủy, HĐND tỉnh",
            "Các cơ quan, đơn vị tại Phụ lục",
            "Lưu: VT, SNV",
        ],
        signer_title=signer_title,
        signer_name=signer_name,
        on_behalf="TM. ỦY BAN NHÂN DÂN",
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def results_xlsx(criteria_set: CriteriaSet) -> bytes:
    """One sheet: rank, unit, points, applicable maximum, bonus, deduction, index, band, last year, change and the
    index of each area; numbers are stored as numbers (index rounded to the published 2 decimals)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = results(criteria_set)
    areas = _areas(criteria_set)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Chỉ số CCHC {criteria_set.year}"
    title = f"Kết quả Chỉ số cải cách hành chính năm {criteria_set.year} của {KIND_TITLE[criteria_set.kind]}"
    safe_append(sheet, [title + ("" if criteria_set.is_published else " (DỰ THẢO)")])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [
        "Xếp hạng",
        "Mã đơn vị",
        "Đơn vị",
        "Điểm đạt",
        "Điểm tối đa áp dụng",
        "Điểm thưởng",
        "Điểm trừ",
        "Chỉ số (%)",
        "Xếp loại",
        f"Chỉ số {criteria_set.year - 1}",
        "Thay đổi",
        *[f"Lĩnh vực {code}" for code, _title in areas],
    ]
    safe_append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    def number(value):
        return float(value.quantize(Decimal("0.01"))) if value is not None else None

    for row in rows:
        safe_append(
            sheet,
            [
                row["rank"],
                row["unit_code"],
                row["unit_name"],
                number(row["points"] + row["bonus"] - row["deduction"]),
                number(row["maximum"]),
                number(row["bonus"]),
                number(row["deduction"]),
                float(row["shown"]) if row["shown"] is not None else None,
                row["band"],
                number(row["previous_index"]),
                number(row["delta"]),
                *[number(row["areas"].get(code)) for code, _title in areas],
            ],
        )
    for line in sheet.iter_rows(min_row=3, min_col=4):
        for cell in line:
            if isinstance(cell.value, float):
                cell.number_format = XLSX_DECIMAL
    sheet.column_dimensions["C"].width = 40
    sheet.freeze_panes = "D3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
