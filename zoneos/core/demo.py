"""The demo zone: a Guangdong region with zones modelled on the field, departments, and one user per role.

Loading is idempotent: records are found by their natural keys (area code, department name in its
area, username) and created or brought back to the demo's values through the services, so a second
run changes nothing and every change it does make is in the history, authored by the demo's
superuser. Later modules append their own steps to STEPS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.db import transaction

DEMO_PASSWORD = os.environ.get("ZONEOS_DEMO_PASSWORD", "gaoxinqu-2026")
SUPERUSER = "root"

# (code, name, name_en, kind, parent code)
AREAS = [
    ("GD", "广东省", "Guangdong Province", "region", None),
    (
        "HZ-ZK",
        "惠州仲恺高新技术产业开发区",
        "Huizhou Zhongkai High-tech Industrial Development Zone",
        "zone",
        "GD",
    ),
    ("HZ-ZK-TH", "潼湖生态智慧区", "Tonghu Ecological Smart Zone", "zone", "HZ-ZK"),
    ("HZ-ZK-TH-KC", "潼湖科创园", "Tonghu Sci-Tech Park", "park", "HZ-ZK-TH"),
    ("HZ-ZK-DZ", "仲恺电子信息产业园", "Zhongkai Electronic Information Park", "park", "HZ-ZK"),
    (
        "FS-GX",
        "佛山国家高新技术产业开发区",
        "Foshan National Hi-tech Industrial Development Zone",
        "zone",
        "GD",
    ),
    ("FS-GX-CC", "禅城园", "Chancheng Park", "park", "FS-GX"),
    ("FS-GX-NH", "南海园", "Nanhai Park", "park", "FS-GX"),
    ("FS-GX-SD", "顺德园", "Shunde Park", "park", "FS-GX"),
    ("FS-GX-GM", "高明园", "Gaoming Park", "park", "FS-GX"),
    ("FS-GX-SS", "三水园", "Sanshui Park", "park", "FS-GX"),
    (
        "ZQ-XNY",
        "肇庆新能源汽车及储能产业集群",
        "Zhaoqing New Energy Vehicle and Energy Storage Cluster",
        "zone",
        "GD",
    ),
    ("ZQ-XNY-GX", "肇庆高新区园区", "Zhaoqing High-tech Zone Park", "park", "ZQ-XNY"),
    ("ZQ-XNY-DH", "鼎湖园区", "Dinghu Park", "park", "ZQ-XNY"),
    (
        "SZ-HT",
        "河套深港科技创新合作区深圳园区",
        "Shenzhen Park, Hetao Shenzhen-Hong Kong S&T Innovation Cooperation Zone",
        "zone",
        "GD",
    ),
]

# area code -> [(name, name_en)]
DEPARTMENTS = {
    "HZ-ZK": [
        ("投资促进局", "Investment Promotion Bureau"),
        ("经济发展局", "Economic Development Bureau"),
        ("科技创新局", "Science and Technology Innovation Bureau"),
        ("规划建设局", "Planning and Construction Bureau"),
        ("企业服务中心", "Enterprise Service Centre"),
    ],
    "FS-GX": [
        ("招商服务中心", "Investment Service Centre"),
        ("经济发展局", "Economic Development Bureau"),
        ("企业服务中心", "Enterprise Service Centre"),
    ],
    "ZQ-XNY": [("招商局", "Investment Bureau"), ("企业服务中心", "Enterprise Service Centre")],
    "SZ-HT": [
        ("企业服务处", "Enterprise Service Office"),
        ("科技创新处", "Science and Technology Innovation Office"),
    ],
}

# (uscc, name, name_en, area code, industry code): synthetic codes that pass the GB 32100 checks.
ENTERPRISES = [
    (
        "91441300MA4UTH014X",
        "惠州潼湖智联科技有限公司",
        "Huizhou Tonghu Zhilian Technology Co., Ltd.",
        "HZ-ZK-TH-KC",
        "3922",
    ),
    (
        "91440606MA55NH029N",
        "佛山南海精工装备有限公司",
        "Foshan Nanhai Precision Equipment Co., Ltd.",
        "FS-GX-NH",
        "3491",
    ),
]

# username, display name, role, target kind, target key (area code | (area code, department) | uscc)
USERS = [
    ("admin", "区域管理员 王敏", "admin", "area", "GD"),
    ("leader", "仲恺高新区 陈主任", "leader", "area", "HZ-ZK"),
    ("investment", "招商专员 李强", "investment_officer", "area", "HZ-ZK"),
    ("supervisor", "项目督查 黄伟", "supervisor", "area", "FS-GX"),
    ("parkstaff", "南海园 林晓", "park_staff", "area", "FS-GX-NH"),
    ("handler", "企业服务中心 周婷", "handler", "department", ("HZ-ZK", "企业服务中心")),
    ("service", "首席服务官 吴刚", "service_officer", "area", "HZ-ZK-TH"),
    ("enterprise", "智联科技 郑经理", "enterprise", "enterprise", "91441300MA4UTH014X"),
    ("statistician", "统计员 何静", "statistician", "area", "FS-GX"),
]


@dataclass
class DemoContext:
    by: object
    areas: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    created: int = 0
    updated: int = 0


def _differs(record, values: dict) -> dict:
    return {k: v for k, v in values.items() if getattr(record, k) != v}


def load_areas(ctx: DemoContext) -> None:
    from zoneos.areas import services
    from zoneos.areas.models import Area, Department

    for code, name, name_en, kind, parent_code in AREAS:
        values = {"name": name, "name_en": name_en, "kind": kind, "parent": ctx.areas.get(parent_code)}
        area = Area.objects.filter(code=code).first()
        if area is None:
            area = services.create_area(by=ctx.by, code=code, **values)
            ctx.created += 1
        elif changes := _differs(area, values):
            area = services.update_area(area, by=ctx.by, **changes)
            ctx.updated += 1
        ctx.areas[code] = area
    for code, departments in DEPARTMENTS.items():
        for name, name_en in departments:
            area = ctx.areas[code]
            department = Department.objects.filter(area=area, name=name).first()
            if department is None:
                department = services.create_department(by=ctx.by, area=area, name=name, name_en=name_en)
                ctx.created += 1
            elif changes := _differs(department, {"name_en": name_en}):
                department = services.update_department(department, by=ctx.by, **changes)
                ctx.updated += 1
            ctx.departments[(code, name)] = department


def load_enterprises(ctx: DemoContext) -> None:
    from zoneos.enterprises import services
    from zoneos.enterprises.models import Enterprise

    for uscc, name, name_en, area_code, industry_code in ENTERPRISES:
        values = {
            "name": name,
            "name_en": name_en,
            "area": ctx.areas[area_code],
            "industry_code": industry_code,
        }
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            enterprise = services.create_enterprise(by=ctx.by, uscc=uscc, **values)
            ctx.created += 1
        elif changes := _differs(enterprise, values):
            enterprise = services.update_enterprise(enterprise, by=ctx.by, **changes)
            ctx.updated += 1
        ctx.enterprises[uscc] = enterprise


def load_users(ctx: DemoContext) -> None:
    from zoneos.accounts import services
    from zoneos.accounts.models import Membership, User

    for username, display_name, role, target_kind, key in USERS:
        target = {
            "area": lambda k: {"area": ctx.areas[k]},
            "department": lambda k: {"department": ctx.departments[k]},
            "enterprise": lambda k: {"enterprise": ctx.enterprises[k]},
        }[target_kind](key)
        home_area = next(iter(target.values()))
        home_area = getattr(home_area, "area", home_area)
        values = {"display_name": display_name, "home_area": home_area, "is_active": True}
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_user(
                by=ctx.by,
                username=username,
                password=DEMO_PASSWORD,
                email=f"{username}@zoneos.example",
                **values,
            )
            ctx.created += 1
        elif changes := _differs(user, values):
            user = services.update_user(user, by=ctx.by, **changes)
            ctx.updated += 1
        if not Membership.objects.filter(user=user, role=role, **target).exists():
            services.create_membership(by=ctx.by, user=user, role=role, **target)
            ctx.created += 1
        ctx.users[username] = user


STEPS = [load_areas, load_enterprises, load_users]


def ensure_superuser():
    from zoneos.accounts.models import User

    user = User.objects.filter(username=SUPERUSER).first()
    if user is None:
        user = User.objects.create_superuser(
            SUPERUSER, f"{SUPERUSER}@zoneos.example", DEMO_PASSWORD, display_name="系统管理员"
        )
    return user


@transaction.atomic
def load() -> DemoContext:
    ctx = DemoContext(by=ensure_superuser())
    for step in STEPS:
        step(ctx)
    return ctx
