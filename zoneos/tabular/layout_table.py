"""Finding the table in a sheet the way zone staff lay sheets out, from its first rows only.

A title, blank rows and a subtitle ("填报单位：XX园区  单位：万元") above the header; a header found by the
field names it shares with the import's columns (`known`: normalised texts), over one row or two (a
group heading such as "本月完成" merged over "投资额 | 产值"); year groups ("2024 | 2025" merged over
营业收入/产值/税收) turned into one row per year with a last column "年份"; park names merged down over
their enterprises' rows; 合计 / 小计 / 注 rows below. `find_layout` reads the first rows and says where
the table is; `data_rows` streams the rows after it, one at a time.

Imports nothing from Django (the reader's child process runs it).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .layout import (
    cell_text,
    find_period,
    is_column_numbers,
    is_subtitle,
    normal,
    sheet_unit,
    skip_text,
    split_header,
    unit_alone,
    with_unit,
    year_of,
)

NUMBER = re.compile(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?%?")
HEAD_ROWS = 30  # the header's last row is within the first rows
FILL_BUDGET = 200_000  # cells of the first rows that merged ranges may fill
YEAR_HEADER = "年份"


@dataclass
class Column:
    """One column of the header as a person reads it; `texts` are the ways to name it, best first."""

    texts: tuple[str, ...]
    unit: Decimal | None = None
    year: int | None = None
    text: str = ""  # the chosen one


@dataclass
class Layout:
    headers: list[str]
    units: dict[int, Decimal] = field(default_factory=dict)
    first_row: int = 1  # 1-based: the header's first row
    header_row: int = 1  # 1-based: the header's last row
    title: str = ""
    sheet_unit: Decimal | None = None
    sheet_unit_text: str = ""
    period: tuple | None = None
    score: int = 0  # known headers the header names
    keep: list[int] | None = None  # year groups: the columns every year's row repeats
    groups: list[tuple[int, list[int | None]]] = field(default_factory=list)  # (year, column per field)

    def meta(self) -> dict:
        """Plain values, for the child's message to the reader."""
        return {
            "units": {i: str(u) for i, u in self.units.items()},
            "header_row": self.header_row,
            "title": self.title,
            "sheet_unit": str(self.sheet_unit) if self.sheet_unit is not None else None,
            "sheet_unit_text": self.sheet_unit_text,
            "period": self.period,
        }


@functools.lru_cache(maxsize=8192)
def _keys(text: str) -> tuple[str, str]:
    return normal(split_header(text)[0]), normal(text)


def _matches(text: str, known: frozenset[str]) -> str | None:
    if not text:
        return None
    for key in _keys(text):
        if key in known:
            return key
    return None


def _choose(columns: list[Column], known: frozenset[str]) -> int:
    """Give each column its text (the first the import knows, else the first); the number of
    distinct known headers named."""
    found = set()
    for column in columns:
        column.text = column.texts[0] if column.texts else ""
        for text in column.texts:
            key = _matches(text, known)
            if key:
                column.text = text
                found.add(key)
                break
    return len(found)


