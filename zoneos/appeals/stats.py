"""The service desk's figures over a set of appeals (already scoped and filtered): on-time rate, median
working days to reply, satisfaction rate, by department and by category, and a ranking of departments.

Rates are fractions (Decimal, four places) of the appeals they can be judged on. The on-time rate is
of the appeals whose reply was due: the replied ones, on time or late, and the open ones whose reply
deadline has passed while the clock ran (`late_open`), which are late whatever happens next; counting
replies only would rank a department that lets appeals lapse above one that answers them late. It is
read from the deadline itself rather than the sweep's `overdue` flag, which also marks a missed
sign-for deadline and lags the sweep. The satisfaction rate is of the rated ones ("satisfied" and
"basically satisfied" count as satisfied, as the provincial assessments do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from zoneos.workdays.calendar import working_days_elapsed

from .models import OWING, Category, Rating, Status

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
    late_open: int = 0
    replied: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    # Working days to reply -> how many replies took that long.
    reply_days: dict = field(default_factory=dict)

    @property
    def due(self) -> int:
        """The appeals the on-time rate is of: the replied ones and the open ones past their reply
        deadline (late)."""
        return self.replied + self.late_open

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.rated)

    @property
    def median_reply_days(self) -> Decimal | None:
        if not self.reply_days:
            return None
        return Decimal(str(_median(self.reply_days))).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "total": self.total,
            "open": self.open,
            "overdue": self.overdue,
            "late_open": self.late_open,
            "replied": self.replied,
            "on_time": self.on_time,
            "due": self.due,
            "on_time_rate": _text(self.on_time_rate),
            "median_reply_days": None if self.median_reply_days is None else str(self.median_reply_days),
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfaction_rate": _text(self.satisfaction_rate),
        }


def _median(counts: dict[int, int]):
    """`statistics.median` of the values each repeated its count of times, without making the list."""
    size = sum(counts.values())
    wanted = (size - 1) // 2, size // 2  # the middle one, or the middle two
    found = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > wanted[len(found)]:
            found.append(value)
    return found[0] if found[0] == found[1] else (found[0] + found[1]) / 2


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Dashboard:
    total: Figures
    by_department: list[Figures]
    by_category: list[Figures]
    by_status: list[tuple[str, str, int]]

    def ranking(self) -> list[Figures]:
        """Departments with a reply or an overdue appeal, best on-time rate first, then satisfaction,
        then speed."""
        judged = [f for f in self.by_department if f.due]
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


def counted(now) -> dict[str, Q]:
    """The figures a dashboard counts, each the condition an appeal meets to count: the one place they
    are defined (the dashboard and its API sum them in SQL per department and category)."""
    # While the appeal waits on the enterprise its clock stops (the deadline moves on when it resumes),
    # so it is late only if the deadline had passed before the wait began.
    late_open = Q(status__in=OWING) & (
        Q(paused_at__isnull=True, reply_due__lt=now)
        | Q(paused_at__isnull=False, reply_due__lt=F("paused_at"))
    )
    return {
        "total": Q(),
        "open": ~Q(status=Status.CLOSED),
        "overdue": Q(overdue=True, status__in=OWING),
        # Never also counted as replied: reopening an appeal clears its reply.
        "late_open": late_open,
        "replied": Q(replied_at__isnull=False),
        "on_time": Q(replied_at__isnull=False, replied_on_time=True),
        "rated": ~Q(rating=""),
        "satisfied": Q(rating__in=SATISFIED),
    }


def _add(figures: Figures, counts: dict) -> None:
    for name, n in counts.items():
        setattr(figures, name, getattr(figures, name) + n)


def dashboard(appeals) -> Dashboard:
    """Three grouped queries whatever the number of appeals: the counts per department and category,
    the working days to reply per department, category and (received, replied) local days (the median
    is read from those counts), and the count per status."""
    now = timezone.now()
    total = Figures(label="")
    departments: dict = {}
    categories = {c: Figures(key=c, label=str(label)) for c, label in Category.choices}
    conditions = counted(now)
    rows = (
        appeals.order_by()
        .values("department_id", "department__name", "category")
        .annotate(**{name: Count("pk", filter=q) if q else Count("pk") for name, q in conditions.items()})
    )

    def department(dept_id, name=""):
        dept = departments.get(dept_id)
        if dept is None:
            dept = departments[dept_id] = Figures(key=dept_id, label=name or "")
        return dept

    for row in rows:
        counts = {name: row[name] for name in conditions}
        for f in (
            total,
            department(row["department_id"], row["department__name"]),
            categories[row["category"]],
        ):
            _add(f, counts)
    local = timezone.get_default_timezone()
    pairs = (
        appeals.order_by()
        .filter(replied_at__isnull=False)
        .values_list(
            "department_id",
            "category",
            TruncDate("received_at", tzinfo=local),
            TruncDate("replied_at", tzinfo=local),
        )
        .annotate(n=Count("pk"))
    )
    elapsed: dict = {}
    for dept_id, category, received, replied, n in pairs:
        days = elapsed.get((received, replied))
        if days is None:
            days = elapsed[received, replied] = working_days_elapsed(received, replied)
        for f in (total, department(dept_id), categories[category]):
            f.reply_days[days] = f.reply_days.get(days, 0) + n
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
