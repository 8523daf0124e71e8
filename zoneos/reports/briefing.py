"""The monthly key-project supervision briefing of an area: `briefing_data` builds one dict from the
supervision summary (and the milestones due next month), and `render_pdf` / `render_xlsx` render that
dict in the active language. Money is shown in the investment screens' unit (亿元, "hundred million
yuan" in English), as the headline sentence writes it; rates are percentages with one decimal; the gap
is in points."""

from __future__ import annotations

import datetime
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zoneos.areas.models import Area
from zoneos.core import money
from zoneos.policies.money_figures import money_figures
from zoneos.supervision import progress, services
from zoneos.supervision.highlights import MONTHS, headline
from zoneos.supervision.models import KeyProject, KeyProjectKind, MonthFigure
from zoneos.supervision.progress import STATUS_COLOR, Status

from . import charts, innovation

# One colour per status for the PDF's badges and bars (the pages use the Bootstrap names of STATUS_COLOR).
HEX = {
    "success": "#2b8a3e",
    "info": "#1971c2",
    "warning": "#e8a100",
    "danger": "#c92a2a",
    "secondary": "#adb5bd",
}
MILESTONES = (
    ("planned_start", "actual_start"),
    ("planned_completion", "actual_completion"),
    ("planned_production", "actual_production"),
)


def english() -> bool:
    return (get_language() or "").startswith("en")


def unit() -> tuple[Decimal, str]:
    """The money unit of the briefing: the investment screens' (core.money's "large": 亿元, "hundred
    million yuan"), as its headline, shared with supervision's summary, says."""
    return money.YI, money.unit_name("large")


def in_unit(yuan) -> Decimal:
    return Decimal(yuan or 0) / unit()[0]


def amount(yuan) -> str:
    return f"{in_unit(yuan):,.2f}"


def pct(fraction) -> str:
    return "—" if fraction is None else f"{Decimal(fraction) * 100:.1f}%"


def points(gap) -> str:
    return "—" if gap is None else f"{Decimal(gap):+.1f}"


def fraction(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def period(year: int, month: int) -> str:
    """`2022年1–2月` / `January–February 2022`: the cumulative period of a month's figures."""
    if english():
        months = MONTHS[0] if month == 1 else f"{MONTHS[0]}–{MONTHS[month - 1]}"
        return f"{months} {year}"
    return f"{year}年1月" if month == 1 else f"{year}年1–{month}月"


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}" if english() else f"{year}年{month}月"


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def status_label(status: str) -> str:
    return str(Status(status).label) if status else "—"


def status_color(status: str) -> str:
    return STATUS_COLOR.get(status, "secondary")


def milestones_due(area: Area, year: int, month: int) -> list[dict]:
    """Key projects of the subtree with a planned start, completion or production date in the month
    after `month` that has not actually happened. A project in both the year's and the next year's plan
    is listed once, from the later plan."""
    ny, nm = next_month(year, month)
    first, last = datetime.date(ny, nm, 1), services.month_end(ny, nm)
    due = Q()
    for planned, actual in MILESTONES:
        due |= Q(**{f"{planned}__range": (first, last), f"{actual}__isnull": True})
    projects = (
        KeyProject.objects.in_subtree(area)
        .filter(due, year__in={year, ny})
        .select_related("area")
        .order_by("-year", "area__path", "name")
    )
    rows: dict[tuple, dict] = {}
    for project in projects:
        for planned, actual in MILESTONES:
            on = getattr(project, planned)
            if on is None or not first <= on <= last or getattr(project, actual) is not None:
                continue
            key = (project.area_id, project.name, planned)
            rows.setdefault(
                key,
                {
                    "id": project.pk,
                    "name": project.name,
                    "area_name": project.area.label,
                    "area_path": project.area.path,
                    "milestone": planned,
                    "milestone_label": str(capfirst(KeyProject._meta.get_field(planned).verbose_name)),
                    "date": on,
                    "kind": project.kind,
                    "kind_label": str(KeyProjectKind(project.kind).label),
                    "annual_plan": project.annual_plan,
                },
            )
    return sorted(rows.values(), key=lambda r: (r["date"], r["area_path"], r["name"], r["milestone"]))


