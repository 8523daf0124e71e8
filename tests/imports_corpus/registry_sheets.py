"""Registry lists as an economic development bureau keeps them: the zone's enterprises under a title
row, the unit in a "单位：万元" subtitle, that year's figures and the high-tech label in the same sheet,
dates however they were typed, a 合计 row and a 填报说明 note; and an update sheet whose blank cells
must leave what is on record alone."""

from __future__ import annotations

import datetime

from .corpus import Book, Expected, Sheet, Stored, as_csv, number, total
from .zone import DIANCHI, HUADE, JINGMI, LVYUAN, YUNZHI, ZHILIAN, ZONE_SHORT, wan

E = "enterprises.Enterprise"
I = "enterprises.Indicator"  # noqa: E741 (the model's initial, as in the other lookups)
L = "enterprises.Label"

HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在园区",
    "行业代码",
    "成立日期",
    "注册资本",
    "资本来源",
    "外资国别",
    "营业收入",
    "工业总产值（现价，万元）",
    "从业人员",
    "高新技术企业",
    "备注",
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def serial(day: datetime.date) -> int:
    """The number a date cell shows once its format is lost."""
    return (day - EXCEL_EPOCH).days


# (enterprise, founded as typed, founded as stored, capital, origin, country, revenue, output, staff,
#  high-tech)
ROWS = [
    (
        JINGMI,
        datetime.date(2012, 6, 18),
        datetime.date(2012, 6, 18),
        "5000",
        "内资",
        "",
        "63293",
        "58760.5",
        412,
        "是",
    ),  # fmt: skip
    (
        DIANCHI,
        "2005年3月",
        datetime.date(2005, 3, 1),
        "12000",
        "港资",
        "",
        "148650.75",
        "139872.3",
        1268,
        "是",
    ),  # fmt: skip
    (
        HUADE,
        serial(datetime.date(2021, 1, 1)),
        datetime.date(2021, 1, 1),
        "8000",
        "中外合资",
        "德国",
        "23456.8",
        "21000",
        356,
        "否",
    ),  # fmt: skip
    (
        YUNZHI,
        datetime.date(2019, 11, 5),
        datetime.date(2019, 11, 5),
        "1000",
        "内资",
        "",
        "8650.32",
        "—",
        186,
        "是",
    ),  # fmt: skip
    (LVYUAN, "2016年8月", datetime.date(2016, 8, 1), "3000", "内资", "", "15870", "16230.45", 245, "否"),
]
ORIGINS = {"内资": "domestic", "港资": "hong_kong", "中外合资": "joint_venture"}


def registry_list(*, csv: bool = False) -> Sheet:
    """The list as an xlsx workbook, or (`csv`) as the same sheet saved as CSV from Excel."""
    book = Book("企业名录", len(HEADERS), other_sheets=("填表说明",))
    book.title(f"{ZONE_SHORT}企业名录（2025年）")
    book.subtitle("填报单位：东江高新区经济发展局", "单位：万元")
    book.header(HEADERS)
    expected = Expected(created={E: 3, I: 5, L: 3})
    figures = []
    for index, (
        firm,
        typed,
        founded,
        capital,
        origin,
        country,
        revenue,
        output,
        staff,
        high_tech,
    ) in enumerate(ROWS, start=1):
        cells = [index, firm.name, firm.uscc, firm.park.short, firm.industry_code, typed, number(capital)]
        cells += [origin, country or None, number(revenue), output if output == "—" else number(output)]
        cells += [staff, high_tech, None]
        row = book.data(cells)
        if isinstance(typed, datetime.date):
            book.ws.cell(row, 6).number_format = "yyyy-mm-dd"
        figures.append(cells)
        key = (("uscc", firm.uscc),)
        expected.stored += [
            Stored(E, key, "registered_capital", wan(capital), f"{capital}（单位：万元）"),
            Stored(E, key, "registered_on", founded, str(typed)),
            Stored(E, key, "capital_origin", ORIGINS[origin], origin),
        ]
        if country:
            expected.stored.append(Stored(E, key, "capital_country", "DE", country))
        year = (("enterprise__uscc", firm.uscc), ("year", 2025))
        expected.stored += [
            Stored(I, year, "revenue", wan(revenue), f"{revenue}（单位：万元）"),
            Stored(
                I,
                year,
                "output_value",
                None if output == "—" else wan(output),
                output + ("" if output == "—" else "（现价，万元）"),
            ),
            Stored(I, year, "employees", staff, str(staff)),
        ]
        if high_tech == "是":
            label = (("enterprise__uscc", firm.uscc), ("kind", "high_tech"))
            expected.stored.append(Stored(L, label, "kind", "high_tech", high_tech))
    sums = [None, "合计", None, None, None, None, total(r[6] for r in figures), None, None]
    sums += [total(r[9] for r in figures), total(r[10] for r in figures), sum(r[11] for r in figures)]
    skipped = [book.data(sums + [None, None])]
    book.blank()
    skipped.append(
        book.note(
            "填报说明：1.金额单位均为万元；2.成立日期以营业执照为准；3.资本来源填内资、港资、澳资、台资、"
            "外资或中外合资，外资及中外合资须填外资国别；4.高新技术企业以2025年有效证书为准。"
        )
    )
    expected.skipped = tuple(skipped)
    return Sheet(
        "1-registry-list",
        "enterprises",
        "A registry list under a title row: unit in a 单位：万元 line, year in the title, figures and "
        "labels in the same sheet, mixed dates, a 合计 row and a note"
        + (" (saved as CSV from Excel: GB 18030, no merged cells)." if csv else "."),
        as_csv(book) if csv else book.bytes(),
        expected,
        extension="csv" if csv else "xlsx",
    )


