"""Innovation and space in an area's figures, defined once for the dashboard, the data highlights and
the monthly briefing: the innovation platforms in force by level (`innovation.figures`), the research
funds of the projects under contract (`research.figures`) and the parks' space with its vacancy and the
floor area under renovation (`space.figures`), each as of the end of the year shown (today for the
current year). The sentence of the highlights gives the research funds as a share, not an amount: the
highlights speak the screen's one unit (亿元), in which a project's funds round to nothing. The callers
have checked that the reader may see the area's aggregate figures."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import override

from zoneos.innovation.figures import platforms_by_level
from zoneos.research.figures import area_funds
from zoneos.space.figures import area_space


def as_of(year: int) -> datetime.date:
    return min(timezone.localdate(), datetime.date(year, 12, 31))


def figures(area, year: int) -> dict:
    on = as_of(year)
    return {
        "on": on,
        "year": year,
        "platforms": platforms_by_level(area, on=on),
        "research": area_funds(area, year),
        "space": area_space(area, on),
    }


def has_any(f: dict) -> bool:
    return bool(f["platforms"]["total"] or f["research"]["projects"] or f["space"]["units"])


def _pct(fraction) -> str:
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


def _m2(value) -> str:
    return f"{Decimal(value).quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"


def chinese(f: dict) -> str:
    parts = []
    p = f["platforms"]
    if p["total"]:
        levels = "、".join(f"{row['label']}{row['count']}个" for row in p["levels"] if row["count"])
        parts.append(f"认定期内的创新平台{p['total']}个（{levels}）")
    r = f["research"]
    if r["projects"]:
        text = f"在研科研项目{r['projects']}个"
        if r["spent_rate"] is not None:
            text += f"，经费支出进度{_pct(r['spent_rate'])}%"
        parts.append(text)
    s = f["space"]
    if s["units"]:
        text = f"园区载体面积{_m2(s['floor_area_m2'])}平方米"
        if s["vacancy_rate"] is not None:
            text += f"，空置率{_pct(s['vacancy_rate'])}%"
        if s["renovation_projects"]:
            text += f"，{f['year']}年纳入重点项目改造{_m2(s['renovation_m2'])}平方米"
        parts.append(text)
    return f"科技创新与空间方面，{'；'.join(parts)}。" if parts else ""


def english(f: dict) -> str:
    parts = []
    p = f["platforms"]
    if p["total"]:
        levels = ", ".join(
            f"{row['count']} {str(row['label']).lower()}" for row in p["levels"] if row["count"]
        )
        noun = "platform" if p["total"] == 1 else "platforms"
        parts.append(f"{p['total']} innovation {noun} recognised and in force ({levels})")
    r = f["research"]
    if r["projects"]:
        noun = "project" if r["projects"] == 1 else "projects"
        text = f"{r['projects']} research {noun} under contract"
        if r["spent_rate"] is not None:
            text += f", {_pct(r['spent_rate'])} % of their budget spent"
        parts.append(text)
    s = f["space"]
    if s["units"]:
        text = f"{_m2(s['floor_area_m2'])} m² of park space"
        if s["vacancy_rate"] is not None:
            text += f", {_pct(s['vacancy_rate'])} % vacant"
        if s["renovation_projects"]:
            text += f", {_m2(s['renovation_m2'])} m² under renovation in key projects of {f['year']}"
        parts.append(text)
    return f"Innovation and space: {'; '.join(parts)}." if parts else ""


def sentence(f: dict, language: str) -> str:
    """The highlights' sentence in `language` ("zh-hans" or "en"); empty when the area has none of it."""
    with override(language):
        return chinese(f) if language == "zh-hans" else english(f)
