"""The demo's space beside the demo's innovation: Tonghu Sci-Tech Park (潼湖科创园) has its boundary,
land in reserve, supplied and built on, standard factories and the incubator building let to Tonghu's
enterprises (the incubator platform's host among them), so the zone map of Tonghu shows them; Nanhai
keeps its own; a second load creates nothing."""

from decimal import Decimal

import pytest

from zoneos.areas.demo import load_areas
from zoneos.core import demo
from zoneos.enterprises.demo import load_enterprises, load_registry
from zoneos.space import maps
from zoneos.space.demo import NAMED_TENANTS, TONGHU, load_space
from zoneos.space.models import Building, Lease, Parcel, Shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    ctx = demo.DemoContext(by=demo.ensure_superuser())
    for step in (load_areas, load_enterprises, load_registry, load_space):
        step(ctx)
    return ctx


def test_tonghu_has_its_land_buildings_and_tenants_beside_nanhai(loaded):
    park = loaded.areas[TONGHU]
    parcels = {p.code: p for p in Parcel.objects.filter(area=park)}
    assert {p.status for p in parcels.values()} == {"reserve", "supplied", "built"}
    assert parcels["TH-2026-02"].area_m2 == Decimal("26680.00")  # given in m²
    assert parcels["TH-2026-01"].area_mu == pytest.approx(Decimal("68"), abs=Decimal("0.01"))  # in 亩
    kinds = set(Building.objects.filter(area=park).values_list("kind", flat=True))
    assert kinds == {"standard_factory", "incubator"}
    leases = Lease.objects.filter(unit__building__area=park).select_related("tenant", "unit__building")
    assert len(leases) == 6
    assert all(lease.tenant.area_id == park.pk for lease in leases)
    host = next(lease for lease in leases if lease.tenant.uscc == NAMED_TENANTS[TONGHU])
    assert host.unit.building.code == "TH-INC"  # the incubator platform's host, in the incubator
    assert Building.objects.filter(area=loaded.areas["FS-GX-NH"]).count() == 2  # Nanhai's stay


def test_the_map_of_tonghu_shows_its_boundary_buildings_and_enterprises(loaded):
    park = loaded.areas[TONGHU]
    data = maps.map_data(loaded.by, park.parent)  # the Tonghu zone, as the map's area switch gives it
    kinds = [f["properties"]["kind"] for f in data["geojson"]["features"]]
    assert kinds.count("boundary") == 1 and kinds.count("building") == 3 and kinds.count("parcel") == 5
    assert len(data["enterprises"]) == 6 and all(e["value"] for e in data["enterprises"])
    lng, lat = data["enterprises"][0]["value"]
    assert 114.2 < lng < 114.27 and 23.02 < lat < 23.07  # near Tonghu, Huizhou


def test_a_second_load_creates_nothing(loaded):
    shapes = Shape.objects.count()
    again = demo.DemoContext(by=loaded.by)
    for step in (load_areas, load_enterprises, load_registry, load_space):
        step(again)
    assert (again.created, again.updated, Shape.objects.count()) == (0, 0, shapes)
