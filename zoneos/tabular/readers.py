"""Reading uploaded tables row by row, whatever their format, with headers in Chinese or English.

CSV is streamed (UTF-8 with or without BOM, or GB 18030, as Excel saves it on Chinese Windows); xlsx
is read with calamine (fast; the first sheet). Rows come out with their spreadsheet row number (the
header is row 1) so every error can point at the cell a person has to fix.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.utils.translation import gettext as _

# "产值（万元）", "Output value (10k yuan)": the unit in brackets scales the column's money to yuan.
UNIT_PATTERN = re.compile(r"[（(]\s*(?:单位[:：]?\s*)?([^)）]*)\s*[)）]\s*$")
UNITS = {
    "元": Decimal(1),
    "yuan": Decimal(1),
    "万元": Decimal(10_000),
    "10k yuan": Decimal(10_000),
    "ten thousand yuan": Decimal(10_000),
    "亿元": Decimal(100_000_000),
    "100m yuan": Decimal(100_000_000),
}


class FileError(Exception):
    """The file as a whole cannot be read (not the format it claims, no header, ...)."""


def split_header(raw: str) -> tuple[str, Decimal | None]:
    text = str(raw or "").strip().replace("\n", "")
    match = UNIT_PATTERN.search(text)
    if match:
        unit = UNITS.get(match.group(1).strip().lower())
        return text[: match.start()].strip(), unit
    return text, None


def normal(header: str) -> str:
    return re.sub(r"[\s_\-*]+", "", header).lower()


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list]]
    total: int = 0
    units: dict[int, Decimal] = field(default_factory=dict)


def _decode_stream(raw: IO[bytes]) -> IO[str]:
    head = raw.read(65536)
    raw.seek(0)
    encoding = "utf-8-sig"
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            encoding = "gb18030"
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _count_lines(raw: IO[bytes]) -> int:
    count = 0
    while chunk := raw.read(1 << 20):
        count += chunk.count(b"\n")
    raw.seek(0)
    return count


def read_csv(raw: IO[bytes]) -> Table:
    total = max(_count_lines(raw) - 1, 0)
    text = _decode_stream(raw)
    reader = csv.reader(text)
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise FileError(_("The file is empty.")) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FileError(_("The file is not a readable CSV table.")) from exc

    def rows():
        try:
            for number, row in enumerate(reader, start=2):
                if any(cell.strip() for cell in row):
                    yield number, row
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileError(
                _("The file stops being a readable CSV table after row %(row)d.") % {"row": number}
            ) from exc

    return Table(headers, rows(), total)


def read_xlsx(raw: IO[bytes]) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, XmlError, ZipError

    try:
        book = CalamineWorkbook.from_filelike(raw)
        sheet = book.get_sheet_by_index(0)
    except (CalamineError, XmlError, ZipError, ValueError, IndexError, OSError) as exc:
        raise FileError(_("The file is not a readable xlsx workbook.")) from exc
    iterator = iter(sheet.iter_rows())
    try:
        headers = [str(h) for h in next(iterator)]
    except StopIteration as exc:
        raise FileError(_("The file is empty.")) from exc
    total = max(sheet.total_height - 1, 0)

    def rows():
        for number, row in enumerate(iterator, start=2):
            if any(cell not in ("", None) for cell in row):
                yield number, list(row)

    return Table(headers, rows(), total)


def open_table(raw: IO[bytes], name: str) -> Table:
    lower = name.lower()
    if lower.endswith(".csv"):
        return read_csv(raw)
    if lower.endswith((".xlsx", ".xlsm")):
        return read_xlsx(raw)
    raise FileError(_("Upload a .csv or .xlsx file."))


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
    return number
