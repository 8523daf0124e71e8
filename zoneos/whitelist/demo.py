"""The demo's whitelist: the Shenzhen Park of the Hetao Shenzhen-Hong Kong S&T Innovation Cooperation
Zone (河套), where a biotech enterprise of the park works with Hong Kong universities. Its Hong Kong
researchers (and a Hong Kong institution, and a researcher from Germany) are on the whitelist; four of
its applications stand at different steps:

- equipment and reagents for a synthetic-biology laboratory, approved by customs a year ago and ending
  in 20 days (the warning), with spectrometers and culture media brought in and some taken back out;
- samples and data carriers for a joint cohort study, approved for another ten months;
- antibodies and cell lines under the zone's review;
- a draft of a microscope's loan.

Records are found by their natural keys (an entity by its name and enterprise, an application by its
enterprise and project) and created through the services and the workflow when missing, so a second
load changes nothing; dates are counted from the day of the first load."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from zoneos.core import demo
from zoneos.enterprises.models import Enterprise, Status

from . import services, warnings, workflow
from .models import Entity, WhitelistApplication

ZONE = "SZ-HT"
# (name, name in English, kind, region, affiliation, document, number)
ENTITIES = [
    ("陈志明", "CHAN Chi Ming", "researcher", "HK", "香港大学生物医学学院", "hk_mo_permit", "H10382746"),
    ("李嘉欣", "LEE Ka Yan", "researcher", "HK", "香港中文大学医学院", "hk_mo_permit", "H20917353"),
    ("黄伟文", "WONG Wai Man", "researcher", "HK", "香港科技大学生命科学部", "hkid", "A1234563"),
    ("香港大学深港创新研究中心", "HKU Shenzhen-HK Innovation Centre", "institution", "HK", "香港大学",
     "registration", "HK-CR-2871554"),
    ("Anna Schmidt", "Anna Schmidt", "researcher", "foreign", "Max-Planck-Institut für Biochemie", "passport",
     "C01X00T47"),
]  # fmt: skip
# (project, researchers' indexes, status reached, validity: days from the first load (from, to),
#  items: (category, name, HS code, specification, quantity, unit, value in yuan, origin, purpose),
#  movements: (item index, direction, days ago, quantity))
APPLICATIONS = [
    (
        "合成生物学联合实验室（深港）",
        [0, 1, 3],
        "approved",
        (-345, 20),
        [
            (
                "equipment",
                "液相色谱-质谱联用仪",
                "9027812000",
                "Orbitrap Exploris 480",
                2,
                "台",
                6800000,
                "德国",
                "蛋白质组学分析",
            ),
            ("reagent", "细胞培养基", "3821000000", "DMEM 500 mL", 200, "瓶", 38000, "美国", "工程菌株培养"),
            ("consumable", "移液器吸头", "3926909090", "200 μL 灭菌", 500, "盒", 27500, "美国", "实验耗材"),
        ],
        [(0, "in", 330, 2), (1, "in", 300, 120), (1, "out", 120, 20), (2, "in", 280, 300)],
    ),
    (
        "深港队列研究样本共享",
        [2, 4],
        "approved",
        (-60, 300),
        [
            ("sample", "人血清样本", "3002120090", "冻存管 2 mL", 1200, "份", 0, "中国香港", "队列研究检测"),
            (
                "data_carrier",
                "加密移动硬盘",
                "8471701000",
                "4 TB，已加密",
                4,
                "个",
                12000,
                "中国香港",
                "样本检测数据交换",
            ),
        ],
        [(0, "in", 40, 400), (1, "in", 35, 2)],
    ),
    (
        "单克隆抗体筛选平台",
        [1],
        "submitted",
        None,
        [
            ("reagent", "单克隆抗体", "3002150090", "100 μg/支", 80, "支", 96000, "英国", "抗体筛选"),
            ("sample", "细胞系", "3002909099", "HEK293，冻存", 10, "支", 15000, "美国", "表达体系"),
        ],
        [],
    ),
    (
        "超分辨显微镜借用",
        [0],
        "draft",
        None,
        [
            (
                "equipment",
                "超分辨荧光显微镜",
                "9011800000",
                "借用 6 个月",
                1,
                "台",
                4200000,
                "日本",
                "细胞成像",
            )
        ],
        [],
    ),
]


@demo.step(order=93)
def load_whitelist(ctx: demo.DemoContext) -> None:
    zone = ctx.areas.get(ZONE)
    if zone is None:
        return
    applicant = (
        Enterprise.objects.in_subtree(zone)
        .filter(status=Status.ACTIVE, name__contains="生物")
        .order_by("uscc")
        .first()
        or Enterprise.objects.in_subtree(zone).filter(status=Status.ACTIVE).order_by("uscc").first()
    )
    if applicant is None:
        return
    entities = []
    for name, name_en, kind, region, affiliation, id_type, number in ENTITIES:
        entity = Entity.objects.filter(name=name, enterprise=applicant).first()
        if entity is None:
            entity = services.create_entity(
                by=ctx.by,
                enterprise=applicant,
                name=name,
                name_en=name_en,
                kind=kind,
                region=region,
                affiliation=affiliation,
                id_type=id_type,
                id_number=number,
            )
            ctx.created += 1
        entities.append(entity)
    today = timezone.localdate()
    for project, people, status, validity, items, movements in APPLICATIONS:
        if WhitelistApplication.objects.filter(enterprise=applicant, project=project).exists():
            continue
        _apply(
            ctx, applicant, project, [entities[i] for i in people], status, validity, items, movements, today
        )
    ctx.created += sum(warnings.sweep(today).values())


def _apply(ctx, applicant, project, people, status, validity, items, movements, today) -> None:
    by = ctx.by
    start = today + datetime.timedelta(days=validity[0]) if validity else today + datetime.timedelta(days=30)
    end = today + datetime.timedelta(days=validity[1]) if validity else start + datetime.timedelta(days=365)
    application = services.create_application(
        by=by, enterprise=applicant, project=project, entities=people, period_from=start, period_to=end
    )
    made = []
    for category, name, code, spec, quantity, unit, value, origin, purpose in items:
        made.append(
            services.create_item(
                application,
                by=by,
                category=category,
                name=name,
                hs_code=code,
                specification=spec,
                quantity=Decimal(quantity),
                unit=unit,
                value=Decimal(value),
                origin=origin,
                purpose=purpose,
            )
        )
    ctx.created += 1 + len(made)
    if status == "draft":
        return
    application = workflow.submit(application, by=by, opinion="申请材料齐全")
    if status == "submitted":
        return
    application = workflow.zone_approve(application, by=by, opinion="符合河套合作区科研物资跨境便利政策")
    application = workflow.to_customs(
        application, by=by, customs_reference=f"HT-{start:%Y%m%d}-{application.pk}"
    )
    application = workflow.approve(
        application,
        by=by,
        approval_number=f"深关白〔{start:%Y}〕{application.pk:03d}号",
        valid_from=start,
        valid_to=end,
    )
    for index, direction, days_ago, quantity in movements:
        services.record_movement(
            made[index],
            by=by,
            direction=direction,
            on=today - datetime.timedelta(days=days_ago),
            quantity=Decimal(quantity),
            reference=f"QD{(today - datetime.timedelta(days=days_ago)):%Y%m%d}{index}",
        )
        ctx.created += 1
