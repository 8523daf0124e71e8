"""Reading uploaded tables row by row, whatever their format, with headers in Chinese or English.

CSV is streamed (UTF-8 with or without BOM, or GB 18030, as Excel saves it on Chinese Windows); xlsx
is read with calamine (fast; the best-matching sheet, or the one named). Both are read in a child
process under a memory limit, after checks that refuse a spreadsheet bomb before it grows
(`zoneos.tabular.sandbox`). The table is found in the first rows the way zone staff lay sheets out
(title and subtitle rows, a "单位：万元" line, two-row headers, year groups, merged cells, 合计 rows:
`zoneos.tabular.layout_table`). Rows come out with their spreadsheet row number, so every error can
point at the cell a person has to fix.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .layout import MONEY_UNITS, normal, split_header  # noqa: F401 (the engine's and the apps' names)

logger = logging.getLogger(__name__)
UNITS = MONEY_UNITS

MAX_EXPONENT = 20  # a number from a cell is below 10²¹ (money columns hold below 10¹⁶ yuan)


class FileError(Exception):
    """The file as a whole cannot be read (not the format it claims, no header, a spreadsheet bomb...)."""


@dataclass(frozen=True)
class Period:
    """A year or a span of months a sheet's title states ("2026年1-10月", "2024-2025年")."""

    year_from: int
    year_to: int
    month_from: int | None = None  # None: the title named whole years
    month_to: int | None = None


@dataclass
class Table:
    """A table found in an uploaded file.

    `rows` are the data rows only, each `(row number in the file, cells)`: blank rows and rows that say
    合计/小计/总计/注/说明/填报说明 (in one of their first four cells) are left out, the latter listed in
    `skipped` (complete once `rows` is exhausted); a merged cell's value is in every row of its range
    (its first column); an Excel error cell is its text ("#N/A"). With year groups ("2024 | 2025" over
    营业收入/产值), each row comes once per year that has a figure (same row number), its cells the
    columns outside the groups, then the group's fields, then the year (an int) under "年份".
    `units` are the scales to yuan the headers state, by column index of `headers` (a unit in either row
    of a two-row header; the header's text then states it too)."""

    headers: list[str]
    rows: Iterator[tuple[int, list]]
    total: int = 0
    units: dict[int, Decimal] = field(default_factory=dict)
    sheet: str = ""  # the sheet read (xlsx)
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook, in order
    title: str = ""  # the text above the header (title and subtitle rows), joined
    header_row: int = 1  # the row number of the header's last row
    sheet_unit: Decimal | None = None  # a "单位：万元" line above the table
    sheet_unit_text: str = ""
    period: Period | None = None  # from the title, when it states one
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, why): 合计, 小计, 注...
    close: Callable[[], None] = lambda: None  # stop reading: ends the reader's child when rows go unread


# What the reader's child refuses, by code (the child imports no Django, so it cannot translate).
REFUSALS = {
    "not_xlsx": gettext_noop("The file is not a readable xlsx workbook."),
    "not_csv": gettext_noop("The file is not a readable CSV table."),
    "empty": gettext_noop("The file is empty."),
    "csv_stops": gettext_noop("The file stops being a readable CSV table after row %(row)d."),
    "unpacks_too_big": gettext_noop(
        "The workbook unpacks to %(size)s, more than the %(limit)s accepted; split the file."
    ),
    "too_many_rows": gettext_noop("The file has %(rows)d rows, more than the %(limit)d accepted; split it."),
    "too_many_columns": gettext_noop("The file has %(columns)d columns, more than the %(limit)d accepted."),
    "too_many_cells": gettext_noop(
        "The sheet spans %(cells)d cells, more than the %(limit)d accepted: delete the cells far below or "
        "to the right of the table, or split the file."
    ),
    "cell_too_long": gettext_noop("A cell of the file holds more than %(limit)d characters."),
    "line_too_long": gettext_noop("A line of the file is longer than %(limit)s."),
    "memory": gettext_noop(
        "Reading the file needs more than the %(limit)s of memory allowed; split the file."
    ),
    "crashed": gettext_noop("The file could not be read."),
    "no_sheet": gettext_noop("The workbook has no sheet named “%(sheet)s”."),
}
SIZES = {"size", "limit"}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def refusal(code: str, params: dict) -> FileError:
    params = dict(params)
    if code in ("unpacks_too_big", "line_too_long", "memory"):
        params = {k: _megabytes(v) if k in SIZES else v for k, v in params.items()}
    return FileError(_(REFUSALS.get(code, REFUSALS["crashed"])) % params)


def limits() -> dict:
    """The reader's limits (docs/hostile-input.md)."""
    return {
        "max_rows": settings.ZONEOS_IMPORT_MAX_ROWS,
        "max_columns": settings.ZONEOS_IMPORT_MAX_COLUMNS,
        "max_cells": settings.ZONEOS_IMPORT_MAX_CELLS,
        "max_cell_chars": settings.ZONEOS_IMPORT_MAX_CELL_CHARS,
        "max_line_bytes": settings.ZONEOS_IMPORT_MAX_LINE_BYTES,
        "max_unpacked_bytes": settings.ZONEOS_IMPORT_MAX_UNPACKED_BYTES,
        "memory_bytes": settings.ZONEOS_IMPORT_READER_MEMORY_BYTES,
    }


