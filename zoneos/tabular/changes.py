"""The per-field changes a dry run finds: for each record a row would update, each field's old and new
value, with warnings on erasures (a value that would become empty) and jumps (five times or a fifth of
the previous value).

The changes are streamed to a file of JSON lines as the rows are checked (a file of 100,000 updated
rows never holds them in memory); the first ones are kept on the job's report for its page, and the
whole file is offered as a csv or xlsx download.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.core.files import File
from django.utils.translation import gettext_lazy

SHOWN = 200  # changes kept on the report for the page
JUMP = Decimal(5)
WARNINGS = {
    "erasure": gettext_lazy("erased"),
    "jump": gettext_lazy("jumps ×5 or ÷5"),
}


def shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def warning(old, new) -> str:
    """ "erasure", "jump" or ""."""
    if shown(old).strip() and not shown(new).strip():
        return "erasure"
    before, after = _number(old), _number(new)
    if before is None or after is None or before == 0:
        return ""
    if abs(after) >= abs(before) * JUMP or abs(after) * JUMP <= abs(before):
        return "jump"
    return ""


class Recorder:
    """Collects the changes of one dry run: counts, the first SHOWN, and the file of all of them."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="zoneos-changes-", suffix=".jsonl")
        self.file = os.fdopen(handle, "w", encoding="utf-8")
        self.count = 0
        self.records = 0
        self.warnings = {"erasure": 0, "jump": 0}
        self.first: list[dict] = []

    def add(self, row: int, record: str, diff: dict, *, created: bool = False) -> None:
        """`diff`: {field: (old, new)}; for a created record, only the fields that jump are given."""
        if not diff:
            return
        self.records += 1
        for name, (old, new) in diff.items():
            flag = warning(old, new)
            if created and not flag:
                continue
            if flag:
                self.warnings[flag] += 1
            entry = {
                "row": row,
                "record": record,
                "field": name,
                "old": shown(old),
                "new": shown(new),
                "warning": flag,
                "created": created,
            }
            self.count += 1
            self.file.write(json.dumps(entry, ensure_ascii=False))
            self.file.write("\n")
            if len(self.first) < SHOWN:
                self.first.append(entry)

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()

    def save(self, job) -> str:
        """Store the file with the job (replacing an earlier run's) and return its name."""
        self.close()
        if job.changes_file:
            job.changes_file.delete(save=False)
        with open(self.path, "rb") as handle:
            job.changes_file.save(f"changes-{job.pk}.jsonl", File(handle), save=False)
        os.unlink(self.path)
        return job.changes_file.name

    def discard(self) -> None:
        self.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


def read(job) -> Iterator[dict]:
    """Every change the job's last dry run recorded, streamed from its file."""
    if not job.changes_file:
        return
    with job.changes_file.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
