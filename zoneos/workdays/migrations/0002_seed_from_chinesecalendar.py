"""Load the holidays and adjusted working days of every year the installed chinesecalendar package
covers (2004-2026 in release 1.11) and mark those years complete, so a fresh database counts working
days at once. Later years come with `manage.py seed_workdays` or the admin (a frozen copy of
`zoneos.workdays.seed`: a migration does not import code that may change)."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def load(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    db = schema_editor.connection.alias
    source = f"chinesecalendar {chinese_calendar.__version__}"
    years = range(min(holidays).year, max(holidays).year + 1)
    known = set(CalendarYear.objects.using(db).values_list("year", flat=True))
    taken = set(CalendarDay.objects.using(db).values_list("date", flat=True))
    days = {d: ("holiday", NAMES.get(n, n)) for d, n in holidays.items()}
    days.update({d: ("workday", NAMES.get(n, n)) for d, n in workdays.items()})
    CalendarDay.objects.using(db).bulk_create(
        [
            CalendarDay(date=d, kind=kind, name=name, source=source)
            for d, (kind, name) in sorted(days.items())
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
