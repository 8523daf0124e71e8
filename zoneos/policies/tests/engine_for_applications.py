"""The eligibility engine as applications see it (`matching.eligibility`, `matching.eligible_enterprises`),
answered from a set of eligible enterprises, for tests of applications that are not about the rules."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from zoneos.enterprises.models import Enterprise


class Engine:
    def __init__(self):
        self.eligible: set[int] = set()
        self.amount = "300000.00"

    def eligibility(self, enterprise, item, on, **_known) -> dict:
        pk = getattr(enterprise, "pk", enterprise)
        met = pk in self.eligible
        return {
            "item": getattr(item, "pk", item),
            "item_code": getattr(item, "code", ""),
            "rule": 1,
            "result": "eligible" if met else "not_eligible",
            "amount": self.amount if met else None,
            "criteria": [
                {
                    "id": "revenue",
                    "label": "营业收入",
                    "var": "revenue",
                    "result": "met" if met else "unmet",
                    "actual": "60000000.00" if met else "40000000.00",
                    "required": ">= 50000000.00",
                }
            ],
        }

    def eligible_enterprises(self, item, on):
        return Enterprise.objects.filter(pk__in=self.eligible)


@contextmanager
def engine():
    found = Engine()
    with (
        mock.patch("zoneos.policies.applications.eligibility", found.eligibility),
        mock.patch("zoneos.policies.applications_automatic.eligible_enterprises", found.eligible_enterprises),
    ):
        yield found
