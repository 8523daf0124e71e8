"""`manage.py seed_workdays`: loading the calendar from the committed holiday file, again and again."""

import datetime
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from zoneos.workdays import reference, seed, services
from zoneos.workdays.calendar import CalendarMissing, add_working_days, is_working_day
from zoneos.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def run(*args) -> str:
    out = StringIO()
    call_command("seed_workdays", *args, stdout=out)
    return out.getvalue()


def test_the_migration_loaded_every_year_the_file_covers():
    assert list(reference.read().years) == list(range(2004, 2027))
    assert set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)) == set(
        range(2004, 2027)
    )
    assert CalendarDay.objects.count() == len(reference.read().days) == 771
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
    assert "Loaded none" in out and "holidays.json (chinesecalendar 1.11.0) covers 2004-2026" in out
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
    assert (day.kind, day.source) == ("workday", "chinesecalendar 1.11.0")
    latest = LogEntry.objects.get_for_object(day).order_by("-pk").first()
    assert latest.changes["kind"] == ["holiday", "workday"] and latest.actor is None


def test_an_incomplete_year_is_made_to_match_the_file(world):
    admin = world.users["admin"]
    services.mark_year(2025, by=admin, complete=False)
    services.set_day(D(2025, 3, 3), "holiday", by=admin, name="误录")
    out = run("--year", "2025")
    assert "Loaded 2025: 0 days added, 0 changed, 1 removed" in out
    assert not CalendarDay.objects.filter(date=D(2025, 3, 3)).exists()
    assert CalendarYear.objects.get(year=2025).complete
    assert is_working_day(D(2025, 3, 3))


def test_a_year_the_file_does_not_have_is_refused():
    with pytest.raises(CommandError, match="has data for 2004 to 2026 only, not for 2027"):
        run("--year", "2027")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_year_added_to_the_file_is_loaded_whatever_the_installed_package_says(tmp_path, monkeypatch):
    # The file as a reviewed commit would bring it, with a year the installed package does not have yet.
    data = json.loads(reference.PATH.read_text(encoding="utf-8"))
    data["source"] = "chinesecalendar 9.9.9"
    data["years"] = [2004, 2027]
    data["days"] += [
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2027-02-08", "kind": "holiday", "name": "春节"},
        {"date": "2027-02-20", "kind": "workday", "name": "春节"},
    ]
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(reference, "PATH", path)
    out = run("--year", "2027")
    assert "Loaded 2027: 3 days added, 0 changed, 0 removed" in out
    assert CalendarYear.objects.get(year=2027).source == "chinesecalendar 9.9.9"
    # A Saturday worked, a Monday off.
    assert is_working_day(D(2027, 2, 20)) and not is_working_day(D(2027, 2, 8))
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 9)
