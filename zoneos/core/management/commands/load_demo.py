from django.core.management.base import BaseCommand

from zoneos.core import demo


class Command(BaseCommand):
    help = "Load (or bring back) the demo zone and its users. Safe to run again."

    def handle(self, *args, **options):
        ctx = demo.load()
        usernames = [demo.SUPERUSER, *ctx.users]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo zone ready: {len(ctx.areas)} areas, {len(ctx.departments)} departments, "
                f"{len(usernames)} users ({ctx.created} records created, {ctx.updated} updated). "
                f"Sign in as any of {', '.join(usernames)} "
                f"with password '{demo.DEMO_PASSWORD}'."
            )
        )
