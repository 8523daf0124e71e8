"""What the texts around and above a table say, as zone staff write them: the unit of a header
("工业总产值（现价，万元）", "营业收入/万元", "Revenue (10k yuan)"), the unit of the whole sheet ("单位：万元"
in a subtitle, never "填报单位：" which names the reporting organisation), the period a title states
("2026年1-10月", "2024-2025年"), a year heading a group of columns, and the rows that are not data
(合计, 小计, 注：, 填报说明).

This module imports nothing from Django: the reader's child process (`zoneos.tabular.sandbox`) uses it.
`zoneos.tabular.layout_table` finds the table with it.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from decimal import Decimal

NOT_COMPARED = re.compile(r"[\s_\-*]+")


def normal(header: str) -> str:
    """A header as it is compared: NFKC (full-width brackets and colons as ASCII), without spaces,
    underscores, hyphens and stars, lower case."""
    return NOT_COMPARED.sub("", unicodedata.normalize("NFKC", str(header))).lower()


def cell_text(value) -> str:
    """A cell as text: "" for nothing, 2024.0 as "2024", a date as its ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


# Money units ---------------------------------------------------------------------------------------
# Keys are compared after `_unit_key`: NFKC, lower case, no spaces or thousands separators.
MONEY_UNITS = {
    **dict.fromkeys(("元", "yuan", "rmb", "cny", "rmbyuan"), Decimal(1)),
    **dict.fromkeys(("千元", "thousandyuan", "kyuan", "1000yuan", "1kyuan"), Decimal(1000)),
    **dict.fromkeys(("万元", "10kyuan", "10000yuan", "tenthousandyuan", "10thousandyuan"), Decimal(10_000)),
    **dict.fromkeys(("百万元", "millionyuan", "1000000yuan", "mnyuan", "1millionyuan"), Decimal(10**6)),
    **dict.fromkeys(("千万元", "10millionyuan", "tenmillionyuan"), Decimal(10**7)),
    **dict.fromkeys(
        ("亿元", "100myuan", "100millionyuan", "hundredmillionyuan", "100mnyuan", "100000000yuan"),
        Decimal(10**8),
    ),
}
UNIT_WORDS = {
    Decimal(1): "元",
    Decimal(1000): "千元",
    Decimal(10_000): "万元",
    Decimal(10**6): "百万元",
    Decimal(10**7): "千万元",
    Decimal(10**8): "亿元",
}
_UNIT_PREFIX = re.compile(r"^(?:单位|unit|in|计量单位|金额单位)[:]?")
_CURRENCY = re.compile(r"人民币|rmb|cny")


@functools.lru_cache(maxsize=4096)
def money_unit(token: str) -> Decimal | None:
    """The scale to yuan a unit names ("万元", "单位：千元", "10k yuan", "RMB 100 million yuan"), or None
    when it names no amount of yuan ("亩", "万美元", "元/人")."""
    key = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", str(token)).lower())
    key = _UNIT_PREFIX.sub("", key)
    if key in MONEY_UNITS:
        return MONEY_UNITS[key]
    stripped = _CURRENCY.sub("", key)
    if not stripped and key:
        return Decimal(1)  # "人民币", "RMB" alone: yuan
    if stripped in MONEY_UNITS and stripped != key:  # "万元人民币", "人民币万元", "RMB 10k"
        return MONEY_UNITS[stripped]
    return None


# Qualifiers a header's brackets may hold besides its unit, dropped from the label: the default
# measure of an amount (current prices).
QUALIFIERS = frozenset(
    {"现价", "当年价", "当年价格", "按现价", "currentprices", "currentprice", "atcurrentprices"}
)
BRACKET = re.compile(r"([（(【\[])([^（()）【】\[\]]*)([)）】\]])")
UNIT_MARKS = re.compile(r"[（(【\[/／\r\n]")
SLASH_UNIT = re.compile(r"\s*[/／]\s*([^/／]+?)\s*$")
PARTS = re.compile(r"[,，、;；]")


