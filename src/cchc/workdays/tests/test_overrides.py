import datetime as dt

from cchc.workdays.models import DayOverride, calendar_for


def test_the_shipped_make_up_saturday_is_a_working_day(plan_2023):
    assert DayOverride.objects.get(date=dt.date(2023, 5, 6)).kind == DayOverride.Kind.WORKING_DAY
    assert calendar_for([2023]).is_working_day(dt.date(2023, 5, 6))


def test_an_administrators_extra_day_off_moves_due_dates(plan_2023):
    DayOverride.objects.create(date=dt.date(2023, 3, 7), kind=DayOverride.Kind.DAY_OFF, note="nghỉ bù")
    calendar = calendar_for([2023])
    assert calendar.add_working_days(dt.date(2023, 3, 6), 1) == dt.date(2023, 3, 8)
