"""Run the periodic jobs the apps declare (their `schedule.py`), until SIGTERM or Ctrl-C: the job that is
running is finished first. Several schedulers may run at once (on several machines): each due run is
claimed by one of them. `--once` runs what is due now and exits; `--list` shows the declared jobs."""

import signal

from django.core.management.base import BaseCommand, CommandError

from zoneos.scheduler import registry
from zoneos.scheduler.runner import Scheduler


class Command(BaseCommand):
    help = "Run the declared periodic jobs (appeal sweeps, briefings, deliveries, the worker heartbeat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit.")
        parser.add_argument("--list", action="store_true", help="List the declared jobs and exit.")
        parser.add_argument(
            "--tick", type=float, default=5.0, help="Seconds between two looks at what is due (default 5)."
        )

    def handle(self, *args, once=False, list=False, tick=5.0, **options):  # noqa: A002
        if tick <= 0:
            raise CommandError("--tick must be a positive number of seconds")
        jobs = registry.jobs()
        if list:
            for job in jobs.values():
                self.stdout.write(f"{job.name}\tevery {job.every} s")
            return
        scheduler = Scheduler(jobs, tick=tick)
        if once:
            for run in scheduler.run_pending():
                self.stdout.write(f"{run.job}: {run.outcome} in {run.duration:.3f} s {run.result}".rstrip())
            return

        def stop(signum, frame):
            self.stderr.write(f"{signal.strsignal(signum)}: stopping after the running job.")
            scheduler.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler {scheduler.identity}: {', '.join(jobs)} (every {tick:g} s).")
        self.stdout.flush()
        scheduler.run_forever()
        self.stdout.write("Scheduler stopped.")
