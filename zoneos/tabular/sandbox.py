"""The table reader's child process: it reads an uploaded file under a memory limit and streams its rows
back, so that a spreadsheet bomb the checks below miss kills this child, never the web process or the
task worker.

`python -m zoneos.tabular.sandbox PATH FORMAT LIMITS_JSON PARENT_PID OPTIONS_JSON` sets RLIMIT_AS (the
address space: the kernel refuses any allocation past it, Python raises MemoryError and calamine's
Rust code aborts) and RLIMIT_CORE 0, then checks the file before anything grows with it:

- xlsx: every zip member's declared unpacked size (a zip bomb declares gigabytes; one that lies is
  stopped at its declared size by `zipfile` and fails its checksum), the number of shared strings and
  their longest text, then, for EVERY sheet it reads (the one named, or each sheet looked at to find
  the best-matching table), one streaming pass over that sheet before calamine parses it: the sheet's
  declared <dimension>, the largest row and column any cell names (calamine allocates the whole
  rectangle up to the furthest cell: one cell at XFD1048576 is 17 billion cells), its merged ranges,
  and any run of text longer than a cell may be; the same pass notes its Excel error cells, which
  calamine reads as empty;
- csv: the longest line, before the csv module reads one into memory.

Only then is the file parsed (calamine for xlsx, the csv module for csv), and the table found in its
first rows (`zoneos.tabular.layout_table`, with OPTIONS_JSON's "known" headers and "sheet"). The child
writes pickled messages to stdout: ("head", headers, total, meta) (meta: a dict of plain values, see
`Layout.meta`, plus "sheet" and "sheets"), ("rows", [(number, cells), ...]), ("skipped", [(number,
text), ...]), ("refused", code, params) and ("end",). It imports nothing from Django: the parent
translates the refusal codes.
"""

from __future__ import annotations

import csv
import ctypes
import html
import io
import itertools
import json
import os
import pickle
import posixpath
import re
import resource
import signal
import sys
import unicodedata
import zipfile
from dataclasses import dataclass

from zoneos.tabular.layout_table import HEAD_ROWS, data_rows, find_layout

BLOCK_CHUNKS = 8
BATCH = 2000
# A character of text takes at most 6 bytes in a sheet's XML ("&quot;"), 4 in UTF-8 csv.
XML_BYTES_PER_CHAR = 6
# Text runs this long are refused for the whole file before parsing; a shorter cell over the length
# limit is read, sent as `Overlong` and reported as an error of its row.
FILE_LEVEL_TEXT_BYTES = 16 * 1024 * 1024


class Refused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Overlong:
    """A cell longer than the limit, sent in place of its text: the engine reports its row and column."""

    length: int


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


# Readers -------------------------------------------------------------------------------------------
CELL_REF = re.compile(rb'\sr="([A-Z]{1,7})([0-9]{1,10})"')
ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,10})"')
DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,7})?([0-9]{1,10})?(?::([A-Z]{1,7})([0-9]{1,10}))?"'
)


def _largest(values: set[bytes]) -> bytes | None:
    return max(values, key=lambda v: (len(v), v)) if values else None


def _scan_text_runs(stream, limits: dict, *, on_block) -> None:
    """Read `stream` in blocks; refuse when an aligned chunk of `run` bytes holds no "<" (then some
    text between two tags is longer than a cell may be)."""
    run = max(limits["max_cell_chars"] * XML_BYTES_PER_CHAR, FILE_LEVEL_TEXT_BYTES)
    block_size = run * BLOCK_CHUNKS
    carry = b""
    while block := stream.read(block_size):
        for start in range(0, len(block) - run + 1, run):
            if block.find(b"<", start, start + run) == -1:
                raise Refused("cell_too_long", limit=limits["max_cell_chars"])
        # Regular expressions see whole tags: the text after the last ">" goes with the next block.
        cut = block.rfind(b">") + 1
        on_block(carry + block[:cut])
        carry = block[cut:][-4096:]


def _check_extent(rows: int, columns: int, limits: dict) -> None:
    if rows > limits["max_rows"] + 1:  # the header row is not counted
        raise Refused("too_many_rows", rows=rows - 1, limit=limits["max_rows"])
    if columns > limits["max_columns"]:
        raise Refused("too_many_columns", columns=columns, limit=limits["max_columns"])
    if rows * columns > limits["max_cells"]:
        raise Refused("too_many_cells", cells=rows * columns, limit=limits["max_cells"])


SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
RELATIONSHIP_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
ID_ATTRIBUTE = re.compile(rb'\s[\w]+:id="([^"]*)"')
MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b")
# A cell holding an Excel error (t="e"): calamine reads it as empty, so its text is taken from the XML.
ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\st="e"[^>]*>')
CLOSE_CELL = re.compile(rb"</(?:\w+:)?c>")
VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{1,64})</(?:\w+:)?v>")
MAX_SHEETS = 50  # sheets looked at to find the table; more are listed, not read


def _attribute(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb"\s" + name + rb'="([^"]*)"', tag)
    return match.group(1).decode() if match else None


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and its part, in the workbook's order. Read with regular expressions, not an
    XML parser: these two parts are small, and nothing in them is expanded."""
    try:
        rels = book.read("xl/_rels/workbook.xml.rels")
        targets = {
            _attribute(tag, b"Id"): _attribute(tag, b"Target") for tag in RELATIONSHIP_TAG.findall(rels)
        }
        parts = {}
        for tag in SHEET_TAG.findall(book.read("xl/workbook.xml")):
            target = targets.get(ID_ATTRIBUTE.search(tag).group(1).decode())
            name = html.unescape(_attribute(tag, b"name") or "")
            if target:
                parts[name] = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
    except (KeyError, AttributeError) as exc:
        raise Refused("not_xlsx") from exc
    if not parts:
        raise Refused("not_xlsx")
    return parts


class _ErrorCells:
    """The Excel errors ("#N/A", "#DIV/0!") a sheet's XML holds, by (row, column), 0-based."""

    def __init__(self):
        self.found: dict[tuple[int, int], str] = {}
        self.pending = b""

    def feed(self, data: bytes) -> None:
        if self.pending:
            data, self.pending = self.pending + data, b""
        if b't="e"' not in data:
            return
        for tag in ERROR_CELL.finditer(data):
            if tag.group(0).endswith(b"/>"):
                continue
            close = CLOSE_CELL.search(data, tag.end())
            if close is None:  # the cell goes on in the next block
                self.pending = data[tag.start() :][:65536]
                return
            ref = CELL_REF.search(tag.group(0))
            value = VALUE.search(data, tag.end(), close.start())
            if ref and value:
                place = (int(ref.group(2)) - 1, column_number(ref.group(1).decode()) - 1)
                self.found[place] = html.unescape(value.group(1).decode(errors="replace")).strip()


def open_workbook(path: str, limits: dict) -> tuple[zipfile.ZipFile, dict[str, str]]:
    """The workbook's zip and its sheets' parts, after the checks on the whole file: every member's
    declared unpacked size, and the number of shared strings and their longest text."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused("not_xlsx") from exc
    members = book.infolist()
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits["max_unpacked_bytes"]:
        raise Refused("unpacks_too_big", size=unpacked, limit=limits["max_unpacked_bytes"])
    names = {m.filename for m in members}
    for small in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if small in names and book.getinfo(small).file_size > 16 * 1024 * 1024:
            raise Refused("unpacks_too_big", size=book.getinfo(small).file_size, limit=16 * 1024 * 1024)
    parts = _sheet_parts(book)
    strings = {"count": 0}

    def strings_block(data: bytes) -> None:
        strings["count"] += data.count(b"<si>") + data.count(b"<si ")
        if strings["count"] > limits["max_cells"]:
            raise Refused("too_many_cells", cells=strings["count"], limit=limits["max_cells"])

    try:
        if "xl/sharedStrings.xml" in names:
            with book.open("xl/sharedStrings.xml") as stream:
                _scan_text_runs(stream, limits, on_block=strings_block)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError) as exc:
        raise Refused("not_xlsx") from exc
    return book, parts


def check_sheet(book: zipfile.ZipFile, part: str, limits: dict) -> dict[tuple[int, int], str]:
    """One streaming pass over a sheet before calamine reads it: its declared <dimension>, the largest
    row and column any cell names (calamine allocates the whole rectangle up to the furthest cell: one
    cell at XFD1048576 is 17 billion cells), its merged ranges, and any run of text longer than a cell
    may be. Returns the sheet's Excel error cells."""
    try:
        book.getinfo(part)
    except KeyError as exc:
        raise Refused("not_xlsx") from exc
    extent = {"row": 0, "column": 0, "dimension_checked": False, "merges": 0}
    errors = _ErrorCells()

    def sheet_block(data: bytes) -> None:
        if not extent["dimension_checked"]:
            match = DIMENSION.search(data)
            if match or b"sheetData" in data:
                extent["dimension_checked"] = True
            if match:
                letters, digits = match.group(3) or match.group(1), match.group(4) or match.group(2)
                _check_extent(int(digits or 1), column_number(letters.decode()) if letters else 1, limits)
        rows = {m.group(1) for m in ROW_REF.finditer(data)}
        cells = CELL_REF.findall(data)
        if cells:
            rows |= {row for _letters, row in cells}
            letters = _largest({letters for letters, _row in cells})
            extent["column"] = max(extent["column"], column_number(letters.decode()))
        if rows:
            extent["row"] = max(extent["row"], int(_largest(rows)))
        _check_extent(extent["row"], extent["column"], limits)
        extent["merges"] += len(MERGE_TAG.findall(data))
        if extent["merges"] > limits["max_cells"]:
            raise Refused("too_many_cells", cells=extent["merges"], limit=limits["max_cells"])
        errors.feed(data)

    try:
        with book.open(part) as stream:
            _scan_text_runs(stream, limits, on_block=sheet_block)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError) as exc:
        raise Refused("not_xlsx") from exc  # a member that lies about its size fails its checksum
    return errors.found


