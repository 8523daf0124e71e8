"""What the texts around a table say: a header's unit (brackets, compound, after a slash, English), a
sheet's unit line, the period a title states, and the rows that are not data."""

from decimal import Decimal

import pytest

from zoneos.tabular.cells import excel_error
from zoneos.tabular.layout import find_period, sheet_unit, skip_text, split_header
from zoneos.tabular.readers import normal

WAN = Decimal(10_000)


@pytest.mark.parametrize(
    ("header", "label", "unit"),
    [
        ("工业总产值（现价，万元）", "工业总产值", WAN),
        ("工业总产值\n（现价，万元）", "工业总产值", WAN),
        ("营业收入/万元", "营业收入", WAN),
        ("营业收入 ／ 亿元", "营业收入", Decimal(10**8)),
        ("产值（千元）", "产值", Decimal(1000)),
        ("注册资本(万元)", "注册资本", WAN),
        ("收入（单位：万元）", "收入", WAN),
        ("税收（元）", "税收", Decimal(1)),
        ("营业收入（万元人民币）", "营业收入", WAN),
        ("Revenue (current prices, 10k yuan)", "Revenue", WAN),
        ("Output (thousand yuan)", "Output", Decimal(1000)),
        ("Tax (100m yuan)", "Tax", Decimal(10**8)),
        ("Capital (yuan)", "Capital", Decimal(1)),
        ("工业总产值（现价）", "工业总产值", None),
        ("工业总产值（不变价，万元）", "工业总产值（不变价）", WAN),
        ("用地（亩）", "用地（亩）", None),
        ("注册资本（万美元）", "注册资本（万美元）", None),  # dollars are not yuan: no scale, never 万元
        ("人均收入（元/人）", "人均收入（元/人）", None),
        ("销售收入/营业收入", "销售收入/营业收入", None),
        ("企业名称", "企业名称", None),
    ],
)
def test_a_header_gives_its_label_and_unit(header, label, unit):
    assert split_header(header) == (label, unit)


def test_a_label_in_brackets_that_is_no_unit_still_matches_its_column():
    """Column("land_mu", "用地（亩）", ...) keeps matching, with brackets full- or half-width."""
    wanted = normal("用地（亩）")
    assert normal(split_header("用地（亩）")[0]) == wanted
    assert normal(split_header("用地(亩)")[0]) == wanted


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2026年1-10月佛山高新区重点项目投资完成情况表", (2026, 2026, 1, 10)),
        ("2026年1月—10月 投资完成情况", (2026, 2026, 1, 10)),
        ("2026年10月园区经济指标", (2026, 2026, 10, 10)),
        ("2024-2025年企业经济数据", (2024, 2025, None, None)),
        ("2024—2025年度 规上企业", (2024, 2025, None, None)),
        ("2025年高新技术企业名录", (2025, 2025, None, None)),
        ("2025年上半年 项目进度", (2025, 2025, 1, 6)),
        ("重点项目表 填报日期：2026年11月5日", None),
        ("2025年度统计 填报日期：2026年1月5日", (2025, 2025, None, None)),
        ("截至2026年10月底重点项目进度", (2026, 2026, 1, 10)),
        ("报送截止日期：2026年11月5日", None),
        ("企业名录", None),
    ],
)
def test_a_title_states_its_period(title, period):
    assert find_period(title) == period


def test_a_sheet_named_by_a_bare_year_states_it():
    assert find_period("2025", bare_year=True) == (2025, 2025, None, None)
    assert find_period("2025") is None  # a bare number in a title is no year
    assert find_period("Sheet1", bare_year=True) is None


@pytest.mark.parametrize(
    ("line", "unit", "words"),
    [
        ("单位：万元", WAN, "单位：万元"),
        ("单位:元", Decimal(1), "单位:元"),
        ("金额单位：千元", Decimal(1000), "金额单位：千元"),
        ("填报单位：南海园  单位：万元", WAN, "单位：万元"),
        ("（单位：亿元）", Decimal(10**8), "单位：亿元"),
        ("单位：万元、人", WAN, "单位：万元"),
        ("Unit: 10k yuan", WAN, "Unit: 10k yuan"),
    ],
)
def test_a_unit_line_gives_the_sheet_unit(line, unit, words):
    assert sheet_unit(line) == (unit, words)


@pytest.mark.parametrize(
    "line",
    [
        "填报单位：南海园",
        "填报单位：万元科技园区",
        "报送单位：狮山园",
        "单位：亩",
        "单位：万美元",
        "单位：元/人",
    ],
)
def test_a_reporting_unit_or_a_unit_of_no_money_is_no_sheet_unit(line):
    assert sheet_unit(line) is None


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (["", "合计", "", 100], "合计"),
        (["", "合  计", 100], "合  计"),
        ([None, "南海园", "小计", 100], "小计"),
        (["总计（12家）", 100], "总计（12家）"),
        (["注：本表金额单位为万元", None], "注：本表金额单位为万元"),
        (["注1. 含在建项目"], "注1. 含在建项目"),
        (["填报说明：请于每月5日前报送"], "填报说明：请于每月5日前报送"),
        (["说明："], "说明："),
        (["1", "注塑科技有限公司", 100], None),  # a company whose name starts with 注
        (["2", "总计划投资额", 100], None),
        ([1, 2, 3, 4, "合计"], None),  # only the first cells say what a row is
        (["Total", 100], "Total"),
    ],
)
def test_rows_that_are_not_data_say_so(cells, said):
    assert skip_text(cells) == said


def test_excel_error_text_is_what_the_cells_module_recognises():
    assert excel_error("#N/A") == "#N/A"
    assert excel_error("#DIV/0!") == "#DIV/0!"
