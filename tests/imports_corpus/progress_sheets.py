"""A key-project progress sheet as the zone's project office sends it each month: "2026年1-10月" in the
title and nowhere else, the park's name merged down over its projects, 本月完成 and 1-10月累计完成 in
万元 with two decimals (the unit in the subtitle), a 小计 per park and a 合计, a note at the bottom.
The cumulative column differs from the exact sum of the stored reports by 8 to 85 yuan: the rounding
of a sheet kept to 0.01 万元 (100 yuan)."""

from __future__ import annotations

from decimal import Decimal

from .corpus import Book, Expected, Sheet, Stored, number, total
from .zone import KEY_PROJECT_SHEET, KEY_PROJECTS, PARKS, ZONE_SHORT, wan

R = "supervision.Report"
PROGRESS = {
    "精密模具扩产项目": ("新增模具生产线6条", "主体厂房封顶，设备进场安装", ""),
    "人工智能算力中心项目": ("建设算力机房及配套", "机房装修完成80%", "电力增容审批待办"),
    "生物医药产业化基地项目": ("建设GMP车间及研发楼", "研发楼主体施工", ""),
    "新能源电池二期项目": ("年产10GWh动力电池", "二期厂房钢结构吊装", "部分设备进口周期较长"),
    "汽车电子智能工厂项目": ("建设智能化生产车间", "规划设计方案调整中", "方案调整，本月暂未施工"),
}


def _month_figures(month: int) -> list[tuple]:
    """(key project, park, plan 万元, cumulative 万元, this month 万元) for October, or November."""
    rows = []
    for (_name, park, plan, cumulative, october, _gap), project in zip(
        KEY_PROJECT_SHEET, KEY_PROJECTS, strict=True
    ):
        if month == 10:
            rows.append((project, park, plan, cumulative, october))
        else:  # November: the project office adds the month to October's cumulative
            november = str((Decimal(october) * Decimal("1.1")).quantize(Decimal("0.01")))
            rows.append((project, park, plan, str(Decimal(cumulative) + Decimal(november)), november))
    return rows


def progress(month: int = 10, *, this_month_column: bool = True) -> Sheet:
    """The sheet through `month` (10 or 11). Without 本月完成 the month is what the cumulative adds to
    the months already reported."""
    span = f"1-{month}月"
    headers = ["序号", "所在园区", "项目名称", "建设内容", "2026年计划投资"]
    headers += ["本月完成"] if this_month_column else []
    headers += [f"{span}累计完成", "形象进度", "存在问题"]
    cum = headers.index(f"{span}累计完成") + 1
    book = Book(f"{month}月", len(headers))
    book.title(f"{ZONE_SHORT}2026年{span}重点项目进展情况表")
    book.subtitle("填报单位：东江高新区重点项目服务中心", "单位：万元")
    book.header(headers)
    expected = Expected(created={R: len(KEY_PROJECTS)})
    skipped, totals, number_in_list = [], [], 0
    figures = _month_figures(month)
    for park in PARKS:
        mine = [f for f in figures if f[1] is park]
        if not mine:
            continue
        first = None
        for project, _park, plan, cumulative, this_month in mine:
            number_in_list += 1
            content, note, problem = PROGRESS[project.name]
            cells = [
                number_in_list,
                park.short if first is None else None,
                project.name,
                content,
                number(plan),
            ]
            cells += [number(this_month)] if this_month_column else []
            cells += [number(cumulative), note, problem or None]
            row = book.data(cells)
            first = first or row
            totals.append(cells)
            key = (("key_project__name", project.name), ("key_project__year", 2026), ("month", month))
            if this_month_column or month == 10:
                stored = wan(this_month) if this_month_column else wan(cumulative) - project.reported_total
                expected.stored.append(
                    Stored(R, key, "completed", stored, f"{this_month}" if this_month_column else cumulative)
                )
        book.merge_down(2, first, first + len(mine) - 1)
        subtotal = [None, None, "小计", None, total(c[4] for c in totals[-len(mine) :])]
        subtotal += [total(c[i] for c in totals[-len(mine) :]) for i in range(5, cum)]
        skipped.append(book.data(subtotal + [None, None]))
    grand = [None, "合计", None, None, total(c[4] for c in totals)]
    grand += [total(c[i] for c in totals) for i in range(5, cum)]
    skipped.append(book.data(grand + [None, None]))
    skipped.append(
        book.note(f"注：1.本表由各园区每月5日前报送；2.累计完成为2026年{span}累计数；3.金额保留两位小数。")
    )
    expected.skipped = tuple(skipped)
    slug = f"3-key-projects-jan-{month}" + ("" if this_month_column else "-cumulative-only")
    return Sheet(
        slug,
        "monthly_reports",
        f"A {span} key-project progress sheet: the period only in the title, parks merged down, "
        + ("本月完成 and " if this_month_column else "only ")
        + f"{span}累计完成 in 万元 (2 decimals), 小计 per park, a 合计 and a note.",
        book.bytes(),
        expected,
    )
