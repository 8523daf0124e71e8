"""Send every pending notification that is due: those whose task was lost, and the next attempts where
the task backend cannot defer a task. Safe beside the task worker and on several machines at once (each
attempt is claimed by one of them). `--loop` keeps it running, checking every N seconds."""

import time

from django.core.management.base import BaseCommand, CommandError

from zoneos.notifications.models import DeliveryStatus
from zoneos.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send every pending notification that is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            nargs="?",
            type=int,
            const=60,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS (default 60).",
        )

    def handle(self, *args, loop=None, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1")
        while True:
            handled = deliver_due()
            if handled or loop is None:
                counts = {s: sum(n.status == s for n in handled) for s in DeliveryStatus.values}
                self.stdout.write(
                    f"{len(handled)} attempt(s): {counts['sent']} sent, "
                    f"{counts['pending']} to be tried again, {counts['failed']} failed."
                )
            if loop is None:
                return
            time.sleep(loop)
