"""`manage.py seed_workdays [--year Y ...] [--replace]`: load holidays and adjusted working days from the
committed holiday file (zoneos/workdays/data/holidays.json, which `update_holidays_file` writes from the
chinesecalendar package), so a new year's notice is loaded without a migration. Safe to run again."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zoneos.workdays import reference, seed


class Command(BaseCommand):
    help = (
        "Load the working-day calendar from the committed holiday file: every year it covers, or the "
        "years given. Years already complete in the table are kept unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", dest="years", help="A year to load (repeat for several)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Also reload years already complete, replacing edits made since with the file's data.",
        )

    def handle(self, *args, years=None, replace=False, **options):
        try:
            outcome = seed.seed(years, replace=replace)
        except ValidationError as exc:
            raise CommandError(
                " ".join(m for messages in exc.message_dict.values() for m in messages)
            ) from exc
        data = reference.read()
        self.stdout.write(
            self.style.SUCCESS(
                f"{reference.PATH.name} ({data.source}) covers {data.first_year}-{data.last_year}. "
                f"Loaded {_years(outcome.loaded)}: {outcome.created} days added, {outcome.updated} changed, "
                f"{outcome.deleted} removed. Kept as they are (already complete): {_years(outcome.skipped)}."
            )
        )


def _years(years: list[int]) -> str:
    if not years:
        return "none"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))
