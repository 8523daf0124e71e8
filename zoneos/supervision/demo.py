"""The demo's key projects: two years of plans with monthly reports, some ahead of time progress and
some behind, written through the services (idempotent: a second run adds nothing)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from .models import KeyProject

NAMES = [
    "智能制造产业园",
    "新能源电池基地",
    "显示面板模组线",
    "生物医药产业园",
    "高端装备制造基地",
    "数据中心",
    "精密电子扩产",
    "铝型材深加工",
    "汽车零部件配套园",
    "市政道路提升",
    "污水处理厂扩建",
    "科创孵化大楼",
]
PER_PARK = 6


def load_key_projects(ctx) -> None:
    from . import services

    today = datetime.date.today()
    rng = random.Random(2028)
    parks = [a for _code, a in sorted(ctx.areas.items()) if a.kind == "park"]
    have = set(KeyProject.objects.values_list("year", "area_id", "name"))
    for year in (today.year - 1, today.year):
        last_month = 12 if year < today.year else max(today.month - 1, 1)
        for park in parks:
            for index in range(PER_PARK):
                name = f"{park.name[:2]}{NAMES[(index + park.pk) % len(NAMES)]}"
                if (year, park.pk, name) in have:
                    continue
                total = Decimal(rng.choice([5, 8, 12, 20, 35, 60])) * Decimal(10) ** 8
                plan = (total * Decimal(rng.uniform(0.2, 0.45))).quantize(Decimal(1))
                new_start = rng.random() < 0.5
                start = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28)) if new_start else None
                project = services.create_key_project(
                    by=ctx.by,
                    year=year,
                    name=name,
                    area=park,
                    kind="new_start" if new_start else "continuing",
                    total_investment=total,
                    annual_plan=plan,
                    planned_start=start,
                    actual_start=start if start and start <= today and rng.random() < 0.8 else None,
                )
                ctx.created += 1
                pace = rng.choice([1.25, 1.1, 1.0, 0.95, 0.85, 0.6, 0.4])  # how the project keeps time
                for month in range(2, last_month + 1):
                    share = plan * Decimal(pace) / 12 * (2 if month == 2 else 1)
                    completed = (share * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal("0.01"))
                    services.submit_report(
                        project,
                        by=ctx.by,
                        month=f"{year}-{month:02d}",
                        covers_january_february=month == 2,
                        completed=completed,
                        funds_in_place=(completed * Decimal(rng.uniform(0.7, 1.0))).quantize(Decimal("0.01")),
                        progress_note=rng.choice(
                            ["主体结构施工", "设备安装调试", "厂房封顶", "土方开挖", "装修收尾"]
                        ),
                        problems=rng.choice(["", "", "用地指标待落实", "资金到位偏慢", "施工许可办理中"]),
                    )
