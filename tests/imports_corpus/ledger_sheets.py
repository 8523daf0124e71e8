"""An investment promotion bureau's project ledger: no lead-date column, 签约日期 and 开工日期 as
typed (dates, "2025年3月", a serial that lost its format), 项目状态 in the bureau's words (已签约, 在建,
已开工), 总投资 in 亿元, the parks by their short names, a 合计 and a note. One row is a project
already on record as a lead, which the ledger shows under construction."""

from __future__ import annotations

import datetime

from .corpus import Book, Expected, Sheet, Stored, number, total
from .registry_sheets import serial
from .zone import KECHUANG, PILOT_BASE, XINCAI, ZHIZAO, ZONE_SHORT

P = "pipeline.Project"
HEADERS = ["序号", "项目名称", "投资方", "落户园区", "行业代码", "总投资（亿元）", "签约日期", "开工日期"]
HEADERS += ["项目状态", "对接人", "备注"]
# (name, investor, park, industry, 总投资 亿元, signed as typed, started as typed, status, stage,
#  lead date the import must record)
D = datetime.date
ROWS = [
    (
        "精密光学镜头生产基地项目",
        "舜宇精工（东江）光电有限公司",
        KECHUANG,
        "3976",
        "12.5",
        D(2024, 5, 18),
        D(2024, 9, 26),
        "在建",
        "under_construction",
        D(2024, 5, 18),
    ),  # fmt: skip
    (
        "储能系统集成项目",
        "华睿储能科技有限公司",
        ZHIZAO,
        "3841",
        "20",
        "2025年3月",
        None,
        "已签约",
        "signed",
        D(2025, 3, 1),
    ),  # fmt: skip
    (
        "高性能复合材料项目",
        "新拓材料科技有限公司",
        XINCAI,
        "2929",
        "3.2",
        serial(D(2024, 4, 12)),
        serial(D(2024, 12, 2)),
        "已开工",
        "under_construction",
        D(2024, 4, 12),
    ),  # fmt: skip
    (
        "工业软件研发中心项目",
        "智研数字科技有限公司",
        KECHUANG,
        "6513",
        "0.85",
        D(2025, 7, 8),
        None,
        "已签约",
        "signed",
        D(2025, 7, 8),
    ),  # fmt: skip
    (
        PILOT_BASE.name,
        PILOT_BASE.investor,
        PILOT_BASE.park,
        "2761",
        "3.6",
        D(2024, 6, 20),
        D(2024, 11, 15),
        "在建",
        "under_construction",
        PILOT_BASE.lead_on,
    ),  # fmt: skip
]


def yi(text: str):
    """亿元 as the ledger writes it, in yuan."""
    from decimal import Decimal

    return (Decimal(text) * 100_000_000).quantize(Decimal("0.01"))


def ledger() -> Sheet:
    book = Book("项目台账", len(HEADERS))
    book.title(f"{ZONE_SHORT}招商引资项目台账（2024—2025年）")
    book.subtitle("填报单位：东江高新区投资促进局", "更新时间：2025年12月31日")
    book.header(HEADERS)
    expected = Expected(created={P: len(ROWS) - 1})
    amounts = []
    for index, (name, investor, park, industry, amount, signed, started, status, stage, lead_on) in enumerate(
        ROWS, start=1
    ):
        row = book.data(
            [
                index,
                name,
                investor,
                park.short,
                industry,
                number(amount),
                signed,
                started,
                status,
                "王科长",
                None,
            ]
        )
        for column, value in ((7, signed), (8, started)):
            if isinstance(value, datetime.date):
                book.ws.cell(row, column).number_format = "yyyy-mm-dd"
        amounts.append(number(amount))
        key = (("name", name), ("area__code", park.code))
        expected.stored += [
            Stored(P, key, "total_investment", yi(amount), f"{amount} 亿元"),
            Stored(P, key, "industry_code", industry, industry),
            Stored(P, key, "stage", stage, status),
            Stored(P, key, "lead_on", lead_on, str(signed)),
        ]
    skipped = [book.data([None, "合计", None, None, None, total(amounts), None, None, None, None, None])]
    skipped.append(book.note("备注：项目状态以当月月底调度情况为准；总投资以签约协议为准。"))
    expected.skipped = tuple(skipped)
    return Sheet(
        "4-project-ledger",
        "projects",
        "An investment ledger: no lead-date column, 签约日期 / 开工日期 as typed, 项目状态 in the "
        "bureau's words, 总投资 in 亿元, short park names.",
        book.bytes(),
        expected,
    )
