"""Space's own routes walked by every caller (vacancy, matching, the leases ending soon), and what the
API refuses naming the field; the resources themselves are in tests/test_permission_matrix.py."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneos.core.roles import Role
from zoneos.pipeline import services as pipeline
from zoneos.space import services
from zoneos.space.models import Lease, Parcel
from zoneos.testing.world import ALL_USERS

pytestmark = pytest.mark.django_db
STAFF = {r.value for r in Role} - {Role.ENTERPRISE.value}
# Who sees projects: the pipeline's readers (not a department's handlers, not enterprise users).
PROJECT_READERS = STAFF - {Role.HANDLER.value}


@pytest.fixture
def leasing(world):
    """LS1 (UN1 to E1) made to end in 30 days; PR1 needs 50 亩."""
    today = timezone.localdate()
    services.update_lease(world.LS1, by=world.root, ends_on=today + datetime.timedelta(days=30))
    services.update_lease(world.LS2, by=world.root, ends_on=today + datetime.timedelta(days=30))
    pipeline.update_project(world.PR1, by=world.root, land_mu=Decimal("50"))
    pipeline.update_project(world.PR2, by=world.root, land_mu=Decimal("50"))
    return world


@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_on_the_space_figures(leasing, api, caller):
    w = leasing
    client = api(w.users[caller] if caller else None)
    answers = {
        "vacancy": client.get("/api/v1/space/vacancy/"),
        "vacancy_zone": client.get("/api/v1/space/vacancy/", {"area": w.Z1.pk}),
        "vacancy_other": client.get("/api/v1/space/vacancy/", {"area": w.Z2.pk}),
        "match": client.get("/api/v1/space/match/", {"project": w.PR1.pk}),
        "match_other": client.get("/api/v1/space/match/", {"project": w.PR2.pk}),
        "expiring": client.get("/api/v1/space-leases/expiring/"),
    }
    if caller is None:
        assert {r.status_code for r in answers.values()} == {401}
        return
    root = caller == "root"
    staff = root or caller in STAFF
    vacancy = answers["vacancy"]
    assert vacancy.status_code == 200
    parks = {row["area"] for row in vacancy.json()["parks"]}
    assert parks == ({w.P1.pk, w.P3.pk} if root else {w.P1.pk} if staff else set())
    # The zone's figures: its staff (park staff and strangers reach no zone); Z2's: root only.
    zone_readers = root or (staff and caller != Role.PARK_STAFF)
    assert answers["vacancy_zone"].status_code == (200 if zone_readers else 404)
    assert answers["vacancy_other"].status_code == (200 if root else 404)
    if zone_readers:
        assert answers["vacancy_zone"].json()["rollups"][0]["area"] == w.Z1.pk
    match = answers["match"]
    assert match.status_code == (200 if root or caller in PROJECT_READERS else 404)
    if match.status_code == 200:
        assert [p["code"] for p in match.json()["parcels"]] == ["PC1", "PC3"]
        assert match.json()["needs"]["land_m2"] == "33333.33"
    assert answers["match_other"].status_code == (200 if root else 404)
    expiring = answers["expiring"]
    assert expiring.status_code == 200
    ids = [row["id"] for row in expiring.json()]
    assert ids == ([w.LS1.pk, w.LS2.pk] if root else [w.LS1.pk] if staff else [])


def test_the_vacancy_answer(leasing, api):
    w = leasing
    answer = api(w.admin).get("/api/v1/space/vacancy/", {"area": w.Z1.pk}).json()
    assert answer["area"] == w.Z1.pk
    assert answer["totals"] == {
        "units": 2,
        "leased": 1,
        "vacant": 1,
        "floor_area_m2": "2000.00",
        "leased_m2": "1000.00",
        "vacant_m2": "1000.00",
        "vacancy_rate": "0.5000",
    }
    park = answer["parks"][0]
    assert (park["area"], park["kind"], park["units"], park["vacancy_rate"]) == (w.P1.pk, "park", 2, "0.5000")
    # Before UN1's lease began, both units stood empty.
    early = api(w.admin).get("/api/v1/space/vacancy/", {"on": "2024-06-01"}).json()
    assert early["totals"]["leased"] == 0 and early["totals"]["vacancy_rate"] == "1.0000"
    bad = api(w.admin).get("/api/v1/space/vacancy/", {"on": "June"})
    assert bad.status_code == 400 and "on" in bad.json()


def test_match_and_expiring_refuse_bad_input_naming_it(world, api):
    client = api(world.admin)
    assert "project" in client.get("/api/v1/space/match/").json()
    assert "project" in client.get("/api/v1/space/match/", {"project": "x"}).json()
    assert client.get("/api/v1/space/match/", {"project": 99999999}).status_code == 404
    assert "days" in client.get("/api/v1/space-leases/expiring/", {"days": "0"}).json()
    assert "days" in client.get("/api/v1/space-leases/expiring/", {"days": "9999"}).json()


def test_an_overlapping_lease_is_refused_naming_the_field(world, api):
    client = api(world.park_staff)
    body = {"unit": world.UN1.pk, "tenant": world.E3.pk, "monthly_rent": "10000.00"}
    starts_inside = client.post(
        "/api/v1/space-leases/", {**body, "starts_on": "2027-06-01", "ends_on": "2027-12-31"}
    )
    assert starts_inside.status_code == 400 and list(starts_inside.json()) == ["starts_on"]
    wraps = client.post("/api/v1/space-leases/", {**body, "starts_on": "2024-01-01", "ends_on": "2030-01-01"})
    assert wraps.status_code == 400 and list(wraps.json()) == ["ends_on"]
    backwards = client.post(
        "/api/v1/space-leases/", {**body, "starts_on": "2031-02-01", "ends_on": "2031-01-01"}
    )
    assert backwards.status_code == 400 and "ends_on" in backwards.json()
    elsewhere = client.post(
        "/api/v1/space-leases/",
        {**body, "tenant": world.E2.pk, "starts_on": "2031-01-01", "ends_on": "2031-12-31"},
    )
    assert elsewhere.status_code == 400 and "tenant" in elsewhere.json()  # E2 is out of the caller's sight
    assert Lease.objects.filter(unit=world.UN1).count() == 2
    free = client.post("/api/v1/space-leases/", {**body, "starts_on": "2029-01-01", "ends_on": "2029-12-31"})
    assert free.status_code == 201, free.content
    assert free.json()["status"] == "upcoming" and free.json()["rent_per_m2"] == "10.00"
    moved = client.patch(
        f"/api/v1/space-leases/{free.json()['id']}/", {"ends_on": "2028-06-30"}, format="json"
    )
    assert moved.status_code == 400 and "ends_on" in moved.json()


def test_a_parcel_posted_in_mu_reads_back_in_both_units(world, api):
    client = api(world.park_staff)
    made = client.post("/api/v1/space-parcels/", {"area": world.P1.pk, "code": "MU-1", "area_mu": "50"})
    assert made.status_code == 201, made.content
    assert (made.json()["area_m2"], made.json()["area_mu"]) == ("33333.33", "50.00")
    missing = client.post("/api/v1/space-parcels/", {"area": world.P1.pk, "code": "MU-2"})
    assert missing.status_code == 400 and "area_m2" in missing.json()
    reserve_with_project = client.post(
        "/api/v1/space-parcels/",
        {"area": world.P1.pk, "code": "MU-3", "area_m2": "100", "project": world.PR1.pk},
    )
    assert reserve_with_project.status_code == 400 and "project" in reserve_with_project.json()
    found = client.get("/api/v1/space-parcels/", {"min_mu": "50", "status": "reserve"}).json()
    assert [p["code"] for p in found["results"]] == ["MU-1", "PC1", "PC3"]
    assert not Parcel.objects.filter(code__in=["MU-2", "MU-3"]).exists()


def test_park_staff_of_another_park_see_nothing_of_it(world, api):
    outsider = api(world.outsider)  # park staff of P3
    for path, record in (
        ("space-parcels", world.PC1),
        ("space-buildings", world.BD1),
        ("space-units", world.UN1),
        ("space-leases", world.LS1),
    ):
        ids = {r["id"] for r in outsider.get(f"/api/v1/{path}/").json()["results"]}
        assert record.pk not in ids
        assert outsider.get(f"/api/v1/{path}/{record.pk}/").status_code == 404
        assert (
            outsider.patch(f"/api/v1/{path}/{record.pk}/", {"notes": "x"}, format="json").status_code == 404
        )
    assert outsider.get("/api/v1/space/vacancy/", {"area": world.P1.pk}).status_code == 404


def test_the_history_shows_the_author(world, api):
    client = api(world.park_staff)
    client.patch(f"/api/v1/space-units/{world.UN1.pk}/", {"floor_load_kn": "12.50"}, format="json")
    rows = client.get(f"/api/v1/space-units/{world.UN1.pk}/history/").json()["results"]
    assert rows[0]["user"] == "park_staff" and rows[0]["changes"]["floor_load_kn"] == [None, "12.50"]


def test_the_units_list_shows_who_leases_each_today(world, api):
    rows = {r["code"]: r for r in api(world.park_staff).get("/api/v1/space-units/").json()["results"]}
    assert (rows["UN1"]["lease"], rows["UN1"]["tenant"], rows["UN1"]["tenant_name"]) == (
        world.LS1.pk,
        world.E1.pk,
        world.E1.name,
    )
    assert rows["UN3"]["lease"] is None and rows["UN3"]["area"] == world.P1.pk
    building = api(world.park_staff).get(f"/api/v1/space-buildings/{world.BD1.pk}/").json()
    assert (building["units"], building["leased_units"]) == (2, 1)


def test_projects_take_their_space_needs_through_the_api(world, api):
    client = api(world.investment_officer)
    body = {"floor_space_m2": "1500.00", "floor_load": "10.00", "clear_height": "6.00", "land_mu": "50.00"}
    changed = client.patch(f"/api/v1/projects/{world.PR1.pk}/", body, format="json")
    assert changed.status_code == 200 and {k: changed.json()[k] for k in body} == body
    negative = client.patch(f"/api/v1/projects/{world.PR1.pk}/", {"floor_load": "-1"}, format="json")
    assert negative.status_code == 400 and "floor_load" in negative.json()
