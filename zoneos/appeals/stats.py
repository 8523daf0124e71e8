"""The service desk's figures over a set of appeals (already scoped and filtered): on-time rate, median
working days to reply, satisfaction rate, by department and by category, and a ranking of departments.

Rates are fractions (Decimal, four places) of the appeals they can be judged on: the on-time rate of
the replied ones, the satisfaction rate of the rated ones ("satisfied" and "basically satisfied"
count as satisfied, as the provincial assessments do).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from zoneos.workdays.calendar import working_days_elapsed

from .models import Category, Rating, Status

FOUR = Decimal("0.0001")
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, ROUND_HALF_UP) if whole else None


@dataclass
class Figures:
    key: object = None
    label: str = ""
    total: int = 0
    open: int = 0
    overdue: int = 0
    replied: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    reply_days: list = field(default_factory=list)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.rated)

    @property
    def median_reply_days(self) -> Decimal | None:
        if not self.reply_days:
            return None
        return Decimal(str(statistics.median(self.reply_days))).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "total": self.total,
            "open": self.open,
            "overdue": self.overdue,
            "replied": self.replied,
            "on_time": self.on_time,
            "on_time_rate": _text(self.on_time_rate),
            "median_reply_days": None if self.median_reply_days is None else str(self.median_reply_days),
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfaction_rate": _text(self.satisfaction_rate),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Dashboard:
    total: Figures
    by_department: list[Figures]
    by_category: list[Figures]
    by_status: list[tuple[str, str, int]]

    def ranking(self) -> list[Figures]:
        """Departments with replies, best on-time rate first, then satisfaction, then speed."""
        judged = [f for f in self.by_department if f.replied]
        return sorted(
            judged,
            key=lambda f: (
                -(f.on_time_rate or 0),
                -(f.satisfaction_rate or 0),
                f.median_reply_days if f.median_reply_days is not None else Decimal(999),
            ),
        )

    def as_dict(self) -> dict:
        return {
            **self.total.as_dict(),
            "by_status": [{"status": s, "label": label, "count": n} for s, label, n in self.by_status],
            "by_department": [f.as_dict() for f in self.by_department],
            "by_category": [f.as_dict() for f in self.by_category],
            "ranking": [{"rank": i, **f.as_dict()} for i, f in enumerate(self.ranking(), start=1)],
        }


def dashboard(appeals) -> Dashboard:
    """Two queries: the appeals' few columns, grouped in Python, and the count per status."""
    total = Figures(label="")
    departments: dict = {}
    categories = {c: Figures(key=c, label=str(label)) for c, label in Category.choices}
    rows = appeals.order_by().values_list(
        "status",
        "overdue",
        "category",
        "department_id",
        "department__name",
        "replied_on_time",
        "received_at",
        "replied_at",
        "rating",
    )
    for status, overdue, category, dept_id, dept_name, on_time, received, replied, rating in rows.iterator(
        chunk_size=5000
    ):
        dept = departments.get(dept_id)
        if dept is None:
            dept = departments[dept_id] = Figures(key=dept_id, label=dept_name or "")
        for f in (total, dept, categories[category]):
            f.total += 1
            f.open += status != Status.CLOSED
            f.overdue += bool(overdue and status not in (Status.CLOSED, Status.REPLIED, Status.EVALUATED))
            if replied is not None:
                f.replied += 1
                f.on_time += bool(on_time)
                f.reply_days.append(working_days_elapsed(received, replied))
            if rating:
                f.rated += 1
                f.satisfied += rating in SATISFIED
    by_status = dict(
        appeals.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return Dashboard(
        total=total,
        by_department=sorted(departments.values(), key=lambda f: (f.key is None, -f.total)),
        by_category=[f for f in categories.values() if f.total],
        by_status=[(s, str(label), by_status.get(s, 0)) for s, label in Status.choices],
    )


SOLVED_STATES = (Status.REPLIED, Status.EVALUATED, Status.CLOSED)


def with_counts(symposia):
    """Symposia with `appeal_count` and `solved` (replied, evaluated or closed) annotated."""
    return symposia.annotate(
        appeal_count=Count("appeals"), solved=Count("appeals", filter=Q(appeals__status__in=SOLVED_STATES))
    )


def parse_month(value: str) -> tuple[int, int] | None:
    """`YYYY-MM` as (year, month), else None."""
    raw = (value or "").strip()
    year, _sep, month = raw.partition("-")
    digits = len(year) == 4 and year.isascii() and year.isdigit() and month.isascii() and month.isdigit()
    if digits and 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12:
        return int(year), int(month)
    return None


def visit_report(visits, year: int, month: int) -> list[dict]:
    """Per officer: visits in the month, enterprises visited, appeals raised on those visits."""
    rows = (
        visits.filter(visited_on__year=year, visited_on__month=month)
        .order_by()
        .values("officer__username")
        .annotate(
            visits=Count("id", distinct=True),
            enterprises=Count("enterprise", distinct=True),
            appeals_raised=Count("appeals", distinct=True),
        )
        .order_by("-visits", "officer__username")
    )
    return [
        {
            "officer": r["officer__username"],
            "visits": r["visits"],
            "enterprises": r["enterprises"],
            "appeals_raised": r["appeals_raised"],
        }
        for r in rows
    ]


def open_counts(appeals) -> dict:
    """Solved versus in progress, for a symposium's live count."""
    counts = appeals.aggregate(
        total=Count("id"),
        solved=Count("id", filter=Q(status__in=SOLVED_STATES)),
    )
    counts["in_progress"] = counts["total"] - counts["solved"]
    counts["at"] = timezone.now().isoformat()
    return counts
