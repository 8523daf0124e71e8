"""The sentence every zone writes each month, from the summary's numbers only:
"1–2月，重点项目完成投资110.04亿元，占年度计划的17.5%，快于时序进度0.8个百分点"."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

from zoneos.core.money import in_words

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def _money(value: str) -> str:
    """An amount in the unit of the screens of investment (money.py's), in the request's language."""
    return in_words(value, "large")


def _pct(value: str | None) -> str:
    return f"{Decimal(value or 0) * 100:.1f}"


def headline(area, year: int, month: int, s: dict) -> str:
    english = (get_language() or "").startswith("en")
    gap = Decimal(s["gap_pp"]) if s["gap_pp"] is not None else None
    if s["completion_rate"] is None:
        return (
            f"{area.label} has no key projects in the {year} plan."
            if english
            else f"{area.label}{year}年暂无重点项目计划。"
        )
    if english:
        period = "January" if month == 1 else f"January–{MONTHS[month - 1]}"
        pace = (
            f"ahead of time progress by {abs(gap):.1f} points"
            if gap >= 0
            else f"behind time progress by {abs(gap):.1f} points"
        )
        return (
            f"In {period} {year}, the {s['projects']} key projects of {area.label} completed "
            f"{_money(s['completed'])} of investment, {_pct(s['completion_rate'])} % "
            f"of the annual plan of {_money(s['annual_plan'])}, {pace}."
        )
    period = "1月" if month == 1 else f"1–{month}月"
    pace = f"快于时序进度{abs(gap):.1f}个百分点" if gap >= 0 else f"慢于时序进度{abs(gap):.1f}个百分点"
    return (
        f"{year}年{period}，{area.label}{s['projects']}个重点项目完成投资{_money(s['completed'])}，"
        f"占年度计划{_money(s['annual_plan'])}的{_pct(s['completion_rate'])}%，{pace}。"
    )
