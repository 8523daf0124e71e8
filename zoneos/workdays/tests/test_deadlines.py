"""Lenient deadlines for the appeals desk: working days counted from the next day and ending at the close
of office hours, working hours across lunch, evenings and holidays, days elapsed, a pause that moves a
deadline, and the provisional flag for years without official data (2027 today)."""

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from zoneos.workdays.calendar import (
    CalendarMissing,
    Due,
    add_working_days,
    due_in_working_days,
    due_in_working_hours,
    shift_by_working_time,
    working_days_between,
    working_days_elapsed,
)
from zoneos.workdays.hours import parse, working_hours
from zoneos.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def at(year, month, day, hour=0, minute=0, tz=SHANGHAI):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


def on_time(year, month, day, hour=0, minute=0):
    """A Due that is not provisional, for comparing."""
    return Due(at(year, month, day, hour, minute), provisional=False)


# Working days ------------------------------------------------------------------------------------
def test_three_working_days_from_the_friday_before_the_spring_festival():
    # Saturday 02-14 is an adjusted working day (day 1); 02-15 to 02-23 are the holiday; 02-24 is day 2.
    for hour, minute in ((0, 0), (10, 0), (17, 45), (23, 59)):
        due = due_in_working_days(at(2026, 2, 13, hour, minute), 3)
        assert due == on_time(2026, 2, 25, 17, 30), (hour, minute)
        assert due.due.isoformat() == "2026-02-25T17:30:00+08:00"


def test_the_day_of_receipt_is_the_local_day():
    # 17:00 UTC on the 13th is 01:00 on Saturday the 14th in Shanghai: counting starts on the 15th.
    assert due_in_working_days(at(2026, 2, 13, 17, tz=UTC), 3) == on_time(2026, 2, 26, 17, 30)
    assert due_in_working_days(at(2026, 2, 13, 15, 59, tz=UTC), 3) == on_time(2026, 2, 25, 17, 30)


def test_zero_days_is_the_end_of_the_day_of_receipt_or_of_the_next_working_day():
    assert due_in_working_days(at(2026, 3, 2, 16), 0) == on_time(2026, 3, 2, 17, 30)
    assert due_in_working_days(at(2026, 3, 2, 20), 0) == on_time(2026, 3, 2, 17, 30)  # already past
    assert due_in_working_days(at(2026, 3, 7, 10), 0) == on_time(2026, 3, 9, 17, 30)  # a Saturday
    assert due_in_working_days(at(2026, 2, 14, 10), 0) == on_time(2026, 2, 14, 17, 30)  # adjusted Saturday
    assert due_in_working_days(at(2026, 2, 15, 10), 0) == on_time(2026, 2, 24, 17, 30)  # in the holiday


def test_working_days_agree_with_the_strict_count_in_known_years():
    for start in (D(2026, 1, 1), D(2026, 2, 13), D(2026, 9, 24), D(2025, 12, 27)):
        for days in range(0, 30):
            due = due_in_working_days(at(start.year, start.month, start.day, 11), days)
            assert due.due.date() == add_working_days(start, days) and not due.provisional, (start, days)


def test_a_deadline_running_into_a_year_without_data_is_provisional():
    # chinesecalendar stops at 2026. 2027-01-01 is a Friday: by the weekday rule a working day.
    due = due_in_working_days(at(2026, 12, 28, 9), 5)
    assert due == Due(at(2027, 1, 4, 17, 30), provisional=True)
    assert due_in_working_days(at(2026, 12, 28, 9), 3) == on_time(2026, 12, 31, 17, 30)
    assert due_in_working_days(at(2027, 3, 1, 9), 0).provisional
    with pytest.raises(CalendarMissing):  # the strict arithmetic still refuses
        add_working_days(D(2026, 12, 28), 5)


def test_the_rows_entered_for_an_incomplete_year_are_used():
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
    assert due_in_working_days(at(2026, 12, 28, 9), 5) == Due(at(2027, 1, 5, 17, 30), provisional=True)


def test_a_working_day_ends_when_the_last_working_period_ends():
    with override_settings(ZONEOS_WORKING_HOURS=[("08:30", "12:00"), ("14:00", "18:00")]):
        assert due_in_working_days(at(2026, 2, 13, 10), 3) == on_time(2026, 2, 25, 18)
    with override_settings(ZONEOS_WORKING_HOURS=[("00:00", "24:00")]):
        assert due_in_working_days(at(2026, 2, 13, 10), 1) == on_time(2026, 2, 15)  # midnight after 02-14


