"""The shipped 2023 tasks say what the plan says: recurrence from its own words, agencies it names."""

import re
from pathlib import Path

import pytest
import yaml

from cchc.plans.loading import shipped_plan_path

SEED = Path("/work/shared/seed/000_02767ed0165a52f2.txt")
# "thường xuyên" as "regularly", not the "chi thường xuyên" (recurrent spending) of area 5; "tiếp tục" (continue).
RECURRING_WORDS = re.compile(r"(?<!chi )thường xuyên|tiếp tục", re.IGNORECASE)


def tasks() -> dict[str, dict]:
    plan = yaml.safe_load(shipped_plan_path(2023).read_text("utf-8"))
    return {task["code"]: task for task in plan["tasks"]}


def test_recurrence_follows_the_plans_words_and_nothing_else():
    wrong = {
        code: task["recurring"]
        for code, task in tasks().items()
        if task["recurring"] != bool(RECURRING_WORDS.search(task["text"]))
    }
    assert wrong == {}
    # Hand-checked: "chi thường xuyên" is spending, not recurrence; T3.3 recurs by its "Tiếp tục".
    assert tasks()["T5.1"]["recurring"] is False and tasks()["T3.3"]["recurring"] is True
    assert tasks()["T2.6"]["recurring"] is False  # "Tổ chức tốt việc tiếp nhận…": no recurring word


def test_named_agencies_and_monitors():
    shipped = tasks()
    assert shipped["T6.8"]["monitor"] == "SNV"  # the PAR-index software
    assert shipped["T6.5"]["agencies"] == ["VPUBND"]  # the provincial reporting system
    assert "SKHDT" not in shipped["T2.2"]["agencies"]  # the plan names no agency for T2.2


def test_every_task_text_is_the_seeds():
    if not SEED.exists():  # the seed ships beside the project, not inside it
        pytest.skip(f"{SEED} is not on this machine")
    seed = " ".join(SEED.read_text("utf-8").split())  # the seed wraps some sentences over lines
    missing = [code for code, task in tasks().items() if " ".join(task["text"].split()) not in seed]
    assert missing == []
