"""The demo zone's users: one per role, each with a membership on an area, a department or an
enterprise loaded by the earlier steps. All share the demo password (`ZONEOS_DEMO_PASSWORD`)."""

from __future__ import annotations

from zoneos.core import demo

from . import services
from .models import Membership, User

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


@demo.step(order=30)
def load_users(ctx: demo.DemoContext) -> None:
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
                password=demo.DEMO_PASSWORD,
                email=f"{username}@zoneos.example",
                **values,
            )
            ctx.created += 1
        elif changes := demo.differs(user, values):
            user = services.update_user(user, by=ctx.by, **changes)
            ctx.updated += 1
        if not Membership.objects.filter(user=user, role=role, **target).exists():
            services.create_membership(by=ctx.by, user=user, role=role, **target)
            ctx.created += 1
        ctx.users[username] = user