@dataclass
class _Candidate:
    name: str
    sheet: object
    iterator: object
    head: list
    merged: list
    errors: dict
    layout: object


def _look_at(book, calamine_book, name: str, part: str, limits: dict, known: frozenset) -> _Candidate:
    """A sheet checked, read, and its table found in its first rows."""
    from python_calamine import CalamineError

    errors = check_sheet(book, part, limits)
    try:
        sheet = calamine_book.get_sheet_by_name(name)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise Refused("not_xlsx") from exc
    offset = sheet.start[1] if sheet.start else 0  # calamine's rows start at the first used column
    iterator = iter(sheet.iter_rows())
    head = [list(row) for _n, row in zip(range(HEAD_ROWS), iterator, strict=False)]
    local: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in errors.items():
        if c >= offset:
            local.setdefault(r, []).append((c - offset, text))
    for r, row in enumerate(head):
        _put_errors(row, local.get(r))
    merged = [
        ((r0, c0 - offset), (r1, c1 - offset))
        for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or ())
        if c0 >= offset
    ]
    layout = find_layout(head, merged, known, name)
    return _Candidate(name, sheet, iterator, head, merged, local, layout)


def _put_errors(row: list, errors: list[tuple[int, str]] | None) -> None:
    for column, text in errors or ():
        if column < len(row):
            row[column] = text


def read_xlsx(path: str, limits: dict, options: dict):
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    book, parts = open_workbook(path, limits)
    known = frozenset(options.get("known") or ())
    wanted = options.get("sheet")
    try:
        calamine_book = CalamineWorkbook.from_path(path)
        names = list(calamine_book.sheet_names)
        visible = [
            m.name
            for m in calamine_book.sheets_metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet and m.name in parts
        ]
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise Refused("not_xlsx") from exc
    if wanted:
        if wanted not in parts or wanted not in names:
            raise Refused("no_sheet", sheet=wanted)
        candidates = [wanted]
    else:
        candidates = (visible or [n for n in names if n in parts])[:MAX_SHEETS]
    if not candidates:
        raise Refused("not_xlsx")
    best = None
    with book:
        for name in candidates:
            candidate = _look_at(book, calamine_book, name, parts[name], limits, known)
            if not _written(candidate):
                continue
            if best is None or candidate.layout.score > best.layout.score:
                best = candidate  # the most known headers; the first sheet of the best
            if not known:
                break  # without known headers: the first sheet that holds anything
    if best is None:
        raise Refused("empty")
    layout = best.layout
    height = best.sheet.end[0] + 1 if best.sheet.end else 0  # calamine's rows count from the first
    total = max(height - layout.header_row, 0) * max(len(layout.groups), 1)
    meta = {**layout.meta(), "sheet": best.name, "sheets": names}
    errors = best.errors
    head = best.head

    def rows():
        for number, row in enumerate(
            itertools.chain(head[layout.header_row :], best.iterator), layout.header_row + 1
        ):
            if errors and number - 1 >= len(head) and number - 1 in errors:
                row = list(row)
                _put_errors(row, errors[number - 1])
            if any(cell not in ("", None) for cell in row):
                yield number, list(row)

    return layout.headers, total, meta, data_rows(layout, rows(), best.merged)


def _written(candidate: _Candidate) -> bool:
    return any(any(cell not in ("", None) for cell in row) for row in candidate.head)


