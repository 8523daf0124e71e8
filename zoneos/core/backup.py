"""Backup and restore of a whole ZoneOS: the database and the uploaded files, in one checked archive.

An archive is a tar file holding `manifest.json` (ZoneOS and Django versions, the database vendor, the
migrations applied per app, the row count of every table, the sha256 of every other member),
`manifest.json.sha256`, the database (`database.dump`, pg_dump's custom format, on PostgreSQL;
`database.sqlite3`, a copy made with SQLite's online backup API) and the uploaded files under `media/`.
The counts and migrations describe exactly the copied database: on PostgreSQL they are read in the
snapshot pg_dump copies (`pg_dump --snapshot`), on SQLite from the copy itself. Both copies are taken
while ZoneOS keeps running.

`restore` checks every checksum and that the archive's migrations are all known to this code before it
touches anything, refuses a database that already has tables unless forced, then restores the database
and the files and migrates forward an archive made by an older ZoneOS.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Restored:
    manifest: dict
    counts_after: dict[str, int]
    migrated: list[str] = field(default_factory=list)

    def comparison(self) -> list[tuple[str, int | None, int | None]]:
        """(table, rows in the archive, rows now) for every table of either side, by name."""
        before = self.manifest["row_counts"]
        return [
            (t, before.get(t), self.counts_after.get(t)) for t in sorted(set(before) | set(self.counts_after))
        ]


def zoneos_version() -> str:
    try:
        return importlib.metadata.version("zoneos")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# Tools -------------------------------------------------------------------------------------------------
def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest under /usr/lib/postgresql/*/bin (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]), reverse=True
    )
    if candidates:
        return str(candidates[0])
    raise BackupError(
        f"{name} was not found. Install the PostgreSQL client (Debian: apt-get install postgresql-client)."
    )


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603  (our own arguments)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# What a database holds -----------------------------------------------------------------------------------
def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608  (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied(cursor, vendor: str) -> dict[str, list[str]]:
    if "django_migrations" not in _tables(cursor, vendor):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def table_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return _counts(cursor, connection.vendor)


# Backup ------------------------------------------------------------------------------------------------
def _media_files(root: Path, skip: Path) -> list[tuple[Path, str]]:
    """Every uploaded file, but none under `skip` (backups written inside MEDIA_ROOT are not uploads)."""
    if not root.is_dir():
        return []
    found = []
    skip = skip.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.resolve().is_relative_to(skip):
            found.append((path, str(PurePosixPath(MEDIA, *path.relative_to(root).parts))))
    return found


def _dump_postgresql(connection, target: Path) -> tuple[dict, dict]:
    """pg_dump of the database, with the counts and migrations read in the very snapshot it copies."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, "postgresql")
        applied = _applied(cursor, "postgresql")
        args = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        _run([*args, f"--snapshot={snapshot}", f"--file={target}"], _pg_env(connection.settings_dict))
    return counts, applied


def _copy_sqlite(connection, target: Path) -> tuple[dict, dict]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent database while others keep writing to it.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return _counts(cursor, "sqlite"), _applied(cursor, "sqlite")
    finally:
        copy.close()


def create(output_dir: Path, alias: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict]:
    """Write one archive of the database and the uploaded files into `output_dir`; its path and manifest."""
    connection = connections[alias]
    if connection.vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"zoneos-backup-{stamp}-{connection.vendor}.tar"
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            database = work / PG_DUMP
            counts, applied = _dump_postgresql(connection, database)
        else:
            database = work / SQLITE_COPY
            counts, applied = _copy_sqlite(connection, database)
        members = [(database, database.name), *_media_files(Path(settings.MEDIA_ROOT), output_dir)]
        manifest = {
            "format": FORMAT,
            "zoneos_version": zoneos_version(),
            "django_version": django.get_version(),
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "member": database.name},
            "migrations": applied,
            "row_counts": counts,
            "files": {name: sha256_file(path) for path, name in members},
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        partial = archive.with_name(archive.name + ".part")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, body)
            _add_bytes(tar, MANIFEST_SUM, hashlib.sha256(body).hexdigest().encode())
            for path, name in members:
                tar.add(path, arcname=name, recursive=False)
        # Renamed only when whole: an interrupted backup never leaves a file that looks like an archive.
        partial.rename(archive)
    return archive, manifest


def _add_bytes(tar: tarfile.TarFile, name: str, body: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(body))


