"""Load the holidays and adjusted working days of the years in the committed reference file
`zoneos/workdays/data/holidays.json` (2004-2026, written from chinesecalendar 1.11.0) and mark those
years complete, so a fresh database counts working days at once, and the same days whatever package
release is installed. Later years come with `manage.py seed_workdays` or the admin.

Until issue 14 this migration read the installed package directly; the file holds exactly what 1.11.0
gave (same dates, kinds, names and source), so databases migrated either way have the same rows. It reads
the file itself rather than through `zoneos.workdays.reference`: a migration does not import code that
may change."""

import datetime
import json
from pathlib import Path

from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "data" / "holidays.json"


def load(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    db = schema_editor.connection.alias
    data = json.loads(FILE.read_text(encoding="utf-8"))
    source = data["source"]
    first, last = data["years"]
    years = range(first, last + 1)
    known = set(CalendarYear.objects.using(db).values_list("year", flat=True))
    taken = set(CalendarDay.objects.using(db).values_list("date", flat=True))
    days = [(datetime.date.fromisoformat(d["date"]), d["kind"], d["name"]) for d in data["days"]]
    CalendarDay.objects.using(db).bulk_create(
        [
            CalendarDay(date=d, kind=kind, name=name, source=source)
            for d, kind, name in sorted(days)
            if d.year not in known and d not in taken
        ],
        batch_size=500,
    )
    CalendarYear.objects.using(db).bulk_create(
        [CalendarYear(year=y, complete=True, source=source) for y in years if y not in known]
    )


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("workdays", "CalendarDay").objects.using(db).filter(source__startswith="chinesecalendar ").delete()
    apps.get_model("workdays", "CalendarYear").objects.using(db).filter(source__startswith="chinesecalendar ").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
