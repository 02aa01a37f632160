"""The statistics annex of a report as data (data/statistics.yaml): which figures, who fills them, what they measure,
and what time span each covers (`accumulation`)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "statistics.yaml"
COUNT, PERCENT = "count", "percent"
UNIT_KINDS = {"department", "district", "commune"}
REPORT_KINDS = {"Q1", "H1", "Q3", "Y"}
CUMULATIVE, WINDOW = "cumulative", "window"
# Without `accumulation` in the file: a count covers the report's window, a percentage the year so far.
DEFAULT_ACCUMULATION = {COUNT: WINDOW, PERCENT: CUMULATIVE}


@dataclass(frozen=True)
class Statistic:
    code: str
    area: int
    label: str
    label_en: str
    unit: str
    target: str | None
    part_of: str | None
    unit_kinds: tuple[str, ...]
    required: bool
    report_kinds: tuple[str, ...]
    accumulation: str = WINDOW  # cumulative | window (see data/statistics.yaml)

    @property
    def is_cumulative(self) -> bool:
        return self.accumulation == CUMULATIVE

    def covers(self, data_from: dt.date, data_to: dt.date) -> tuple[dt.date, dt.date]:
        """The days a value of this figure covers in a report whose data window is data_from–data_to: the window
        itself, or from the start of the reporting year (15/12 of the year before the cut-off's) to the cut-off."""
        if self.is_cumulative:
            return dt.date(data_to.year - 1, 12, 15), data_to
        return data_from, data_to

    @property
    def display_label(self) -> str:
        return self.label_en if get_language() == "en" and self.label_en else self.label

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT


class DefinitionError(ValueError):
    """The statistics file is inconsistent (unknown unit, a part of a missing whole, …)."""


def parse(text: str) -> list[Statistic]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("format") != "cchc-report-statistics":
        raise DefinitionError("not a cchc-report-statistics file")
    result: list[Statistic] = []
    for number, row in enumerate(data.get("statistics") or [], start=1):
        try:
            stat = Statistic(
                code=str(row["code"]),
                area=int(row["area"]),
                label=str(row["label"]),
                label_en=str(row.get("label_en") or ""),
                unit=str(row["unit"]),
                target=str(row["target"]) if row.get("target") is not None else None,
                part_of=row.get("part_of"),
                unit_kinds=tuple(row["unit_kinds"]),
                required=bool(row.get("required", False)),
                report_kinds=tuple(str(kind) for kind in row["report_kinds"]),
                accumulation=str(row.get("accumulation") or DEFAULT_ACCUMULATION.get(str(row["unit"]), WINDOW)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DefinitionError(f"statistic {number}: missing or wrong field {exc}") from None
        if stat.unit not in (COUNT, PERCENT):
            raise DefinitionError(f"{stat.code}: unit must be count or percent, not {stat.unit!r}")
        if stat.accumulation not in (CUMULATIVE, WINDOW):
            raise DefinitionError(f"{stat.code}: accumulation must be cumulative or window, not {stat.accumulation!r}")
        if set(stat.unit_kinds) - UNIT_KINDS or set(stat.report_kinds) - REPORT_KINDS:
            raise DefinitionError(f"{stat.code}: unknown unit kind or report kind")
        result.append(stat)
    codes = {stat.code: stat for stat in result}
    if len(codes) != len(result):
        raise DefinitionError("duplicate statistic code")
    for stat in result:
        whole = codes.get(stat.part_of) if stat.part_of else None
        if stat.part_of and whole is None:
            raise DefinitionError(f"{stat.code}: part_of names an unknown statistic {stat.part_of!r}")
        if whole and (whole.unit != stat.unit or not set(stat.unit_kinds) <= set(whole.unit_kinds)):
            raise DefinitionError(f"{stat.code}: a part must have its whole's unit and be filled by the same units")
        if whole and whole.accumulation != stat.accumulation:
            raise DefinitionError(f"{stat.code}: a part must cover the same time span as its whole")
    return result


@functools.cache
def all_statistics() -> tuple[Statistic, ...]:
    return tuple(parse(DATA_FILE.read_text("utf-8")))


def target_statistics(target: str, statistics=None) -> list[Statistic]:
    """The figures tied to a plan target, in the file's order (e.g. 5.1a: every group of units that covers its
    recurrent spending — with or without its investment spending — over their whole, the public service units)."""
    return [stat for stat in (statistics if statistics is not None else all_statistics()) if stat.target == target]


def statistics_for(unit_kind: str, report_kind: str, statistics=None) -> list[Statistic]:
    """The figures a unit of `unit_kind` enters in a report of `report_kind`, in the file's order."""
    return [
        stat
        for stat in (statistics if statistics is not None else all_statistics())
        if unit_kind in stat.unit_kinds and report_kind in stat.report_kinds
    ]
