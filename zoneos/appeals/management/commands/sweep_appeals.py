"""Warn of replies due today, mark overdue appeals and escalate them, once. The scheduler
(`manage.py scheduler`) sweeps every five minutes; this command is for a run by hand or replaying a day."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from zoneos.appeals.services import sweep


class Command(BaseCommand):
    help = "Sweep open appeals: deadline warnings, overdue marks and escalation."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Sweep as of this ISO date-time (for replaying a day).")

    def handle(self, *args, now: str | None = None, **options):
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {now}") from exc
            if moment.tzinfo is None:
                raise CommandError("--now: give the time zone, e.g. 2026-03-06T18:00:00+08:00")
        done = sweep(moment)
        summary = ", ".join(f"{key}={count}" for key, count in sorted(done.items())) or "nothing due"
        self.stdout.write(f"appeals sweep: {summary}")
