import datetime as dt

import numpy as np

from cchc.workdays.rules import WorkCalendar

D = dt.date


def test_weekends_tet_and_national_days_are_not_working_days():
    cal = WorkCalendar([2023])
    assert not cal.is_working_day(D(2023, 1, 7))  # Saturday
    assert not cal.is_working_day(D(2023, 1, 23))  # Tết
    assert not cal.is_working_day(D(2023, 9, 4))  # National Day, observed
    assert cal.is_working_day(D(2023, 3, 1))


def test_a_make_up_saturday_works_and_an_extra_day_off_does_not():
    cal = WorkCalendar([2023], extra_days_off=[D(2023, 3, 1)], extra_working_days=[D(2023, 5, 6)])
    assert cal.is_working_day(D(2023, 5, 6))
    assert not cal.is_working_day(D(2023, 3, 1))


def test_the_nth_working_day_after_acceptance():
    cal = WorkCalendar([2023], extra_working_days=[D(2023, 5, 6)])
    assert cal.add_working_days(D(2023, 3, 6), 1) == D(2023, 3, 7)  # Monday → Tuesday
    assert cal.add_working_days(D(2023, 3, 10), 1) == D(2023, 3, 13)  # Friday → Monday
    assert cal.add_working_days(D(2023, 3, 11), 1) == D(2023, 3, 13)  # accepted on a Saturday
    assert cal.add_working_days(D(2023, 1, 19), 3) == D(2023, 1, 31)  # across the Tết break
    # 28/4 (Fri) + 2: 29/4–3/5 off, 6/5 (Sat) worked → 4/5, 5/5
    assert cal.add_working_days(D(2023, 4, 28), 2) == D(2023, 5, 5)
    assert cal.add_working_days(D(2023, 4, 28), 3) == D(2023, 5, 6)
    assert cal.add_working_days(D(2023, 12, 29), 2) == D(2024, 1, 3)  # into the next year
    assert cal.add_working_days(D(2023, 3, 6), 0) == D(2023, 3, 6)


def test_the_vectorised_path_agrees_with_the_scalar_one():
    cal = WorkCalendar([2023])
    days = np.arange(np.datetime64("2023-01-01"), np.datetime64("2023-12-31"), dtype="datetime64[D]")
    n = np.arange(len(days)) % 15
    result = cal.add_working_days_array(days, n)
    for day, steps, due in zip(days[::17], n[::17], result[::17], strict=True):
        assert due.astype(dt.date) == cal.add_working_days(day.astype(dt.date), int(steps))
