"""The demo's research projects: the Hetao Shenzhen–Hong Kong cooperation zone's Shenzhen park (SZ-HT)
runs a joint R&D programme (equipment may not rise, a PI moves 10 % of the total alone, indirect costs at
most 20 %) with projects of its enterprises and Hong Kong universities:

- HT-2026-001, in expert evaluation: five experts, one of whom declared a conflict of interest; the
  other four scored, so the result drops the highest and the lowest;
- HT-2025-003, in progress: two thirds of its period gone, about a quarter of its budget spent, testing
  over its budget (both warnings), one adjustment in effect and one beyond the PI's share awaiting an
  admin;
- HT-2026-002, an application being prepared.

Every record goes through the services and the workflow (so the history has it, authored by the demo's
superuser); projects are found by their numbers and left as they are on a second load."""

from __future__ import annotations

import datetime
from decimal import Decimal

from zoneos.core import demo
from zoneos.enterprises.models import Enterprise, Status

from . import services, warnings, workflow
from .models import Programme, ResearchProject

ZONE = "SZ-HT"
PROGRAMME = "HT-RD-2026"
HK = [
    {"name": "香港科技大学", "region": "hk"},
    {"name": "香港中文大学", "region": "hk"},
    {"name": "香港城市大学", "region": "hk"},
    {"name": "澳门大学", "region": "mo"},
]
BUDGET = {
    "equipment": 1800000, "materials": 900000, "testing": 400000, "fuel_power": 100000, "travel": 300000,
    "publication": 150000, "labour": 1200000, "experts": 150000, "indirect": 800000,
}  # fmt: skip
# (name, organisation, conflict note, points per criterion in the programme's order)
EXPERTS = [
    ("陈志远", "清华大学深圳国际研究生院", "", (28, 23, 18, 14, 9)),
    ("黄慧琳", "香港大学", "", (24, 20, 16, 12, 8)),
    ("刘建国", "中国科学院深圳先进技术研究院", "", (20, 18, 15, 11, 7)),
    ("吴思敏", "南方科技大学", "", (16, 14, 12, 9, 6)),
    ("郑伟", "香港科技大学", "与合作单位同属一校，申请回避", None),
]
SPENDING = [  # (days after the start, category, yuan, description, voucher number)
    (40, "equipment", 980000, "高通量测序仪", "HT25-003-001"),
    (95, "materials", 120000, "芯片流片材料", "HT25-003-002"),
    (150, "testing", 260000, "第三方可靠性测试（一期）", "HT25-003-003"),
    (230, "travel", 45000, "赴港联合实验室工作会议", "HT25-003-004"),
    (300, "testing", 210000, "第三方可靠性测试（二期）", "HT25-003-005"),
    (380, "labour", 180000, "研究助理劳务费", "HT25-003-006"),
]


def _enterprises(zone) -> list:
    return list(Enterprise.objects.filter(area=zone, status=Status.ACTIVE).order_by("uscc")[:3])


def _project(
    ctx, programme, zone, code, title, enterprise, partners, pi, starts_on, months
) -> ResearchProject:
    return services.create_project(
        by=ctx.by,
        programme=programme,
        area=zone,
        code=code,
        title=title,
        enterprise=enterprise,
        partners=partners,
        pi_name=pi,
        pi_contact="0755-8600 0000",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=round(months * 30.44)),
        summary="深港联合攻关，依托河套深港科技创新合作区深圳园区平台开展。",
        budget={k: Decimal(v) for k, v in BUDGET.items()},
    )


def _evaluate(ctx, project, experts) -> ResearchProject:
    project = workflow.submit(project, by=ctx.by, opinion="申报材料齐全")
    project = workflow.pass_check(project, by=ctx.by, opinion="形式审查通过")
    criteria = [c["code"] for c in project.programme.criteria]
    for name, organisation, conflict, points in experts:
        reviewer = services.assign_reviewer(project, by=ctx.by, name=name, organisation=organisation)
        if conflict:
            services.declare_conflict(reviewer, by=ctx.by, conflict=True, note=conflict)
        else:
            services.score(reviewer, by=ctx.by, points=dict(zip(criteria, points, strict=True)))
    return project


@demo.step(order=92)
def load_research(ctx: demo.DemoContext) -> None:
    zone = ctx.areas.get(ZONE)
    if zone is None:
        return
    today = services.today()
    programme = Programme.objects.filter(area=zone, code=PROGRAMME).first()
    if programme is None:
        programme = services.create_programme(
            by=ctx.by,
            area=zone,
            code=PROGRAMME,
            name="河套深港联合研发计划",
            year=2026,
            frozen=["equipment"],
            pi_share=Decimal("0.10"),
            indirect_cap=Decimal("0.20"),
            notes="设备费不得调增；承担单位可自主调剂不超过总预算10%，超出须报园区审批。",
        )
        ctx.created += 1
    firms = _enterprises(zone)
    if len(firms) < 3:
        return
    existing = set(ResearchProject.objects.filter(programme=programme).values_list("code", flat=True))

    if "HT-2026-001" not in existing:
        project = _project(ctx, programme, zone, "HT-2026-001", "深港联合第三代半导体功率器件可靠性研究",
                           firms[0], HK[:2], "林海峰", today + datetime.timedelta(days=60), 24)  # fmt: skip
        _evaluate(ctx, project, EXPERTS)
        ctx.created += 1

    if "HT-2025-003" not in existing:
        starts_on = today - datetime.timedelta(days=490)
        project = _project(ctx, programme, zone, "HT-2025-003", "面向跨境医疗数据的隐私计算平台关键技术",
                           firms[1], [HK[0], HK[2], HK[3]], "周明轩", starts_on, 24)  # fmt: skip
        project = _evaluate(ctx, project, EXPERTS[:4])
        project = workflow.approve(project, by=ctx.by, opinion="评审通过，予以立项")
        project = workflow.sign_contract(project, by=ctx.by, contract_no="HT-HT-2025-003")
        for days, category, amount, description, voucher in SPENDING:
            services.record_expenditure(
                project, by=ctx.by, category=category, amount=Decimal(amount), description=description,
                spent_on=starts_on + datetime.timedelta(days=days), voucher_no=voucher,
            )  # fmt: skip
        services.request_adjustment(project, by=ctx.by, from_category="materials", to_category="labour",
                                    amount=Decimal(150000), reason="增聘香港合作方博士后一名")  # fmt: skip
        services.request_adjustment(project, by=ctx.by, from_category="fuel_power", to_category="travel",
                                    amount=Decimal(30000), reason="增加赴港联合实验室交流")  # fmt: skip
        services.request_adjustment(project, by=ctx.by, from_category="materials", to_category="testing",
                                    amount=Decimal(450000), reason="第三方测试超支，申请调增")  # fmt: skip
        ctx.created += 1

    if "HT-2026-002" not in existing:
        _project(ctx, programme, zone, "HT-2026-002", "深港跨境科研物资通关智能监管技术研究",
                 firms[2], HK[1:2], "梁嘉欣", today + datetime.timedelta(days=120), 18)  # fmt: skip
        ctx.created += 1
    ctx.created += warnings.sweep(today)["warned"]