def check_csv(raw, limits: dict) -> int:
    """The number of lines; refused when one line is longer than a row may be."""
    longest = limits["max_line_bytes"]
    count = 0
    since_newline = 0
    while chunk := raw.read(1 << 20):
        count += chunk.count(b"\n")
        first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
        if first == -1:
            since_newline += len(chunk)
        else:
            since_newline += first
            if since_newline > longest:
                break
            # Inside the chunk: an aligned window of `longest` bytes without a newline is a long line.
            for start in range(first, last - longest + 1, longest):
                if chunk.find(b"\n", start, start + longest) == -1:
                    since_newline = longest + 1
                    break
            else:
                since_newline = len(chunk) - last - 1
        if since_newline > longest:
            break
    if since_newline > longest:
        raise Refused("line_too_long", limit=longest)
    raw.seek(0)
    return count


def read_csv(path: str, limits: dict, options: dict):
    raw = open(path, "rb")  # noqa: SIM115 (closed with the process)
    lines = check_csv(raw, limits)
    sample = raw.read(65536)
    raw.seek(0)
    encoding = "utf-8-sig"
    try:
        sample.decode("utf-8-sig")  # a multi-byte character may be cut at the end of the sample
    except UnicodeDecodeError as exc:
        # A character cut at the end of the sample is "unexpected end of data" (its position counts
        # from after a BOM, so it cannot be compared with the sample's length).
        if exc.reason != "unexpected end of data":
            encoding = "gb18030"
    csv.field_size_limit(limits["max_line_bytes"])
    reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""))
    max_rows, max_columns = limits["max_rows"], limits["max_columns"]

    def records(start: int):
        """The records from row `start` on, blank ones left out after the first rows."""
        number = start - 1
        try:
            for number, row in enumerate(reader, start=start):  # noqa: B007 (the row of an error)
                if number - 1 > max_rows:
                    raise Refused("too_many_rows", rows=lines - 1, limit=max_rows)
                if len(row) > max_columns:
                    raise Refused("too_many_columns", columns=len(row), limit=max_columns)
                if number <= HEAD_ROWS or any(cell.strip() for cell in row):
                    yield number, row
        except (UnicodeDecodeError, csv.Error) as exc:
            if number <= 1:
                raise Refused("not_csv") from exc
            raise Refused("csv_stops", row=number) from exc

    head = [row for _number, row in itertools.islice(records(1), HEAD_ROWS)]
    if not any(any(cell.strip() for cell in row) for row in head):
        raise Refused("empty")
    layout = find_layout(head, (), frozenset(options.get("known") or ()))
    total = max(lines - layout.header_row, 0) * max(len(layout.groups), 1)
    after_head = [
        (number, row)
        for number, row in enumerate(head[layout.header_row :], layout.header_row + 1)
        if any(cell.strip() for cell in row)
    ]
    rows = itertools.chain(after_head, records(len(head) + 1))

    return layout.headers, total, {**layout.meta(), "sheet": "", "sheets": []}, data_rows(layout, rows)


def _bounded(cells: list, limit: int) -> list:
    return [Overlong(len(c)) if isinstance(c, str) and len(c) > limit else c for c in cells]


def _die_with(parent: int) -> None:
    """Linux: be killed when the process that reads our rows dies (a worker killed mid-import)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def main(argv: list[str]) -> int:
    path, kind, limits = argv[0], argv[1], json.loads(argv[2])
    if len(argv) > 3:
        _die_with(int(argv[3]))
    options = json.loads(argv[4]) if len(argv) > 4 else {}
    memory = limits["memory_bytes"]
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = sys.stdout.buffer

    def send(*message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        headers, total, meta, rows = (read_xlsx if kind == "xlsx" else read_csv)(path, limits, options)
        headers = [unicodedata.normalize("NFC", h)[:1000] for h in headers]
        send("head", headers, total, meta)
        batch, skipped = [], []
        for number, cells in rows:
            if isinstance(cells, str):  # a 合计 or 注 row: what it says
                skipped.append((number, cells))
                continue
            batch.append((number, _bounded(cells, limits["max_cell_chars"])))
            if len(batch) >= BATCH:
                if skipped:
                    send("skipped", skipped)
                    skipped = []
                send("rows", batch)
                batch = []
        if skipped:
            send("skipped", skipped)
        if batch:
            send("rows", batch)
        send("end")
    except Refused as exc:
        send("refused", exc.code, exc.params)
    except MemoryError:
        send("refused", "memory", {})
    out.flush()
    return 0


if __name__ == "__main__":
    # Run as the module itself, not as __main__, so that `Overlong` pickles under the name the parent
    # allows.
    from zoneos.tabular import sandbox

    sys.exit(sandbox.main(sys.argv[1:]))