# Working hours -----------------------------------------------------------------------------------
def test_four_working_hours_from_friday_afternoon_end_on_the_adjusted_saturday():
    # 16:00-17:30 on Friday (1.5 h), then 09:00-11:30 on Saturday 02-14 (2.5 h).
    due = due_in_working_hours(at(2026, 2, 13, 16), 4)
    assert due == on_time(2026, 2, 14, 11, 30)
    assert due.due.isoformat() == "2026-02-14T11:30:00+08:00"


def test_working_hours_cross_lunch_evenings_weekends_and_holidays():
    monday = (2026, 3, 2)
    assert due_in_working_hours(at(*monday, 11), 2) == on_time(*monday, 14, 30)  # 1 h + lunch + 1 h
    assert due_in_working_hours(at(*monday, 12, 30), 1) == on_time(*monday, 14, 30)  # starts after lunch
    assert due_in_working_hours(at(*monday, 7), 1) == on_time(*monday, 10)  # starts at 09:00
    assert due_in_working_hours(at(*monday, 17), 1) == on_time(2026, 3, 3, 9, 30)  # overnight
    assert due_in_working_hours(at(*monday, 9), 7 * 5 + 1) == on_time(2026, 3, 9, 10)  # over the weekend
    assert due_in_working_hours(at(2026, 3, 6, 20), 1) == on_time(2026, 3, 9, 10)  # Friday evening
    # Saturday 02-14 works until 17:30; then the Spring Festival holiday until Tuesday 02-24.
    assert due_in_working_hours(at(2026, 2, 14, 17), 1) == on_time(2026, 2, 24, 9, 30)
    assert due_in_working_hours(at(2026, 2, 16, 10), 1) == on_time(2026, 2, 24, 10)
    # National Day: Wednesday 09-30 to Thursday 10-08.
    assert due_in_working_hours(at(2026, 9, 30, 17), 2) == on_time(2026, 10, 8, 10, 30)


def test_a_deadline_that_uses_up_a_period_is_that_periods_end():
    monday = (2026, 3, 2)
    assert due_in_working_hours(at(*monday, 9), 3) == on_time(*monday, 12)
    assert due_in_working_hours(at(*monday, 9), 7) == on_time(*monday, 17, 30)
    assert due_in_working_hours(at(*monday, 12), 4) == on_time(*monday, 17, 30)


def test_fractions_of_an_hour_and_zero_hours():
    monday = (2026, 3, 2)
    assert due_in_working_hours(at(*monday, 9), Decimal("0.5")) == on_time(*monday, 9, 30)
    assert due_in_working_hours(at(*monday, 11, 45), Decimal("1.25")) == on_time(*monday, 14, 30)
    assert due_in_working_hours(at(*monday, 11, 45), 0.25) == on_time(*monday, 12)
    # Zero hours: the moment counting starts.
    assert due_in_working_hours(at(*monday, 10, 15), 0) == on_time(*monday, 10, 15)
    assert due_in_working_hours(at(*monday, 17, 30), 0) == on_time(2026, 3, 3, 9)


def test_the_answer_is_local_time_whatever_the_time_zone_of_start():
    due = due_in_working_hours(at(2026, 3, 2, 3, tz=UTC), 2)  # 11:00 in Shanghai
    assert due.due.isoformat() == "2026-03-02T14:30:00+08:00"


def test_working_hours_into_a_year_without_data_are_provisional():
    assert due_in_working_hours(at(2026, 12, 31, 16), 1) == on_time(2026, 12, 31, 17)
    assert due_in_working_hours(at(2026, 12, 31, 17), 1) == Due(at(2027, 1, 1, 9, 30), provisional=True)


def test_configured_office_hours_are_used():
    with override_settings(ZONEOS_WORKING_HOURS=[("08:30", "12:00"), ("14:00", "18:00")]):
        assert due_in_working_hours(at(2026, 3, 2, 11), 2) == on_time(2026, 3, 2, 15)
        assert due_in_working_hours(at(2026, 3, 2, 17, 30), 1) == on_time(2026, 3, 3, 9)
    assert due_in_working_hours(at(2026, 3, 2, 11), 2) == on_time(2026, 3, 2, 14, 30)


