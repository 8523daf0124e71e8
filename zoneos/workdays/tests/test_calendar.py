"""Working-day arithmetic over the seeded calendar: the yearly counts (251, 248 and 248 working days in
2024, 2025 and 2026), the Spring Festival and National Day of 2026, 次日起 counting, years without data,
and the cache."""

import datetime

import chinese_calendar
import pytest
from django.core.cache import cache
from django.db import transaction

from zoneos.workdays import calendar
from zoneos.workdays.calendar import CalendarMissing, add_working_days, is_working_day, working_days_between
from zoneos.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def test_working_days_per_year_match_the_official_counts():
    assert working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_every_day_of_the_seeded_years_matches_the_package(django_assert_max_num_queries):
    day, last = D(2004, 1, 1), D(2026, 12, 31)
    differ = []
    with django_assert_max_num_queries(1):
        while day <= last:
            if is_working_day(day) != chinese_calendar.is_workday(day):
                differ.append(day)
            day += datetime.timedelta(days=1)
    assert differ == []
    assert CalendarYear.objects.filter(complete=True).count() == 2026 - 2004 + 1


def test_crossing_the_2026_spring_festival():
    # Off 02-15 to 02-23; Saturday 02-14 and Saturday 02-28 are working days.
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    assert not any(is_working_day(D(2026, 2, d)) for d in range(15, 24))
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 12), 7) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 28), 1) == D(2026, 3, 2)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert working_days_between(D(2026, 2, 1), D(2026, 2, 28)) == 16  # 10 + 14th + 24th-27th + 28th


def test_crossing_the_2026_mid_autumn_festival_and_national_day():
    # Mid-autumn Friday 09-25 to Sunday 09-27 off; National Day 10-01 to 10-07 off; Sunday 09-20 and
    # Saturday 10-10 are working days.
    assert add_working_days(D(2026, 9, 25), 1) == D(2026, 9, 28)
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_the_2025_adjusted_weekends_are_working_days():
    adjusted = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
    assert all(day.weekday() >= 5 for day in adjusted)
    assert [is_working_day(day) for day in adjusted] == [True] * 5
    assert not is_working_day(D(2025, 1, 28))  # 除夕, a statutory holiday since 2025
    assert not is_working_day(D(2025, 5, 2))
    names = dict(CalendarDay.objects.filter(date__in=adjusted).values_list("date", "name"))
    assert names[D(2025, 1, 26)] == "春节" and names[D(2025, 9, 28)] == "国庆节"


def test_counting_starts_the_next_day_unless_told_otherwise():
    monday, saturday = D(2026, 3, 2), D(2026, 3, 7)
    assert add_working_days(monday, 1) == D(2026, 3, 3)
    assert add_working_days(monday, 1, from_next_day=False) == monday
    assert add_working_days(monday, 3, from_next_day=False) == D(2026, 3, 4)
    assert add_working_days(saturday, 1) == D(2026, 3, 9)
    assert add_working_days(saturday, 1, from_next_day=False) == D(2026, 3, 9)
    # Zero days: the day itself when people work on it, else the next working day.
    assert add_working_days(monday, 0) == monday
    assert add_working_days(saturday, 0) == D(2026, 3, 9)
    assert add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 15), 0, from_next_day=False) == D(2026, 2, 24)


def test_working_days_between_is_the_inverse_of_adding():
    for start in (D(2026, 1, 1), D(2026, 2, 13), D(2026, 9, 24), D(2025, 12, 27)):
        for n in range(1, 40):
            due = add_working_days(start, n)
            assert working_days_between(start, due) == n, (start, n)
            assert working_days_between(due, start) == -n
    assert working_days_between(D(2026, 5, 6), D(2026, 5, 6)) == 0
    # Nothing but a holiday or a weekend in between: no working day has passed.
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    everything = chinese_calendar.get_workdays(D(2004, 1, 2), D(2026, 12, 31))
    assert working_days_between(D(2004, 1, 1), D(2026, 12, 31)) == len(everything)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)
    with pytest.raises(TypeError):
        add_working_days(datetime.datetime(2026, 3, 2, 9), 1)
    with pytest.raises(TypeError):
        is_working_day("2026-03-02")


def test_a_year_without_official_data_is_refused():
    with pytest.raises(CalendarMissing) as missing:
        is_working_day(D(2027, 1, 4))
    assert missing.value.year == 2027
    assert "no data for 2027" in str(missing.value)
    assert "State Council" in str(missing.value)
    with pytest.raises(CalendarMissing) as crossing:
        add_working_days(D(2026, 12, 30), 5)
    assert crossing.value.year == 2027
    with pytest.raises(CalendarMissing):
        working_days_between(D(2026, 12, 1), D(2027, 1, 5))
    with pytest.raises(CalendarMissing):
        add_working_days(D(1, 1, 1), 1, from_next_day=False)
    with pytest.raises(CalendarMissing):
        add_working_days(D(9999, 12, 30), 1)
    with pytest.raises(CalendarMissing) as before:
        working_days_between(D(2003, 12, 1), D(2004, 1, 5))
    assert before.value.year == 2003
    # The last days of the last known year still count.
    assert add_working_days(D(2026, 12, 29), 2) == D(2026, 12, 31)
    assert working_days_between(D(2026, 12, 31), D(2026, 12, 31)) == 0


def test_a_year_that_is_not_marked_complete_is_refused():
    CalendarYear.objects.filter(year=2026).update(complete=False)
    calendar.invalidate()  # `update()` sends no signal
    with pytest.raises(CalendarMissing):
        add_working_days(D(2026, 3, 2), 1)
    assert add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)


def test_the_calendar_is_read_once_then_held(django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert add_working_days(D(2004, 1, 2), 5000) > D(2023, 1, 1)
    with django_assert_num_queries(0):
        for month in range(1, 13):
            add_working_days(D(2026, month, 1), 15)
            working_days_between(D(2025, month, 1), D(2026, month, 1))
            is_working_day(D(2024, month, 5))


def test_a_change_made_by_another_process_is_seen_after_the_recheck(monkeypatch):
    monday = D(2026, 3, 2)
    assert is_working_day(monday)
    # Another process adds a holiday: no signal reaches this process, which keeps its copy a while.
    CalendarDay.objects.bulk_create([CalendarDay(date=monday, kind="holiday", name="测试")])
    assert is_working_day(monday)
    # That process's commit bumped the shared version; the next check finds it and reads again.
    cache.set(calendar.VERSION_KEY, "changed elsewhere")
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    assert not is_working_day(monday)


def test_a_rolled_back_change_does_not_linger(world):
    from zoneos.workdays import services

    monday = D(2026, 3, 2)
    assert is_working_day(monday)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_day(monday, "holiday", by=world.users["admin"], name="撤销")
        assert not is_working_day(monday)  # the transaction sees its own change
        raise RuntimeError
    assert is_working_day(monday)
    assert add_working_days(D(2026, 3, 1), 1) == monday
