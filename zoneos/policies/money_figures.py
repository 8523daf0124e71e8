"""The figures of policy money for an area's subtree and a budget year: policies and items delivered,
enterprises benefited, approved and paid amounts, the median working days from approval to full
payment, the on-time rate, and the same by department and by category. One function, read by the API,
the money dashboard, the statistics dashboard and the monthly briefing.

The on-time rate is of the applications whose payment was due: those paid in full (on time when by
their due date) and those approved and still unpaid past it (late whatever happens next). Working
days to payment are a column written when the last instalment is recorded, so the median is read, not
computed from the calendar per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from .models import GRANTED, ApplicationStatus, Budget, PolicyApplication

FOUR = Decimal("0.0001")
ZERO = Decimal("0.00")


def rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, ROUND_HALF_UP) if whole else None


def median(counts: dict[int, int]) -> Decimal | None:
    """The median of values each repeated its count of times."""
    size = sum(counts.values())
    if not size:
        return None
    wanted, found, seen = ((size - 1) // 2, size // 2), [], 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > wanted[len(found)]:
            found.append(value)
    return (Decimal(found[0] + found[1]) / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figures:
    key: object = None
    label: str = ""
    policies: int = 0
    items: int = 0
    enterprises: int = 0
    applications: int = 0
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    days: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        on_time_rate = rate(self.on_time, self.due)
        middle = median(self.days)
        return {
            "key": self.key,
            "label": self.label,
            "policies": self.policies,
            "items": self.items,
            "enterprises_benefited": self.enterprises,
            "applications": self.applications,
            "approved_amount": f"{self.approved:.2f}",
            "paid_amount": f"{self.paid:.2f}",
            "payments_due": self.due,
            "paid_on_time": self.on_time,
            "overdue": self.overdue,
            "on_time_rate": None if on_time_rate is None else str(on_time_rate),
            "median_days_to_payment": None if middle is None else str(middle),
        }


def _aggregate(rows, today: datetime.date, key: str | None) -> dict:
    """Figures per value of `key` (one group when None) over the applications `rows`."""
    group = [key] if key else []
    granted = Q(status__in=GRANTED, approved_amount__isnull=False)
    paid_in_full = Q(paid_on__isnull=False)
    late_open = Q(status=ApplicationStatus.APPROVED, payment_due__lt=today)
    measures = {
        "applications": Count("pk"),
        "policies": Count("item__policy", filter=granted, distinct=True),
        "items": Count("item", filter=granted, distinct=True),
        "enterprises": Count("enterprise", filter=granted, distinct=True),
        "approved": Sum("approved_amount", filter=granted),
        "paid": Sum("paid_amount", filter=granted),
        "due": Count("pk", filter=paid_in_full | late_open),
        "on_time": Count("pk", filter=paid_in_full & Q(paid_on__lte=F("payment_due"))),
        "overdue": Count("pk", filter=late_open),
    }
    # Without a key, one row for all (`values()` with no field would group by every column).
    sums = rows.values(key).annotate(**measures).order_by(key) if key else [rows.aggregate(**measures)]
    found: dict = {}
    for row in sums:
        k = row.get(key) if key else None
        found[k] = Figures(
            key=k,
            policies=row["policies"],
            items=row["items"],
            enterprises=row["enterprises"],
            applications=row["applications"],
            approved=row["approved"] or ZERO,
            paid=row["paid"] or ZERO,
            due=row["due"],
            on_time=row["on_time"],
            overdue=row["overdue"],
        )
    days = (
        rows.filter(payment_working_days__isnull=False)
        .values(*group, "payment_working_days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in days:
        k = row.get(key) if key else None
        if k in found:
            found[k].days[row["payment_working_days"]] = row["n"]
    return found


def money_figures(area, year: int, today: datetime.date | None = None) -> dict:
    """Everything the money dashboard shows for `area`'s subtree and `year` (the applications' year)."""
    from .models import PolicyItem

    today = today or timezone.localdate()
    rows = PolicyApplication.objects.in_subtree(area).filter(year=year)
    total = _aggregate(rows, today, None).get(None, Figures())
    by_department = _aggregate(rows, today, "item__department")
    names = _department_names(by_department)
    departments = []
    for key, figures in by_department.items():
        figures.label = names.get(key, "—")
        departments.append(figures.as_dict())
    categories = []
    labels = dict(PolicyItem._meta.get_field("policy").related_model._meta.get_field("category").choices)
    for key, figures in _aggregate(rows, today, "item__policy__category").items():
        figures.label = str(labels.get(key, key or "—"))
        categories.append(figures.as_dict())
    statuses = dict(rows.values_list("status").annotate(n=Count("pk")).order_by().values_list("status", "n"))
    budgets = (
        Budget.objects.in_subtree(area)
        .filter(year=year)
        .aggregate(
            amount=Sum("amount"), committed=Sum("committed"), disbursed=Sum("disbursed"), count=Count("pk")
        )
    )
    return {
        "area": area.pk,
        "year": year,
        **total.as_dict(),
        "budget": {
            "budgets": budgets["count"],
            "amount": f"{budgets['amount'] or ZERO:.2f}",
            "committed": f"{budgets['committed'] or ZERO:.2f}",
            "disbursed": f"{budgets['disbursed'] or ZERO:.2f}",
            "left": f"{(budgets['amount'] or ZERO) - (budgets['committed'] or ZERO):.2f}",
        },
        "by_status": [
            {"status": s.value, "label": str(s.label), "count": statuses.get(s.value, 0)}
            for s in ApplicationStatus
        ],
        "by_department": sorted(departments, key=lambda d: (-Decimal(d["approved_amount"]), d["label"])),
        "by_category": sorted(categories, key=lambda d: (-Decimal(d["approved_amount"]), d["label"])),
    }


def _department_names(found: dict) -> dict:
    from zoneos.areas.models import Department

    return {d.pk: d.label for d in Department.objects.filter(pk__in=[k for k in found if k])}


def years_with_applications(area) -> list[int]:
    return sorted(
        set(PolicyApplication.objects.in_subtree(area).values_list("year", flat=True).distinct()),
        reverse=True,
    )