def trend(area: Area, year: int, month: int) -> list[dict]:
    """The subtree's cumulative completion rate at the end of each month up to `month`."""
    subtree = area.subtree().values("pk")
    sums = {
        row["month"]: row
        for row in MonthFigure.objects.filter(year=year, month__lte=month, area_id__in=subtree)
        .values("month")
        .annotate(plan=Sum("annual_plan"), completed=Sum("completed"))
        .order_by()
    }
    return [
        {
            "month": m,
            "completion_rate": progress.rate(sums[m]["completed"], sums[m]["plan"]) if m in sums else None,
            "time_progress": progress.time_progress(year, m),
        }
        for m in range(1, month + 1)
    ]


def _warned(rows: list[dict]) -> list[dict]:
    """Rows of projects or sub-areas with their money and rates as numbers (xlsx) and as text (PDF)."""
    return [
        {
            **row,
            "annual_plan_value": in_unit(row["annual_plan"]),
            "completed_value": in_unit(row["completed"]),
            "rate": fraction(row["completion_rate"]),
            "gap": fraction(row["gap_pp"]),
            "annual_plan_text": amount(row["annual_plan"]),
            "completed_text": amount(row["completed"]),
            "rate_text": pct(row["completion_rate"]),
            "gap_text": points(row["gap_pp"]),
        }
        for row in rows
    ]


def briefing_data(area: Area, year: int, month: int) -> dict:
    """Everything the briefing shows, in the active language, from `summary()` and two more queries."""
    s = services.summary(area, year, month)
    divisor, unit_label = unit()
    ny, nm = next_month(year, month)
    money = unit_label

    def figure(key, label, value, text, number_format, suffix=""):
        return {
            "key": key,
            "label": label,
            "value": value,
            "text": text,
            "format": number_format,
            "unit": suffix,
        }

    totals = [
        figure("annual_plan", _("Annual planned investment"), in_unit(s["annual_plan"]),
               amount(s["annual_plan"]), "#,##0.00", money),
        figure("completed", _("Completed to date"), in_unit(s["completed"]), amount(s["completed"]),
               "#,##0.00", money),
        figure("completion_rate", _("Completion rate"), fraction(s["completion_rate"]),
               pct(s["completion_rate"]), "0.0%"),
        figure("time_progress", _("Time progress"), fraction(s["time_progress"]), pct(s["time_progress"]),
               "0.0%"),
        figure("gap_pp", _("Against time progress (points)"), fraction(s["gap_pp"]), points(s["gap_pp"]),
               "+0.0;-0.0;0.0", _("points")),
        figure("status", _("Status"), status_label(s["status"]), status_label(s["status"]), "@"),
        figure("projects", _("Key projects"), s["projects"], str(s["projects"]), "0"),
        figure("new_starts", _("New starts planned"), s["new_starts"], str(s["new_starts"]), "0"),
        figure("started", _("New starts started"), s["started"], str(s["started"]), "0"),
        figure("start_rate", _("Start rate"), fraction(s["start_rate"]), pct(s["start_rate"]), "0.0%"),
        figure("funds_in_place", _("Funds in place"), in_unit(s["funds_in_place"]),
               amount(s["funds_in_place"]), "#,##0.00", money),
        figure("red_count", _("Red warnings"), s["red_count"], str(s["red_count"]), "0"),
        figure("yellow_count", _("Yellow warnings"), s["yellow_count"], str(s["yellow_count"]), "0"),
    ]  # fmt: skip
    children = [
        {
            **child,
            "status_label": status_label(child["status"]),
            "color": status_color(child["status"]),
            "hex": HEX[status_color(child["status"])],
        }
        for child in _warned(s["by_child"])
    ]
    return {
        "area": area,
        "area_name": area.label,
        "year": year,
        "month": month,
        "month_value": f"{year}-{month:02d}",
        "language": get_language() or settings.LANGUAGE_CODE,
        "english": english(),
        "title": _("Key-project investment supervision briefing"),
        "period": period(year, month),
        "next_month": month_name(ny, nm),
        "unit": unit_label,
        "divisor": divisor,
        "generated_at": timezone.localtime(),
        "headline": headline(area, year, month, s),
        "summary": s,
        "status": s["status"],
        "status_label": status_label(s["status"]),
        "status_color": status_color(s["status"]),
        "status_hex": HEX[status_color(s["status"])],
        "totals": totals,
        "figures": {f["key"]: f for f in totals},
        "children": children,
        "red": _warned(s["red"]),
        "yellow": _warned(s["yellow"]),
        "milestones": milestones_due(area, year, month),
        "trend": trend(area, year, month),
        "notes": notes(year, month),
        "policy_money": policy_money(area, year),
        "innovation": innovation_and_space(area, year),
    }


