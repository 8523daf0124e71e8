"""The table reader's child process: it reads an uploaded file under a memory limit and streams its rows
back, so that a spreadsheet bomb the checks below miss kills this child, never the web process or the
task worker.

`python -m zoneos.tabular.sandbox PATH FORMAT LIMITS_JSON` sets RLIMIT_AS (the address space: the
kernel refuses any allocation past it, Python raises MemoryError and calamine's Rust code aborts)
and RLIMIT_CORE 0, then checks the file before anything grows with it:

- xlsx: every zip member's declared unpacked size (a zip bomb declares gigabytes; one that lies is
  stopped at its declared size by `zipfile` and fails its checksum), then one streaming pass over the
  first sheet and the shared strings: the sheet's declared <dimension>, the largest row and column any
  cell names (calamine allocates the whole rectangle up to the furthest cell: one cell at XFD1048576
  is 17 billion cells), the number of shared strings, and any run of text longer than a cell may be;
- csv: the longest line, before the csv module reads one into memory.

Only then is the file parsed (calamine for xlsx, the csv module for csv). The child writes pickled
messages to stdout: ("head", headers, total), ("rows", [(number, cells), ...]), ("refused", code,
params) and ("end",). It imports nothing from Django: the parent translates the refusal codes.
"""

from __future__ import annotations

import csv
import ctypes
import io
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


def _attribute(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb"\s" + name + rb'="([^"]*)"', tag)
    return match.group(1).decode() if match else None


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet (the one calamine reads as index 0). Read with regular
    expressions, not an XML parser: these two parts are small, and nothing in them is expanded."""
    try:
        sheet = SHEET_TAG.search(book.read("xl/workbook.xml"))
        wanted = ID_ATTRIBUTE.search(sheet.group(0)).group(1).decode()
        rels = book.read("xl/_rels/workbook.xml.rels")
        target = next(
            _attribute(tag, b"Target")
            for tag in RELATIONSHIP_TAG.findall(rels)
            if _attribute(tag, b"Id") == wanted
        )
    except (KeyError, AttributeError, StopIteration) as exc:
        raise Refused("not_xlsx") from exc
    if not target:
        raise Refused("not_xlsx")
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def check_xlsx(path: str, limits: dict) -> None:
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused("not_xlsx") from exc
    with book:
        members = book.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits["max_unpacked_bytes"]:
            raise Refused("unpacks_too_big", size=unpacked, limit=limits["max_unpacked_bytes"])
        names = {m.filename for m in members}
        for small in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if small in names and book.getinfo(small).file_size > 16 * 1024 * 1024:
                raise Refused("unpacks_too_big", size=book.getinfo(small).file_size, limit=16 * 1024 * 1024)
        sheet = _first_sheet(book)
        if sheet not in names:
            raise Refused("not_xlsx")
        extent = {"row": 0, "column": 0, "dimension_checked": False}

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

        strings = {"count": 0}

        def strings_block(data: bytes) -> None:
            strings["count"] += data.count(b"<si>") + data.count(b"<si ")
            if strings["count"] > limits["max_cells"]:
                raise Refused("too_many_cells", cells=strings["count"], limit=limits["max_cells"])

        try:
            with book.open(sheet) as stream:
                _scan_text_runs(stream, limits, on_block=sheet_block)
            if "xl/sharedStrings.xml" in names:
                with book.open("xl/sharedStrings.xml") as stream:
                    _scan_text_runs(stream, limits, on_block=strings_block)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError) as exc:
            raise Refused("not_xlsx") from exc  # a member that lies about its size fails its checksum


def read_xlsx(path: str, limits: dict):
    check_xlsx(path, limits)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(path)
        sheet = book.get_sheet_by_index(0)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise Refused("not_xlsx") from exc
    iterator = iter(sheet.iter_rows())
    try:
        headers = [str(h) for h in next(iterator)]
    except StopIteration as exc:
        raise Refused("empty") from exc
    total = max(sheet.total_height - 1, 0)

    def rows():
        for number, row in enumerate(iterator, start=2):
            if any(cell not in ("", None) for cell in row):
                yield number, list(row)

    return headers, total, rows()


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


def read_csv(path: str, limits: dict):
    raw = open(path, "rb")  # noqa: SIM115 (closed with the process)
    total = max(check_csv(raw, limits) - 1, 0)
    head = raw.read(65536)
    raw.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")  # a multi-byte character may be cut at the end of the sample
    except UnicodeDecodeError as exc:
        # A character cut at the end of the sample is "unexpected end of data" (its position counts
        # from after a BOM, so it cannot be compared with the sample's length).
        if exc.reason != "unexpected end of data":
            encoding = "gb18030"
    csv.field_size_limit(limits["max_line_bytes"])
    reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""))
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise Refused("empty") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise Refused("not_csv") from exc
    if len(headers) > limits["max_columns"]:
        raise Refused("too_many_columns", columns=len(headers), limit=limits["max_columns"])

    def rows():
        number = 1
        try:
            for number, row in enumerate(reader, start=2):  # noqa: B007 (the row of an error)
                if number - 1 > limits["max_rows"]:
                    raise Refused("too_many_rows", rows=total, limit=limits["max_rows"])
                if len(row) > limits["max_columns"]:
                    raise Refused("too_many_columns", columns=len(row), limit=limits["max_columns"])
                if any(cell.strip() for cell in row):
                    yield number, row
        except (UnicodeDecodeError, csv.Error) as exc:
            raise Refused("csv_stops", row=number) from exc

    return headers, total, rows()


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
    memory = limits["memory_bytes"]
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = sys.stdout.buffer

    def send(*message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        headers, total, rows = (read_xlsx if kind == "xlsx" else read_csv)(path, limits)
        headers = [unicodedata.normalize("NFC", h)[:1000] for h in headers]
        send("head", headers, total)
        batch = []
        for number, cells in rows:
            batch.append((number, _bounded(cells, limits["max_cell_chars"])))
            if len(batch) >= BATCH:
                send("rows", batch)
                batch = []
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
