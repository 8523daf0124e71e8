"""The periodic jobs the apps declare in their `schedule.py`: `@periodic(every=SECONDS, name=...)`, or
`@periodic(at="02:30", name=...)` for a job run once a day at that local time (TIME_ZONE). A daily run
missed while no scheduler ran is made once when one starts again.

The name is the job's key in the database (its row in `ScheduledJob`): keep it when the function moves.
What the function returns (a count, a dict of counts, a list) is summed up in the job's last result.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

DEFAULT_LEASE = 3600  # seconds a run may last before another scheduler takes the job as abandoned


@dataclass(frozen=True)
class Job:
    name: str
    every: int  # seconds from the start of one run to the start of the next
    function: Callable[[], object]
    lease: int  # seconds the claim of a run holds; a longer run may be started again elsewhere
    at: datetime.time | None = None  # daily at this local time (then `every` is a day)

    def __call__(self) -> object:
        return self.function()

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        """When the run after one that started at `moment` is due."""
        if self.at is None:
            return moment + datetime.timedelta(seconds=self.every)
        local = timezone.localtime(moment)
        due = datetime.datetime.combine(local.date(), self.at, tzinfo=local.tzinfo)
        return due if due > moment else due + datetime.timedelta(days=1)


_jobs: dict[str, Job] = {}


def register(
    function: Callable[[], object],
    *,
    name: str,
    every: int | None = None,
    at: str | None = None,
    lease: int | None = None,
) -> Job:
    if (every is None) == (at is None):
        raise ImproperlyConfigured(f"Job {name}: give either `every` (seconds) or `at` (HH:MM), not both.")
    daily = None
    if at is not None:
        try:
            daily = datetime.time.fromisoformat(at)
        except ValueError as exc:
            raise ImproperlyConfigured(f"Job {name}: `at` must be a local time such as 02:30.") from exc
        every = 24 * 3600
    if every < 1:
        raise ImproperlyConfigured(f"Job {name}: `every` must be at least one second.")
    if not name or len(name) > 100:
        raise ImproperlyConfigured("A job needs a name of at most 100 characters.")
    key = f"{function.__module__}.{function.__qualname__}"
    existing = _jobs.get(name)
    if existing and f"{existing.function.__module__}.{existing.function.__qualname__}" != key:
        raise ImproperlyConfigured(f"Two jobs are named {name}.")
    job = Job(name=name, every=every, function=function, lease=lease or DEFAULT_LEASE, at=daily)
    _jobs[name] = job
    return job


def periodic(
    *, name: str, every: int | None = None, at: str | None = None, lease: int | None = None
) -> Callable[[Callable], Callable]:
    """Declare the decorated function a job run every `every` seconds, or daily `at` a local time (the
    function stays callable)."""

    def declare(function: Callable[[], object]) -> Callable[[], object]:
        register(function, every=every, at=at, name=name, lease=lease)
        return function

    return declare


def jobs() -> dict[str, Job]:
    """Every declared job by name (each app's `schedule.py` is imported first)."""
    autodiscover_modules("schedule")
    return dict(sorted(_jobs.items()))
