"""Every page (and every API view that is not a plain list) runs as many queries after the rows grew as
before: the pages' half of tests/test_query_counts.py.

Each page's count with the world's rows is taken first, for all pages at once; then every area-bound
table (and the seeded ones) grows to 50 copies, once for the module, in the module's transaction; then
each case counts its page again. Growing the tables once instead of once per page is what keeps this
module to seconds rather than minutes per database. The module has a world of its own, so the API lists'
cases (which grow one table each and compare) never see these grown tables.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from .test_query_counts import (
    CALLERS,
    SEEDS,
    _client,
    _count,
    _model_of,
    _size,
    _with,
    api_lists,
    area_bound_models,
    grow,
    pages,
)

PAGES = pages() + [p for p in api_lists() if _model_of(p) is None]


def _url(world, path: str) -> str:
    # The world's records are of 2025 (key projects) and March 2026 (appeals); pages default to today.
    return _with(path, f"area={world.Z1.pk}&year=2025&month=2025-03")


@pytest.fixture(scope="module")
def counted(module_world, django_db_blocker):
    """{page: (who opens it, its queries and its size with the world's rows)}, or None when nobody may
    open it; the tables are grown once all are counted."""
    with django_db_blocker.unblock():
        for seed in SEEDS.values():
            seed(module_world)
        base = {}
        for path in PAGES:
            url = _url(module_world, path)
            for name in CALLERS:
                client = _client(module_world.users[name])
                if client.get(url).status_code == 200:
                    break
            else:
                base[path] = None
                continue
            before, response = _count(client, url)
            base[path] = (name, before, _size(response))
        for model in area_bound_models() + [apps.get_model(label) for label in SEEDS]:
            grow(model)
    return base


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_as_many_queries_for_50_rows_as_for_a_few(counted, module_world, db, path):
    url = _url(module_world, path)
    if counted[path] is None:
        pytest.skip(f"{url}: nobody may open it")
    name, before, size = counted[path]
    after, response = _count(_client(module_world.users[name]), url)
    grew = "" if _size(response) > size else " (the same answer: no rows shown)"
    print(f"{url} as {name}: {before} queries before the rows grew, {after} after{grew}")
    assert response.status_code == 200
    assert after == before, f"{url} as {name}: {before} queries with the world's rows, {after} with 50x"