class _Grid:
    """The first rows as text: `texts` as written, `down` with merged cells filled down their first
    column, `full` with merged cells filled over their whole range (a group heading over its columns)."""

    def __init__(self, head: list[list], merged: Iterable):
        self.width = max((len(row) for row in head), default=0)
        self.texts = [
            [unicodedata.normalize("NFC", cell_text(v))[:1000] for v in row] + [""] * (self.width - len(row))
            for row in head
        ]
        self.raw = head
        self.down = [list(row) for row in self.texts]
        self.full = [list(row) for row in self.texts]
        self.spans: dict[int, set[int]] = {}
        budget = FILL_BUDGET  # overlapping ranges by the thousand (a hostile file) fill no more than this
        for (r0, c0), (r1, c1) in merged:
            if r0 >= len(head) or c0 >= self.width or r1 < r0 or c1 < c0:
                continue
            budget -= (min(r1, len(head) - 1) - r0 + 1) * (min(c1, self.width - 1) - c0 + 1)
            if budget < 0:
                break
            value = self.texts[r0][c0]
            for r in range(r0, min(r1, len(head) - 1) + 1):
                if r > r0:
                    self.down[r][c0] = value
                for c in range(c0, min(c1, self.width - 1) + 1):
                    self.full[r][c] = value
            if c1 > c0:
                self.spans.setdefault(r0, set()).update(range(c0, min(c1, self.width - 1) + 1))

    def written(self, r: int) -> list[str]:
        return [t for t in self.texts[r] if t]

    def single(self, r: int) -> list[Column]:
        return [Column((t,), split_header(t)[1]) if t else Column(()) for t in self.down[r]]

    def pair(self, p: int, c: int) -> list[Column]:
        parents, children = list(self.full[p]), self.down[c]
        for i in range(1, self.width):  # a heading written once over blank cells (csv, centred text)
            left = parents[i - 1]
            if not parents[i] and children[i] and left and children[i - 1] and left != children[i - 1]:
                parents[i] = left
        columns = []
        for i in range(self.width):
            parent, child = parents[i], children[i]
            if not parent or parent == child:
                columns.append(Column((child,), split_header(child)[1]) if child else Column(()))
                continue
            if not child:
                columns.append(Column((parent,), split_header(parent)[1]))
                continue
            (parent_label, parent_unit), child_unit = split_header(parent), split_header(child)[1]
            alone, money = unit_alone(child)
            if alone:  # a row of units under the header: "万元", "亩"
                if money is not None:
                    columns.append(Column((with_unit(parent_label, money),), money))
                else:
                    bare = child.strip().strip("（()）").strip()
                    columns.append(Column((f"{parent_label}（{bare}）", parent), parent_unit))
                continue
            unit = child_unit if child_unit is not None else parent_unit
            parent_year = year_of(self.raw[p][i] if i < len(self.raw[p]) else None) or year_of(parent)
            child_year = year_of(self.raw[c][i] if i < len(self.raw[c]) else None) or year_of(child)
            if parent_year and not child_year and _wordy(child):
                columns.append(Column((with_unit(child, unit),), unit, parent_year))
            elif child_year and not parent_year:
                columns.append(Column((with_unit(parent_label, unit),), unit, child_year))
            else:
                joined = f"{parent_label} {child}"
                texts = (with_unit(joined, unit), with_unit(child, unit), with_unit(parent, unit))
                columns.append(Column(texts, unit))
        return columns

    def is_year_heading(self, r: int, columns: list[Column]) -> bool:
        """Row `r` heads year groups: written like a header (two cells or more, no subtitle), with
        years over two columns or more that have headings under them."""
        written = self.written(r)
        if len(written) < 2 or is_subtitle(written):
            return False
        return sum(1 for i, c in enumerate(columns) if c.year and year_of(self.full[r][i])) >= 2

    def units_below(self, r: int) -> bool:
        """Row `r` holds only units (two or more): a row of units under the header."""
        written = self.written(r) if r < len(self.texts) else []
        return len(written) >= 2 and all(unit_alone(t)[0] for t in written)

    def years_below(self, r: int) -> bool:
        """Row `r` holds only years (two or more), one of them under a blank or merged cell: the years
        under field headings merged over them (not a first data row of years)."""
        row = self.raw[r] if r < len(self.raw) else []
        written = [i for i, v in enumerate(row) if cell_text(v)]
        return (
            len(written) >= 2
            and all(year_of(row[i]) for i in written)
            and any(not self.texts[r - 1][i] for i in written)
        )


def _wordy(text: str) -> bool:
    """A heading, not a figure."""
    return not NUMBER.fullmatch(text.replace(",", "").strip())


def _duplicates(columns: list[Column]) -> bool:
    keys = [normal(c.text) for c in columns if c.text]
    return len(keys) != len(set(keys))


def _fallback_row(grid: _Grid) -> int:
    """Without known headers: the first row of two cells or more that is not a subtitle."""
    first_written = None
    for r in range(len(grid.texts)):
        written = grid.written(r)
        if written and first_written is None:
            first_written = r
        if len(written) >= 2 and not is_subtitle(written):
            return r
    return first_written or 0


def _header(grid: _Grid, known: frozenset[str]) -> tuple[int, int, list[Column], int]:
    """(first row, last row, columns, score) of the header, rows 0-based."""
    rows = len(grid.texts)
    best = (-1, 0, 0, [])  # score, first, last, columns
    if known:
        for r in range(rows):
            columns = grid.single(r)
            score = _choose(columns, known)
            if score > best[0]:
                best = (score, r, r, columns)
        single_score = best[0]
        # A header over two rows ends at most a row below the best single row (when one matched).
        last = min(rows, best[1] + 2) if single_score > 0 else rows
        for r in range(1, last):
            if not grid.written(r - 1) or not grid.written(r):
                continue
            columns = grid.pair(r - 1, r)
            score = _choose(columns, known)
            if score > single_score and score > best[0]:
                best = (score, r - 1, r, columns)
    if best[0] > 0 and best[1] != best[2]:
        return best[1], best[2], best[3], best[0]
    score = max(best[0], 0)
    if score > 0:
        h, columns = best[1], best[3]
    else:
        h = _fallback_row(grid)
        columns = grid.single(h)
        _choose(columns, known)
    # Two-row headers the score alone does not tell from a header over its first data row.
    if h > 0:
        above = grid.pair(h - 1, h)
        _choose(above, known)
        if grid.is_year_heading(h - 1, above):
            return h - 1, h, above, score
        if _duplicates(columns) and not _duplicates(above) and len(grid.written(h - 1)) >= 2:
            return h - 1, h, above, score
    if h + 1 < rows:
        below = grid.pair(h, h + 1)
        _choose(below, known)
        if grid.is_year_heading(h, below) or grid.years_below(h + 1) or grid.units_below(h + 1):
            return h, h + 1, below, max(score, _choose(below, known))
        spanned = grid.spans.get(h, set())
        if not known and sum(1 for c in spanned if grid.texts[h + 1][c]) >= 2:
            return h, h + 1, below, score
    return h, h, columns, score


