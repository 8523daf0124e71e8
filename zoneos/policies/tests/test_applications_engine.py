"""Applications on the real rule engine: publishing an automatic item's rule offers it to the
enterprises its rule finds eligible (and to them only), and a submission freezes the engine's trace
with each leaf's actual and required values."""

import datetime

import pytest
from django.utils import timezone

from zoneos.policies import applications as services
from zoneos.policies import services as catalogue
from zoneos.policies.models import ApplicationStatus, PolicyApplication, PolicyItem

from .helpers import make_enterprise

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
CRITERIA = {
    "all": [{"id": "revenue", "label": "营业收入", "var": "revenue", "op": ">=", "value": "50000000"}]
}


def rule_for(item, by):
    rule = catalogue.create_rule(
        by=by, item=item, effective_from=datetime.date(TODAY.year, 1, 1), criteria=CRITERIA,
        benefit={"fixed": "200000"},
    )  # fmt: skip
    return catalogue.publish_rule(rule, by=by)


def test_publishing_an_automatic_items_rule_offers_it_to_the_eligible(world):
    big = make_enterprise(world.P1, name="大企业", figures={LAST_YEAR: {"revenue": 80_000_000}})
    make_enterprise(world.P1, name="小企业", figures={LAST_YEAR: {"revenue": 10_000_000}})
    make_enterprise(world.P1, name="无数据企业")
    item = PolicyItem.objects.create(
        policy=world.PI1.policy,
        code="T-AUTO-REAL",
        name="规上企业奖励",
        mode="automatic",
        department=world.D1,
    )
    rule_for(item, world.root)
    offered = PolicyApplication.objects.filter(item=item)
    assert [(a.enterprise_id, a.status, a.automatic) for a in offered] == [
        (big.pk, ApplicationStatus.OFFERED, True)
    ]
    trace = offered.get().trace
    assert trace["result"] == "eligible" and trace["criteria"][0]["actual"].startswith("80000000")


def test_a_submission_freezes_the_engines_trace(world):
    short = make_enterprise(world.P1, name="差一点企业", figures={LAST_YEAR: {"revenue": 49_000_000}})
    rule_for(world.PI1, world.root)
    application = services.create_application(by=world.root, item=world.PI1, enterprise=short)
    application = services.submit(application, by=world.root)
    criterion = application.trace["criteria"][0]
    assert application.trace["result"] == "not_eligible"
    assert (criterion["id"], criterion["result"]) == ("revenue", "unmet")
    assert criterion["actual"].startswith("49000000") and "50000000" in criterion["required"]
