"""The committed holiday file: what the seeding migration loads, and what `update_holidays_file` writes
from the installed chinesecalendar package."""

import datetime
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zoneos.workdays import reference
from zoneos.workdays.models import CalendarDay, CalendarYear

D = datetime.date


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """The command works on a copy of the committed file, which stays as it is."""
    path = tmp_path / "holidays.json"
    shutil.copyfile(reference.PATH, path)
    monkeypatch.setattr(reference, "PATH", path)
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("update_holidays_file", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_migrated_calendar_is_the_file():
    data = reference.read()
    rows = {
        d: (kind, name, source)
        for d, kind, name, source in CalendarDay.objects.values_list("date", "kind", "name", "source")
    }
    assert rows == {d: (kind, name, data.source) for d, (kind, name) in data.days.items()}
    years = set(CalendarYear.objects.values_list("year", "complete", "source"))
    assert years == {(y, True, data.source) for y in data.years}
    # A few days anyone can check against the State Council notices.
    assert rows[D(2026, 2, 17)][:2] == ("holiday", "春节")
    assert rows[D(2026, 2, 14)][:2] == ("workday", "春节")
    assert rows[D(2015, 9, 3)][1].startswith("中国人民抗日战争")


def test_the_file_is_what_the_installed_package_gives(copy):
    committed = copy.read_text(encoding="utf-8")
    out = run()
    assert "No change" in out
    assert copy.read_text(encoding="utf-8") == committed
    assert "matches chinesecalendar" in run("--check")


def test_regenerating_says_what_changed_and_restores_the_file(copy):
    committed = copy.read_text(encoding="utf-8")
    # As if the file had been written before the 2026 notice, and with one day mistyped.
    data = json.loads(committed)
    data["years"] = [2004, 2025]
    data["days"] = [d for d in data["days"] if not d["date"].startswith("2026")]
    national = next(d for d in data["days"] if d["date"] == "2025-10-08")
    national["name"] = "中秋"
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match="differs"):
        run("--check")
    out = run()
    assert "Years: 2004-2025 -> 2004-2026" in out
    assert "+ 2026-02-14 workday 春节" in out
    assert "~ 2025-10-08 holiday 中秋 -> holiday 国庆节" in out
    assert sum(line.startswith("+ 2026-") for line in out.splitlines()) == 39
    assert copy.read_text(encoding="utf-8") == committed
