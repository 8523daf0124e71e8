"""`manage.py backup` and `restore` as an operator runs them: the demo zone backed up, restored into a fresh
database, and every table compared row for row, on SQLite and on PostgreSQL; damaged and newer archives
refused before anything is touched.

The commands run in their own processes against scratch databases (never the test database): a file for
SQLite, and two PostgreSQL databases with unique names created and dropped here.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from zoneos.core import backup

ROOT = Path(settings.BASE_DIR)


def _pg_server() -> str | None:
    """The PostgreSQL server the suite runs on (its run of CI), as a URL without a database name."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = database["USER"] or ""
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{database['HOST'] or '127.0.0.1'}{port}"


PG_SERVER = _pg_server()
# The demo writes a few thousand small transactions; without waiting for each commit's flush it loads
# in a fraction of the time, and what is written is the same.
PG_FAST = "?options=-c%20synchronous_commit%3Doff"
UPLOADS = {
    "briefings/2026/简报-2026-05.pdf": b"%PDF-1.7 briefing\n",
    "appeals/7/photo.jpg": bytes(range(256)) * 8,
}


def manage(database_url: str, media: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)}
    done = subprocess.run(  # noqa: S603  (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _value(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return repr(value)


def fingerprint(connection, vendor: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a sha256 of its rows, ordered by every column."""
    cursor = connection.cursor()
    tables = backup._tables(cursor, vendor)
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608  (names from the catalogue)
        width = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608
        digest, count = hashlib.sha256(), 0
        for row in cursor.fetchall():
            digest.update("\x1f".join(_value(v) for v in row).encode() + b"\x1e")
            count += 1
        result[table] = (count, digest.hexdigest())
    return result


def sqlite_fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    connection = sqlite3.connect(path)
    try:
        return fingerprint(connection, "sqlite")
    finally:
        connection.close()


def put_uploads(media: Path) -> None:
    for name, body in UPLOADS.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(body)


def media_files(media: Path) -> dict[str, bytes]:
    return {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}


def assert_uploads(restored: Path, source: Path) -> None:
    """The restored uploads are the source's, byte for byte: the demo's own documents and ours."""
    files = media_files(restored)
    assert files == media_files(source)
    assert {name: files.get(name) for name in UPLOADS} == UPLOADS


def archive_path(done: subprocess.CompletedProcess) -> Path:
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    """A SQLite database holding the demo zone and a few uploads, and its backup."""
    folder = tmp_path_factory.mktemp("sqlite-demo")
    url = f"sqlite:///{folder / 'zoneos.sqlite3'}"
    media = folder / "media"
    manage(url, media, "migrate", "-v0")
    manage(url, media, "load_demo")
    put_uploads(media)
    archive = archive_path(manage(url, media, "backup", "--output", str(folder / "backups")))
    return folder / "zoneos.sqlite3", media, archive


def test_the_demo_restored_into_a_fresh_sqlite_database_has_every_row(sqlite_demo, tmp_path):
    source, source_media, archive = sqlite_demo
    target, media = tmp_path / "restored.sqlite3", tmp_path / "media"

    done = manage(f"sqlite:///{target}", media, "restore", str(archive))

    expected = sqlite_fingerprint(source)
    assert sum(count for count, _ in expected.values()) > 20_000  # the demo, not an empty schema
    assert sqlite_fingerprint(target) == expected
    assert_uploads(media, source_media)
    assert f"{len(expected)} tables match the archive's row counts." in done.stdout
    assert "enterprises_enterprise" in done.stdout


def test_the_manifest_describes_the_archive(sqlite_demo):
    source, media, archive = sqlite_demo
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[:2] == ["manifest.json", "manifest.json.sha256"]
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["zoneos_version"] and manifest["django_version"]
    assert "0002_event_paused" in manifest["migrations"]["notifications"]
    assert manifest["row_counts"] == {t: c for t, (c, _) in sqlite_fingerprint(source).items()}
    assert set(manifest["files"]) == {"database.sqlite3", *(f"media/{n}" for n in media_files(media))}
    assert {f"media/{n}" for n in UPLOADS} < set(manifest["files"])


def test_restoring_over_a_database_with_tables_needs_force(sqlite_demo, tmp_path):
    _source, _media, archive = sqlite_demo
    target, media = tmp_path / "busy.sqlite3", tmp_path / "media"
    url = f"sqlite:///{target}"
    manage(url, media, "migrate", "-v0", "workdays")  # a database with some tables and rows of its own
    before = sqlite_fingerprint(target)

    refused = manage(url, media, "restore", str(archive), check=False)

    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert sqlite_fingerprint(target) == before
    manage(url, media, "restore", "--force", str(archive))
    assert sqlite_fingerprint(target) == sqlite_fingerprint(_source)


def _damaged_copy(archive: Path, tmp_path: Path, member: str) -> Path:
    """The archive with one byte flipped in the middle of one member's content."""
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
        offset = info.offset_data + info.size // 2
    damaged = tmp_path / "damaged.tar"
    body = bytearray(archive.read_bytes())
    body[offset] ^= 0x01
    damaged.write_bytes(bytes(body))
    return damaged


@pytest.mark.parametrize("member", ["database.sqlite3", "manifest.json", "media/appeals/7/photo.jpg"])
def test_an_archive_with_one_byte_flipped_is_refused(sqlite_demo, tmp_path, member):
    _source, _media, archive = sqlite_demo
    damaged = _damaged_copy(archive, tmp_path, member)
    target, media = tmp_path / "target.sqlite3", tmp_path / "media"

    refused = manage(f"sqlite:///{target}", media, "restore", str(damaged), check=False)

    assert refused.returncode != 0
    assert "is damaged" in refused.stderr
    assert member.split("/")[0] in refused.stderr or member == "manifest.json"
    assert not target.exists() or sqlite_fingerprint(target) == {}
    assert not media.exists()


def _rewritten(archive: Path, tmp_path: Path, change) -> Path:
    """The archive with its manifest changed by `change` and its manifest checksum made to match."""
    out = tmp_path / "rewritten.tar"
    with tarfile.open(archive) as tar, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as new:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        change(manifest)
        body = json.dumps(manifest).encode()
        checksum = hashlib.sha256(body).hexdigest().encode()
        for name, data in (("manifest.json", body), ("manifest.json.sha256", checksum)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for member in tar.getmembers():
            if member.name not in {"manifest.json", "manifest.json.sha256"}:
                new.addfile(member, tar.extractfile(member))
    return out


def test_an_archive_from_a_newer_zoneos_is_refused_by_name(sqlite_demo, tmp_path):
    _source, _media, archive = sqlite_demo
    newer = _rewritten(archive, tmp_path, lambda m: m["migrations"]["appeals"].append("0099_from_the_future"))

    with pytest.raises(CommandError, match=r"newer ZoneOS .*appeals\.0099_from_the_future"):
        call_command("restore", str(newer), stdout=io.StringIO())


def test_restore_check_reads_the_archive_and_changes_nothing(sqlite_demo):
    _source, _media, archive = sqlite_demo
    out = io.StringIO()
    call_command("restore", "--check", str(archive), stdout=out)
    assert "members match their sha256" in out.getvalue()
    assert "0 migrations would be applied" in out.getvalue()


def test_an_archive_from_an_older_zoneos_is_migrated_forward(sqlite_demo, tmp_path):
    source, _media, _archive = sqlite_demo
    older, media = tmp_path / "older.sqlite3", tmp_path / "media"
    with sqlite3.connect(source) as src, sqlite3.connect(older) as dst:
        src.backup(dst)
    # The ZoneOS before the inbox: its tables are made, empty, when the archive is migrated forward.
    manage(f"sqlite:///{older}", media, "migrate", "-v0", "notifications", "0002")
    archive = archive_path(manage(f"sqlite:///{older}", media, "backup", "--output", str(tmp_path / "b")))
    target = tmp_path / "restored.sqlite3"

    done = manage(f"sqlite:///{target}", tmp_path / "media2", "restore", str(archive))

    assert "Migrated forward: notifications.0003_inbox." in done.stdout
    with sqlite3.connect(target) as connection:
        rows = connection.execute("SELECT name FROM django_migrations WHERE app = 'notifications'")
        applied = {name for (name,) in rows}
    assert "0003_inbox" in applied
    new = {"django_migrations", "notifications_inboxitem", "notifications_preference"}
    restored = sqlite_fingerprint(target)
    assert restored["notifications_inboxitem"][0] == 0
    assert {t: c for t, (c, _) in restored.items() if t not in new} == {
        t: c for t, (c, _) in sqlite_fingerprint(source).items() if t not in new
    }


# PostgreSQL --------------------------------------------------------------------------------------------
@pytest.fixture
def pg_databases():
    """Two scratch databases on the PostgreSQL server, with names no one else uses; dropped afterwards."""
    if PG_SERVER is None:
        pytest.skip("runs in the suite's PostgreSQL run (DATABASE_URL=postgres://…)")
    import psycopg

    admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)
    names = [f"zoneos_backup_{role}_{uuid.uuid4().hex[:10]}" for role in ("source", "target")]
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield names
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def pg_fingerprint(name: str) -> dict[str, tuple[int, str]]:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{name}") as connection:
        connection.execute("SET TIME ZONE 'UTC'")
        return fingerprint(connection, "postgresql")


def test_the_demo_restored_into_a_fresh_postgresql_database_has_every_row(pg_databases, tmp_path):
    source, target = pg_databases
    source_url, target_url = f"{PG_SERVER}/{source}{PG_FAST}", f"{PG_SERVER}/{target}"
    media = tmp_path / "media"
    manage(source_url, media, "migrate", "-v0")
    manage(source_url, media, "load_demo")
    put_uploads(media)
    archive = archive_path(manage(source_url, media, "backup", "--output", str(tmp_path / "backups")))
    with tarfile.open(archive) as tar:
        assert json.loads(tar.extractfile("manifest.json").read())["database"]["vendor"] == "postgresql"

    done = manage(target_url, tmp_path / "restored-media", "restore", str(archive))

    expected = pg_fingerprint(source)
    assert sum(count for count, _ in expected.values()) > 20_000
    assert pg_fingerprint(target) == expected
    assert_uploads(tmp_path / "restored-media", media)
    assert f"{len(expected)} tables match the archive's row counts." in done.stdout
    # The restored copy is a working ZoneOS: nothing left to migrate, and its sequences go on from the
    # archive's rows (a new user does not collide with a restored one).
    assert "No migrations to apply" in manage(target_url, tmp_path / "m", "migrate").stdout
    os.environ["DJANGO_SUPERUSER_PASSWORD"] = "restored-and-working"
    try:
        manage(
            target_url,
            tmp_path / "m",
            "createsuperuser",
            "--noinput",
            "--username",
            "after-restore",
            "--email",
            "after@example.com",
        )
    finally:
        del os.environ["DJANGO_SUPERUSER_PASSWORD"]


def test_an_archive_naming_a_path_outside_the_uploads_is_refused(tmp_path):
    evil = b"written outside the restore's folder"
    files = {
        "database.sqlite3": hashlib.sha256(b"").hexdigest(),
        "media/../../evil": hashlib.sha256(evil).hexdigest(),
    }
    manifest = {"format": backup.FORMAT, "database": {"vendor": "sqlite", "member": "database.sqlite3"}}
    body = json.dumps({**manifest, "migrations": {}, "row_counts": {}, "files": files}).encode()
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in (
            ("manifest.json", body),
            ("manifest.json.sha256", hashlib.sha256(body).hexdigest().encode()),
            ("database.sqlite3", b""),
            ("media/../../evil", evil),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    with pytest.raises(CommandError, match=r"media/\.\./\.\./evil is not a file ZoneOS writes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not (tmp_path.parent / "evil").exists()
