"""The whitelist for the tests, on top of the named world (zoneos.testing.world): E1 of park P1 applies
through every step, as the zone (its admins) and customs would take them.

    approved(w)  E1's application for a Hong Kong researcher and a mass spectrometer (2 台 applied for)
                 and a culture medium (100 瓶), approved for customs' validity `valid_from`..`valid_to`
                 (from 30 days ago to 200 days ahead unless said)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.whitelist import services, workflow


def drafted(w, *, by=None):
    by = by or w.root
    researcher = services.create_entity(
        by=by, enterprise=w.E1, name="陈志明", name_en="CHAN Chi Ming", region="HK", id_number="H1234567"
    )
    application = services.create_application(
        by=by, enterprise=w.E1, project="深港联合合成生物学实验室", entities=[researcher]
    )
    w.records["spectrometer"] = services.create_item(
        application,
        by=by,
        category="equipment",
        name="质谱仪",
        hs_code="9027812000",
        quantity=Decimal("2"),
        unit="台",
        value=Decimal("3200000"),
        origin="德国",
        purpose="蛋白质组学分析",
    )
    w.records["medium"] = services.create_item(
        application,
        by=by,
        category="reagent",
        name="细胞培养基",
        hs_code="38210000",
        quantity=Decimal("100"),
        unit="瓶",
        value=Decimal("45000"),
        origin="美国",
        purpose="细胞培养",
    )
    w.records["researcher"] = researcher
    return application


def approved(w, *, valid_from=None, valid_to=None):
    today = timezone.localdate()
    application = drafted(w)
    application = workflow.submit(application, by=w.enterprise)
    application = workflow.zone_approve(application, by=w.admin, opinion="同意")
    application = workflow.to_customs(application, by=w.admin, customs_reference="HG-001")
    return workflow.approve(
        application,
        by=w.admin,
        approval_number="深关白〔2026〕18号",
        valid_from=valid_from or today - datetime.timedelta(days=30),
        valid_to=valid_to or today + datetime.timedelta(days=200),
    )
