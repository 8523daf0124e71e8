from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zoneos.core import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`: checks its checksums and migrations, restores "
        "the database and the uploaded files, migrates forward and compares the row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar file written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that already has tables (otherwise refused).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (checksums and migrations); change nothing.",
        )

    def handle(self, *args, archive, force=False, check=False, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        try:
            if check:
                manifest = backup.read_manifest(archive)
                pending = backup.check_migrations(manifest)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{archive} is whole: {len(manifest['files'])} members match their sha256; "
                        f"made by ZoneOS {manifest['zoneos_version']} on {manifest['database']['vendor']}; "
                        f"{len(pending)} migrations would be applied after restoring."
                    )
                )
                return
            restored = backup.restore(
                archive,
                force=force,
                migrate=lambda: call_command("migrate", interactive=False, verbosity=0),
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            f"Restored {archive}: made {manifest['created_at']} by ZoneOS {manifest['zoneos_version']} "
            f"(Django {manifest['django_version']})."
        )
        if restored.migrated:
            self.stdout.write(f"Migrated forward: {', '.join(restored.migrated)}.")
        width = max((len(t) for t, _a, _b in restored.comparison()), default=5)
        self.stdout.write(f"{'table':<{width}}  {'archive':>9}  {'restored':>9}")
        differ = 0
        for table, before, after in restored.comparison():
            mark = "" if before == after else "  *"
            differ += bool(mark)
            shown = ["-" if n is None else f"{n:,}" for n in (before, after)]
            self.stdout.write(f"{table:<{width}}  {shown[0]:>9}  {shown[1]:>9}{mark}")
        if differ and not restored.migrated:
            raise CommandError(f"{differ} tables differ from the archive's row counts (marked *).")
        summary = f"{len(restored.comparison()) - differ} tables match the archive's row counts"
        if differ:
            summary += f"; {differ} differ after migrating forward (marked *)"
        self.stdout.write(self.style.SUCCESS(summary + "."))
