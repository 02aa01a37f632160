import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from cchc.core import clock
from cchc.dashboard import queries, rules
from cchc.indicators.periods import parse_period
from cchc.plans.thresholds import for_level, limit_on

LEVEL_NAMES = {"P": "P", "D": "D", "C": "C", "province": "all"}


def rows(year: int, as_of: dt.date, period_code: str | None = None) -> list[dict]:
    """One object per target and level the plan sets a threshold for, plus level "all" for every target: the same
    values, thresholds and statuses as the dashboard of the province (cchc.dashboard.queries.build)."""
    plan = queries.current_plan(year)
    if plan is None:
        raise CommandError(f"no plan for {year}: run `cchc load_defaults` or `cchc load_plan FILE`")
    period = parse_period(period_code or str(year))
    board = queries.build(None, plan.province, period, today=as_of, plan=plan, as_of=as_of)
    result = []
    for area in board.areas:
        for row in area["rows"]:
            levels = {LEVEL_NAMES[lv]: cell for lv, cell in row.cells.items()}
            for level in ("P", "D", "C", "all"):
                cell = levels.get(level)
                found = board.values.get((row.target.code, level))
                if cell is None and level != "all":
                    continue
                value = found if found is not None and found.value is not None else None
                limit, status = (cell.limit, cell.status) if cell else _whole_province(row, value, board)
                result.append(
                    {
                        "code": row.target.code,
                        "level": level,
                        "source": value.source if value else row.target.value_source,
                        "value": _number(value.value) if value else None,
                        "numerator": _number(value.numerator) if value else None,
                        "denominator": _number(value.denominator) if value else None,
                        "threshold": _number(limit),
                        # level "all" without a whole-province threshold: the levels' common threshold when they all
                        # ask the same, else not judged (never the worst level's status: cchc.plans.thresholds)
                        "status": status,
                        "period": value.period if value else period.code,
                    }
                )
    return result


def _whole_province(row, value, board) -> tuple[float | None, str]:
    threshold = for_level(list(row.target.thresholds.all()), "all")
    if threshold is None or value is None:
        return None, rules.NO_DATA
    limit = limit_on(row.target, threshold, board.period.end)
    return limit, rules.status(value.value, threshold.op, limit, board.year_complete)


def _number(value):
    if value is None:
        return None
    return round(float(value), 4)


class Command(BaseCommand):
    help = "Print every target of the plan per level: source, value, numerator, denominator, threshold, status."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today): what was known that day")
        parser.add_argument("--period", help="2023, 2023S1, 2023Q1 or 202303 (default: the year)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, year: int, as_of: str | None, period: str | None, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else clock.today()
        except ValueError:
            raise CommandError(f"--as-of: {as_of!r} is not a date in the form YYYY-MM-DD") from None
        try:
            found = rows(year, day, period)
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