BLANK_HEADERS = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所在园区",
    "成立日期",
    "注册资本（万元）",
    "资本来源",
    "备注",
]


def blank_cells_keep() -> Sheet:
    """A park's correction sheet: only what changed is filled in; blank, "—" and "未报" keep."""
    book = Book("Sheet1", len(BLANK_HEADERS))
    book.title("企业信息更新表")
    book.header(BLANK_HEADERS)
    book.data([1, JINGMI.uscc, JINGMI.name, JINGMI.park.short, None, number("5000"), None, "增资"])
    book.data([2, DIANCHI.uscc, DIANCHI.name, None, "", "—", None, None])
    book.data([3, ZHILIAN.uscc, ZHILIAN.name, ZHILIAN.park.short, "未报", "未报", "", None])
    expected = Expected(created={})
    a, b, f = (("uscc", JINGMI.uscc),), (("uscc", DIANCHI.uscc),), (("uscc", ZHILIAN.uscc),)
    expected.stored = [Stored(E, a, "registered_capital", wan("5000"), "5000")]
    expected.kept = [
        Stored(E, a, "registered_on", JINGMI.registered_on, ""),
        Stored(E, a, "capital_origin", "domestic", ""),
        Stored(E, b, "registered_on", DIANCHI.registered_on, ""),
        Stored(E, b, "registered_capital", DIANCHI.registered_capital, "—"),
        Stored(E, b, "capital_origin", "hong_kong", ""),
        Stored(E, b, "area.code", DIANCHI.park.code, ""),
        Stored(E, f, "registered_on", ZHILIAN.registered_on, "未报"),
        Stored(E, f, "registered_capital", ZHILIAN.registered_capital, "未报"),
    ]
    return Sheet(
        "unit-blank-cells-keep",
        "enterprises",
        "An update sheet with blank, — and 未报 cells over stored values: they keep them.",
        book.bytes(),
        expected,
    )


def blank_figures_keep() -> Sheet:
    headers = [
        "统一社会信用代码",
        "企业名称",
        "年份",
        "营业收入（万元）",
        "工业总产值（万元）",
        "税收（万元）",
        "从业人员",
    ]
    book = Book("指标", len(headers))
    book.header(headers)
    book.data([JINGMI.uscc, JINGMI.name, 2024, number("56800"), None, "—", None])
    book.data([DIANCHI.uscc, DIANCHI.name, 2024, "未报", None, number("4860"), None])
    a = (("enterprise__uscc", JINGMI.uscc), ("year", 2024))
    b = (("enterprise__uscc", DIANCHI.uscc), ("year", 2024))
    expected = Expected(created={})
    expected.stored = [Stored(I, a, "revenue", wan("56800"), "56800")]
    expected.kept = [
        Stored(I, a, "output_value", JINGMI.figures[2024]["output_value"], ""),
        Stored(I, a, "tax_paid", JINGMI.figures[2024]["tax_paid"], "—"),
        Stored(I, a, "employees", JINGMI.figures[2024]["employees"], ""),
        Stored(I, b, "revenue", DIANCHI.figures[2024]["revenue"], "未报"),
        Stored(I, b, "tax_paid", DIANCHI.figures[2024]["tax_paid"], "4860"),
    ]
    return Sheet(
        "unit-blank-figures-keep",
        "indicators",
        "Yearly figures with blank, — and 未报 cells over stored figures: they keep them.",
        book.bytes(),
        expected,
    )
