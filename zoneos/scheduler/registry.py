"""The periodic jobs the apps declare: `@periodic(every=SECONDS, name=...)` in an app's `schedule.py`.

The name is the job's key in the database (its row in `ScheduledJob`): keep it when the function moves.
What the function returns (a count, a dict of counts, a list) is summed up in the job's last result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

DEFAULT_LEASE = 3600  # seconds a run may last before another scheduler takes the job as abandoned


@dataclass(frozen=True)
class Job:
    name: str
    every: int  # seconds from the start of one run to the start of the next
    function: Callable[[], object]
    lease: int  # seconds the claim of a run holds; a longer run may be started again elsewhere

    def __call__(self) -> object:
        return self.function()


_jobs: dict[str, Job] = {}


def register(function: Callable[[], object], *, every: int, name: str, lease: int | None = None) -> Job:
    if every < 1:
        raise ImproperlyConfigured(f"Job {name}: `every` must be at least one second.")
    if not name or len(name) > 100:
        raise ImproperlyConfigured("A job needs a name of at most 100 characters.")
    key = f"{function.__module__}.{function.__qualname__}"
    existing = _jobs.get(name)
    if existing and f"{existing.function.__module__}.{existing.function.__qualname__}" != key:
        raise ImproperlyConfigured(f"Two jobs are named {name}.")
    job = Job(name=name, every=every, function=function, lease=lease or max(DEFAULT_LEASE, every))
    _jobs[name] = job
    return job


def periodic(*, every: int, name: str, lease: int | None = None) -> Callable[[Callable], Callable]:
    """Declare the decorated function a job run every `every` seconds (the function stays callable)."""

    def declare(function: Callable[[], object]) -> Callable[[], object]:
        register(function, every=every, name=name, lease=lease)
        return function

    return declare


def jobs() -> dict[str, Job]:
    """Every declared job by name (each app's `schedule.py` is imported first)."""
    autodiscover_modules("schedule")
    return dict(sorted(_jobs.items()))
