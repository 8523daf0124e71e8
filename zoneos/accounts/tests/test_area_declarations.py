"""A record says once how it reaches its area (`area_path`); its subtree filter, its policy and its
queryset's `.scope()` all come from that one statement."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from zoneos.accounts.scoping import AreaBoundPolicy, ScopedPrefetch, policy_for, register, scope
from zoneos.areas.models import subtree_q
from zoneos.core.roles import VIEW


def test_every_area_bound_policy_follows_its_models_declaration():
    for model in apps.get_models():
        policy = policy_for(model)
        if isinstance(policy, AreaBoundPolicy):
            assert policy.path_lookup == model.area_path, model.__name__
            assert policy.model is model


def test_a_policy_that_states_another_path_is_refused():
    from zoneos.pipeline.models import FollowUp

    with pytest.raises(ImproperlyConfigured):
        register(FollowUp, AreaBoundPolicy("area__path"))


@pytest.mark.django_db
def test_the_subtree_filter_comes_from_the_declaration(world):
    from zoneos.pipeline.models import FollowUp, Project

    assert set(Project.objects.in_subtree(world.Z1)) == {world.PR1, world.PR3}
    assert set(FollowUp.objects.filter(subtree_q(FollowUp, world.Z2.path))) == {world.F2}


@pytest.mark.django_db
def test_scope_chains_on_a_queryset_and_answers_like_the_function(world):
    from zoneos.pipeline.models import Project

    for user in (world.admin, world.park_staff, world.enterprise, world.stranger, world.root):
        chained = Project.objects.filter(stage="lead").scope(user, VIEW)
        assert set(chained) == set(scope(Project.objects.filter(stage="lead"), user, VIEW))


@pytest.mark.django_db
def test_a_scoped_prefetch_shows_only_the_related_records_in_reach(world):
    from zoneos.areas.models import Area

    region = Area.objects.prefetch_related(
        ScopedPrefetch("children", Area.objects.all(), world.admin, to_attr="seen")
    ).get(pk=world.R.pk)
    assert region.seen == [world.Z1]
