"""Warn of replies due today, mark overdue appeals and escalate them (`--loop SECONDS` keeps sweeping;
production runs it from cron or a task worker every few minutes)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from zoneos.appeals.services import sweep


class Command(BaseCommand):
    help = "Sweep open appeals: deadline warnings, overdue marks and escalation."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="Sweep again every this many seconds.")
        parser.add_argument("--now", help="Sweep as of this ISO date-time (for replaying a day).")

    def handle(self, *args, loop: int = 0, now: str | None = None, **options):
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {now}") from exc
            if moment.tzinfo is None:
                raise CommandError("--now: give the time zone, e.g. 2026-03-06T18:00:00+08:00")
        while True:
            done = sweep(moment)
            summary = ", ".join(f"{key}={count}" for key, count in sorted(done.items())) or "nothing due"
            self.stdout.write(f"appeals sweep: {summary}")
            if not loop:
                return
            time.sleep(loop)