def policy_money(area: Area, year: int) -> dict:
    """The year's policy money of the area (as the money dashboard and the API give it), with its
    amounts in the briefing's unit."""
    f = money_figures(area, year)
    return {
        **f,
        "approved_text": amount(f["approved_amount"]),
        "paid_text": amount(f["paid_amount"]),
        "budget_text": amount(f["budget"]["amount"]),
        "on_time_text": pct(f["on_time_rate"]),
        "by_department": [
            {**d, "approved_text": amount(d["approved_amount"]), "paid_text": amount(d["paid_amount"]),
             "on_time_text": pct(d["on_time_rate"])}
            for d in f["by_department"]
        ],
    }  # fmt: skip


def innovation_and_space(area: Area, year: int) -> dict:
    """The area's innovation and space (`zoneos.reports.innovation`), with the research amounts in the
    briefing's unit."""
    f = innovation.figures(area, year)
    r = f["research"]
    return {
        **f,
        "any": innovation.has_any(f),
        "budget_text": amount(r["budget"]),
        "spent_text": amount(r["spent"]),
        "spent_in_year_text": amount(r["spent_in_year"]),
        "spent_rate_text": pct(r["spent_rate"]),
        "vacancy_text": pct(f["space"]["vacancy_rate"]),
    }


def _points(value: Decimal) -> str:
    value = abs(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}".rstrip("0")


def notes(year: int, month: int) -> list[str]:
    """How the figures are defined, printed under the briefing."""
    rule = services.rule_for(year, month)
    by_days = getattr(settings, "ZONEOS_TIME_PROGRESS", "month") == "day"
    return [
        _("Completion rate: investment completed from January to the month, over the annual plan."),
        _("Time progress: days elapsed to the month's end over the days of the year.")
        if by_days
        else _("Time progress: months elapsed over 12."),
        _(
            "Status: yellow warning at %(yellow)s points or more behind time progress, red warning at "
            "more than %(red)s points behind."
        )
        % {"yellow": _points(rule.yellow_at), "red": _points(rule.red_below)},
        _("Amounts in %(unit)s.") % {"unit": unit()[1]},
    ]


# PDF -------------------------------------------------------------------------------------------------
def _page_counter(text: str) -> str:
    """A CSS `content` value from a translated "Page %(page)s of %(pages)s"."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def _charts(data: dict) -> dict:
    elapsed = float(Decimal(data["summary"]["time_progress"]) * 100)
    legend = [(HEX[STATUS_COLOR[s]], str(s.label)) for s in Status]
    bars = [
        charts.Bar(
            label=c["name"],
            value=None if c["rate"] is None else float(c["rate"] * 100),
            color=c["hex"],
            text=c["rate_text"] if c["rate"] is not None else _("no key projects"),
        )
        for c in data["children"]
    ]
    out = {}
    if bars:
        out["children"] = charts.bar_chart(
            bars,
            marker=elapsed,
            marker_label=f"{_('Time progress')} {elapsed:.1f}%",
            legend=legend,
            title=_("Completion rate by area"),
        )
    months = [f"{m['month']}月" if not data["english"] else MONTHS[m["month"] - 1][:3] for m in data["trend"]]
    out["trend"] = charts.trend_chart(
        months,
        [None if m["completion_rate"] is None else float(m["completion_rate"] * 100) for m in data["trend"]],
        [float(m["time_progress"] * 100) for m in data["trend"]],
        rate_label=_("Cumulative completion rate (%)"),
        progress_label=_("Time progress (%)"),
        title=_("Completion rate month by month"),
    )
    return out


def render_html(data: dict) -> str:
    return render_to_string(
        "reports/briefing_pdf.html",
        {
            **data,
            "charts": _charts(data),
            "page_counter": _page_counter(_("Page %(page)s of %(pages)s")),
            "html_lang": "en" if data["english"] else "zh-CN",
            "colon": ": " if data["english"] else "：",
            "sections": ["1. ", "2. ", "3. ", "4. ", "5. ", "6. "]
            if data["english"]
            else ["一、", "二、", "三、", "四、", "五、", "六、"],
        },
    )


def render_pdf(area: Area, year: int, month: int) -> bytes:
    # WeasyPrint reports each layout step at INFO, which the root logger would print for every briefing.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # heavy: imported only where a PDF is made

    return HTML(string=render_html(briefing_data(area, year, month))).write_pdf()


def render_xlsx(area: Area, year: int, month: int) -> bytes:
    from .workbook import workbook

    return workbook(briefing_data(area, year, month))
