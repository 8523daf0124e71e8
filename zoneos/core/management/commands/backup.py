from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zoneos.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar) of the database and the uploaded files, with a manifest of versions, "
        "migrations, row counts and checksums. Safe while ZoneOS is running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder to write the archive into (default: ZONEOS_BACKUP_DIR, var/backups).",
        )

    def handle(self, *args, output=None, **options):
        folder = output or Path(settings.ZONEOS_BACKUP_DIR)
        try:
            archive, manifest = backup.create(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        files = sum(1 for name in manifest["files"] if name.startswith(backup.MEDIA + "/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {archive} ({archive.stat().st_size:,} bytes; "
                f"{manifest['database']['vendor']}, {len(manifest['row_counts'])} tables, {rows:,} rows, "
                f"{files} uploaded files)."
            )
        )
        # The archive's path alone on the last line, for scripts: ARCHIVE=$(manage.py backup | tail -1)
        self.stdout.write(str(archive))
