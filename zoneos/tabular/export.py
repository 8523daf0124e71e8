"""Exports of any filtered list to csv or xlsx, streamed, with spreadsheet formula injection escaped;
each export is written to the security log with its user, list, format and number of rows.

A text cell that starts with =, +, -, @, |, their full-width forms (＝ ＋ － ＠), a tab, a line break or
another control character could be run as a formula when the file is opened; such cells are written with
a leading apostrophe (OWASP's advice). Control characters that xlsx cannot hold (NUL, BEL, ESC...; a
stored name may carry one) are dropped from xlsx cells, since openpyxl refuses them and the whole export
would fail; csv keeps them. Numbers stay numbers in xlsx (a negative amount is not escaped), so sums
work in the exported sheet. Yes/no values read in the active language (Yes/No, 是/否), like the headers.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS = ("=", "+", "-", "@", "|", "\t", "\r", "\n", "＝", "＋", "－", "＠")


@dataclass
class ExportColumn:
    header: str
    value: Callable[[object], object]


def yes_no() -> tuple[str, str]:
    """The words for True and False in the active language."""
    return gettext("Yes"), gettext("No")


def safe(value, words: tuple[str, str] | None = None, *, for_csv: bool = False):
    """A cell value that a spreadsheet shows as it is and never evaluates. `words` are the yes/no words
    (default: the active language's, looked up now). Text for xlsx (the default) loses the control
    characters xlsx cannot hold; text for csv (`for_csv=True`) keeps them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = words or yes_no()
        return yes if value else no
    if isinstance(value, Decimal | int | float):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if not for_csv:
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(DANGEROUS) or (text and ILLEGAL_CHARACTERS_RE.match(text[0])):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _csv(
    rows: Iterable, columns: list[ExportColumn], words: tuple[str, str], done: Callable[[int, bool], None]
):
    writer = csv.writer(_Echo())
    count, complete = 0, False
    try:
        yield "\ufeff"  # Excel opens UTF-8 with a BOM as UTF-8
        yield writer.writerow([safe(c.header, for_csv=True) for c in columns])
        for row in rows:
            line = writer.writerow([_plain(safe(c.value(row), words, for_csv=True)) for c in columns])
            count += 1
            yield line
        complete = True
    finally:  # also when the download is broken off: what was sent is logged
        done(count, complete)


def _plain(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def _logger(request, basename: str, fmt: str) -> Callable[[int, bool], None]:
    """Writes the export to the security log (who exported which list, how many rows, from where)."""
    from zoneos.security.events import record
    from zoneos.security.models import EventKind

    def done(count: int, complete: bool) -> None:
        detail = {"kind": basename, "format": fmt, "rows": count, "complete": complete}
        if request.GET:
            detail["query"] = request.GET.urlencode()[:500]
        record(EventKind.EXPORT, request, detail=detail)

    return done


def response(rows: Iterable, columns: list[ExportColumn], basename: str, fmt: str, *, request):
    """The file of `rows`; `request` is the one asking for it: every export is in the security log."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # Looked up while the request's language is active: a streamed body is written after the view
    # has returned, when the server may be in another thread or language.
    words = yes_no()
    done = _logger(request, basename, fmt)
    if fmt == "csv":
        answer = StreamingHttpResponse(
            _csv(rows, columns, words, done), content_type="text/csv; charset=utf-8"
        )
        answer["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
        return answer
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(basename[:31])
    sheet.append([safe(c.header) for c in columns])
    count = 0
    for row in rows:
        sheet.append([safe(c.value(row), words) for c in columns])
        count += 1
    done(count, True)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{basename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def template(headers: list[str], notes: list[tuple[str, str]], basename: str, notes_title: str = "Notes"):
    """An empty workbook with the import's headers, and a second sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = basename[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(header) * 2)
    help_sheet = book.create_sheet(notes_title[:31])
    for row in notes:
        help_sheet.append(list(row))
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 90
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{basename}-template.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