# Elapsed working days ----------------------------------------------------------------------------
def test_working_days_elapsed_counts_local_days():
    assert working_days_elapsed(at(2026, 2, 13, 10), at(2026, 2, 25, 17, 30)) == 3
    assert working_days_elapsed(D(2026, 2, 13), D(2026, 2, 25)) == 3
    assert working_days_elapsed(D(2026, 2, 25), at(2026, 2, 13, 23)) == -3
    assert working_days_elapsed(at(2026, 3, 2, 9), at(2026, 3, 2, 17)) == 0
    # 16:30 UTC on Friday 03-06 is already Saturday in Shanghai: no working day has passed by Sunday.
    assert working_days_elapsed(at(2026, 3, 6, 16, 30, tz=UTC), D(2026, 3, 8)) == 0
    for start, end in ((D(2025, 12, 20), D(2026, 3, 1)), (D(2026, 9, 1), D(2026, 10, 31))):
        assert working_days_elapsed(start, end) == working_days_between(start, end)


def test_working_days_elapsed_into_a_year_without_data_uses_the_weekday_rule():
    # 12-29, 12-30, 12-31, then Friday 2027-01-01 and Monday 01-04 to Friday 01-08.
    assert working_days_elapsed(D(2026, 12, 28), D(2027, 1, 8)) == 9
    assert working_days_elapsed(D(2027, 1, 8), D(2026, 12, 28)) == -9


# Pauses ------------------------------------------------------------------------------------------
def test_a_pause_moves_the_deadline_by_the_working_time_it_took():
    # Paused Monday 16:00 to Tuesday 10:00: 1.5 h + 1 h. Due Wednesday 17:30 -> Thursday 11:30.
    shifted = shift_by_working_time(at(2026, 3, 4, 17, 30), at(2026, 3, 2, 16), at(2026, 3, 3, 10))
    assert shifted == on_time(2026, 3, 5, 11, 30)
    # Inside one period; across lunch on the same day (11:00-12:00 and 13:30-14:00).
    assert shift_by_working_time(at(2026, 3, 4, 10), at(2026, 3, 2, 9, 10), at(2026, 3, 2, 9, 40)) == (
        on_time(2026, 3, 4, 10, 30)
    )
    assert shift_by_working_time(at(2026, 3, 4, 11), at(2026, 3, 2, 11), at(2026, 3, 2, 14)) == (
        on_time(2026, 3, 4, 14)
    )


def test_a_pause_outside_working_time_moves_nothing():
    due = at(2026, 3, 11, 17, 30)
    assert shift_by_working_time(due, at(2026, 3, 6, 18), at(2026, 3, 9, 9)) == Due(due, False)  # weekend
    assert shift_by_working_time(due, at(2026, 3, 9, 12), at(2026, 3, 9, 13, 30)) == Due(due, False)  # lunch
    assert shift_by_working_time(due, at(2026, 3, 9, 10), at(2026, 3, 9, 10)) == Due(due, False)
    # A due date given in UTC comes back in local time.
    assert shift_by_working_time(
        at(2026, 3, 11, 9, 30, tz=UTC), at(2026, 3, 7), at(2026, 3, 8)
    ).due.isoformat() == ("2026-03-11T17:30:00+08:00")


def test_a_long_pause_counts_whole_working_days():
    # Two weeks, 03-02 09:00 to 03-16 09:00: ten working days of 7 hours.
    due = at(2026, 3, 20, 17, 30)
    shifted = shift_by_working_time(due, at(2026, 3, 2, 9), at(2026, 3, 16, 9))
    assert shifted == due_in_working_hours(due, 70)
    assert shifted.due.date() == add_working_days(D(2026, 3, 20), 10)
    # Over the Spring Festival: 0.5 h on the adjusted Saturday, 0.5 h on 02-24.
    assert shift_by_working_time(at(2026, 3, 2, 10), at(2026, 2, 14, 17), at(2026, 2, 24, 9, 30)) == (
        on_time(2026, 3, 2, 11)
    )