class _Unpickler(pickle.Unpickler):
    """The child's messages hold plain values, dates and times, and `Overlong`: nothing else loads."""

    ALLOWED = {
        ("datetime", "datetime"),
        ("datetime", "date"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("zoneos.tabular.sandbox", "Overlong"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
        return super().find_class(module, name)


def _local_path(raw: IO[bytes]) -> tuple[str, bool]:
    """A path the child can open: the stored file's own, or a temporary copy (removed afterwards)."""
    for candidate in (getattr(raw, "path", None), getattr(raw, "name", None)):
        try:
            if candidate and os.path.isfile(candidate):
                return os.fspath(candidate), False
        except (NotImplementedError, TypeError, ValueError):
            continue
    raw.seek(0)
    with tempfile.NamedTemporaryFile(prefix="zoneos-import-", delete=False) as copy:
        shutil.copyfileobj(raw, copy, 1 << 20)
    return copy.name, True


def open_table(
    raw: IO[bytes], name: str, *, known_headers: frozenset[str] = frozenset(), sheet: str | None = None
) -> Table:
    """Read the file in a child process under a memory limit (`zoneos.tabular.sandbox`), its rows
    streamed back as they are read; a file the child refuses, or that kills it, is a FileError."""
    lower = name.lower()
    if lower.endswith(".csv"):
        kind = "csv"
    elif lower.endswith((".xlsx", ".xlsm")):
        kind = "xlsx"
    else:
        raise FileError(_("Upload a .csv or .xlsx file."))
    path, temporary = _local_path(raw)
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    # The child's own stderr (a Rust abort message, a traceback) goes to a file of its own, logged when
    # it fails: inheriting ours would keep a caller's pipe open as long as the child lives.
    errors = tempfile.TemporaryFile(prefix="zoneos-reader-")  # noqa: SIM115 (closed by finish())
    options = json.dumps({"known": sorted(known_headers), "sheet": sheet or None})
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module, the path as one argument)
        [
            sys.executable,
            "-m",
            "zoneos.tabular.sandbox",
            path,
            kind,
            json.dumps(limits()),
            str(os.getpid()),
            options,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errors,
        env=env,
        close_fds=True,
    )

    finished = []

    def finish() -> None:
        if finished:
            return
        finished.append(True)
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        errors.close()
        if temporary:
            os.unlink(path)

    def receive():
        try:
            return _Unpickler(process.stdout).load()  # each message was pickled on its own
        except (EOFError, pickle.UnpicklingError):
            code = process.wait()
            errors.seek(0, os.SEEK_END)
            errors.seek(max(errors.tell() - 2000, 0))
            said = errors.read().decode(errors="replace")
            logger.warning("The table reader stopped with %s on %s: %s", code, name, said)
            if code < 0:  # killed by a signal: Rust aborting on a refused allocation, or the kernel
                raise refusal("memory", {"limit": limits()["memory_bytes"]}) from None
            raise refusal("crashed", {}) from None

    try:
        head = receive()
        if head[0] == "refused":
            raise refusal(head[1], head[2])
    except BaseException:
        finish()
        raise
    _kind, headers, total, meta = head
    table = _table(headers, total, meta)

    def rows():
        try:
            while True:
                message = receive()
                if message[0] == "rows":
                    yield from message[1]
                elif message[0] == "skipped":
                    table.skipped.extend(message[1])
                elif message[0] == "refused":
                    raise refusal(message[1], message[2])
                else:
                    return
        finally:
            finish()

    table.rows = rows()
    table.close = finish
    return table


def _table(headers: list[str], total: int, meta: dict) -> Table:
    period = meta.get("period")
    unit = meta.get("sheet_unit")
    return Table(
        headers,
        iter(()),
        total,
        units={int(i): Decimal(u) for i, u in meta.get("units", {}).items()},
        sheet=meta.get("sheet", ""),
        sheets=list(meta.get("sheets", [])),
        title=meta.get("title", ""),
        header_row=meta.get("header_row", 1),
        sheet_unit=Decimal(unit) if unit is not None else None,
        sheet_unit_text=meta.get("sheet_unit_text", ""),
        period=Period(*period) if period else None,
    )


# Cell values ---------------------------------------------------------------------------------------
def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decimal(value, scale: Decimal | None = None) -> Decimal | None:
    """A number from a cell ("1,234.5", 1234.5, "") in yuan; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    raw = repr(value) if isinstance(value, float) else str(value)
    raw = raw.strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if scale is not None:
        number *= scale
    if number and number.adjusted() > MAX_EXPONENT:  # 1e400: no column holds it, and arithmetic on it fails
        raise ValueError(_("The number is too large."))
    return number
