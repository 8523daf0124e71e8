"""Queue the briefings that schedules are due (last month's, from each schedule's day on). Run it daily
from cron or a systemd timer; running it more often, or on several machines, makes nothing twice.
`--loop` keeps it running and checks every N seconds (for a demo without cron)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from zoneos.reports.services import run_due


class Command(BaseCommand):
    help = "Queue last month's briefing of every schedule whose day has come (idempotent per month)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--loop",
            nargs="?",
            type=int,
            const=60,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS (default 60).",
        )

    def handle(self, *args, date=None, loop=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1")
        while True:
            created = run_due(today)
            for briefing in created:
                self.stdout.write(f"Queued {briefing.filename} (schedule {briefing.schedule_id})")
            if loop is None:
                self.stdout.write(self.style.SUCCESS(f"{len(created)} briefing(s) queued."))
                return
            time.sleep(loop)
