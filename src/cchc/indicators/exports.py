"""XLSX exports of the metrics page and of the dossiers behind a number (openpyxl, write-only: streamed)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from cchc.core.text import safe_append
from cchc.dossiers.models import Dossier
from cchc.formats import XLSX_PERCENT
from cchc.indicators.drilldown import TIMELINESS
from cchc.indicators.index766 import default_catalogue
from cchc.indicators.overview import Overview
from cchc.indicators.templatetags.indicator_tags import period_label
from cchc.units.models import Unit


def _book() -> Workbook:
    return Workbook(write_only=True)


def level_label(level: str) -> str:
    return {"all": _("All levels"), "P": _("Provincial level"), "D": _("District level")}.get(level, _("Commune level"))


def source_label(source: str) -> str:
    return {"entered": _("entered"), "catalogue": _("procedure catalogue")}.get(source, _("dossiers"))


# Columns (0-based) holding percentages: one decimal, as on the pages.
TARGET_FORMATS = {6: XLSX_PERCENT}
CHILD_FORMATS = {3: XLSX_PERCENT, 4: XLSX_PERCENT, 5: XLSX_PERCENT}


def overview_xlsx(view: Overview) -> bytes:
    book = _book()
    sheet = book.create_sheet(_("Targets"))
    safe_append(sheet, [view.unit.name, view.unit.code, period_label(view.period)])
    safe_append(sheet, [_("Source"), _("Computed from the one-stop system's dossier records"), view.computed_at])
    safe_append(sheet, [])
    safe_append(
        sheet,
        [
            _("Code"),
            _("Target"),
            _("Level"),
            _("Measure"),
            _("Numerator"),
            _("Denominator"),
            _("Ratio (%)"),
            _("Threshold"),
            _("Met"),
        ],
    )
    for row in view.targets:
        safe_append(
            sheet,
            [
                row.code,
                row.name,
                level_label(row.level),
                row.measure,
                row.numerator,
                row.denominator,
                None if row.ratio is None else round(row.ratio, 2),
                row.limit_display or None,
                None if row.met is None else (_("yes") if row.met else _("no")),
            ],
            TARGET_FORMATS,
        )
    sheet = book.create_sheet(_("Decision 766"))
    safe_append(
        sheet,
        [
            _("Code"),
            _("Sub-indicator"),
            _("Group"),
            _("Source"),
            _("Numerator"),
            _("Denominator"),
            _("Ratio (%)"),
            _("Points"),
            _("Maximum"),
        ],
    )
    groups = default_catalogue().groups
    for item in view.metrics766:
        spec, value, scored = item["spec"], item["value"] or {}, item["scored"] or {}
        safe_append(
            sheet,
            [
                spec.code,
                spec.name,
                groups.get(spec.group, {}).get("name", spec.group),
                source_label(spec.source),
                value.get("numerator"),
                value.get("denominator"),
                None if value.get("ratio") is None else round(value["ratio"], 2),
                scored.get("score"),
                scored.get("max"),
            ],
            {6: XLSX_PERCENT},
        )
    safe_append(sheet, [_("Total"), None, None, None, None, None, None, view.index766["total"], view.index766["max"]])
    if view.children:
        sheet = book.create_sheet(_("Units below"))
        safe_append(
            sheet,
            [
                _("Code"),
                _("Unit"),
                _("Dossiers accepted"),
                _("On time (%)"),
                _("Online (%)"),
                _("Routed electronically (%)"),
                _("766 index"),
                _("Band"),
            ],
        )
        for child in view.children:
            safe_append(
                sheet,
                [
                    child.unit.code,
                    child.unit.name,
                    child.accepted,
                    child.on_time,
                    child.online,
                    child.routed,
                    child.index["total"],
                    child.index["band"],
                ],
                CHILD_FORMATS,
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dossiers_xlsx(dossier_ids: list[int], timeliness: dict[int, str], progress=None) -> bytes:
    book = _book()
    sheet = book.create_sheet(_("Dossiers"))
    safe_append(
        sheet,
        [
            _("Dossier code"),
            _("Procedure code"),
            _("Procedure"),
            _("Handling unit"),
            _("Channel"),
            _("Accepted at"),
            _("Appointment date"),
            _("Finished at"),
            _("Status"),
            _("Timeliness"),
        ],
    )
    for start in range(0, len(dossier_ids), 2000):
        chunk = dossier_ids[start : start + 2000]
        rows = Dossier.objects.filter(pk__in=chunk).select_related("procedure", "unit")
        by_id = {d.pk: d for d in rows}
        if progress:
            progress(start, len(dossier_ids))
        for pk in chunk:
            d = by_id[pk]
            safe_append(
                sheet,
                [
                    d.code,
                    d.procedure.code,
                    d.procedure.name,
                    d.unit.name,
                    d.get_channel_display(),
                    _naive(d.accepted_at),
                    _naive(d.due_at),
                    _naive(d.finished_at),
                    d.get_status_display(),
                    timeliness.get(pk, ""),
                ],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_dossiers_export(job, unit_id: int, period: str, metric: str, part: str, level: str | None, filename: str):
    """The job of a large drill-down export: the same rows as the page, written to a file kept for download."""
    import uuid
    from pathlib import Path

    from django.conf import settings

    from cchc.indicators import drilldown

    unit = Unit.objects.get(pk=unit_id)
    ids, marks = drilldown.cached_behind(unit, period, metric, part, level)
    timeliness = {pk: str(drilldown_label(t)) for pk, t in zip(ids, marks, strict=True)}
    data = dossiers_xlsx(ids, timeliness, progress=lambda done, total: job.report(done, total, _("rows written")))
    folder = Path(settings.MEDIA_ROOT) / "exports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    (folder / filename).write_bytes(data)
    return {
        "file": str((folder / filename).relative_to(settings.MEDIA_ROOT)),
        "filename": filename,
        "summary": {"rows": len(ids)},
    }


def drilldown_label(mark):
    return TIMELINESS[mark]


def _naive(moment):
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
