"""Yearly figures as zones collect them: a two-year sheet with the years as column groups (2024 | 2025
merged over 营业收入 / 工业总产值 / 税收), its units written three ways, cells that say "nothing" (—,
未报) and cells where a formula failed (#N/A, #DIV/0!); and the one-column sheets that pin down each
way of stating a unit, a column with no unit at all, and a number no amount can be."""

from __future__ import annotations

from decimal import Decimal

from .corpus import Book, Expected, Sheet, Stored, number, total
from .zone import DIANCHI, JINGMI, SHENGWU, ZHILIAN, ZONE_SHORT, wan

I = "enterprises.Indicator"  # noqa: E741
FIELDS = ("revenue", "output_value", "tax_paid")
# enterprise -> {year: (营业收入, 工业总产值, 税收) in 万元}; "—" and "未报" are blanks.
FIGURES = {
    JINGMI: {2024: ("56000", "52000", "—"), 2025: ("63293", "58760.5", "2388.6")},
    DIANCHI: {2024: ("130200", "121000.8", "4860"), 2025: ("148650.75", "139872.3", "5230.12")},
    ZHILIAN: {2024: ("31200", "29800", "987"), 2025: ("34512.6", "33020", "1050.3")},
    SHENGWU: {2024: ("4560.2", "4230", "156.8"), 2025: ("6789.45", "未报", "210.33")},
}
# Where a formula failed, in the sheet with errors: (enterprise, year, column index in FIELDS).
FAILED = {(DIANCHI, 2025, 2): "#DIV/0!", (ZHILIAN, 2025, 0): "#N/A"}
# How each variant names the three columns, and what a cell holds for a figure in 万元.
VARIANTS = {
    "line": (("营业收入", "工业总产值", "税收"), "单位：万元", Decimal(1)),
    "thousand": (("营业收入（千元）", "工业总产值（千元）", "税收（千元）"), "", Decimal(10)),
    "slash": (("营业收入/万元", "工业总产值/万元", "税收/万元"), "", Decimal(1)),
}
BLANKS = ("—", "未报")


def two_years(variant: str = "line", *, with_errors: bool = False) -> Sheet:
    labels, unit_line, factor = VARIANTS[variant]
    headers = ["序号", "企业名称", "统一社会信用代码", *labels, *labels, "备注"]
    book = Book("主要指标", len(headers))
    book.title(f"{ZONE_SHORT}重点企业主要经济指标（2024-2025年）")
    book.subtitle("填报单位：东江高新区统计局", unit_line)
    book.header(headers, groups=[("2024年", 4, 6), ("2025年", 7, 9)])
    expected = Expected(created={I: 5})
    columns = []
    for index, (firm, years) in enumerate(FIGURES.items(), start=1):
        cells = [index, firm.name, firm.uscc]
        for year in (2024, 2025):
            for position, text in enumerate(years[year]):
                failed = FAILED.get((firm, year, position)) if with_errors else None
                cells.append(failed or (text if text in BLANKS else number(str(Decimal(text) * factor))))
        row = book.data([*cells, None])
        columns.append(cells)
        if any(key[0] is firm for key in FAILED) and with_errors:
            expected.errors[row] = labels[next(p for (f, _y, p) in FAILED if f is firm)]
        for year in (2024, 2025):
            key = (("enterprise__uscc", firm.uscc), ("year", year))
            for name, text in zip(FIELDS, years[year], strict=True):
                stored = Stored(I, key, name, None if text in BLANKS else wan(text), text)
                if text not in BLANKS:
                    expected.stored.append(stored)
                elif year in firm.figures and name in firm.figures[year]:
                    expected.kept.append(Stored(I, key, name, firm.figures[year][name], text))
                else:
                    expected.kept.append(stored)  # nothing on record, nothing written
    sums = [None, "合计", None] + [total(c[i] for c in columns) for i in range(3, 9)]
    skipped = [book.data([*sums, None])]
    skipped.append(book.note("注：1.数据来源于企业统计联网直报平台；2.“—”为不适用，“未报”为企业尚未报送。"))
    expected.skipped = tuple(skipped)
    if with_errors:  # the file is refused whole: nothing is written
        expected.created, expected.stored, expected.kept = {}, [], []
    suffix = "-with-errors" if with_errors else ""
    return Sheet(
        f"2-two-years-{variant}{suffix}",
        "indicators",
        "Two years as column groups over 营业收入 / 工业总产值 / 税收, units "
        + {
            "line": "in a 单位：万元 line",
            "thousand": "in （千元） headers",
            "slash": "after a slash (/万元)",
        }[variant]
        + (", with #N/A and #DIV/0! cells" if with_errors else ""),
        book.bytes(),
        expected,
    )


def _one_column(slug, description, header, unit_line, cells, stored_wan, *, title=True) -> Sheet:
    """Revenue (or output) of two enterprises for 2025, the unit stated one way."""
    headers = ["序号", "统一社会信用代码", "企业名称", "年份", header, "从业人员"]
    book = Book("Sheet1", len(headers))
    if title:
        book.title("2025年重点企业主要指标")
    if unit_line:
        book.row += 1
        book.ws.cell(book.row, 1, unit_line)
    book.header(headers)
    field = "output_value" if "产值" in header else "revenue"
    expected = Expected(created={I: 2})
    for index, (firm, cell, in_wan) in enumerate(zip((JINGMI, ZHILIAN), cells, stored_wan, strict=True), 1):
        book.data([index, firm.uscc, firm.name, 2025, cell, 300 + index])
        key = (("enterprise__uscc", firm.uscc), ("year", 2025))
        expected.stored.append(Stored(I, key, field, wan(in_wan), f"{cell}"))
    return Sheet(slug, "indicators", description, book.bytes(), expected)


def unit_in_a_line() -> Sheet:
    return _one_column(
        "unit-line-wan",
        "The unit only in a 单位：万元 line under the title.",
        "营业收入",
        "单位：万元",
        [number("63293"), number("34512.6")],
        ["63293", "34512.6"],
    )


def unit_thousand_header() -> Sheet:
    return _one_column(
        "unit-header-thousand",
        "The unit in the header: 营业收入（千元）.",
        "营业收入（千元）",
        "",
        [number("632930"), number("345126")],
        ["63293", "34512.6"],
    )


def unit_compound_header() -> Sheet:
    return _one_column(
        "unit-header-compound",
        "A compound header: 工业总产值（现价，万元）.",
        "工业总产值（现价，万元）",
        "",
        [number("58760.5"), number("33020")],
        ["58760.5", "33020"],
    )


def unit_missing() -> Sheet:
    sheet = _one_column(
        "unit-missing",
        "A money column with no unit anywhere: the dry run stops and asks for it.",
        "营业收入",
        "",
        [number("63293"), number("34512.6")],
        ["63293", "34512.6"],
    )
    sheet.expected = Expected(asks_unit_for="营业收入", kept=sheet.expected.stored)
    # Nothing is stored: the 2025 figures stay absent.
    sheet.expected.kept = [Stored(s.model, s.lookup, s.field, None, s.sheet) for s in sheet.expected.kept]
    return sheet


def huge_value() -> Sheet:
    """A bank-card number pasted into an amount column: over 10^26, an error of its row."""
    sheet = _one_column(
        "unit-huge-value",
        "A value over 10^26 in a money column (a bank-card number pasted there): a row error.",
        "营业收入（万元）",
        "",
        [6.222021234567890e26, number("34512.6")],
        ["0", "34512.6"],
    )
    data_rows = 3  # title, header, then the first data row
    sheet.expected = Expected(errors={data_rows: "营业收入"})
    return sheet
