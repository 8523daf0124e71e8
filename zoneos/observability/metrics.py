"""Request metrics, counted by the process that answered, and their exposition.

Under gunicorn each worker process counts its own requests. With PROMETHEUS_MULTIPROC_DIR set (as the
production units do) prometheus_client writes every worker's counts to memory-mapped files in that
folder and a scrape, whichever worker answers it, adds up all the files: the totals are the service's,
not one worker's. Without it (the development server, tests) the counts are the one process's. The
folder must be emptied when the service starts (systemd's RuntimeDirectory does it), or it keeps the
files of every worker that ever ran.

The figures that live in the database (task queue, sweep lag, deliveries, imports) are not counted
here: `gauges.DatabaseCollector` reads them at scrape time, so every worker reports the same values."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

# The registry of what this process counts; a scrape reads it (or, in multiprocess mode, the files).
REGISTRY = CollectorRegistry(auto_describe=True)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds; 0.3 is the p95 target for pages and API reads under load.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "zoneos_http_requests",
    "Requests answered, by method, route (the URL pattern's name) and status code.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "zoneos_http_request_duration_seconds",
    "Time from the request reaching Django to its response (to the first byte of a streamed file).",
    ["route"],
    buckets=BUCKETS,
    registry=REGISTRY,
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"  # an invented method must not add a series
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def exposition(*collectors) -> bytes:
    """The text a scrape reads: the request metrics of every process, then `collectors`."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_Local())
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry)


class _Local:
    """This process's request metrics, as one collector of a scrape's registry."""

    def collect(self):
        return REGISTRY.collect()
