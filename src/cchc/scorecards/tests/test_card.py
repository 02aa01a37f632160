"""The scorecard's rules on hand-made values: submissions, task shares, targets, sorting and ranking."""

import datetime as dt

import pytest

from cchc.scorecards import rules

ON = dt.date(2023, 7, 20)
D = dt.date


@pytest.mark.parametrize(
    ("first", "on_time", "due", "expected"),
    [
        (D(2023, 7, 10), True, D(2023, 7, 10), rules.ON_TIME),
        (D(2023, 7, 11), False, D(2023, 7, 10), rules.LATE),
        (D(2023, 7, 11), None, D(2023, 7, 10), rules.LATE),  # no stored verdict: the dates decide
        (D(2023, 7, 10), None, D(2023, 7, 10), rules.ON_TIME),  # on the due day itself
        (None, None, D(2023, 7, 10), rules.NOT_SUBMITTED),
        (None, None, D(2023, 9, 10), rules.NOT_DUE),
        (None, None, ON, rules.NOT_DUE),  # the deadline is today: not missed yet
    ],
)
def test_submission_status(first, on_time, due, expected):
    assert rules.submission_status(first, on_time, due, ON) == expected


def test_task_line_uses_the_units_own_date_and_turns_overdue():
    assert rules.task_line("1.1", None, D(2023, 6, 30), None, ON).status == "overdue"
    assert rules.task_line("1.1", "in_progress", D(2023, 6, 30), D(2023, 9, 30), ON).status == "in_progress"
    assert rules.task_line("1.1", "done", D(2023, 6, 30), None, ON).status == "done"
    assert rules.task_line("1.1", None, D(2023, 12, 31), None, ON).status == "not_started"


def test_share_done_counts_only_tasks_already_due():
    lines = [
        rules.TaskLine("a", "done", D(2023, 3, 31)),
        rules.TaskLine("b", "overdue", D(2023, 6, 30)),
        rules.TaskLine("c", "done", D(2023, 12, 31)),  # done early, not yet due: not in the share
        rules.TaskLine("d", "in_progress", D(2023, 12, 31)),
        rules.TaskLine("e", "not_started", D(2023, 12, 31)),
    ]
    summary = rules.summarise_tasks(lines, ON)
    assert (summary.done, summary.in_progress, summary.overdue, summary.not_started) == (2, 1, 1, 1)
    assert summary.total == 5 and (summary.due, summary.done_of_due) == (2, 1)
    assert summary.share_done == 50.0
    assert rules.summarise_tasks([], ON).share_done is None


def test_target_met_by_operator_and_unjudged_without_value_or_threshold():
    assert rules.TargetResult("2.1", "x", 70.0, op=">=", threshold=70).met is True
    assert rules.TargetResult("2.1", "x", 69.9, op=">=", threshold=70).met is False
    assert rules.TargetResult("2.1", "x", 5.0, op="<=", threshold=10).met is True
    assert rules.TargetResult("2.1", "x", None, op=">=", threshold=70).met is None
    assert rules.TargetResult("2.1", "x", 80.0).met is None


def card(code, score=None, on_time=(), late=0, name=None, overdue=0):
    reports = [rules.Submission(f"Q{i}", "", D(2023, 3, 1), status) for i, status in enumerate(on_time)]
    reports += [rules.Submission(f"L{i}", "", D(2023, 3, 1), rules.LATE) for i in range(late)]
    return rules.Scorecard(
        unit_id=hash(code),
        code=code,
        name=name or f"Unit {code}",
        kind="district",
        year=2023,
        reports=reports,
        tasks=rules.TaskSummary(overdue=overdue),
        index766={} if score is None else {"total": score, "max": 100.0, "band": None},
    )


def test_card_figures():
    k = card("A", 80.0, on_time=[rules.ON_TIME, rules.NOT_SUBMITTED, rules.NOT_DUE], late=1)
    k.agency_plan = rules.Submission("plan", "", D(2023, 1, 31), rules.ON_TIME)
    assert (k.reports_on_time, k.reports_late, k.reports_missing, k.reports_due) == (1, 1, 1, 3)
    assert k.on_time_share == 50.0  # 2 of 4 due (3 reports + the plan)
    k.targets = [
        rules.TargetResult("2.1", "", 80.0, op=">=", threshold=70),
        rules.TargetResult("2.3", "", 10.0, op=">=", threshold=70),
        rules.TargetResult("2.4a", "", None, op=">=", threshold=70),
    ]
    assert (k.targets_met, k.targets_judged, k.targets_share) == (1, 2, 50.0)
    assert card("B").score is None  # nothing scored: no score, not zero


def test_rank_by_score_then_on_time_with_shared_ranks_and_unscored_last():
    cards = [
        card("A", 70.0),
        card("B", 90.0),
        card("C", 70.0),
        card("D", None),
        card("E", 70.0, on_time=[rules.ON_TIME]),
    ]
    rules.rank(cards)
    ranks = {k.code: k.rank for k in cards}
    assert ranks == {"B": 1, "E": 2, "A": 3, "C": 3, "D": None}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("score", ("score", False)), ("-late", ("late", True)), ("", ("rank", False)), ("-bogus", ("rank", False))],
)
def test_parse_sort(value, expected):
    assert rules.parse_sort(value) == expected


def test_sorting_puts_missing_values_last_both_ways():
    cards = [card("A", 50.0), card("B", None), card("C", 90.0)]
    assert [k.code for k in rules.sort_cards(cards, "score", descending=True)] == ["C", "A", "B"]
    assert [k.code for k in rules.sort_cards(cards, "score")] == ["A", "C", "B"]
    named = [card("1", name="Đức Linh"), card("2", name="bắc Bình"), card("3", name="Hàm Tân")]
    assert [k.code for k in rules.sort_cards(named, "name")] == ["2", "3", "1"]
    assert [k.code for k in rules.sort_cards([card("X", overdue=3), card("Y", overdue=1)], "overdue")] == ["Y", "X"]
