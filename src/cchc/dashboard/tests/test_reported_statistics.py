"""The targets the dashboard reads from reports use statistics tied to those targets in statistics.yaml."""

from cchc.dashboard.queries import REPORTED
from cchc.reports.statistics import COUNT, PERCENT, all_statistics


def test_every_reported_formula_uses_statistics_of_its_target():
    stats = {s.code: s for s in all_statistics()}
    for target, formula in REPORTED.items():
        assert all(code in stats for code in formula.codes), formula
        for code in (*formula.parts, *((formula.percent,) if formula.percent else ())):
            assert stats[code].target == target, f"{code} is tied to {stats[code].target}, not {target}"
        if formula.percent:
            assert stats[formula.percent].unit == PERCENT
        else:
            assert all(stats[c].unit == COUNT and stats[c].part_of == formula.whole for c in formula.parts)
