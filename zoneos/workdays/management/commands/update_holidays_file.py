"""`manage.py update_holidays_file [--check]`: rewrite `zoneos/workdays/data/holidays.json` from the
installed chinesecalendar package and say what changed, for a developer to review and commit when a
release brings a new year's notice (`pip install -U chinesecalendar` first). With --check the file is
left alone and the command fails if it differs from the package, e.g. in CI after an upgrade.

The file is what the seeding migration loads; databases already migrated take the new year with
`manage.py seed_workdays --year YYYY`.
"""

from django.core.management.base import BaseCommand, CommandError

from zoneos.workdays import reference


class Command(BaseCommand):
    help = (
        "Regenerate the committed holiday file (zoneos/workdays/data/holidays.json) from the installed "
        "chinesecalendar package and list what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare: list the differences and fail if there are any; write nothing.",
        )

    def handle(self, *args, check=False, **options):
        path = reference.PATH
        old = reference.read(path) if path.exists() else None
        new = reference.from_package()
        changes = reference.changes(old, new)
        for line in changes:
            self.stdout.write(line)
        if check:
            if changes:
                raise CommandError(f"{path} differs from {new.source}: run update_holidays_file.")
            self.stdout.write(self.style.SUCCESS(f"{path} matches {new.source}."))
            return
        if old is not None and path.read_text(encoding="utf-8") == reference.dumps(new):
            self.stdout.write(self.style.SUCCESS(f"No change: {path} already matches {new.source}."))
            return
        reference.write(new, path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {new.source}, {new.first_year}-{new.last_year}, {len(new.days)} days. "
                "Review the diff and commit it."
            )
        )
