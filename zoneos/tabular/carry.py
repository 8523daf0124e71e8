"""The dry run's cleaned rows, handed to its commit, so that the commit does not read and clean the file a
second time.

A spec may split its check in two (`carries = True`):

- `clean_chunk(rows, state)` reads each row's cells into `row.clean` (codes, names, dates, amounts, choices,
  the area a name gives): what it finds depends only on the file, the mapping, the spec's code and the few
  tables `carry_state(state)` fingerprints (the areas the user may place records in, say);
- `verify_chunk(rows, state, by)` checks the clean rows against the records as they are (which exist,
  which the user may change, locked years, held labels) and adds what the write needs.

The dry run writes each chunk's clean rows (`pack`ed, before `verify_chunk`) to a file and stores it with
the job, with a key: a digest of the file's bytes, the sheet, the column plan, the user, the area, the
source of the code that cleans rows, the settings that bound a cell, the spec's `carry_state` and the rows
file's own bytes. The commit computes the key again from what it finds then; only when every part is the
same does it take the clean rows from the file (`unpack`ed) and run `verify_chunk` on them inside its
transaction, exactly as it would after cleaning the file again: every check against the database is
made again, at the moment of writing.
Anything else (no file, another key, a dry run with errors) and the commit reads and checks the file
from the start, as before.

The rows file holds pickled chunks (a date, a Decimal and plain values only; the unpickler accepts
nothing else), each compressed, read one chunk at a time (a million rows never sit in memory).
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File

VERSION = 1  # of the rows file and of what the specs' clean_chunk gives: bump when either changes
_LENGTH = struct.Struct("<Q")


def _code_digest(spec) -> str:
    """The source of the code that cleans the rows: the spec's package, the engine's, and the shared
    checks they call (a deploy between the dry run and the commit that changes any of it voids the rows)."""
    found = _CODE.get(type(spec))
    if found is None:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parents[1]
        files = sorted(Path(inspect.getsourcefile(type(spec))).parent.glob("*.py"))
        files += sorted(Path(__file__).parent.glob("*.py"))
        files += [root / name for name in SHARED]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.exists() else b"")
        found = _CODE[type(spec)] = digest.hexdigest()
    return found


SHARED = ("core/codes.py", "core/text.py", "core/industries.py", "areas/lookup.py")
_CODE: dict[type, str] = {}


def supported(spec) -> bool:
    return bool(getattr(spec, "carries", False))


def _file_digest(handle) -> str:
    digest = hashlib.sha256()
    while block := handle.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


def key(job, spec, table, plan, state) -> str | None:
    """What the clean rows depend on, as one digest; None when the spec cannot tell (then no carry)."""
    part = spec.carry_state(state)
    if part is None:
        return None
    with job.file.storage.open(job.file.name, "rb") as handle:
        source = _file_digest(handle)
    parts = {
        "version": VERSION,
        "code": _code_digest(spec),
        "kind": spec.kind,
        "file": source,
        "sheet": table.sheet,
        "header_row": table.header_row,
        "used": [[s.index, s.field, str(s.unit), bool(s.clears)] for s in plan.used()],
        "filled": {name: str(value) for name, (value, _from) in sorted(plan.filled.items())},
        "by": job.created_by_id,
        "area": job.area_id,
        "cell_chars": settings.ZONEOS_IMPORT_MAX_CELL_CHARS,
        "spec": part,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _sealed(run_key: str, rows_digest: str) -> str:
    return hashlib.sha256(f"{run_key}:{rows_digest}".encode()).hexdigest()


class Writer:
    """The dry run's clean rows, chunk by chunk, into a temporary file."""

    def __init__(self, run_key: str):
        self.run_key = run_key
        handle, self.path = tempfile.mkstemp(prefix="zoneos-checked-", suffix=".bin")
        self.file = os.fdopen(handle, "wb")
        self.digest = hashlib.sha256()

    def add(self, spec, rows) -> None:
        data = zlib.compress(
            pickle.dumps([(row.number, spec.pack(row.clean)) for row in rows], pickle.HIGHEST_PROTOCOL), 1
        )
        head = _LENGTH.pack(len(data))
        self.digest.update(head)
        self.digest.update(data)
        self.file.write(head)
        self.file.write(data)

    def save(self, job) -> tuple[str, str]:
        """Store the file with the job; returns (its name, the job's checked_key)."""
        self.file.close()
        with open(self.path, "rb") as handle:
            job.checked_file.save(f"checked-{job.pk}.bin", File(handle), save=False)
        os.unlink(self.path)
        return job.checked_file.name, _sealed(self.run_key, self.digest.hexdigest())

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


class _Unpickler(pickle.Unpickler):
    ALLOWED = frozenset({("datetime", "date"), ("decimal", "Decimal")})

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a clean value")
        return super().find_class(module, name)


def _chunks(handle) -> Iterator[bytes]:
    while head := handle.read(_LENGTH.size):
        (length,) = _LENGTH.unpack(head)
        yield handle.read(length)


def load(job, run_key: str | None, spec, state, row_class) -> Iterator[list] | None:
    """The dry run's chunks of clean rows (`row_class(number, {}, clean)`), when its key is this run's;
    else None (the commit then reads the file again)."""
    if not run_key or not job.checked_file or not job.checked_key:
        return None
    try:
        with job.checked_file.storage.open(job.checked_file.name, "rb") as handle:
            digest = _file_digest(handle)  # the file's bytes, as the writer wrote them
    except OSError:
        return None
    if _sealed(run_key, digest) != job.checked_key:
        return None

    def chunks():
        with job.checked_file.storage.open(job.checked_file.name, "rb") as handle:
            for data in _chunks(handle):
                packed = _Unpickler(io.BytesIO(zlib.decompress(data))).load()
                yield [row_class(number, {}, spec.unpack(clean, state)) for number, clean in packed]

    return chunks()


def forget(job) -> dict:
    """Remove the job's rows file; returns the fields that say it has none."""
    if job.checked_file:
        job.checked_file.delete(save=False)
    return {"checked_file": "", "checked_key": ""}
