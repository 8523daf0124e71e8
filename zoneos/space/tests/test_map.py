"""The map: GeoJSON checked with the field named, WGS-84 and GCJ-02 converted both ways, shapes scoped
like the rest of space, a park's shapes uploaded at once, and the map's data (enterprises at the building
of their lease) walked by every caller."""

import json

import pytest
from django.core.exceptions import ValidationError

from zoneos.core.roles import Role
from zoneos.space import geo, services
from zoneos.space.models import Shape
from zoneos.testing.world import ALL_USERS

STAFF = {r.value for r in Role} - {Role.ENTERPRISE.value}
KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}


def square(west=113.0, south=23.1, size=0.01):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    return {"type": "Polygon", "coordinates": [[*ring, [west, south]]]}


# Conversion ----------------------------------------------------------------------------------------
def test_a_known_shanghai_point_converts_to_its_published_gcj02_position():
    # eviltransform's test pair: WGS-84 (121.5272106, 31.1774276) is GCJ-02
    # (121.531541859215, 31.17530398364597).
    lng, lat = geo.wgs84_to_gcj02(121.5272106, 31.1774276)
    assert lng == pytest.approx(121.531541859215, abs=1e-9)
    assert lat == pytest.approx(31.17530398364597, abs=1e-9)


@pytest.mark.parametrize("point", [(113.0, 23.1), (121.5, 31.2), (116.39, 39.91), (87.6, 43.8)])
def test_a_point_converted_to_gcj02_and_back_lands_within_a_centimetre(point):
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point))
    assert back == pytest.approx(point, abs=1e-7)
    shifted = geo.wgs84_to_gcj02(*point)
    assert shifted != pytest.approx(point, abs=1e-4)  # a shift of hundreds of metres inside China


def test_outside_china_gcj02_is_wgs84():
    assert geo.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert geo.gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_a_geometry_converts_position_by_position():
    moved = geo.convert(square(), "gcj02", "wgs84")
    assert moved["type"] == "Polygon"
    first = moved["coordinates"][0][0]
    assert first == pytest.approx(list(geo.gcj02_to_wgs84(113.0, 23.1)), abs=1e-6)
    assert geo.convert(square(), "wgs84", "wgs84") == square()


def test_the_centre_of_a_square_is_its_middle():
    assert geo.centre(square(size=0.02)) == pytest.approx((113.01, 23.11))
    assert geo.centre({"type": "Point", "coordinates": [113.0, 23.0]}) == (113.0, 23.0)


# Checking ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "not json",
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        {"type": "Polygon", "coordinates": [[[113.0, 23.1], [113.1, 23.1], [113.0, 23.1]]]},  # too few
        {"type": "Polygon", "coordinates": [[[113.0, 23.1], [113.1, 23.1], [113.1, 23.2], [113.0, 23.2]]]},
        {"type": "Point", "coordinates": [23.1, 113.0]},  # lat, lng swapped: latitude out of range
        {"type": "Point", "coordinates": [200, 20]},
        {"type": "Point", "coordinates": ["113", "23"]},
        {"type": "Polygon", "coordinates": [113.0, 23.1]},
    ],
)
def test_a_bad_geometry_is_refused_naming_the_field(value):
    with pytest.raises(ValidationError) as error:
        geo.check_geometry(value)
    assert "geometry" in error.value.message_dict


def test_a_geometry_over_the_size_or_point_caps_is_refused():
    with pytest.raises(ValidationError) as error:
        geo.check_geometry(" " * (geo.MAX_BYTES + 1))
    assert "2 MB" in error.value.message_dict["geometry"][0]
    ring = [[113.0 + i * 1e-6, 23.1] for i in range(geo.MAX_VERTICES)] + [[113.0, 23.2], [113.0, 23.1]]
    with pytest.raises(ValidationError) as error:
        geo.check_geometry({"type": "Polygon", "coordinates": [ring]})
    assert "simplify" in error.value.message_dict["geometry"][0]


