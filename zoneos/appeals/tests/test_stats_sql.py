"""The dashboard's figures come from grouped SQL; they must be exactly those of the computation they
replaced, which read every appeal into Python (kept here as the reference)."""

import datetime
import itertools
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneos.appeals import services, stats
from zoneos.appeals.models import OWING, Appeal, Category, Rating, Status
from zoneos.workdays.calendar import working_days_elapsed

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def reference(appeals) -> dict:
    """The old computation: every appeal's columns, counted one by one."""
    now = timezone.now()
    keys = ("total", "open", "overdue", "late_open", "replied", "on_time", "rated", "satisfied")
    figures: dict = {}
    rows = appeals.values_list(
        "status", "overdue", "category", "department_id", "replied_on_time", "received_at", "replied_at",
        "rating", "reply_due", "paused_at",
    )  # fmt: skip
    for status, overdue, category, dept, on_time, received, replied, rating, due, paused in rows:
        late = status in OWING and due < (paused or now)
        for key in ("total", ("d", dept), ("c", category)):
            f = figures.setdefault(key, {**dict.fromkeys(keys, 0), "days": []})
            f["total"] += 1
            f["open"] += status != Status.CLOSED
            f["overdue"] += bool(overdue and status in OWING)
            f["late_open"] += late
            if replied is not None:
                f["replied"] += 1
                f["on_time"] += bool(on_time)
                f["days"].append(working_days_elapsed(received, replied))
            if rating:
                f["rated"] += 1
                f["satisfied"] += rating in stats.SATISFIED
    for f in figures.values():
        days = f.pop("days")
        f["median"] = (
            Decimal(str(statistics.median(days))).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
        )
    return figures


def shown(f: stats.Figures) -> dict:
    names = ("total", "open", "overdue", "late_open", "replied", "on_time", "rated", "satisfied")
    return {**{n: getattr(f, n) for n in names}, "median": f.median_reply_days}


@pytest.fixture
def many(world):
    """Appeals in every state, of three departments and none, several categories, replied after
    various numbers of days (some across a weekend, some at night), rated or not, paused or not."""
    now = timezone.now()
    departments = itertools.cycle([world.D1, world.D2, world.D3, None])
    categories = itertools.cycle([Category.HELP, Category.COMPLAINT, Category.LAND])
    ratings = itertools.cycle(["", Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.DISSATISFIED])
    made = []
    for i, status in enumerate(list(Status) * 3):
        appeal = services.submit(
            by=world.root, enterprise=world.E1 if i % 2 else world.E2, category=next(categories),
            channel="hotline", title=f"诉求 {i}", description="说明",
        )  # fmt: skip
        received = now - (20 - i % 9) * DAY - datetime.timedelta(hours=i * 5)
        fields = {
            "status": status,
            "department": next(departments),
            "received_at": received,
            "reply_due": now + (i % 5 - 2) * DAY,
            "overdue": i % 3 == 0,
            "paused_at": now - (i % 4) * DAY if i % 7 == 0 else None,
        }
        if status in (Status.REPLIED, Status.EVALUATED, Status.CLOSED) or i % 11 == 0:
            fields.update(
                replied_at=received + (i % 6) * DAY + datetime.timedelta(hours=i), replied_on_time=i % 2 == 0
            )
        if status in (Status.EVALUATED, Status.CLOSED):
            fields["rating"] = next(ratings)
        Appeal.objects.filter(pk=appeal.pk).update(**fields)
        made.append(appeal.pk)
    return Appeal.objects.filter(pk__in=made)


def test_the_figures_are_those_of_the_appeal_by_appeal_computation(many):
    expected = reference(many)
    board = stats.dashboard(many)
    assert shown(board.total) == expected["total"]
    assert {f.key: shown(f) for f in board.by_department} == {
        k[1]: v for k, v in expected.items() if k != "total" and k[0] == "d"
    }
    assert {f.key: shown(f) for f in board.by_category} == {
        k[1]: v for k, v in expected.items() if k != "total" and k[0] == "c"
    }
    # Every state is there, and so is each figure.
    assert all(n for _s, _label, n in board.by_status)
    assert all(expected["total"][k] for k in ("open", "overdue", "late_open", "on_time", "satisfied"))


def test_the_number_of_queries_does_not_grow_with_the_appeals(many):
    # Once first: the working-day calendar is read once per process and kept (another test in the same
    # worker may have just cleared it), which is not a query per appeal.
    stats.dashboard(many)
    with CaptureQueriesContext(connection) as queries:
        stats.dashboard(many)
    assert len(queries) == 3


@pytest.mark.parametrize(
    "counts",
    [{3: 1}, {1: 1, 2: 1}, {1: 2, 5: 1}, {0: 3, 7: 2, 9: 1}, {2: 1, 4: 1, 6: 1, 8: 1}, {-1: 1, 4: 4}],
)
def test_the_median_of_counted_days_is_that_of_the_list(counts):
    values = [v for v, n in counts.items() for _ in range(n)]
    assert stats._median(counts) == statistics.median(values)


def test_the_queue_tiles_are_one_grouped_query_with_the_old_counts(many):
    from django.db.models import Count, Q

    from zoneos.appeals.views.queue import _counts, _due_today_q, _overdue_q

    old = many.aggregate(
        open=Count("pk", filter=~Q(status=Status.CLOSED)),
        overdue=Count("pk", filter=_overdue_q()),
        due_today=Count("pk", filter=_due_today_q()),
    )
    with CaptureQueriesContext(connection) as queries:
        assert _counts(many) == old
    assert len(queries) == 1
    assert all(old.values())
