"""Global search in the header: the records a user may see, found by what people type (a name, its
pinyin initials, a credit code, an appeal's number), grouped by kind.

The shell names no kind of record: each app declares its sources in its `navigation.py`
(`search.source(...)`), saying how its list page's search matches text. Every source reads through
`.scope(user, "view")`, the scoping function every list reads through, so a search never finds a
record its user's lists would not show. The page answers htmx with the header's drop-down; the API
(`GET /api/v1/search/?q=`) answers the same results as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zoneos.core.ids import MAX_ID
from zoneos.core.roles import VIEW

# Enough to pick from while typing; the list page behind "all results" has the rest.
PER_KIND = 5
API_LIMIT = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class Source:
    """One kind of record the header finds.

    `filter(queryset, text)` narrows the scoped records to those matching `text` (the list page's own
    search, so both find the same); `title(record)` and `detail(record)` are what a result shows;
    `list_url` is the URL name of the list page, which takes the text as `?q=` (empty: none).
    `columns` are the fields the results read (loaded alone: a result is a line, not a record)."""

    key: str
    label: object
    icon: str
    model: type[Model]
    filter: Callable[[QuerySet, str], QuerySet]
    title: Callable[[Model], str]
    detail: Callable[[Model], str]
    order: int
    list_url: str = ""
    columns: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("pk",)


_sources: dict[str, Source] = {}


def source(key: str, label, *, icon: str, model: type[Model], filter, title, detail, order: int, **more):
    """Declare a kind of record the header's search finds (see `Source`)."""
    item = Source(key, label, icon, model, filter, title, detail, order, **more)
    # A module imported again (a test reloading it) declares the same source with new lambdas: the
    # same key for the same model is that; for another model it is a clash.
    if key in _sources and _sources[key].model is not model:
        raise ImproperlyConfigured(f"Search source {key!r} is declared for two models.")
    _sources[key] = item


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def clean(text: str) -> str:
    return " ".join((text or "").split())[:MAX_QUERY]


def number(text: str) -> int | None:
    """A record number typed as `41`, `#41`, `No. 41` or `第41号`; None when the text is not one."""
    found = re.fullmatch(r"(?:#|no\.?|№|第)?\s*(\d{1,18})\s*号?", text.strip(), re.IGNORECASE)
    if not found:
        return None
    value = int(found.group(1))
    return value if 0 < value <= MAX_ID else None


def search(user, text: str, per_kind: int = PER_KIND) -> list[dict]:
    """The groups of results (kinds without results left out), each with at most `per_kind` records,
    all in the user's scope. Text of fewer than two characters finds nothing unless it is a number."""
    text = clean(text)
    if not text or (len(text) < 2 and number(text) is None):
        return []
    groups = []
    for s in sources():
        queryset = s.model._default_manager.all().scope(user, VIEW)
        queryset = s.filter(queryset, text)
        if s.related:
            queryset = queryset.select_related(*s.related)
        if s.columns:
            queryset = queryset.only(*s.columns)
        records = list(queryset.order_by(*s.ordering)[: per_kind + 1])
        if not records:
            continue
        more = ""
        if s.list_url:
            more = f"{reverse(s.list_url)}?{urlencode({'q': text})}"
        groups.append(
            {
                "key": s.key,
                "label": s.label,
                "icon": s.icon,
                "more": len(records) > per_kind,
                "more_url": more,
                "items": [
                    {
                        "kind": s.key,
                        "id": r.pk,
                        "title": str(s.title(r)),
                        "detail": str(s.detail(r)),
                        "url": r.get_absolute_url(),
                    }
                    for r in records[:per_kind]
                ],
            }
        )
    return groups


class SearchView(LoginRequiredMixin, View):
    """`/search/?q=`: the header's drop-down (htmx) or a page of results (Enter without a choice)."""

    def get(self, request):
        text = clean(request.GET.get("q", ""))
        groups = search(request.user, text, PER_KIND if request.htmx else API_LIMIT)
        template = "core/_search_results.html" if request.htmx else "core/search.html"
        return render(request, template, {"q": text, "groups": groups})


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of record: enterprise, project, key_project, appeal, …")
    id = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The record's page.")


class SearchAnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SearchResultSerializer(many=True)


class SearchApiView(APIView):
    """Records in the caller's scope matching `q` (names, pinyin initials, credit codes, appeal
    numbers, titles), at most `limit` (≤ 20) of each kind, grouped kind after kind."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="What to look for (≤ 100 characters)."),
            OpenApiParameter("limit", int, description="Results per kind, 1 to 20 (default 5)."),
        ],
        responses=SearchAnswerSerializer,
    )
    def get(self, request):
        text = clean(request.query_params.get("q", ""))
        raw = request.query_params.get("limit", str(PER_KIND))
        if not raw.isdigit() or not 1 <= int(raw) <= API_LIMIT:
            raise serializers.ValidationError(
                {"limit": [_("A whole number from 1 to %(n)s.") % {"n": API_LIMIT}]}
            )
        limit = int(raw)
        results = [item for group in search(request.user, text, limit) for item in group["items"]]
        return Response(SearchAnswerSerializer({"query": text, "results": results}).data)