def test_a_feature_gives_its_geometry():
    feature = {"type": "Feature", "properties": {}, "geometry": square()}
    assert geo.check_geometry(json.dumps(feature)) == square()


# Services and scoping ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_shape_is_stored_as_entered_with_its_datum(world):
    shape = services.create_shape(
        by=world.park_staff, area=world.P1, kind="parcel", parcel=world.PC3, geometry=square(), crs="wgs84"
    )
    shape.refresh_from_db()
    assert shape.geometry == square() and shape.crs == "wgs84"


@pytest.mark.django_db
def test_a_shape_for_another_parks_building_is_refused_at_its_field(world):
    with pytest.raises(ValidationError) as error:
        services.create_shape(
            by=world.root, area=world.P1, kind="building", building=world.BD2, geometry=square()
        )
    assert "building" in error.value.message_dict


@pytest.mark.django_db
def test_a_bad_geometry_is_refused_by_the_api_naming_the_field(world, api):
    client = api(world.park_staff)
    answer = client.post(
        "/api/v1/space-shapes/",
        {"area": world.P1.pk, "kind": "boundary", "geometry": {"type": "Point", "coordinates": [0, 95]}},
        format="json",
    )
    assert answer.status_code == 400 and "geometry" in answer.json()


@pytest.mark.django_db
def test_another_parks_staff_see_no_shapes_of_this_park(world, api):
    mine = {s["id"] for s in api(world.outsider).get("/api/v1/space-shapes/").json()["results"]}
    assert mine == {world.SH2.pk}
    assert api(world.outsider).get(f"/api/v1/space-shapes/{world.SH1.pk}/").status_code == 404
    assert api(world.enterprise).get("/api/v1/space-shapes/").json()["results"] == []


@pytest.mark.django_db
def test_a_change_to_a_shape_is_in_its_history(world, api):
    client = api(world.park_staff)
    client.patch(f"/api/v1/space-shapes/{world.SH1.pk}/", {"name": "一号园"}, format="json")
    history = client.get(f"/api/v1/space-shapes/{world.SH1.pk}/history/").json()["results"]
    assert history[0]["changes"]["name"] == ["SH1", "一号园"]


# Upload --------------------------------------------------------------------------------------------
def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


@pytest.mark.django_db
@pytest.mark.parametrize("caller", [*ALL_USERS, None])
def test_every_caller_uploading_a_parks_shapes(world, api, caller):
    client = api(world.users[caller] if caller else None)
    body = collection(
        feature(square(size=0.03), kind="boundary", name="一号园"),
        feature(square(113.002, 23.102, 0.005), kind="parcel", code="PC1"),
    )
    answer = client.post(
        "/api/v1/space-shapes/upload/", {"area": world.P1.pk, "geojson": body}, format="json"
    )
    keeps_p1 = caller in KEEPERS or caller in ("root", "colleague")
    if keeps_p1:
        assert answer.status_code == 201, answer.content
        assert Shape.objects.filter(area=world.P1, kind="boundary").count() == 1  # SH1 replaced
        assert Shape.objects.get(parcel=world.PC1).geometry == square(113.002, 23.102, 0.005)
    else:
        # No write role anywhere: 403 (401 signed out); a keeper of another park: P1 is not found.
        assert answer.status_code == (404 if caller == "outsider" else 401 if caller is None else 403)
        assert Shape.objects.filter(area=world.P1, kind="boundary").get() == world.SH1
    map_answer = client.get("/api/v1/space/map/", {"area": world.P1.pk})
    if caller is None:
        assert map_answer.status_code in (401, 403)
    elif caller in STAFF or caller in ("root", "colleague"):
        assert map_answer.status_code == 200
    else:
        assert map_answer.status_code == 404


