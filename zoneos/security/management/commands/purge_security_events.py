"""Delete security events older than ZONEOS_SECURITY_LOG_DAYS (at least 180 days are always kept).

The scheduler runs `zoneos.security.services.purge_old_events` daily; this is the same by hand."""

from django.core.management.base import BaseCommand

from zoneos.security.services import purge_old_events, retention_days


class Command(BaseCommand):
    help = "Delete security events older than ZONEOS_SECURITY_LOG_DAYS."

    def handle(self, *args, **options):
        deleted = purge_old_events()
        self.stdout.write(f"{deleted} security events older than {retention_days()} days deleted.")
