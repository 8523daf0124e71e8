"""The rule engine's must-show cases: dated versions, boundaries, unknown facts, both back ends agree."""

import datetime

import pytest

from zoneos.policies import criteria as c
from zoneos.policies import matching, services

from .helpers import both, make_enterprise

ON_31 = datetime.date(2026, 3, 31)
ON_01 = datetime.date(2026, 4, 1)


@pytest.fixture
def item(world):
    policy = services.create_policy(by=world.root, title="主业政策", area=world.Z1, category="award")
    return services.create_item(by=world.root, policy=policy, code="main-share", name="主业奖励")


def share_rule(item, by, start, end, share):
    rule = services.create_rule(
        by=by,
        item=item,
        effective_from=start,
        effective_to=end,
        criteria={
            "all": [
                {"id": "main", "label": "主业占比", "var": "main_business_share", "op": ">=", "value": share}
            ]
        },
        benefit={"fixed": "100000"},
    )
    return services.publish_rule(rule, by=by)


def test_two_versions_of_a_rule_answer_by_date(world, item):
    share_rule(item, world.root, datetime.date(2022, 1, 1), ON_31, "0.7")
    share_rule(item, world.root, ON_01, None, "0.9")
    enterprise = make_enterprise(world.P1, figures={2025: {"revenue": 1000, "main_business_revenue": 800}})

    before = matching.eligibility(enterprise, item, ON_31)
    after = matching.eligibility(enterprise, item, ON_01)

    assert before["result"] == "eligible" and before["amount"] == "100000.00"
    assert after["result"] == "not_eligible" and after["amount"] is None
    leaf = after["criteria"][0]
    assert (leaf["id"], leaf["actual"], leaf["required"], leaf["result"]) == (
        "main",
        "0.8000",
        "0.9000",
        "unmet",
    )
    assert before["criteria"][0]["required"] == "0.7000"
    assert list(matching.eligible_enterprises(item, ON_31)) == [enterprise]
    assert list(matching.eligible_enterprises(item, ON_01)) == []


def test_missing_figures_are_unknown_never_unmet(world, item):
    share_rule(item, world.root, datetime.date(2022, 1, 1), None, "0.7")
    enterprise = make_enterprise(world.P1, figures={2024: {"revenue": 1000, "main_business_revenue": 800}})

    found = matching.eligibility(enterprise, item, ON_01)

    assert found["result"] == "unknown"
    assert found["criteria"][0]["missing"] == ["main_business_revenue 2025", "revenue 2025"]
    python, database = both(
        {"id": "m", "var": "main_business_share", "op": ">=", "value": "0.7"}, enterprise, ON_01
    )
    assert python == {k: v for k, v in database.items() if k != "met"} == {"$": c.UNKNOWN, "m": c.UNKNOWN}