@functools.lru_cache(maxsize=8192)
def split_header(raw) -> tuple[str, Decimal | None]:
    """A header's label and the scale to yuan its unit states.

    "工业总产值（现价，万元）" → ("工业总产值", 10000); "营业收入/万元" → ("营业收入", 10000);
    "Revenue (current prices, 10k yuan)" → ("Revenue", 10000); "用地（亩）" → ("用地（亩）", None): a
    bracket that holds no money unit and no qualifier stays part of the label.
    """
    text = str(raw or "")
    if not UNIT_MARKS.search(text):
        return text.strip(), None
    text = text.replace("\r", "").replace("\n", "").strip()
    unit: Decimal | None = None
    slash = SLASH_UNIT.search(text)
    if slash and (found := money_unit(slash.group(1))) is not None:
        unit = found
        text = text[: slash.start()].rstrip()

    def bracket(match: re.Match) -> str:
        nonlocal unit
        kept, changed = [], False
        for part in PARTS.split(match.group(2)):
            if not part.strip():
                continue
            found = money_unit(part)
            if found is not None:
                unit = unit or found
                changed = True
            elif re.sub(r"\s", "", part).lower() in QUALIFIERS:
                changed = True
            else:
                kept.append(part.strip())
        if not changed:
            return match.group(0)
        return f"{match.group(1)}{'，'.join(kept)}{match.group(3)}" if kept else ""

    text = BRACKET.sub(bracket, text).strip()
    return text, unit


def with_unit(text: str, unit: Decimal | None) -> str:
    """`text` stating `unit` in brackets, unless it states one already."""
    if unit is None or split_header(text)[1] is not None:
        return text
    return f"{text}（{UNIT_WORDS.get(unit, unit)}）"


# Units of what is not money, as a row of units under a header writes them.
OTHER_UNITS = frozenset(
    {
        "人",
        "个",
        "项",
        "家",
        "件",
        "亩",
        "公顷",
        "平方米",
        "㎡",
        "m2",
        "%",
        "‰",
        "吨",
        "台",
        "套",
        "万人",
        "人次",
        "千瓦时",
        "万千瓦时",
    }
)


def unit_alone(text: str) -> tuple[bool, Decimal | None]:
    """Whether a cell holds a unit and nothing else ("万元", "（千元）", "亩", "%"), and its scale to
    yuan when it is money."""
    label, unit = split_header(text)
    if unit is not None:
        return not label, unit if not label else None
    bare = text.strip().strip("（()）").strip()
    found = money_unit(bare) if bare else None
    if found is not None:
        return True, found
    return bare in OTHER_UNITS, None


# A unit for the whole sheet: "单位：万元", "金额单位：千元", "（单位：元）", "Unit: 10k yuan".
# Not "填报单位：" (the reporting organisation) nor its kin.
SHEET_UNIT = re.compile(
    r"(?<!填报)(?<!报送)(?<!填表)(?<!上报)(?<!统计)(?<!制表)(?<!主管)(?<!申报)"
    r"((?:金额|货币|计量)?单位\s*[:：]\s*([^\s,，;；、)）]+))"
    r"|(\bunits?\s*[:：]\s*((?:rmb\s*)?[\w ,]*?yuan))",
    re.IGNORECASE,
)


