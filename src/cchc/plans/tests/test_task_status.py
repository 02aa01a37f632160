import datetime as dt

from cchc.plans.models import Task


def test_a_task_past_its_due_date_and_not_done_is_overdue(plan_2023):
    task = Task.objects.get(plan=plan_2023, code="T1.1")
    assert task.effective_status(on=dt.date(2023, 6, 1)) == "not_started"
    assert task.effective_status(on=dt.date(2024, 1, 1)) == "overdue"
    task.status = Task.Status.DONE
    assert task.effective_status(on=dt.date(2024, 1, 1)) == "done"


def test_status_filter_uses_the_effective_status(plan_2023):
    tasks = Task.objects.filter(plan=plan_2023)
    tasks.filter(code="T1.1").update(status=Task.Status.DONE)
    tasks.filter(code="T1.2").update(status=Task.Status.IN_PROGRESS)
    mid_year = dt.date(2023, 6, 1)
    assert list(tasks.with_status("done", mid_year).values_list("code", flat=True)) == ["T1.1"]
    assert list(tasks.with_status("in_progress", mid_year).values_list("code", flat=True)) == ["T1.2"]
    assert tasks.with_status("overdue", mid_year).count() == 0
    after = dt.date(2024, 1, 1)
    assert tasks.with_status("overdue", after).count() == 47
    assert tasks.with_status("in_progress", after).count() == 0
