"""The figures of research projects, each defined once for the page, the API, the workbook, the nightly
sweep and the tests: budget against spending per category, time and spending progress, the warnings,
and the experts' evaluation result.

Warnings (for a project whose contract runs):
- a category over budget: spent on it more than its budget line;
- spending lags time: past the middle of the period (time progress ≥ 50 %), the share of the budget
  spent is more than `LAG_POINTS` percentage points below the share of the period gone.

The evaluation result is the mean of the reviewers' totals (points over every criterion) without the
highest and the lowest one, over the reviewers who scored and declared no conflict of interest. With
fewer than `MIN_REVIEWERS` (3) such reviewers there is no result, and the project cannot be approved.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from zoneos.core.money import format_money

from .models import RUNNING, BudgetLine, Category, Expenditure, ResearchProject

LAG_POINTS = Decimal("30")
LAG_AFTER = Decimal("0.5")
MIN_REVIEWERS = 3
ZERO = Decimal("0.00")
FOUR = Decimal("0.0001")
MONEY_SUM = DecimalField(max_digits=20, decimal_places=2)


def rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, rounding=ROUND_HALF_UP)


def time_progress(project, day: datetime.date) -> Decimal:
    """The share of the project's period gone by `day` (0 before it starts, 1 after it ends)."""
    total = (project.ends_on - project.starts_on).days
    gone = min(max((day - project.starts_on).days, 0), total)
    return rate(gone, total) or Decimal("0")


@dataclass
class Line:
    category: str
    label: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def spent_rate(self) -> Decimal | None:
        return rate(self.spent, self.budget)

    @property
    def bar(self) -> int:
        """The spent share as a whole percentage for a bar, at most 100."""
        share = self.spent_rate
        return 100 if share is None and self.spent else min(int((share or 0) * 100), 100)


@dataclass
class Warning:
    kind: str  # "over" or "lag"
    category: str = ""
    text: str = ""
    label: str = ""  # the category's name

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.category}" if self.category else self.kind


@dataclass
class Standing:
    """Where a project stands on `on`: its lines, totals, progress and warnings."""

    project: ResearchProject
    on: datetime.date
    lines: list[Line] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((line.budget for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def spent_rate(self) -> Decimal | None:
        return rate(self.spent, self.budget)

    @property
    def time_rate(self) -> Decimal:
        return time_progress(self.project, self.on)

    @property
    def gap_pp(self) -> Decimal:
        """Spending progress minus time progress, in percentage points (two decimals)."""
        spent = self.spent / self.budget if self.budget else Decimal(0)
        total = (self.project.ends_on - self.project.starts_on).days
        gone = min(max((self.on - self.project.starts_on).days, 0), total)
        return ((spent - Decimal(gone) / Decimal(total)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def warnings(self) -> list[Warning]:
        return warnings_of(self)


def warnings_of(standing: Standing) -> list[Warning]:
    from django.utils.translation import gettext as _

    if standing.project.status not in RUNNING:
        return []
    found = [
        Warning(
            "over",
            line.category,
            _("%(category)s is over budget: %(spent)s spent of %(budget)s.")
            % {
                "category": line.label,
                "spent": format_money(line.spent),
                "budget": format_money(line.budget),
            },
            line.label,
        )
        for line in standing.lines
        if line.over
    ]
    if standing.time_rate >= LAG_AFTER and standing.budget and standing.gap_pp < -LAG_POINTS:
        found.append(
            Warning(
                "lag",
                "",
                _("Spending lags time: %(spent)s of the budget spent, %(time)s of the period gone.")
                % {
                    "spent": f"{(standing.spent_rate or 0) * 100:.1f}%",
                    "time": f"{standing.time_rate * 100:.1f}%",
                },
            )
        )
    return found


def standings(projects, on: datetime.date) -> dict[int, Standing]:
    """The standing of each project, in two queries however many projects."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    budgets: dict = defaultdict(dict)
    for row in BudgetLine.objects.filter(project_id__in=ids).values("project_id", "category", "amount"):
        budgets[row["project_id"]][row["category"]] = row["amount"]
    spent: dict = defaultdict(dict)
    rows = (
        Expenditure.objects.filter(project_id__in=ids, spent_on__lte=on)
        .values("project_id", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        spent[row["project_id"]][row["category"]] = Decimal(row["total"]).quantize(ZERO)
    found = {}
    for project in projects:
        mine, used = budgets[project.pk], spent[project.pk]
        lines = [
            Line(value, str(label), mine.get(value, ZERO), used.get(value, ZERO))
            for value, label in Category.choices
            if value in mine or value in used
        ]
        found[project.pk] = Standing(project, on, lines)
    return found


def standing(project, on: datetime.date) -> Standing:
    return standings([project], on)[project.pk]


# The evaluation -------------------------------------------------------------------------------------
@dataclass
class Evaluation:
    """The reviewers' totals (None for one who has not scored), which of them were dropped as the
    highest and the lowest, and the result (None with fewer than three counted)."""

    rows: list[dict]
    result: Decimal | None
    counted: int

    @property
    def missing(self) -> int:
        return max(MIN_REVIEWERS - self.counted, 0)


def evaluation(project) -> Evaluation:
    criteria = [c["code"] for c in project.programme.criteria]
    # The project's prefetched reviewers when a list loaded them (`reviewers__scores`), else a query.
    reviewers = sorted(project.reviewers.all(), key=lambda r: r.pk)
    rows = []
    for reviewer in reviewers:
        points = {s.criterion: s.points for s in reviewer.scores.all()}
        complete = bool(criteria) and all(c in points for c in criteria)
        total = sum((points[c] for c in criteria), ZERO) if complete else None
        rows.append(
            {
                "reviewer": reviewer,
                "points": [points.get(c) for c in criteria],
                "total": total,
                "counts": complete and not reviewer.conflict,
                "dropped": "",
            }
        )
    counted = [r for r in rows if r["counts"]]
    result = None
    if len(counted) >= MIN_REVIEWERS:
        ordered = sorted(counted, key=lambda r: (r["total"], r["reviewer"].pk))
        ordered[0]["dropped"], ordered[-1]["dropped"] = "lowest", "highest"
        middle = [r["total"] for r in ordered[1:-1]]
        result = (sum(middle, ZERO) / len(middle)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Evaluation(rows, result, len(counted))


# An area's research funds ----------------------------------------------------------------------------
def area_funds(area, year: int) -> dict:
    """The research funds of `area`'s subtree for the dashboard and the briefing: the projects under
    contract and not yet accepted (`RUNNING`), their approved budget, what they have spent to date and
    in `year`, and the share of the budget spent. Two queries; amounts in yuan."""
    projects = ResearchProject.objects.in_subtree(area).filter(status__in=RUNNING)
    budget = BudgetLine.objects.filter(project__in=projects.values("pk")).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_SUM),
        projects=Count("project", distinct=True),
    )
    spent = Expenditure.objects.filter(project__in=projects.values("pk")).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_SUM),
        this_year=Coalesce(Sum("amount", filter=Q(spent_on__year=year)), Value(ZERO), output_field=MONEY_SUM),
    )
    return {
        "projects": budget["projects"],
        "budget": budget["total"],
        "spent": spent["total"],
        "spent_in_year": spent["this_year"],
        "spent_rate": rate(spent["total"], budget["total"]),
    }