def sheet_unit(text: str) -> tuple[Decimal, str] | None:
    """The money unit a line states for the sheet, with the words that state it."""
    for match in SHEET_UNIT.finditer(text):
        words, token = (
            (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        )
        found = money_unit(token)  # "单位：万元、人" names 万元 first; "单位：元/人" is no amount
        if found is not None:
            return found, words.strip()
    return None


# Periods -------------------------------------------------------------------------------------------
DASH = r"\s*[-~～—–至到]+\s*"
_NOT_A_PERIOD = re.compile(
    r"(?:填报|报送|制表|统计|打印|截止|截至)?(?:日期|时间)\s*[:：]\s*\S+|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
)
UNTIL = re.compile(r"(?:截至|截止)(?:到)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月(?:底|末)?")
MONTH_SPAN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月?" + DASH + r"(\d{1,2})\s*月")
YEAR_SPAN = re.compile(r"(?<!\d)(\d{4})\s*年?" + DASH + r"(\d{4})\s*年")
MONTH = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?")
HALF = re.compile(r"(?<!\d)(\d{4})\s*年\s*(上|下)半年")
QUARTER = re.compile(r"(?<!\d)(\d{4})\s*年\s*(?:第)?\s*([一二三四1-4])\s*季度")
YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
BARE_YEAR = re.compile(r"^\s*(\d{4})\s*$")
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _valid_year(year: int) -> bool:
    return 1949 <= year <= 2100


def find_period(text: str, *, bare_year: bool = False) -> tuple[int, int, int | None, int | None] | None:
    """The period a title states, as (year_from, year_to, month_from, month_to); months None for
    whole years. "2026年1-10月" → (2026, 2026, 1, 10); "2026年10月" → (2026, 2026, 10, 10);
    "2024—2025年度" → (2024, 2025, None, None); "2025年" → (2025, 2025, None, None). Dates of a day
    ("填报日期：2026年11月5日") are not periods; "截至2026年10月" is January to October. `bare_year`:
    "2025" alone is a year (a sheet's name)."""
    text = unicodedata.normalize("NFKC", text or "")
    for match in UNTIL.finditer(text):
        year, month = int(match.group(1)), int(match.group(2))
        if _valid_year(year) and 1 <= month <= 12:
            return year, year, 1, month
    text = _NOT_A_PERIOD.sub(" ", text)
    for match in MONTH_SPAN.finditer(text):
        year, first, last = (int(g) for g in match.groups())
        if _valid_year(year) and 1 <= first <= last <= 12:
            return year, year, first, last
    for match in YEAR_SPAN.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if _valid_year(first) and _valid_year(last) and first <= last:
            return first, last, None, None
    for match in MONTH.finditer(text):
        year, month = int(match.group(1)), int(match.group(2))
        if _valid_year(year) and 1 <= month <= 12:
            return year, year, month, month
    for match in HALF.finditer(text):
        year = int(match.group(1))
        if _valid_year(year):
            return (year, year, 1, 6) if match.group(2) == "上" else (year, year, 7, 12)
    for match in QUARTER.finditer(text):
        year, quarter = int(match.group(1)), QUARTERS[match.group(2)]
        if _valid_year(year):
            return year, year, quarter * 3 - 2, quarter * 3
    for match in YEAR.finditer(text):
        year = int(match.group(1))
        if _valid_year(year):
            return year, year, None, None
    if bare_year and (match := BARE_YEAR.match(text)) and _valid_year(int(match.group(1))):
        year = int(match.group(1))
        return year, year, None, None
    return None


YEAR_HEADING = re.compile(r"^(\d{4})\s*(?:年度?)?$")


def year_of(value) -> int | None:
    """The year a header cell names alone (2024, "2024", "2024年", "2024年度（万元）"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        year = int(value)
        return year if _valid_year(year) else None
    if isinstance(value, str) and value and value.lstrip()[:1].isdigit():
        label = split_header(value)[0]
        match = YEAR_HEADING.match(unicodedata.normalize("NFKC", label).strip())
        if match and _valid_year(int(match.group(1))):
            return int(match.group(1))
    return None


# Rows that are not data ----------------------------------------------------------------------------
SKIP = re.compile(
    r"^(?:合计|小计|总计|共计|总合计|累计合计)(?![\u4e00-\u9fff])"
    r"|^(?:填报|编制)?说明(?:[:：\d(（]|$)"
    r"|^(?:备)?注(?:[:：\d①②③④⑤⑥⑦⑧⑨⑩.、(（]|$)"
    r"|^(?:填报人|填表人|制表人|审核人|负责人)(?:[:：]|$)"
    r"|^(?:total|subtotal|grandtotal)(?![a-z])|^notes?[:：]",
    re.IGNORECASE,
)
SKIP_FIRST = frozenset("备合小总共累填编说注制审负tTsSgGnN \u3000\t")
SKIP_COLUMNS = 4  # a 合计 row says so in one of the first columns (序号, 园区, 企业名称...)


def skip_text(cells) -> str | None:
    """The text that marks a row as not data (合计, 小计, 总计, 注, 说明, 填报说明...), or None."""
    for cell in cells[:SKIP_COLUMNS]:
        if isinstance(cell, str) and cell[:1] in SKIP_FIRST and SKIP.match(re.sub(r"\s+", "", cell)):
            return cell.strip()[:200]
    return None


ORDINALS = frozenset({"甲", "乙", "丙", "丁", "戊"})


def is_column_numbers(cells, columns: int) -> bool:
    """A row of column numbers under a header of `columns` columns, as statistical forms have: "甲 乙
    1 2 3" or "1 2 3 4", one a column, counting from 1."""
    numbers, written = [], 0
    for cell in cells:
        text = cell_text(cell)
        if not text:
            continue
        written += 1
        if text in ORDINALS and not numbers:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return written == columns and len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


SUBTITLE = re.compile(
    r"(?:填报|报送|填表|上报|统计|制表|主管)单位\s*[:：]|(?:填报|报送|制表)?(?:日期|时间)\s*[:：]|单位\s*[:：]"
)


def is_subtitle(texts: list[str]) -> bool:
    """A row under a title that says who reports, when, or in which unit (in any of its cells): never a
    header."""
    return any(SUBTITLE.search(t) for t in texts)
