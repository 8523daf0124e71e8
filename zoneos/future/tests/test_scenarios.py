"""Application scenarios: their steps from the one table, the enterprises that fit them found as chains
find a link's, confirmed by staff with the reasons, and what is refused (naming the field)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zoneos.audit.history import as_row, entries_for
from zoneos.core.errors import Conflict
from zoneos.enterprises import services as enterprise_services
from zoneos.future import scenarios
from zoneos.future.models import ScenarioStatus

pytestmark = pytest.mark.django_db


def test_the_enterprises_of_the_zone_that_fit_are_suggested_with_their_reasons(world):
    w = world
    enterprise_services.update_enterprise(w.E3, by=w.root, business_scope="合成生物技术开发；生物基材料销售")
    scenario = scenarios.update_scenario(w.SC1, by=w.admin, keywords=["合成生物", "一号科技"])
    found = {s["enterprise"].pk: s["reasons"] for s in scenarios.suggestions(scenario, w.admin)}
    assert found == {w.E1.pk: ["「一号科技」"], w.E3.pk: ["business scope: 「合成生物」"]}
    assert w.E2.pk not in found  # another zone's


def test_a_scenario_without_terms_of_its_own_looks_for_its_industrys(world):
    w = world
    scenario = scenarios.update_scenario(w.SC1, by=w.admin, keywords=[])
    assert scenarios.wanted(scenario).keywords == ["科技"]  # FU1's
    assert {s["enterprise"].pk for s in scenarios.suggestions(scenario, w.admin)} == {w.E1.pk}


def test_staff_confirm_matches_then_the_scenario_moves_along_its_steps(world):
    w = world
    scenario = scenarios.start_matching(w.SC1, by=w.park_staff)
    with pytest.raises(Conflict):  # nobody confirmed yet
        scenarios.mark_matched(scenario, by=w.park_staff)
    scenarios.confirm_matches(scenario, [w.E1.pk], by=w.park_staff)
    assert [(m.enterprise, m.reasons, m.confirmed_by) for m in scenario.matches.all()] == [
        (w.E1, ["「科技」"], w.park_staff)
    ]
    assert scenarios.suggestions(scenario, w.admin) == []  # matched: no longer suggested
    scenario = scenarios.mark_matched(scenario, by=w.park_staff)
    scenario = scenarios.start_pilot(scenario, by=w.park_staff)
    scenario = scenarios.complete(scenario, by=w.park_staff, note="试点通过验收")
    assert scenario.status == ScenarioStatus.DONE
    assert [(e.from_status, e.to_status) for e in scenario.events.all()] == [
        ("open", "matching"),
        ("matching", "matched"),
        ("matched", "in_pilot"),
        ("in_pilot", "done"),
    ]
    history = [as_row(e) for e in entries_for(scenario)]
    assert history[0]["user"] == "park_staff"
    assert history[0]["changes"]["status"] == ["in_pilot", "done"]
    with pytest.raises(Conflict):
        scenarios.withdraw(scenario, by=w.park_staff, note="晚了")


def test_a_confirmed_match_must_be_one_that_fits(world):
    w = world
    with pytest.raises(ValidationError) as refused:
        scenarios.confirm_matches(w.SC1, [w.E2.pk], by=w.admin)  # another zone's enterprise
    assert "enterprises" in refused.value.message_dict
    assert not w.SC1.matches.exists()


def test_withdrawing_needs_a_reason_and_only_keepers_take_steps(world):
    w = world
    with pytest.raises(ValidationError) as silent:
        scenarios.withdraw(w.SC1, by=w.admin, note=" ")
    assert "note" in silent.value.message_dict
    for user in (w.enterprise, w.leader, w.handler):
        with pytest.raises(PermissionDenied):
            scenarios.start_matching(w.SC1, by=user)
    assert scenarios.withdraw(w.SC1, by=w.admin, note="需求取消").status == ScenarioStatus.WITHDRAWN


def test_a_scenario_names_one_owner_of_its_zone(world):
    w = world
    base = {"area": w.P1, "title": "无人机巡检场景"}
    for owner, field in (
        ({}, "owner_enterprise"),
        ({"owner_enterprise": w.E1, "owner_department": w.D1}, "owner_enterprise"),
        ({"owner_enterprise": w.E2}, "owner_enterprise"),
    ):
        with pytest.raises(ValidationError) as refused:
            scenarios.create_scenario(by=w.root, **base, **owner)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as region:
        scenarios.create_scenario(by=w.root, area=w.R, title="x", owner_department=w.D1)
    assert "area" in region.value.message_dict
    made = scenarios.create_scenario(by=w.admin, **base, owner_department=w.D1, industry_codes=["374"])
    assert made.owner == w.D1 and made.industry_codes == ["374"]


def test_a_scenario_that_moved_on_is_withdrawn_not_deleted(world):
    w = world
    scenarios.start_matching(w.SC3, by=w.admin)
    with pytest.raises(Conflict):
        scenarios.delete_scenario(w.SC3, by=w.admin)
