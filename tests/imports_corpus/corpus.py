"""What a corpus sheet is: the workbook's bytes, the import kind it is for, and what importing it must
do (the amounts stored in yuan, the rows skipped, the rows refused), plus the openpyxl habits of zone
staff that every builder shares (a merged title, a subtitle with the unit, bold two-row headers, a
totals row, a note at the bottom)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Stored:
    """After the import, the record found by `lookup` holds `value` in `field` (money in yuan)."""

    model: str  # "enterprises.Indicator"
    lookup: tuple[tuple[str, object], ...]  # (("enterprise__uscc", "9144..."), ("year", 2025))
    field: str
    value: object
    sheet: str = ""  # the cell as the sheet shows it, for the guide ("63293 万元")


@dataclass
class Expected:
    stored: list[Stored] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)  # model -> records the commit creates
    skipped: tuple[int, ...] = ()  # row numbers of totals, subtotals and notes
    errors: dict[int, str] = field(default_factory=dict)  # row number -> header the error names
    asks_unit_for: str = ""  # a money column whose unit the dry run must ask for
    kept: list[Stored] = field(default_factory=list)  # values blank cells must leave as they were

    @property
    def imports(self) -> bool:
        return not self.errors and not self.asks_unit_for


@dataclass
class Sheet:
    slug: str  # the file's name without extension
    kind: str  # the import kind
    description: str
    data: bytes
    expected: Expected
    extension: str = "xlsx"

    @property
    def file_name(self) -> str:
        return f"{self.slug}.{self.extension}"


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class Book:
    """A worksheet written top to bottom the way staff lay one out."""

    def __init__(self, sheet_title: str, width: int, *, other_sheets: tuple[str, ...] = ()):
        self.workbook = Workbook()
        self.ws: Worksheet = self.workbook.active
        self.ws.title = sheet_title
        for name in other_sheets:  # a cover or an instructions sheet before the table, as often
            self.workbook.create_sheet(name, 0).append([name])
        self.width = width
        self.row = 0

    def title(self, text: str) -> int:
        self.row += 1
        self.ws.cell(self.row, 1, text).font = Font(name="宋体", size=16, bold=True)
        self.ws.cell(self.row, 1).alignment = CENTER
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        self.ws.row_dimensions[self.row].height = 30
        return self.row

    def subtitle(self, left: str = "", right: str = "") -> int:
        """ "填报单位：..." on the left, "单位：万元" on the right, as in most statistical forms."""
        self.row += 1
        if left:
            self.ws.cell(self.row, 1, left)
        if right:
            cell = self.ws.cell(self.row, self.width, right)
            cell.alignment = Alignment(horizontal="right")
        return self.row

    def header(self, labels: list, *, groups: list[tuple[str, int, int]] = ()) -> int:
        """One header row, or two when `groups` name (text, first column, last column) spans above
        it; the columns outside any group are merged down over both rows."""
        if groups:
            self.row += 1
            grouped = set()
            for text, first, last in groups:
                self.ws.cell(self.row, first, text)
                self.ws.merge_cells(start_row=self.row, start_column=first, end_row=self.row, end_column=last)
                grouped.update(range(first, last + 1))
            for column, label in enumerate(labels, start=1):
                if column not in grouped:
                    self.ws.cell(self.row, column, label)
                    self.ws.merge_cells(
                        start_row=self.row, start_column=column, end_row=self.row + 1, end_column=column
                    )
        self.row += 1
        for column, label in enumerate(labels, start=1):
            if not groups or column in grouped:
                self.ws.cell(self.row, column, label)
        for r in range(self.row - (1 if groups else 0), self.row + 1):
            for column in range(1, self.width + 1):
                cell = self.ws.cell(r, column)
                cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
        for column in range(1, self.width + 1):
            self.ws.column_dimensions[get_column_letter(column)].width = 14
        return self.row

    def data(self, values: list, *, number_format: str = "#,##0.00") -> int:
        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, column, value)
            cell.border = BOX
            if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
                cell.number_format = number_format if isinstance(value, float | Decimal) else "0"
        return self.row

    def merge_down(self, column: int, first: int, last: int) -> None:
        """A cell that names a group (a park) merged down over its rows; only the top cell holds text."""
        if last > first:
            self.ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
            self.ws.cell(first, column).alignment = CENTER

    def blank(self) -> int:
        self.row += 1
        return self.row

    def note(self, text: str) -> int:
        self.row += 1
        self.ws.cell(self.row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        self.ws.row_dimensions[self.row].height = 45
        return self.row

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def number(text: str) -> float:
    """A number typed into a cell: Excel holds it as a double, as openpyxl writes it."""
    return float(text)


def total(values) -> float:
    """A totals row's figure, as the sheet's SUM would show it (rounded to the cents of 万元)."""
    return round(sum(float(v) for v in values if isinstance(v, int | float)), 2)


def as_csv(book: Book) -> bytes:
    """The sheet saved as "CSV" by Excel on Chinese Windows: GB 18030, every row (title, subtitle,
    totals and notes too), merged cells empty but their first, cells as they are displayed."""
    import csv

    def shown(cell) -> str:
        value = cell.value
        if value is None:
            return ""
        if hasattr(value, "year") and hasattr(value, "month"):
            return f"{value.year}/{value.month}/{value.day}"
        if isinstance(value, float | Decimal) and "#,##0.00" in cell.number_format:
            return f"{value:,.2f}"
        return str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in book.ws.iter_rows():
        writer.writerow([shown(cell) for cell in row])
    return buffer.getvalue().encode("gb18030")
