"""A list runs the same number of queries for 1 row and for 50: no query per row.

Every list endpoint of the API and every page without arguments is walked, found from the URL conf so
that a new one is included without touching this file, as the first named user who may open it. The
rows are grown by copying the named world's records: the endpoint's own model for an API list, every
area-bound model (those that declare `area_path`) for a page. A paginated API list is compared at
`page_size=1` and `page_size=50` over the same rows; a page (or an API view that is not a plain list)
before and after the rows grew. Equal counts pass; anything else fails naming the endpoint and both.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from zoneos.core.roles import Role
from zoneos.stats.management.commands.rebuild_rollups import ROLLUPS

ROWS = 50
# Who opens an endpoint: the first of these who gets a 200 (and, for an API list, sees a row).
CALLERS = [
    Role.ADMIN,
    Role.SUPERVISOR,
    Role.INVESTMENT_OFFICER,
    Role.LEADER,
    Role.STATISTICIAN,
    Role.PARK_STAFF,
    Role.SERVICE_OFFICER,
    Role.HANDLER,
    Role.ENTERPRISE,
    "root",
]
# Not lists: signing in and out, switching language or area, health, the schema, the admin site (which
# has its own machinery), and endpoints that answer a file or a form to fill in rather than rows.
SKIPPED_NAMES = {"login", "logout", "set-area", "set_language", "healthz", "readyz", "schema", "swagger-ui"}
SKIPPED_NAMESPACES = {"admin"}


def _no_argument_routes():
    """(route, namespace, name, view class) of every URL that takes no argument."""
    found = []

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and not p.pattern.regex.groups:
                view = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
                route = (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                found.append((route, namespace, p.name, view))

    walk(get_resolver().url_patterns)
    return [
        r for r in found if r[2] not in SKIPPED_NAMES and r[1] not in SKIPPED_NAMESPACES and r[3] is not None
    ]


def api_lists():
    """The API's list routes: each viewset's list and its extra list actions, and the plain views."""
    return sorted(f"/{route}" for route, ns, name, view in _no_argument_routes() if ns == "api")


def pages():
    return sorted(f"/{route}" for route, ns, name, view in _no_argument_routes() if ns != "api")


# Growing rows -----------------------------------------------------------------------------------------
def _unique_sets(model) -> list[tuple[str, ...]]:
    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(u) for u in model._meta.unique_together]
    sets += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    return sets


def _vary(model, field_names: tuple[str, ...], copy, tag: str) -> None:
    """Make `copy` differ from its original on one field of a unique set: a text, a date, a number, or
    else a related record, which is copied in turn."""
    fields = [model._meta.get_field(name) for name in field_names]
    for kind in (models.CharField, models.DateField, models.IntegerField, models.ForeignKey):
        for field in fields:
            if not isinstance(field, kind) or field.choices:
                continue
            value = getattr(copy, field.attname)
            if value is None and field.null:
                return  # NULLs never collide
            if isinstance(field, models.ForeignKey):
                # Tagged with the copying model too: the related model may be grown with the same tags
                # (a research project's budget lines copy their project, and projects are grown too), and
                # two models that copy one area (a routing rule and a future industry board) would
                # otherwise make two copies of the same code.
                related = _copy(
                    field.related_model._default_manager.get(pk=value), f"{tag}.{model._meta.model_name}"
                )
                related.save()
                setattr(copy, field.attname, related.pk)
            elif isinstance(field, models.CharField):
                tail = f"~{tag}"
                setattr(copy, field.attname, value[: field.max_length - len(tail)] + tail)
            elif isinstance(field, models.DateField):
                # Far beyond any date the world holds (the calendar is seeded for decades).
                setattr(copy, field.attname, value + datetime.timedelta(days=40_000 + int(tag.split(".")[0])))
            else:
                setattr(copy, field.attname, value + 1000 + int(tag.split(".")[0]))
            return
    raise AssertionError(f"cannot make copies of {model.__name__}: no field of {field_names} to vary")


def grow(model, times: int = ROWS) -> None:
    """`times` copies of every row of `model` (same related records, unique fields varied)."""
    originals = list(model._default_manager.all())
    if len(originals) >= times:
        return  # reference data (the calendar): already more rows than a page shows
    copies = [
        _copy(original, f"{n}.{i}") for n in range(1, times + 1) for i, original in enumerate(originals)
    ]
    model._default_manager.bulk_create(copies, batch_size=500)


def _copy(instance, tag: str):
    model = type(instance)
    copy = model()
    for field in model._meta.concrete_fields:
        if not field.primary_key:
            setattr(copy, field.attname, getattr(instance, field.attname))
    for unique in _unique_sets(model):
        _vary(model, unique, copy, tag)
    return copy


def _a_conflict(world):
    from zoneos.testing.factories import make_project

    make_project(world.P2, name="二号园项目", investor_name=world.PR1.investor_name)


def _an_import(world):
    from django.core.files.base import ContentFile

    from zoneos.tabular import registry
    from zoneos.tabular.models import ImportJob, ImportStatus

    job = ImportJob(
        kind=registry.choices()[0][0],
        original_name="企业名录.csv",
        created_by=world.users[Role.ADMIN],
        status=ImportStatus.FAILED,
        message="the worker stopped",
    )
    job.file.save("enterprises.csv", ContentFile("统一社会信用代码,企业名称\n".encode()), save=False)
    job.save()


# Records the named world has none of, made the way the platform makes them (or, for an import job,
# as its upload leaves it).
def _policies(world):
    from zoneos.policies.tests.world import catalogue

    catalogue(world)


SEEDS = {
    "pipeline.InvestorConflict": _a_conflict,
    "tabular.ImportJob": _an_import,
    "policies.Policy": _policies,
    "policies.PolicyItem": _policies,
    "policies.Rule": _policies,
    "policies.DeclaredFact": _policies,
}


# Rollups are sums of other rows, kept by the services that write those rows: copies of their rows would
# be cells no row adds up to. The pages that read them are counted with the rows they sum grown.
# The rollups the writers keep (rebuilt from the rows, never copied row by row).
DERIVED = {spec.model._meta.label for spec, _rebuild in ROLLUPS.values()}


def area_bound_models():
    return [
        m
        for m in apps.get_models()
        if getattr(m, "area_path", None) and m._meta.label not in {"areas.Area", *DERIVED}
    ]


# Counting ----------------------------------------------------------------------------------------------
def _count(client, url: str) -> tuple[int, object]:
    client.get(url)  # warm: per-process caches (translations, content types, the switcher) fill once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:  # a file written as it is sent: its queries run while it streams
            response.content_bytes = b"".join(response.streaming_content)
    return len(queries), response


def _size(response) -> int:
    return len(response.content_bytes if response.streaming else response.content)


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _rows_of(response) -> int | None:
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and "results" in body:
            return len(body["results"])
    return None


def _model_of(path: str):
    match = get_resolver().resolve(path)
    view = getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


def _with(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in api_lists() if _model_of(p) is not None])
def test_an_api_list_runs_as_many_queries_for_50_rows_as_for_1(module_world, db, path):
    model = _model_of(path)
    if model._meta.label in SEEDS:
        SEEDS[model._meta.label](module_world)
    for name in CALLERS:
        client = _client(module_world.users[name])
        response = client.get(_with(path, "page_size=1"))
        if response.status_code == 200 and _rows_of(response) != 0:
            break
    else:
        pytest.skip(f"{path}: nobody sees a row")
    if _rows_of(response) is None:
        # A figure, a report or a file made from the model's rows: compared before and after they grew.
        before, _ = _count(client, path)
        grow(model)
        after, _ = _count(client, path)
        print(f"{path} as {name}: {before} queries before the rows grew, {after} after")
        assert after == before, (
            f"{path} as {name}: {before} queries with the world's rows, {after} with {ROWS}x"
        )
        return
    grow(model)
    one, _ = _count(client, _with(path, "page_size=1"))
    many, response = _count(client, _with(path, f"page_size={ROWS}"))
    rows = _rows_of(response)
    print(f"{path} as {name}: {one} queries for 1 row, {many} for {rows} rows")
    assert rows > 1, f"{path}: {name} sees only {rows} row(s) after growing them"
    assert many == one, f"{path} as {name}: {one} queries for 1 row, {many} for {rows} rows"
