"""The briefing as an xlsx workbook: a summary sheet (headline and totals), a sheet by area, the red and
yellow projects, and the milestones due next month. Numbers stay numbers (money in the briefing's unit,
rates as fractions shown as percentages), so the sheets can be summed and charted."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zoneos.tabular.export import safe

from .briefing import HEX, fraction

MONEY, RATE, POINTS, COUNT, DATE = "#,##0.00", "0.0%", "+0.0;-0.0;0.0", "0", "yyyy-mm-dd"
THIN = Side(style="thin", color="9AA5B1")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7ECF3")
BOLD = Font(bold=True)


def _with_unit(label: str, data: dict) -> str:
    return f"{label} ({data['unit']})" if data["english"] else f"{label}（{data['unit']}）"


def _text(value):
    # Names typed by people may start with "=": never let a spreadsheet run them.
    return safe(value) if isinstance(value, str) else value


def _table(sheet, start_row: int, headers: list[str], rows: list[list], formats: list[str | None]) -> None:
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=col, value=header)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=start_row + 1):
        for col, (value, number_format) in enumerate(zip(row, formats, strict=True), start=1):
            cell = sheet.cell(row=r, column=col, value=_text(value))
            cell.border = BOX
            if number_format:
                cell.number_format = number_format
    if rows:
        sheet.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{start_row + len(rows)}"
    sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)


def _widths(sheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def _status_fill(cell, color: str) -> None:
    cell.fill = PatternFill("solid", fgColor=HEX[color].lstrip("#"))
    cell.font = Font(bold=True, color="FFFFFF")


def _summary(sheet, data: dict) -> None:
    sheet.title = _("Summary")
    sheet["A1"] = _text(f"{data['area_name']}{' ' if data['english'] else ''}{data['title']}")
    sheet["A1"].font = Font(bold=True, size=14, color="B42318")
    sheet["A2"] = data["period"]
    sheet["A3"] = _text(data["headline"])
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    sheet.row_dimensions[3].height = 48
    rows = [[f["label"], f["value"], f["unit"]] for f in data["totals"]]
    _table(sheet, 5, [_("Figure"), _("Value"), _("Unit")], rows, [None, None, None])
    for offset, figure in enumerate(data["totals"], start=6):
        sheet.cell(row=offset, column=2).number_format = figure["format"]
        if figure["key"] == "status" and data["status"]:
            _status_fill(sheet.cell(row=offset, column=2), data["status_color"])
    sheet.freeze_panes = None
    last = 6 + len(data["totals"])
    for offset, note in enumerate(data["notes"], start=last + 1):
        sheet.cell(row=offset, column=1, value=note).font = Font(size=9, color="6B7785")
    sheet.cell(row=last + len(data["notes"]) + 2, column=1, value=_("Generated at")).font = Font(size=9)
    sheet.cell(row=last + len(data["notes"]) + 2, column=2, value=data["generated_at"].replace(tzinfo=None))
    sheet.cell(row=last + len(data["notes"]) + 2, column=2).number_format = "yyyy-mm-dd hh:mm"
    _widths(sheet, [36, 20, 16])


def _by_area(sheet, data: dict) -> None:
    headers = [
        _("Rank"),
        _("Area"),
        _with_unit(_("Annual plan"), data),
        _with_unit(_("Completed to date"), data),
        _("Completion rate"),
        _("Against time progress (points)"),
        _("Status"),
        _("Key projects"),
        _("Red warnings"),
        _("Yellow warnings"),
    ]
    rows = [
        [
            c["rank"],
            c["name"],
            c["annual_plan_value"],
            c["completed_value"],
            c["rate"],
            c["gap"],
            c["status_label"] if c["status"] else "",
            c["projects"],
            c["red_count"],
            c["yellow_count"],
        ]
        for c in data["children"]
    ]
    _table(sheet, 1, headers, rows, [COUNT, None, MONEY, MONEY, RATE, POINTS, None, COUNT, COUNT, COUNT])
    for r, child in enumerate(data["children"], start=2):
        if child["status"]:
            _status_fill(sheet.cell(row=r, column=7), child["color"])
    _widths(sheet, [7, 28, 16, 16, 11, 14, 16, 10, 10, 10])


def _warnings(sheet, data: dict) -> None:
    headers = [
        _("Warning"),
        _("Key project"),
        _("Area"),
        _with_unit(_("Annual plan"), data),
        _with_unit(_("Completed to date"), data),
        _("Completion rate"),
        _("Against time progress (points)"),
    ]
    rows, colors = [], []
    for level, label, color in (
        ("red", _("Red warning"), "danger"),
        ("yellow", _("Yellow warning"), "warning"),
    ):
        for p in data[level]:
            rows.append(
                [
                    label,
                    p["name"],
                    p["area_name"],
                    p["annual_plan_value"],
                    p["completed_value"],
                    p["rate"],
                    p["gap"],
                ]
            )
            colors.append(color)
    _table(sheet, 1, headers, rows, [None, None, None, MONEY, MONEY, RATE, POINTS])
    for r, color in enumerate(colors, start=2):
        _status_fill(sheet.cell(row=r, column=1), color)
    _widths(sheet, [12, 34, 20, 16, 16, 11, 14])


def _milestones(sheet, data: dict) -> None:
    headers = [
        _("Planned date"),
        _("Milestone"),
        _("Key project"),
        _("Area"),
        _("Kind"),
        _with_unit(_("Annual plan"), data),
    ]
    rows = [
        [
            m["date"],
            m["milestone_label"],
            m["name"],
            m["area_name"],
            m["kind_label"],
            m["annual_plan"] / data["divisor"],
        ]
        for m in data["milestones"]
    ]
    _table(sheet, 1, headers, rows, [DATE, None, None, None, None, MONEY])
    _widths(sheet, [13, 12, 34, 20, 10, 16])


def _policy_money(sheet, data: dict) -> None:
    money = data["policy_money"]
    headers = [
        _("Department"),
        _("Applications"),
        _with_unit(_("Approved"), data),
        _with_unit(_("Paid"), data),
        _("On-time payment rate"),
        _("Median working days"),
    ]
    rows = [
        [d["label"], d["applications"], Decimal(d["approved_amount"]) / data["divisor"],
         Decimal(d["paid_amount"]) / data["divisor"], fraction(d["on_time_rate"]),
         fraction(d["median_days_to_payment"])]
        for d in money["by_department"]
    ]  # fmt: skip
    _table(sheet, 1, headers, rows, [None, COUNT, MONEY, MONEY, RATE, "0.0"])
    _widths(sheet, [28, 12, 16, 16, 12, 14])


def _innovation(sheet, data: dict) -> None:
    i = data["innovation"]
    r, space = i["research"], i["space"]
    rows = [
        [_("Innovation platforms in force"), i["platforms"]["total"], COUNT],
        *([f"  {row['label']}", row["count"], COUNT] for row in i["platforms"]["levels"]),
        [_("Research projects under contract"), r["projects"], COUNT],
        [_with_unit(_("Research budget"), data), Decimal(r["budget"]) / data["divisor"], MONEY],
        [_with_unit(_("Research funds spent"), data), Decimal(r["spent"]) / data["divisor"], MONEY],
        [_("Share of the budget spent"), fraction(r["spent_rate"]), RATE],
        [_("Park space (m²)"), space["floor_area_m2"], "#,##0"],
        [_("Vacancy rate"), fraction(space["vacancy_rate"]), RATE],
        [_("Under renovation in %(year)s") % {"year": i["year"]} + " (m²)", space["renovation_m2"], "#,##0"],
    ]
    _table(sheet, 1, [_("Figure"), _("Value")], [row[:2] for row in rows], [None, None])
    for offset, row in enumerate(rows, start=2):
        sheet.cell(row=offset, column=2).number_format = row[2]
    _widths(sheet, [40, 18])


def workbook(data: dict) -> bytes:
    book = Workbook()
    _summary(book.active, data)
    _by_area(book.create_sheet(_("By area")), data)
    _warnings(book.create_sheet(_("Red and yellow projects")), data)
    _milestones(book.create_sheet(_("Milestones due")), data)
    _policy_money(book.create_sheet(_("Policy money")), data)
    _innovation(book.create_sheet(_("Innovation and space")), data)
    book.properties.title = f"{data['area_name']} {data['title']} {data['period']}"
    book.properties.creator = "ZoneOS"
    handle = io.BytesIO()
    book.save(handle)
    return handle.getvalue()
