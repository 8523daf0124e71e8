"""`/metrics`, the Prometheus scrape target: for the monitoring system, not for people, so it is no
page and no API operation. Answered to a loopback address that came through no proxy, or to a request
bearing the token `ZONEOS_METRICS_TOKEN`; anyone else gets 404, as if there were nothing here (403
when a token was offered and is wrong, so that a misconfigured scraper says why)."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from . import metrics
from .gauges import DatabaseCollector

# Headers a reverse proxy adds: a loopback peer that sends one relays somebody else's request.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _from_loopback(request) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    relayed = (*PROXY_HEADERS, settings.ZONEOS_CLIENT_IP_HEADER)
    return address.is_loopback and not any(request.META.get(h) for h in relayed if h)


def _offered_token(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@never_cache
@require_GET
def metrics_view(request):
    offered = _offered_token(request)
    expected = settings.ZONEOS_METRICS_TOKEN
    if offered is not None and not _from_loopback(request):
        if not expected or not hmac.compare_digest(offered.encode(), expected.encode()):
            return HttpResponseForbidden("Wrong metrics token.\n", content_type="text/plain")
    elif not _from_loopback(request):
        raise Http404
    return HttpResponse(metrics.exposition(DatabaseCollector()), content_type=CONTENT_TYPE_LATEST)