# Restore -----------------------------------------------------------------------------------------------
def _safe_member(name: str) -> bool:
    """Only the names ZoneOS writes, and nothing that would land outside the restore's folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return name in {PG_DUMP, SQLITE_COPY} or (len(path.parts) > 1 and path.parts[0] == MEDIA)


def read_manifest(archive: Path) -> dict:
    """The archive's manifest, after checking it and every member against their sha256."""
    try:
        with tarfile.open(archive, "r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in members or MANIFEST_SUM not in members:
                raise BackupError(f"{archive} is not a ZoneOS backup: it has no manifest.")
            body = tar.extractfile(members[MANIFEST]).read()
            expected = tar.extractfile(members[MANIFEST_SUM]).read().decode("ascii", "replace").strip()
            if hashlib.sha256(body).hexdigest() != expected:
                raise BackupError(f"{archive} is damaged: its manifest does not match its checksum.")
            manifest = json.loads(body)
            if manifest.get("format") != FORMAT:
                raise BackupError(
                    f"{archive} has archive format {manifest.get('format')}, this ZoneOS reads {FORMAT}."
                )
            files = manifest["files"]
            extra = sorted(set(members) - set(files) - {MANIFEST, MANIFEST_SUM})
            missing = sorted(set(files) - set(members))
            if extra or missing:
                raise BackupError(
                    f"{archive} is damaged: members missing {missing or '-'}, "
                    f"members not in the manifest {extra or '-'}."
                )
            for name, digest in files.items():
                member = members[name]
                if not member.isfile() or not _safe_member(name):
                    raise BackupError(f"{archive} is damaged: {name} is not a file ZoneOS writes.")
                handle = tar.extractfile(member)
                actual = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    actual.update(chunk)
                if actual.hexdigest() != digest:
                    raise BackupError(
                        f"{archive} is damaged: {name} does not match its sha256 in the manifest."
                    )
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise BackupError(f"{archive} cannot be read as a ZoneOS backup: {exc}") from exc
    return manifest


def check_migrations(manifest: dict) -> list[str]:
    """Refuse an archive made by a newer ZoneOS; the migrations this code would apply after restoring."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(archived - known)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise BackupError(
            f"This archive was made by a newer ZoneOS (version {manifest.get('zoneos_version')}): its "
            f"database has migrations this code does not know ({listed}{more}). Restore it with that "
            "version or a later one."
        )
    return [f"{app}.{name}" for app, name in sorted(known - archived)]


def _has_tables(connection) -> bool:
    with connection.cursor() as cursor:
        return bool(_tables(cursor, connection.vendor))


def _empty_postgresql(connection) -> None:
    """Drop every table, view and free sequence of the schema (a sequence of a column goes with it)."""
    kinds = [(["r", "p"], "TABLE"), (["v"], "VIEW"), (["m"], "MATERIALIZED VIEW"), (["S"], "SEQUENCE")]
    with connection.cursor() as cursor:
        for relkinds, kind in kinds:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind::text = ANY(%s)",
                [relkinds],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP {kind} IF EXISTS {_quote(name)} CASCADE")


def _restore_postgresql(connection, dump: Path) -> None:
    connection.close()
    args = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    env = _pg_env(connection.settings_dict)
    _run([*args, f"--dbname={connection.settings_dict['NAME']}", str(dump)], env)


def _restore_sqlite(connection, copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        # Replaces every page of the target, whatever it held, in one step that others see whole.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def restore(archive: Path, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS, migrate=None) -> Restored:
    """Check the archive, then put its database and files in place and migrate forward."""
    manifest = read_manifest(archive)
    pending = check_migrations(manifest)
    connection = connections[alias]
    vendor = manifest["database"]["vendor"]
    expected_member = {"postgresql": PG_DUMP, "sqlite": SQLITE_COPY}.get(vendor)
    if expected_member is None or manifest["database"].get("member") != expected_member:
        raise BackupError(f"{archive} names no database ZoneOS can restore ({vendor}).")
    if vendor != connection.vendor:
        raise BackupError(
            f"This archive holds a {vendor} database; the configured database is {connection.vendor}. "
            "Restore it into a database of the same kind."
        )
    if _has_tables(connection) and not force:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty. Restore into a new database, or "
            "pass --force to replace everything it holds."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="zoneos-restore-") as work:
        work = Path(work)
        with tarfile.open(archive, "r:") as tar:
            tar.extractall(
                work, members=[m for m in tar.getmembers() if m.name in manifest["files"]], filter="data"
            )
        # The extracted copy is what gets restored: check it once more, after the extraction.
        for name, digest in manifest["files"].items():
            if sha256_file(work / name) != digest:
                raise BackupError(f"{archive} is damaged: {name} changed while it was extracted.")
        database = work / manifest["database"]["member"]
        if vendor == "postgresql":
            if force:
                _empty_postgresql(connection)
            _restore_postgresql(connection, database)
        else:
            _restore_sqlite(connection, database)
        media = work / MEDIA
        if media.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    if pending and migrate is not None:
        migrate()
    return Restored(manifest=manifest, counts_after=table_counts(alias), migrated=pending)
