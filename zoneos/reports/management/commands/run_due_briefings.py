"""Queue the briefings that schedules are due (last month's, from each schedule's day on). The scheduler
(`manage.py scheduler`) runs the same every hour; running it more often, or on several machines, makes
nothing twice. This command is for a run by hand, or as of another day with `--date`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from zoneos.reports.services import run_due


class Command(BaseCommand):
    help = "Queue last month's briefing of every schedule whose day has come (idempotent per month)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        created = run_due(today)
        for briefing in created:
            self.stdout.write(f"Queued {briefing.filename} (schedule {briefing.schedule_id})")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} briefing(s) queued."))
