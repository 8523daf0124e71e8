"""The permission matrix: every API route, walked by every role (plus a stranger, a superuser and an
anonymous caller), against a record inside the caller's scope and one outside it.

Each resource declares who reads its in-scope record and who writes it; everything else follows from
the conventions: readers get 200 and others 404 (never 403: existence does not leak); writers
create, change and delete, callers without a writing role get 403, and a writer reaching outside
their scope gets 404 (or 400 naming the field for a parent out of reach). A new route that is not
in MATRIX fails `test_every_api_route_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zoneos.core.roles import Role
from zoneos.testing.world import ALL_USERS

ANONYMOUS = "anonymous"
CALLERS = [*ALL_USERS, ANONYMOUS]
AREA_ROLES = {r.value for r in Role} - {Role.ENTERPRISE, Role.HANDLER, Role.PARK_STAFF}


@dataclass
class Resource:
    path: str  # under /api/v1/
    basename: str
    inside: Callable  # world -> a record in scope of the role users
    outside: Callable  # world -> a record in zone Z2, out of scope for all but root
    disposable: Callable  # world -> an in-scope record that can be deleted
    create: Callable  # world -> payload creating a record inside the writers' scope
    create_outside: Callable  # world -> payload aiming outside the writers' scope
    outside_field: str  # the field the out-of-scope create names in its 400
    change: dict
    readers: set[str]
    writers: set[str] = field(default_factory=lambda: {Role.ADMIN.value})
    delete_status: int = 204


MATRIX = [
    Resource(
        path="areas",
        basename="area",
        inside=lambda w: w.P1,
        outside=lambda w: w.P3,
        disposable=lambda w: w.P2,
        create=lambda w: {"code": "NEW", "name": "新园", "kind": "park", "parent": w.Z1.pk},
        create_outside=lambda w: {"code": "OUT", "name": "外园", "kind": "park", "parent": w.Z2.pk},
        outside_field="parent",
        change={"name_en": "Renamed Park"},
        readers={r.value for r in Role},
    ),
    Resource(
        path="departments",
        basename="department",
        inside=lambda w: w.D1,
        outside=lambda w: w.D2,
        disposable=lambda w: w.D3,
        create=lambda w: {"area": w.P1.pk, "name": "园区办"},
        create_outside=lambda w: {"area": w.P3.pk, "name": "外部办"},
        outside_field="area",
        change={"name_en": "Service Centre"},
        readers=AREA_ROLES | {Role.HANDLER.value},
    ),
    Resource(
        path="users",
        basename="user",
        inside=lambda w: w.colleague,
        outside=lambda w: w.outsider,
        disposable=lambda w: w.colleague,
        create=lambda w: {"username": "newcomer", "password": "a-fine-passphrase", "display_name": "新同事"},
        create_outside=lambda w: {
            "username": "other",
            "password": "a-fine-passphrase",
            "home_area": w.P3.pk,
        },
        outside_field="home_area",
        change={"display_name": "改名"},
        readers=AREA_ROLES | {Role.HANDLER.value, Role.PARK_STAFF.value},
    ),
    Resource(
        path="memberships",
        basename="membership",
        inside=lambda w: w.colleague.memberships.get(),
        outside=lambda w: w.outsider.memberships.get(),
        disposable=lambda w: w.colleague.memberships.get(),
        create=lambda w: {"user": w.colleague.pk, "role": "leader", "area": w.P2.pk},
        create_outside=lambda w: {"user": w.colleague.pk, "role": "statistician", "area": w.P3.pk},
        outside_field="area",
        change={"role": "supervisor"},
        readers=AREA_ROLES | {Role.HANDLER.value, Role.PARK_STAFF.value},
    ),
]
BY_NAME = {r.path: r for r in MATRIX}

# Routes that are not resources: who may call them.
SINGLE_ROUTES = {"me": {"GET": set(ALL_USERS)}}


def client_for(api, world, caller):
    return api(None if caller == ANONYMOUS else world.users[caller])


def expected_read(resource: Resource, caller: str) -> int:
    if caller == ANONYMOUS:
        return 401
    return 200 if caller == "root" or caller in resource.readers else 404


def expected_write(resource: Resource, caller: str, ok: int) -> int:
    if caller == ANONYMOUS:
        return 401
    if caller == "root" or caller in resource.writers:
        return ok
    return 403


cases = [(r.path, c) for r in MATRIX for c in CALLERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_reading(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    inside, outside = r.inside(world), r.outside(world)
    base = f"/api/v1/{r.path}/"

    listing = client.get(base)
    assert listing.status_code == (401 if caller == ANONYMOUS else 200)
    if caller != ANONYMOUS:
        ids = {row["id"] for row in client.get(base, {"page_size": 1000}).json()["results"]}
        assert (inside.pk in ids) == (expected_read(r, caller) == 200)
        assert (outside.pk in ids) == (caller == "root")

    assert client.get(f"{base}{inside.pk}/").status_code == expected_read(r, caller)
    assert client.get(f"{base}{inside.pk}/history/").status_code == expected_read(r, caller)
    out = 401 if caller == ANONYMOUS else (200 if caller == "root" else 404)
    assert client.get(f"{base}{outside.pk}/").status_code == out
    assert client.get(f"{base}{outside.pk}/history/").status_code == out


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_creating(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"

    response = client.post(base, r.create(world), format="json")
    assert response.status_code == expected_write(r, caller, 201), response.content

    outside = client.post(base, r.create_outside(world), format="json")
    if caller == "root":
        assert outside.status_code == 201, outside.content
    elif caller in r.writers:
        assert outside.status_code == 400 and r.outside_field in outside.json()
    else:
        assert outside.status_code == expected_write(r, caller, 201)


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_changing(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"
    inside, outside = r.inside(world), r.outside(world)

    assert client.patch(f"{base}{inside.pk}/", r.change, format="json").status_code == expected_write(
        r, caller, 200
    )
    writer_outside = 200 if caller == "root" else 404
    expected = writer_outside if caller in r.writers | {"root"} else expected_write(r, caller, 200)
    assert client.patch(f"{base}{outside.pk}/", r.change, format="json").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_deleting(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"
    outside = r.outside(world)

    if caller in r.writers:
        assert client.delete(f"{base}{outside.pk}/").status_code == 404
    target = r.disposable(world)
    assert client.delete(f"{base}{target.pk}/").status_code == expected_write(r, caller, r.delete_status)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_me(world, api, caller):
    client = client_for(api, world, caller)
    assert client.get("/api/v1/me/").status_code == (401 if caller == ANONYMOUS else 200)
    if caller != ANONYMOUS:
        assert client.post("/api/v1/me/", {}).status_code == 405


def api_route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "api" and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_api_route_is_in_the_matrix():
    covered = set(SINGLE_ROUTES)
    for r in MATRIX:
        covered |= {f"{r.basename}-list", f"{r.basename}-detail", f"{r.basename}-history"}
    assert api_route_names() == covered
