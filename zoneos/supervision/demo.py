"""The demo's key projects: two years of plans with monthly reports, some ahead of time progress and
some behind, written through the services (idempotent: a second run adds nothing)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from zoneos.areas.models import Department
from zoneos.core import demo

from . import services
from .models import EvaluationScheme, KeyProject, SigningTarget, SupervisionOrder

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
# The worked example, from a published Zhaoqing report: the cluster's key projects of the current year,
# with an annual plan of 628.8亿元 (62.88 billion yuan) and 110.04亿元 completed in January-February:
# 17.5 % of the plan against a time progress of 2/12 = 16.7 %, 0.8 points ahead.
# (name, park, plan 亿元, Jan-Feb 亿元, pace)
WORKED_EXAMPLE_ZONE = "ZQ-XNY"
WORKED_EXAMPLE = [
    ("新能源汽车整车基地", "ZQ-XNY-GX", "120", "22.5", 1.1),
    ("动力电池二期", "ZQ-XNY-GX", "95", "16.0", 1.0),
    ("储能系统集成产业园", "ZQ-XNY-GX", "88", "14.2", 0.95),
    ("电机电控产业园", "ZQ-XNY-GX", "76.8", "13.1", 1.2),
    ("正极材料项目", "ZQ-XNY-DH", "70", "12.3", 0.7),
    ("汽车零部件配套园", "ZQ-XNY-DH", "66", "11.44", 1.0),
    ("充换电设备基地", "ZQ-XNY-DH", "60", "9.5", 0.5),
    ("园区综合能源站", "ZQ-XNY-DH", "53", "11.0", 0.9),
]
YI = Decimal(100_000_000)


@demo.step(order=60)
def load_key_projects(ctx: demo.DemoContext) -> None:
    today = timezone.localdate()
    rng = random.Random(2028)
    parks = [a for _code, a in sorted(ctx.areas.items()) if a.kind == "park"]
    have = set(KeyProject.objects.values_list("year", "area_id", "name"))
    example = ctx.areas.get(WORKED_EXAMPLE_ZONE)
    for year in (today.year - 1, today.year):
        last_month = 12 if year < today.year else max(today.month - 1, 1)
        for park in parks:
            if year == today.year and example is not None and park.path.startswith(example.path):
                continue  # the worked example's figures below
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
    if example is not None:
        load_worked_example(ctx, today, have, rng)


def load_worked_example(ctx, today, have, rng) -> None:
    year, last_month = today.year, max(today.month - 1, 2)
    for index, (name, park_code, plan, january_february, pace) in enumerate(WORKED_EXAMPLE):
        park = ctx.areas[park_code]
        if (year, park.pk, name) in have:
            continue
        plan = Decimal(plan) * YI
        new_start = index % 3 == 2
        start = datetime.date(year, 3, 10 + index) if new_start else None
        project = services.create_key_project(
            by=ctx.by,
            year=year,
            name=name,
            area=park,
            kind="new_start" if new_start else "continuing",
            total_investment=plan * 3,
            annual_plan=plan,
            planned_start=start,
            planned_completion=datetime.date(year + 1, 6, 30),
            planned_production=datetime.date(year + 1, 12, 31),
            actual_start=start if start and start <= today and index != 5 else None,
        )
        ctx.created += 1
        for month in range(2, last_month + 1):
            completed = (
                Decimal(january_february) * YI
                if month == 2
                else (plan * Decimal(pace) / 12 * Decimal(rng.uniform(0.85, 1.15))).quantize(Decimal("0.01"))
            )
            services.submit_report(
                project,
                by=ctx.by,
                month=f"{year}-{month:02d}",
                covers_january_february=month == 2,
                completed=completed,
                funds_in_place=(completed * Decimal("0.9")).quantize(Decimal("0.01")),
                progress_note=rng.choice(["主体结构施工", "设备安装调试", "厂房封顶", "土方开挖"]),
                problems=rng.choice(["", "", "用地指标待落实", "资金到位偏慢"]),
            )


@demo.step(order=65)
def load_evaluation_and_orders(ctx: demo.DemoContext) -> None:
    """A scheme and signing targets for Foshan's parks, and supervision orders in every state about
    its projects that fall behind (idempotent)."""
    zone = ctx.areas.get("FS-GX")
    if zone is None:
        return
    today = timezone.localdate()
    if not EvaluationScheme.objects.filter(area=zone, year=today.year).exists():
        services.save_scheme(
            by=ctx.by,
            area=zone,
            year=today.year,
            weight_completion=Decimal(40),
            weight_start=Decimal(20),
            weight_funds=Decimal(20),
            weight_signing=Decimal(20),
            min_projects=3,
        )
    for index, park in enumerate(zone.children.order_by("code")):
        if not SigningTarget.objects.filter(area=park, year=today.year).exists():
            services.save_signing_target(by=ctx.by, area=park, year=today.year, projects=4 + 2 * index)
    if SupervisionOrder.objects.in_subtree(zone).exists():
        return
    behind = list(
        KeyProject.objects.in_subtree(zone)
        .filter(year=today.year)
        .filter(figures__month=max(today.month - 1, 1), figures__status__in=["red", "yellow"])
        .select_related("area")
        .order_by("figures__gap_pp")[:4]
    )
    department = Department.objects.filter(area=zone, name="经济发展局").first()
    plans = [
        ("加快施工进度，补齐投资缺口", 40, None, None),  # open and overdue
        ("说明资金到位偏慢的原因", 12, "已约谈投资方，资金将于下月到位。", "close"),
        ("协调施工许可办理", 6, "已完成联合审查，许可证本周核发。", None),  # answered, awaiting
        ("核实月报数据", 2, None, None),  # open, in time
    ]
    for project, (subject, days_ago, answer, then) in zip(behind, plans, strict=False):
        to_department = department if subject.startswith("协调") and department else None
        order = services.issue_order(
            by=ctx.by,
            key_project=project,
            subject=subject,
            instructions="请于期限内书面反馈整改措施和完成时间。",
            deadline_days=5,
            to_area=None if to_department else project.area,
            to_department=to_department,
            issued_on=today - datetime.timedelta(days=days_ago),
        )
        if answer:
            services.answer_order(order, by=ctx.by, answer=answer)
        if then == "close":
            services.close_order(order, by=ctx.by, note="整改措施可行，予以办结。")