def find_layout(
    head: list[list], merged: Iterable = (), known: frozenset[str] = frozenset(), sheet=""
) -> Layout:
    """Where the table is in a sheet whose first rows are `head` (lists of cell values; `merged`:
    ((row, column), (row, column)) ranges, 0-based, inclusive), scored against `known`."""
    head = head[:HEAD_ROWS]
    known = frozenset(normal(k) for k in known)
    grid = _Grid(head, list(merged))
    first, last, columns, score = _header(grid, known)
    layout = Layout(headers=[], first_row=first + 1, header_row=last + 1, score=score)
    lines = []
    for r in range(first):
        written = list(dict.fromkeys(grid.written(r)))
        if written:
            lines.append(" ".join(written))
        for text in written:
            found = sheet_unit(text) if layout.sheet_unit is None else None
            if found:
                layout.sheet_unit, layout.sheet_unit_text = found
    layout.title = " ".join(lines)
    layout.period = find_period(layout.title) or (find_period(sheet, bare_year=True) if sheet else None)
    if any(column.year for column in columns):
        _year_groups(layout, columns)
    else:
        headers = [column.text for column in columns]
        while headers and not headers[-1]:  # cells of data rows past the header's last column
            headers.pop()
        layout.headers = headers
        layout.units = {i: c.unit for i, c in enumerate(columns) if c.unit is not None and c.text}
    return layout


def _year_groups(layout: Layout, columns: list[Column]) -> None:
    layout.keep = [i for i, column in enumerate(columns) if not column.year]
    fields: dict[str, int] = {}
    headers = [columns[i].text for i in layout.keep]
    units = {n: columns[i].unit for n, i in enumerate(layout.keep) if columns[i].unit is not None}
    years: dict[int, dict[int, int]] = {}
    for i, column in enumerate(columns):
        if not column.year:
            continue
        key = normal(split_header(column.text)[0])
        if key not in fields:
            fields[key] = len(fields)
            if column.unit is not None:
                units[len(headers)] = column.unit
            headers.append(column.text)
        years.setdefault(column.year, {}).setdefault(fields[key], i)
    layout.groups = [
        (year, [by_field.get(f) for f in range(len(fields))]) for year, by_field in years.items()
    ]
    layout.headers = [*headers, YEAR_HEADER]
    layout.units = units


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def data_rows(layout: Layout, rows: Iterable[tuple[int, list]], merged: Iterable = ()) -> Iterator[tuple]:
    """The data rows after the header, streamed: (number, cells), or (number, text) for a row skipped
    for what it says (合计, 小计, 注...). `rows` are the non-blank rows after the header, with their
    spreadsheet row numbers; `merged` the sheet's merged ranges (0-based), whose top-left value is
    filled down the range's first column."""
    fills = sorted(
        ((r0, c0, r1) for (r0, c0), (r1, _c1) in merged if r0 >= layout.header_row and r1 > r0),
        key=lambda fill: fill[0],
    )
    rows = iter(rows)
    columns = sum(1 for header in layout.headers if header)
    for number, cells in rows:  # the first row may number the columns ("甲 乙 1 2 3")
        if not fills and is_column_numbers(cells, columns):
            yield number, " ".join(cell_text(c) for c in cells if cell_text(c))
        else:
            rows = itertools.chain([(number, cells)], rows)
        break
    if not fills and layout.keep is None:  # the common case, kept fast (100,000 rows of csv)
        for number, cells in rows:
            said = skip_text(cells)
            yield (number, said) if said else (number, cells)
        return
    yield from _laid_out(layout, rows, fills)


def _laid_out(layout: Layout, rows: Iterator[tuple[int, list]], fills: list) -> Iterator[tuple]:
    active: dict[int, tuple[int, object]] = {}  # column -> (last row, value)
    next_fill = 0
    first = True
    columns = sum(1 for header in layout.headers if header)
    for number, cells in rows:
        index = number - 1
        if fills:
            while next_fill < len(fills) and fills[next_fill][0] <= index:
                r0, c0, r1 = fills[next_fill]
                next_fill += 1
                if r0 == index and c0 < len(cells) and not _blank(cells[c0]):
                    active[c0] = (r1, cells[c0])
            for column, (r1, value) in list(active.items()):
                if index > r1:
                    del active[column]
                elif column < len(cells) and _blank(cells[column]):
                    cells[column] = value
        said = skip_text(cells)
        if said:
            yield number, said
            continue
        if first:
            first = False
            if fills and is_column_numbers(cells, columns):
                yield number, " ".join(cell_text(c) for c in cells if cell_text(c))
                continue
        if layout.keep is None:
            yield number, cells
            continue
        kept = [cells[i] if i < len(cells) else None for i in layout.keep]
        wrote = False
        for year, sources in layout.groups:
            values = [cells[s] if s is not None and s < len(cells) else None for s in sources]
            if all(_blank(v) for v in values):
                continue
            wrote = True
            yield number, [*kept, *values, year]
        if not wrote and layout.groups:  # no figure for any year: the row still names its record
            year, sources = layout.groups[0]
            yield number, [*kept, *([None] * len(sources)), year]
