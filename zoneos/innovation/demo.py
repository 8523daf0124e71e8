"""The demo's innovation points: a points system of the Foshan hi-tech zone from 2025 (seven
indicators: R&D expense and intensity, invention patents, R&D staff share, revenue growth, the
high-tech label and declared equity financing) and the consents of the first active enterprises of
Nanhai Park to one partner bank (one of them withdrawn).

Records are found by their zone, day and enterprise and created when missing, so a second load changes
nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from zoneos.core import demo
from zoneos.enterprises.models import Enterprise, Status

from . import services
from .models import Consent, PointsSystem

ZONE, PARK = "FS-GX", "FS-GX-NH"
BANK = "佛山农商银行"
SINCE = datetime.date(2025, 1, 1)


def _b(*rows) -> list[dict]:
    """Brackets from (from, to, points) rows."""
    return [{"from": low, "to": high, "points": points} for low, high, points in rows]


INDICATORS = [
    {"variable": "rd_expense", "label": "研发费用", "weight": Decimal("1"),
     "brackets": _b((0, 1000000, 2), (1000000, 5000000, 6), (5000000, None, 10))},
    {"variable": "rd_ratio", "label": "研发投入强度", "weight": Decimal("2"),
     "brackets": _b((None, "0.03", 0), ("0.03", "0.06", 5), ("0.06", None, 10))},
    {"variable": "invention_patents", "label": "发明专利", "weight": Decimal("1.5"),
     "brackets": _b((0, 1, 0), (1, 5, 4), (5, 15, 7), (15, None, 10))},
    {"variable": "rd_staff_share", "label": "研发人员占比", "weight": Decimal("1"),
     "brackets": _b((0, "0.1", 0), ("0.1", "0.2", 5), ("0.2", None, 10))},
    {"variable": "revenue_growth", "label": "营业收入增长率", "weight": Decimal("1"),
     "brackets": _b((None, 0, 0), (0, "0.15", 3), ("0.15", "0.3", 6), ("0.3", None, 10))},
    {"variable": "label_high_tech", "label": "高新技术企业", "weight": Decimal("1"),
     "label_points": Decimal("10")},
    {"variable": "equity_financing_2y", "label": "股权融资", "weight": Decimal("1"),
     "brackets": _b((0, 10000000, 3), (10000000, None, 8))},
]  # fmt: skip


@demo.step(order=90)
def load_innovation(ctx: demo.DemoContext) -> None:
    zone = ctx.areas.get(ZONE)
    if zone is None:
        return
    if not PointsSystem.objects.filter(area=zone, effective_from=SINCE).exists():
        services.create_system(
            by=ctx.by,
            area=zone,
            name="佛山高新区创新积分（2025版）",
            effective_from=SINCE,
            indicators=INDICATORS,
        )
        ctx.created += 1
    park = ctx.areas.get(PARK)
    consenting = (
        Enterprise.objects.filter(area=park, status=Status.ACTIVE).order_by("uscc")[:4] if park else []
    )
    for i, enterprise in enumerate(consenting):
        if Consent.objects.filter(enterprise=enterprise, bank=BANK).exists():
            continue
        consent = services.give_consent(by=ctx.by, enterprise=enterprise, bank=BANK, given_on=SINCE)
        if i == 3:  # one withdrawn: it is left out of the bank's file
            services.withdraw_consent(consent, by=ctx.by, on=datetime.date(2025, 6, 30))
        ctx.created += 1


from . import demo_platforms  # noqa: E402, F401  (platforms, talents and funds: a step of their own)
