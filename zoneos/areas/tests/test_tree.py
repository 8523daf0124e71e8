"""The area tree: placement rules, subtree paths that survive moves, deletes that other records block."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zoneos.areas import services
from zoneos.areas.models import Area
from zoneos.core.errors import Conflict

pytestmark = pytest.mark.django_db


def test_a_new_area_sits_in_its_parents_subtree(world):
    area = services.create_area(by=world.root, code="P9", name="九号园", kind="park", parent=world.Z1)
    assert area.path == f"{world.Z1.path}{area.pk}/"
    assert area.depth == 2
    assert set(world.Z1.subtree().values_list("code", flat=True)) == {"Z1", "P1", "P2", "P9"}


def test_moving_a_zone_carries_its_whole_subtree(world):
    inner = services.create_area(by=world.root, code="Z1A", name="子区", kind="zone", parent=world.Z1)
    park = services.create_area(by=world.root, code="P1A", name="子园", kind="park", parent=inner)

    services.update_area(inner, by=world.root, parent=world.Z2)

    park.refresh_from_db()
    inner.refresh_from_db()
    assert park.path.startswith(world.Z2.path) and park.depth == 3
    assert inner.depth == 2
    assert park in world.Z2.subtree()
    assert park not in world.Z1.subtree()
    assert [a.code for a in park.ancestors()] == ["R", "Z2", "Z1A"]


def test_an_area_cannot_move_under_its_own_descendant(world):
    with pytest.raises(ValidationError) as err:
        services.update_area(world.Z1, by=world.root, parent=world.P1)
    assert "parent" in err.value.message_dict


@pytest.mark.parametrize(
    ("kind", "parent", "field"),
    [("zone", "P1", "parent"), ("region", "Z1", "kind"), ("park", "P2", "parent")],
)
def test_kinds_nest_downward_only(world, kind, parent, field):
    with pytest.raises(ValidationError) as err:
        services.create_area(by=world.root, code="X", name="X", kind=kind, parent=world.areas[parent])
    assert field in err.value.message_dict
    assert not Area.objects.filter(code="X").exists()


def test_a_zone_with_parks_cannot_become_a_park(world):
    with pytest.raises(ValidationError) as err:
        services.update_area(world.Z1, by=world.root, kind="park")
    assert "kind" in err.value.message_dict


def test_codes_are_unique(world):
    with pytest.raises(ValidationError) as err:
        services.create_area(by=world.root, code="P1", name="重复", kind="park", parent=world.Z1)
    assert "code" in err.value.message_dict


def test_deleting_an_area_with_children_or_members_is_refused(world):
    with pytest.raises(Conflict):
        services.delete_area(world.Z1, by=world.root)
    with pytest.raises(Conflict):
        services.delete_area(world.P1, by=world.root)  # park staff and an enterprise hang on it
    assert Area.objects.filter(pk=world.P1.pk).exists()


def test_only_superusers_create_top_level_areas(world):
    with pytest.raises(PermissionDenied):
        services.create_area(by=world.admin, code="NEW", name="新省", kind="region")
    root = services.create_area(by=world.root, code="NEW", name="新省", kind="region")
    assert root.depth == 0 and root.path == f"/{root.pk}/"


def test_an_admin_creates_areas_only_inside_their_subtree(world):
    services.create_area(by=world.admin, code="P8", name="八号园", kind="park", parent=world.Z1)
    with pytest.raises(PermissionDenied):
        services.create_area(by=world.admin, code="P7", name="七号园", kind="park", parent=world.Z2)
    assert not Area.objects.filter(code="P7").exists()


def test_department_names_are_unique_within_an_area(world):
    with pytest.raises(ValidationError) as err:
        services.create_department(by=world.admin, area=world.Z1, name="企业服务中心")
    assert "name" in err.value.message_dict
    # The same name in another zone is a different department.
    services.create_department(by=world.root, area=world.P2, name="企业服务中心")
