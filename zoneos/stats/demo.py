"""The demo zone's targets: the figures its zones have set themselves, for the targets-progress page."""

from __future__ import annotations

from decimal import Decimal

from zoneos.core import demo

from . import services
from .models import Target

# (area code, metric, year, value, note)
TARGETS = [
    ("HZ-ZK-TH", "output_value", 2025, Decimal("100000000000"), "潼湖生态智慧区：2025年产值千亿元"),
    ("FS-GX", "output_value", 2026, Decimal("150000000000"), "佛山高新区：2026年产值目标"),
    ("FS-GX", "high_tech", 2026, Decimal("200"), "高新技术企业数量"),
    ("ZQ-XNY", "output_value", 2027, Decimal("80000000000"), "新能源汽车及储能产业集群"),
]


@demo.step(order=45)
def load_targets(ctx: demo.DemoContext) -> None:
    for code, metric, year, value, note in TARGETS:
        area = ctx.areas[code]
        if not Target.objects.filter(area=area, metric=metric, year=year).exists():
            services.create_target(by=ctx.by, area=area, metric=metric, year=year, value=value, note=note)
            ctx.created += 1
