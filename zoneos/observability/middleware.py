"""The first middleware: gives the request its id, binds it for every log line written while it is
answered, returns it in the `X-Request-ID` header, counts the request for `/metrics` and writes one
access line when the response leaves."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from . import metrics
from .context import HEADER, Context, accepted_request_id, bound

access_log = logging.getLogger("zoneos.access")
log = logging.getLogger(__name__)
# Routes of responses given before any URL pattern was matched: a static file (WhiteNoise), and
# anything else (a 404, the redirect to https).
STATIC = "<static>"
UNMATCHED = "<unmatched>"
PATH_LIMIT = 300


_counting_failed = False


def _count(method: str, route: str, status: int, seconds: float) -> None:
    """Counting must never fail a request: an unwritable PROMETHEUS_MULTIPROC_DIR is said once per
    process (and by `manage.py check`), and the request is answered all the same."""
    global _counting_failed
    try:
        metrics.observe(method, route, status, seconds)
    except OSError:
        if not _counting_failed:
            _counting_failed = True
            log.exception("Requests are not counted for /metrics: PROMETHEUS_MULTIPROC_DIR cannot be written")


def route_of(request) -> str:
    """The URL pattern's name (`api:enterprise-detail`), never the path, so that ids do not multiply the
    series; a pattern without a name goes by its view's dotted path."""
    match = getattr(request, "resolver_match", None)
    if match:
        return match.view_name
    return STATIC if request.path.startswith(settings.STATIC_URL) else UNMATCHED


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        # The path without its query string: search terms and filters may name people.
        path = request.path[:PATH_LIMIT]
        started = time.perf_counter()
        with bound(
            Context(request_id=request_id, method=request.method, path=path, request=request)
        ) as context:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[HEADER] = request_id
            route = route_of(request)
            _count(request.method, route, response.status_code, seconds)
            access_log.info(
                "%s %s %s %.1f ms",
                request.method,
                path,
                response.status_code,
                seconds * 1000,
                extra={
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "route": route,
                    "user_id": context.user_id,
                },
            )
        return response