def test_a_pause_measured_or_added_in_a_year_without_data_is_provisional():
    late = shift_by_working_time(at(2026, 12, 31, 17, 30), at(2026, 12, 30, 9), at(2026, 12, 30, 10))
    assert late == Due(at(2027, 1, 1, 10), provisional=True)
    paused_in_2027 = shift_by_working_time(at(2026, 12, 30, 17, 30), at(2027, 1, 4, 9), at(2027, 1, 4, 9))
    assert paused_in_2027 == Due(at(2026, 12, 30, 17, 30), provisional=True)


# Arguments, settings and speed -------------------------------------------------------------------
def test_bad_arguments_are_refused():
    naive = datetime.datetime(2026, 3, 2, 9)
    monday = at(2026, 3, 2, 9)
    with pytest.raises(ValueError, match="timezone-aware"):
        due_in_working_days(naive, 1)
    with pytest.raises(TypeError):
        due_in_working_days(D(2026, 3, 2), 1)
    with pytest.raises(ValueError):
        due_in_working_days(monday, -1)
    with pytest.raises(TypeError):
        due_in_working_days(monday, 1.5)
    with pytest.raises(TypeError):
        due_in_working_hours(monday, True)
    with pytest.raises(TypeError):
        due_in_working_hours(monday, "4")
    for hours in (-1, Decimal("NaN"), Decimal("Infinity"), float("inf")):
        with pytest.raises(ValueError):
            due_in_working_hours(monday, hours)
    with pytest.raises(ValueError, match="before it starts"):
        shift_by_working_time(monday, at(2026, 3, 3, 9), at(2026, 3, 2, 9))
    with pytest.raises(ValueError):
        shift_by_working_time(naive, monday, monday)
    with pytest.raises(ValueError):
        working_days_elapsed(naive, D(2026, 3, 3))


def test_the_office_hours_setting_is_checked():
    assert parse([("09:00", "12:00"), ["13:30", "17:30"]]) == working_hours()
    assert working_hours().length == datetime.timedelta(hours=7)
    for value, problem in (
        ([], "at least one period"),
        ("09:00-12:00", "list of (start, end) pairs"),
        ([("09:00",)], "one period START-END"),
        ([("09:00", "12:00", "13:00")], "one period START-END"),
        ([("9.00", "12:00")], "'9.00' is not a time HH:MM"),
        ([("09:00", "24:01")], "is not a time"),
        ([("09:60", "12:00")], "is not a time"),
        ([("12:00", "09:00")], "does not end after it starts"),
        ([("09:00", "12:00"), ("11:00", "17:00")], "overlaps"),
        ([("13:00", "17:00"), ("09:00", "12:00")], "comes before"),
    ):
        with override_settings(ZONEOS_WORKING_HOURS=value), pytest.raises(ImproperlyConfigured) as bad:
            working_hours()
        assert problem in str(bad.value), value
        assert str(bad.value).startswith("ZONEOS_WORKING_HOURS: ")
        assert '"09:00-12:00,13:30-17:30"' in str(bad.value)


def run_django(environment: dict) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[3]
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ZONEOS_WORKING_HOURS)"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "zoneos.settings", "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_office_hours_come_from_the_environment_and_a_bad_value_stops_the_start():
    good = run_django({"ZONEOS_WORKING_HOURS": "08:30-12:00, 14:00-18:00"})
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "[('08:30', '12:00'), ('14:00', '18:00')]"
    bad = run_django({"ZONEOS_WORKING_HOURS": "09:00-12:00;13:30-17:30"})
    assert bad.returncode != 0
    assert (
        "ImproperlyConfigured: ZONEOS_WORKING_HOURS: '09:00-12:00;13:30-17:30' is not one period"
        in bad.stderr
    )


def test_the_calendar_is_read_once_for_all_deadlines(django_assert_num_queries):
    due_in_working_days(at(2026, 3, 2, 9), 1)
    with django_assert_num_queries(0):
        for month in range(1, 13):
            start = at(2026, month, 3, 15)
            due = due_in_working_days(start, 15)
            due_in_working_hours(start, Decimal("7.5"))
            shift_by_working_time(due.due, start, at(2026, month, 20, 10))
            working_days_elapsed(start, due.due)
        assert due_in_working_days(at(2026, 12, 1), 2000).provisional
        assert due_in_working_hours(at(2026, 12, 1), 16000).provisional
