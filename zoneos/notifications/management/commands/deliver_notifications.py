"""Send every pending notification that is due: those whose task was lost, and the next attempts where
the task backend cannot defer a task. Safe beside the task worker and on several machines at once (each
attempt is claimed by one of them). The scheduler (`manage.py scheduler`) runs the same every minute;
this command is for a run by hand."""

from django.core.management.base import BaseCommand

from zoneos.notifications.models import DeliveryStatus
from zoneos.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send every pending notification that is due."

    def handle(self, *args, **options):
        handled = deliver_due()
        counts = {s: sum(n.status == s for n in handled) for s in DeliveryStatus.values}
        self.stdout.write(
            f"{len(handled)} attempt(s): {counts['sent']} sent, "
            f"{counts['pending']} to be tried again, {counts['failed']} failed."
        )
