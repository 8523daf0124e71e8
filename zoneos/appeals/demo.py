"""The demo's service desk, in the Huizhou Zhongkai zone: routing rules to its departments, a chief
service officer for the Tonghu enterprises, some forty appeals of the last two months across
categories and states (some replied late, some overdue, some waiting on a rating), a symposium with
the issues raised there, and visits.

Appeals are written through the services; the moments of their steps are then moved back to when
they would have happened (a demo loaded today shows two months of work), and the sweep marks what is
overdue. Idempotent: a second load adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from zoneos.areas.models import Department
from zoneos.core import demo
from zoneos.enterprises.models import Enterprise

from . import services
from .models import Appeal, AppealEvent, Category, EventKind, RoutingRule, Visit

ZONE = "HZ-ZK"
ROUTES = [
    ("", "企业服务中心"),
    ("land", "规划建设局"),
    ("approval", "规划建设局"),
    ("policy", "经济发展局"),
    ("finance", "经济发展局"),
    ("talent", "科技创新局"),
]
ISSUES = [
    (Category.CONSULTATION, "高新技术企业认定材料咨询", "今年申报高企，研发费用归集口径需要确认。"),
    (Category.UTILITIES, "厂房用电扩容", "新产线投产，现有变压器容量不足，需增容800千伏安。"),
    (Category.LAND, "二期用地指标", "计划扩建二期厂房，需要约30亩工业用地指标。"),
    (Category.TALENT, "研发人员子女入学", "引进的三名博士子女需要在园区学校就读。"),
    (Category.FINANCE, "技改贷款贴息", "申请技术改造专项贷款贴息，想了解办理流程。"),
    (Category.POLICY, "研发投入补助兑现", "去年研发投入补助已公示，资金尚未到账。"),
    (Category.APPROVAL, "施工许可并联审批", "二期厂房施工许可办理进度较慢，请协调。"),
    (Category.HELP, "员工通勤公交线路", "园区北门缺少公交站点，员工上下班不便。"),
    (Category.COMPLAINT, "周边道路施工扬尘", "厂区南侧道路施工扬尘严重，影响洁净车间。"),
    (Category.SUGGESTION, "建设共享检测平台", "建议园区建设EMC共享检测平台，降低企业检测成本。"),
    (Category.UTILITIES, "供水压力不足", "三楼以上车间供水压力不足，影响生产。"),
    (Category.CONSULTATION, "专精特新申报条件", "咨询省级专精特新中小企业申报条件和时间。"),
    (Category.HELP, "外贸订单物流协调", "出口订单集中，需协调港口舱位。"),
    (Category.OTHER, "园区食堂运营", "希望园区引入第二家食堂运营商。"),
]
REPLIES = [
    "已协调相关部门，具体办理流程已电话告知企业联系人。",
    "已现场踏勘，方案已确定，预计两周内完成。",
    "已纳入年度计划，相关材料已发送企业邮箱。",
    "经会商，已形成处理意见并书面答复企业。",
]
SYMPOSIUM_TITLE = "仲恺高新区政企座谈会（电子信息产业链）"


@demo.step(order=70)
def load_service_desk(ctx: demo.DemoContext) -> None:
    zone = ctx.areas.get(ZONE)
    if zone is None or Appeal.objects.in_subtree(zone).exists():
        return
    for category, department_name in ROUTES:
        department = Department.objects.filter(area=zone, name=department_name).first()
        if department and not RoutingRule.objects.filter(area=zone, category=category).exists():
            services.save_routing_rule(by=ctx.by, area=zone, category=category, department=department)
    officer = ctx.users.get("service")
    enterprises = list(Enterprise.objects.in_subtree(zone).order_by("pk")[:60])
    if not enterprises:
        return
    tonghu = ctx.areas.get("HZ-ZK-TH")
    if officer is not None and tonghu is not None:
        Enterprise.objects.in_subtree(tonghu).filter(service_officer__isnull=True).update(
            service_officer=officer
        )
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    symposium = services.save_symposium(
        by=ctx.by,
        area=zone,
        title=SYMPOSIUM_TITLE,
        held_on=today - datetime.timedelta(days=20),
        attendees="区管委会分管领导\n经济发展局\n企业服务中心\n规划建设局\n12家电子信息企业代表",
        notes="围绕用地、用电、人才和融资问题座谈，现场收集诉求，会后分解到责任部门限时办理。",
    )
    handler = ctx.users.get("handler")
    own = ctx.enterprises.get("91441300MA4UTH014X")
    plans = []
    for index in range(40):
        category, title, description = ISSUES[index % len(ISSUES)]
        enterprise = own if index % 7 == 0 and own is not None else rng.choice(enterprises)
        days_ago = rng.randint(1, 60)
        received = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 6))
        plans.append((category, title, description, enterprise, received, index))
    plans.sort(key=lambda p: p[4])
    for category, title, description, enterprise, received, index in plans:
        at_symposium = index % 6 == 1
        appeal = services.submit(
            by=ctx.by,
            enterprise=enterprise,
            category=category,
            title=title,
            description=description,
            channel="hotline" if index % 3 else "visit",
            received_at=received,
            contact_name="郑经理" if enterprise == own else "",
            symposium=symposium if at_symposium else None,
        )
        _advance(appeal, index, rng, ctx.by, handler, now)
    served = Enterprise.objects.filter(service_officer=officer).order_by("pk")[:8] if officer else []
    for enterprise in served:
        if True:
            Visit.objects.get_or_create(
                enterprise=enterprise,
                officer=officer,
                visited_on=today - datetime.timedelta(days=rng.randint(1, 40)),
                defaults={"summary": "走访了解企业生产经营情况和扩产计划，宣讲最新惠企政策。"},
            )
    services.sweep()
    ctx.created += Appeal.objects.in_subtree(zone).count()


def _advance(appeal: Appeal, index: int, rng: random.Random, by, handler, now) -> None:
    """Take the appeal some way along its path, then date the steps as they would have happened."""
    stage = index % 10  # 0-1: waiting, 2: signed, 3: in progress, 4-5: replied, 6-8: rated, 9: closed
    actor = (
        handler
        if handler is not None and appeal.department and appeal.department.name == "企业服务中心"
        else by
    )
    if appeal.department is None:
        return
    if stage >= 2:
        services.sign_for(appeal, by=actor)
    if stage >= 3:
        services.start(appeal, by=actor)
    late = index % 4 == 0
    if stage >= 4:
        services.reply(appeal, by=actor, reply=REPLIES[index % len(REPLIES)])
    if stage >= 6:
        rating = (
            "dissatisfied"
            if index % 13 == 0
            else rng.choice(["satisfied", "satisfied", "basically_satisfied"])
        )
        services.evaluate(
            appeal, by=by, rating=rating, comment="问题未解决" if rating == "dissatisfied" else ""
        )
    if stage == 9:
        note = (
            "经复核，已依法依规答复，企业诉求超出政策范围。"
            if rating == "dissatisfied"
            else "已电话回访，企业认可。"
        )
        services.close(appeal, by=by, note=note)
    _backdate(appeal, late, now)


def _backdate(appeal: Appeal, late: bool, now) -> None:
    """Spread the steps after `received_at`: a working day or two apart, a reply after its deadline
    for the late ones, never in the future."""
    appeal.refresh_from_db()
    events = list(appeal.events.order_by("at", "id"))
    span = (appeal.reply_due - appeal.received_at) * (1.3 if late else 0.6)
    moments = {}
    for position, event in enumerate(events):
        if event.kind == EventKind.SUBMITTED:
            continue
        if event.kind == EventKind.ASSIGN and event.by_id is None:  # routed by a rule on receipt
            AppealEvent.objects.filter(pk=event.pk).update(at=appeal.received_at)
            moments[EventKind.ASSIGN] = appeal.received_at
            continue
        share = position / max(len(events) - 1, 1)
        moment = min(
            appeal.received_at + span * share, now - datetime.timedelta(minutes=len(events) - position)
        )
        moments[event.kind] = moment
        AppealEvent.objects.filter(pk=event.pk).update(at=moment)
    updates = {}
    for kind, field in (
        (EventKind.ASSIGN, "assigned_at"),
        (EventKind.SIGN_FOR, "signed_at"),
        (EventKind.REPLY, "replied_at"),
        (EventKind.EVALUATE, "evaluated_at"),
        (EventKind.CLOSE, "closed_at"),
    ):
        if kind in moments and getattr(appeal, field) is not None:
            updates[field] = moments[kind]
    if "replied_at" in updates:
        updates["replied_on_time"] = updates["replied_at"] <= appeal.reply_due
    if updates:
        Appeal.objects.filter(pk=appeal.pk).update(**updates)
