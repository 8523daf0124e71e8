"""The other names an area keeps (短名, old names), edited like any field and found by the importers."""

import pytest

from zoneos.areas import services
from zoneos.areas.lookup import AreaLookup
from zoneos.areas.models import Area
from zoneos.core.tests.test_admin import admin_client, change, errors, last_entry

pytestmark = pytest.mark.django_db


def test_aliases_set_through_the_api_are_kept_tidy_and_in_the_history(world, api):
    client = api(world.admin)
    response = client.patch(
        f"/api/v1/areas/{world.P1.pk}/", {"aliases": "东区、老园区，东区;一号园"}, format="json"
    )
    assert response.status_code == 200, response.content
    # Each name once, and not the area's own name.
    assert response.json()["aliases"] == "东区, 老园区"
    area = Area.objects.get(pk=world.P1.pk)
    assert area.alias_list == ["东区", "老园区"]
    entry = last_entry(area)
    assert entry.actor == world.admin and entry.changes["aliases"][1] == "东区, 老园区"


def test_aliases_are_edited_in_the_admin_and_shown_on_the_area_page(world, client):
    response = change(admin_client(world.root), world.P2, aliases="西区")
    assert response.status_code == 302, errors(response)
    client.force_login(world.root)
    page = client.get(f"/areas/{world.P2.pk}/").content.decode()
    assert "西区" in page


def test_the_lookup_finds_an_area_by_alias_and_names_the_candidates_of_an_ambiguous_one(world):
    services.update_area(world.P1, by=world.root, aliases="东区, 老园区")
    services.update_area(world.P2, by=world.root, aliases="老园区")
    lookup = AreaLookup(Area.objects.all())
    assert lookup.get("东区") == world.P1
    assert lookup.get(" 东 区 ") == world.P1
    assert lookup.get("老园区") is None and lookup.ambiguous("老园区")
    assert set(lookup.candidates("老园区")) == {world.P1, world.P2}
    # Codes and names still win, and short names still work.
    assert lookup.get("P2") == world.P2 and lookup.get("三号") == world.P3
    assert set(lookup.candidates("二号")) == {world.Z2, world.P2}  # 二号高新区 and 二号园
    assert lookup.candidates("九号园") == []
