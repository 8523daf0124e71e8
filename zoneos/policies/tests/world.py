"""The policies' part of the named test world, added on demand (memoised in `world.records`):

POL1 (Z1) with items IT1 (published rule RU1, a draft RU3) and IT3 (no rules, deletable);
POL2 (Z2) with item IT2 (rule RU2, a draft RU4); POL3 (Z1, no items, deletable);
facts DF1 (E1's debt ratio 2025) and DF2 (E2's); E1 has 2025 figures meeting RU1.
"""

import datetime
from decimal import Decimal

from zoneos.enterprises.models import Indicator
from zoneos.policies import metrics, services
from zoneos.policies.models import DeclaredFact

SHARE = {
    "all": [
        {
            "id": "main_share",
            "label": "主营业务收入占比",
            "var": "main_business_share",
            "op": ">=",
            "value": "0.7",
        }
    ]
}


def catalogue(w):
    if "POL1" in w.records:
        return w
    root = w.root
    r = w.records
    r["POL1"] = services.create_policy(
        by=root, area=w.Z1, title="研发奖补政策", category="award", issued_on=datetime.date(2025, 1, 1)
    )
    r["POL2"] = services.create_policy(by=root, area=w.Z2, title="二号区政策", category="award")
    r["POL3"] = services.create_policy(by=root, area=w.Z1, title="待删政策", category="reduction")
    r["IT1"] = services.create_item(
        by=root, policy=r["POL1"], code="it1", name="主业奖励", budget_per_year=Decimal("1000000")
    )
    r["IT2"] = services.create_item(by=root, policy=r["POL2"], code="it2", name="二号区事项")
    r["IT3"] = services.create_item(by=root, policy=r["POL1"], code="it3", name="待删事项")
    start = datetime.date(2025, 1, 1)
    r["RU1"] = services.publish_rule(
        services.create_rule(
            by=root,
            item=r["IT1"],
            effective_from=start,
            effective_to=datetime.date(2026, 12, 31),
            criteria=SHARE,
            benefit={"fixed": "100000"},
        ),
        by=root,
    )
    r["RU2"] = services.publish_rule(
        services.create_rule(by=root, item=r["IT2"], effective_from=start, criteria=SHARE), by=root
    )
    r["RU3"] = services.create_rule(
        by=root, item=r["IT1"], effective_from=datetime.date(2027, 1, 1), criteria=SHARE
    )
    r["RU4"] = services.create_rule(
        by=root, item=r["IT2"], effective_from=datetime.date(2027, 1, 1), criteria=SHARE
    )
    Indicator.objects.update_or_create(
        enterprise=w.E1,
        year=2025,
        defaults={"revenue": Decimal("1000"), "main_business_revenue": Decimal("800")},
    )
    metrics.refresh(enterprise_ids=[w.E1.pk, w.E2.pk])
    r["DF1"] = DeclaredFact.objects.create(
        enterprise=w.E1, variable="debt_ratio", year=2025, value=Decimal("0.5")
    )
    r["DF2"] = DeclaredFact.objects.create(
        enterprise=w.E2, variable="debt_ratio", year=2025, value=Decimal("0.5")
    )
    return w