@pytest.mark.django_db
def test_an_upload_is_all_or_nothing_naming_the_feature(world, api):
    body = collection(
        feature(square(), kind="boundary"),
        feature({"type": "Point", "coordinates": [500, 23]}, kind="building", code="BD3"),
    )
    answer = api(world.park_staff).post(
        "/api/v1/space-shapes/upload/", {"area": world.P1.pk, "geojson": body}, format="json"
    )
    assert answer.status_code == 400
    assert "features[1].geometry" in answer.json()
    assert Shape.objects.filter(area=world.P1, kind="boundary").get() == world.SH1


@pytest.mark.django_db
def test_an_upload_naming_no_parcel_of_the_park_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.upload_shapes(
            world.P1, collection(feature(square(), kind="parcel", code="PC2")), by=world.root
        )
    assert "features[0].code" in error.value.message_dict


# The map's data ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_map_places_an_enterprise_at_the_building_of_its_lease(world, api):
    data = api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk}).json()
    kinds = {f["properties"]["kind"] for f in data["geojson"]["features"]}
    assert kinds == {"boundary", "building"}
    [point] = data["enterprises"]
    assert point["id"] == world.E1.pk and point["url"] == f"/enterprises/{world.E1.pk}/"
    assert point["value"] == pytest.approx([113.007, 23.107])
    assert [v["id"] for v in data["vacant"]] == [world.BD1.pk]  # UN3 is vacant
    wgs = api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk, "crs": "wgs84"}).json()
    assert wgs["enterprises"][0]["value"] == pytest.approx(list(geo.gcj02_to_wgs84(113.007, 23.107)))


@pytest.mark.django_db
def test_the_map_page_draws_from_its_own_data(world, client):
    client.force_login(world.park_staff)
    page = client.get("/space/map/", {"area": world.P1.pk})
    assert page.status_code == 200
    assert b'id="map-data"' in page.content and b"zoneos/space/map.js" in page.content
    assert b"shape-upload" in page.content
    client.force_login(world.outsider)
    assert client.get("/space/map/", {"area": world.P1.pk}).status_code == 404


@pytest.mark.django_db
def test_an_open_appeal_placed_by_its_caller_is_on_the_map_for_whoever_sees_it(world, api):
    """AP1 (E1, P1) is placed at a WGS-84 point; the map gives it in GCJ-02 (or WGS-84 if asked). AP2
    (E2, P2) is placed too but park 1's staff do not see it; a closed appeal leaves the map."""
    from decimal import Decimal

    from zoneos.appeals.models import Appeal, Status

    Appeal.objects.filter(pk__in=[world.AP1.pk, world.AP2.pk]).update(
        latitude=Decimal("23.104"), longitude=Decimal("113.004")
    )
    data = api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk}).json()
    [point] = data["appeals"]
    assert (point["id"], point["url"]) == (world.AP1.pk, f"/appeals/{world.AP1.pk}/")
    assert point["value"] == pytest.approx(list(geo.wgs84_to_gcj02(113.004, 23.104)))
    wgs = api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk, "crs": "wgs84"}).json()
    assert wgs["appeals"][0]["value"] == pytest.approx([113.004, 23.104])
    assert [a["id"] for a in api(world.root).get("/api/v1/space/map/").json()["appeals"]] == [
        world.AP2.pk,
        world.AP1.pk,
    ]
    Appeal.objects.filter(pk=world.AP1.pk).update(status=Status.CLOSED)
    assert api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk}).json()["appeals"] == []


@pytest.mark.django_db
def test_innovation_adds_its_platforms_as_a_layer_beside_their_host(world, api):
    """IP1 is hosted by E1, which leases in BD1: drawn at E1's point. IP3 (a university's) has no lease
    and is not drawn; IP2 (P3) is not park 1's."""
    data = api(world.park_staff).get("/api/v1/space/map/", {"area": world.P1.pk}).json()
    [platforms] = [layer for layer in data["layers"] if layer["key"] == "platforms"]
    [point] = platforms["points"]
    assert (point["id"], point["url"]) == (world.IP1.pk, world.IP1.get_absolute_url())
    assert point["value"] == data["enterprises"][0]["value"]
    assert api(world.outsider).get("/api/v1/space/map/").json()["layers"][0]["points"] == []
