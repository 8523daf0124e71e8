"""`manage.py seed_workdays`: loading the calendar from the installed package, again and again."""

import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from zoneos.workdays import seed, services
from zoneos.workdays.calendar import CalendarMissing, add_working_days, is_working_day
from zoneos.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def run(*args) -> str:
    out = StringIO()
    call_command("seed_workdays", *args, stdout=out)
    return out.getvalue()


def test_the_migration_loaded_every_year_the_package_covers():
    assert list(seed.package_years()) == list(range(2004, 2027))
    assert set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)) == set(
        range(2004, 2027)
    )
    assert CalendarDay.objects.count() == len(seed.package_days(range(2004, 2027)))
    assert CalendarDay.objects.get(date=D(2015, 9, 3)).name.startswith("中国人民抗日战争")
    assert set(CalendarDay.objects.values_list("name", flat=True)) == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
    }


def test_seeding_again_changes_nothing():
    before = list(CalendarDay.objects.values_list("pk", "date", "kind", "name", "source", "updated_at"))
    logged = LogEntry.objects.count()
    out = run()
    assert "Loaded none" in out and "2004-2026" in out
    assert (
        list(CalendarDay.objects.values_list("pk", "date", "kind", "name", "source", "updated_at")) == before
    )
    assert LogEntry.objects.count() == logged


def test_a_lost_year_is_loaded_again_with_its_history(django_assert_max_num_queries):
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(CalendarMissing):
        add_working_days(D(2026, 2, 13), 1)
    with django_assert_max_num_queries(15):
        out = run("--year", "2026")
    assert "Loaded 2026: 39 days added, 0 changed, 0 removed" in out
    assert CalendarYear.objects.get(year=2026).complete
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    spring = CalendarDay.objects.get(date=D(2026, 2, 14))
    entry = LogEntry.objects.get_for_object(spring).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor is None
    assert entry.changes["kind"] == [None, "workday"] and entry.changes["name"] == [None, "春节"]


def test_a_whole_reload_is_a_few_bulk_queries(django_assert_max_num_queries):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    with django_assert_max_num_queries(15):
        outcome = seed.seed()
    assert outcome.loaded == list(range(2004, 2027)) and outcome.created == 771
    assert CalendarDay.objects.count() == 771


def test_an_administrators_correction_is_kept_unless_replaced(world):
    admin = world.users["admin"]
    services.set_day(D(2026, 10, 10), "holiday", by=admin, name="国庆节", source="更正")
    assert "Kept as they are (already complete): 2026" in run("--year", "2026")
    assert not is_working_day(D(2026, 10, 10))
    out = run("--year", "2026", "--replace")
    assert "Loaded 2026: 0 days added, 1 changed, 0 removed" in out
    assert is_working_day(D(2026, 10, 10))
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (day.kind, day.source) == ("workday", seed.package_source())
    latest = LogEntry.objects.get_for_object(day).order_by("-pk").first()
    assert latest.changes["kind"] == ["holiday", "workday"] and latest.actor is None


def test_an_incomplete_year_is_made_to_match_the_package(world):
    admin = world.users["admin"]
    services.mark_year(2025, by=admin, complete=False)
    services.set_day(D(2025, 3, 3), "holiday", by=admin, name="误录")
    out = run("--year", "2025")
    assert "Loaded 2025: 0 days added, 0 changed, 1 removed" in out
    assert not CalendarDay.objects.filter(date=D(2025, 3, 3)).exists()
    assert CalendarYear.objects.get(year=2025).complete
    assert is_working_day(D(2025, 3, 3))


def test_a_year_the_package_does_not_have_is_refused():
    with pytest.raises(CommandError, match="2027"):
        run("--year", "2027")
    assert not CalendarYear.objects.filter(year=2027).exists()
