"""The demo catalogue: a Foshan-like set of 17 policies (13 of the Foshan zone, 4 of the province) split
into items with about 200 million yuan of yearly budgets, rules that some demo enterprises meet and some
miss by a little, and the built-in rule library on the region. A second load changes nothing.

Applications and payments are pol17b's demo module; this one only writes the catalogue, the rules and
the figures of the demo enterprise user's own company (three years that miss one R&D rule by a little).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from zoneos.core import demo
from zoneos.enterprises import services as registry

from . import library, services
from .models import Category, Mode, Policy

W = 10_000  # 万元

FROM = datetime.date(2024, 1, 1)


def leaf(id, label, var, op, value):  # noqa: A002
    return {"id": id, "label": label, "var": var, "op": op, "value": value}


RD = leaf("rd_ratio", "近三年研发费用占营业收入比例不低于4%", "rd_ratio_3y", ">=", "0.04")
ABOVE = leaf("above", "规模以上工业企业", "above_designated_size", "==", True)
HIGH_TECH = leaf("high_tech", "有效期内高新技术企业", "label_high_tech", "==", True)
GROWTH = leaf("growth", "营业收入增长不低于15%", "revenue_growth", ">=", "0.15")
MANUFACTURING = leaf(
    "manufacturing", "制造业（行业代码13-43）", "industry_code", "prefix", ["1", "2", "3", "4"]
)

# (area, title, title_en, document number, category, issuer, [items])
# item: (code, name, name_en, mode, department name, budget in 万元, criteria, benefit, payment days)
POLICIES = [
    (
        "FS-GX",
        "佛山高新区促进科技创新若干措施",
        "Measures to promote technological innovation",
        "佛高科〔2024〕3号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-rd-award",
                "研发投入奖励",
                "R&D investment award",
                Mode.AUTOMATIC,
                "经济发展局",
                2500,
                {
                    "all": [
                        RD,
                        leaf("rd_amount", "上年度研发费用不低于500万元", "rd_expense", ">=", "5000000"),
                    ]
                },
                {"min": [{"rate": "0.05", "var": "rd_expense"}, {"fixed": "2000000"}]},
                60,
            ),
            (
                "fs-hte-first",
                "首次认定高新技术企业奖励",
                "First high-tech recognition award",
                Mode.QUICK,
                "经济发展局",
                800,
                {"all": [HIGH_TECH]},
                {"fixed": "300000"},
                30,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区支持先进制造业高质量发展办法",
        "Advanced manufacturing support",
        "佛高经〔2024〕7号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-growth",
                "规上工业企业增长奖励",
                "Growth award for enterprises above designated size",
                Mode.AUTOMATIC,
                "经济发展局",
                1500,
                {"all": [ABOVE, GROWTH, MANUFACTURING]},
                {
                    "brackets": {
                        "by": "revenue",
                        "brackets": [
                            {"upto": "100000000", "amount": {"fixed": "200000"}},
                            {"upto": "500000000", "amount": {"fixed": "500000"}},
                            {"amount": {"fixed": "1000000"}},
                        ],
                    }
                },
                60,
            ),
            (
                "fs-first-above",
                "首次升规奖励",
                "First time above designated size",
                Mode.QUICK,
                "经济发展局",
                800,
                {"all": [ABOVE, leaf("young", "成立不满五年", "age_years", "<", 5)]},
                {"fixed": "100000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区技术改造专项资金管理办法",
        "Technical upgrade fund",
        "佛高经〔2024〕9号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-tech-upgrade",
                "技术改造投资补助",
                "Technical upgrade subsidy",
                Mode.APPLICATION,
                "经济发展局",
                2500,
                {
                    "all": [
                        ABOVE,
                        MANUFACTURING,
                        {
                            "id": "investment",
                            "label": "技改设备投资额不低于500万元（审核）",
                            "manual": "技改设备投资额不低于500万元（审核）",
                        },
                    ]
                },
                {"fixed": "1000000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区专精特新企业培育办法",
        "Specialised SME cultivation",
        "佛高经〔2024〕12号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-specialized",
                "专精特新中小企业奖励",
                "Specialised SME award",
                Mode.AUTOMATIC,
                "企业服务中心",
                800,
                {
                    "all": [
                        leaf("specialized", "有效期内专精特新中小企业", "label_specialized_sme", "==", True)
                    ]
                },
                {"fixed": "200000"},
                60,
            ),
            (
                "fs-little-giant",
                "国家级专精特新“小巨人”奖励",
                "Little giant award",
                Mode.AUTOMATIC,
                "企业服务中心",
                1000,
                {"all": [leaf("little_giant", "国家级专精特新“小巨人”", "label_little_giant", "==", True)]},
                {"fixed": "500000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区人才发展专项资金实施细则",
        "Talent fund",
        "佛高人〔2024〕2号",
        Category.ENTITLEMENT,
        "佛山高新区管委会",
        [
            (
                "fs-rd-staff",
                "研发人员补贴",
                "R&D staff subsidy",
                Mode.QUICK,
                "企业服务中心",
                1000,
                {
                    "all": [
                        leaf("rd_staff", "研发人员占比不低于15%", "rd_staff_share", ">=", "0.15"),
                        leaf("employees", "职工不少于50人", "employees", ">=", 50),
                    ]
                },
                {"min": [{"rate": "2000", "var": "rd_staff"}, {"fixed": "500000"}]},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区支持企业上市若干措施",
        "Listing support",
        "佛高金〔2024〕1号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-listing",
                "上市奖励",
                "Listing award",
                Mode.APPLICATION,
                "招商服务中心",
                1000,
                {"all": [leaf("listed", "已在境内外证券交易所上市", "label_listed", "==", True)]},
                {"fixed": "3000000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区外贸稳增长措施",
        "Foreign trade measures",
        "佛高商〔2024〕5号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-exports",
                "出口增长奖励",
                "Export award",
                Mode.AUTOMATIC,
                "招商服务中心",
                1000,
                {"all": [leaf("exports", "上年度出口额不低于2000万元", "exports", ">=", "20000000")]},
                {"min": [{"rate": "0.005", "var": "exports"}, {"fixed": "800000"}]},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区招商引资奖励办法",
        "Investment attraction award",
        "佛高招〔2024〕4号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-new-investment",
                "新落户企业奖励",
                "New investment award",
                Mode.APPLICATION,
                "招商服务中心",
                1500,
                {
                    "all": [
                        leaf("new", "成立不满两年", "age_years", "<", 2),
                        {
                            "id": "capital",
                            "label": "实缴注册资本不低于5000万元（审核）",
                            "manual": "实缴注册资本不低于5000万元（审核）",
                        },
                    ]
                },
                {"fixed": "1000000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区知识产权资助办法",
        "IP subsidy",
        "佛高科〔2024〕8号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-patents",
                "发明专利资助",
                "Invention patent subsidy",
                Mode.QUICK,
                "经济发展局",
                600,
                {"all": [leaf("patents", "拥有发明专利不少于5件", "invention_patents", ">=", 5)]},
                {"min": [{"rate": "5000", "var": "invention_patents"}, {"fixed": "200000"}]},
                30,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区数字化转型扶持办法",
        "Digital transformation",
        "佛高经〔2024〕15号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-digital",
                "数字化转型补助",
                "Digital transformation subsidy",
                Mode.APPLICATION,
                "经济发展局",
                1000,
                {
                    "all": [
                        MANUFACTURING,
                        leaf("revenue", "营业收入不低于2000万元", "revenue", ">=", "20000000"),
                    ]
                },
                {"fixed": "300000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区企业用地用房优惠办法",
        "Land and premises",
        "佛高规〔2024〕2号",
        Category.REDUCTION,
        "佛山高新区管委会",
        [
            (
                "fs-rent",
                "孵化载体租金减免",
                "Rent reduction",
                Mode.QUICK,
                "企业服务中心",
                600,
                {"all": [leaf("small", "小微企业", "size_class", "in", ["small", "micro"])]},
                {"fixed": "50000"},
                30,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区首台（套）装备推广应用办法",
        "First set of equipment",
        "佛高经〔2024〕18号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-first-set",
                "首台（套）装备奖励",
                "First set of equipment award",
                Mode.APPLICATION,
                "经济发展局",
                600,
                {
                    "all": [
                        MANUFACTURING,
                        {
                            "id": "certified",
                            "label": "获省级以上首台（套）认定（审核）",
                            "manual": "获省级以上首台（套）认定（审核）",
                        },
                    ]
                },
                {"fixed": "1000000"},
                60,
            ),
        ],
    ),
    (
        "FS-GX",
        "佛山高新区研发机构建设资助办法",
        "R&D institutions",
        "佛高科〔2024〕11号",
        Category.AWARD,
        "佛山高新区管委会",
        [
            (
                "fs-rd-centre",
                "企业研发机构资助",
                "R&D centre subsidy",
                Mode.APPLICATION,
                "经济发展局",
                800,
                {
                    "all": [
                        HIGH_TECH,
                        RD,
                        {
                            "id": "centre",
                            "label": "获认定为市级以上工程技术研究中心（审核）",
                            "manual": "获认定为市级以上工程技术研究中心（审核）",
                        },
                    ]
                },
                {"fixed": "500000"},
                60,
            ),
        ],
    ),
    (
        "GD",
        "广东省高新技术企业所得税优惠",
        "High-tech income tax rate",
        "财税〔2024〕示例",
        Category.REDUCTION,
        "广东省税务局",
        [
            (
                "gd-hte-tax",
                "高新技术企业15%税率",
                "15 % income tax for high-tech enterprises",
                Mode.AUTOMATIC,
                None,
                0,
                {"all": [HIGH_TECH]},
                None,
                60,
            ),
        ],
    ),
    (
        "GD",
        "广东省研发费用后补助",
        "Provincial R&D post-subsidy",
        "粤科资字〔2024〕示例",
        Category.AWARD,
        "广东省科学技术厅",
        [
            (
                "gd-rd-post",
                "研发费用后补助",
                "R&D post-subsidy",
                Mode.AUTOMATIC,
                None,
                1500,
                {"all": [RD, leaf("sme", "中小企业", "size_class", "in", ["medium", "small", "micro"])]},
                {"min": [{"rate": "0.03", "var": "rd_expense"}, {"fixed": "1000000"}]},
                60,
            ),
        ],
    ),
    (
        "GD",
        "广东省稳就业补贴政策",
        "Employment subsidy",
        "粤人社规〔2024〕示例",
        Category.ENTITLEMENT,
        "广东省人力资源和社会保障厅",
        [
            (
                "gd-jobs",
                "吸纳就业补贴",
                "Hiring subsidy",
                Mode.QUICK,
                None,
                600,
                {"all": [leaf("employees", "职工不少于20人", "employees", ">=", 20)]},
                {"fixed": "30000"},
                30,
            ),
        ],
    ),
    (
        "GD",
        "广东省专精特新“小巨人”培育奖励",
        "Provincial little giant cultivation",
        "粤工信〔2024〕示例",
        Category.AWARD,
        "广东省工业和信息化厅",
        [
            (
                "gd-little-giant",
                "小巨人培育奖励",
                "Little giant cultivation award",
                Mode.QUICK,
                None,
                600,
                {
                    "all": [
                        leaf("specialized", "有效期内专精特新中小企业", "label_specialized_sme", "==", True),
                        leaf("growth2", "近两年营业收入平均增长不低于5%", "revenue_growth_2y", ">=", "0.05"),
                    ]
                },
                {"fixed": "300000"},
                60,
            ),
        ],
    ),
]

# The demo enterprise user's company: three years that miss the 4 % R&D rule by a little (3.9 %).
OWN_USCC = "91441300MA4UTH014X"
OWN_FIGURES = {
    2023: {
        "revenue": Decimal("46000000"),
        "rd_expense": Decimal("1780000"),
        "employees": 120,
        "rd_staff": 20,
    },
    2024: {
        "revenue": Decimal("52000000"),
        "rd_expense": Decimal("2030000"),
        "employees": 130,
        "rd_staff": 21,
    },
    2025: {
        "revenue": Decimal("61000000"),
        "rd_expense": Decimal("2390000"),
        "employees": 140,
        "rd_staff": 24,
    },
}


def _guide(policy) -> ContentFile:
    """A policy's application guide as a zone publishes it beside the policy: what each item offers,
    how it is delivered, what to bring and whom to call."""
    lines = [f"{policy.title}", f"{policy.issuer} {policy.document_no}", "", "申报指南（演示数据）", ""]
    for n, item in enumerate(policy.items.order_by("pk"), start=1):
        department = item.department.name if item.department else "管委会"
        lines += [f"{n}. {item.name}（{item.get_mode_display()}）", f"   受理部门：{department}"]
        lines += [f"   申报材料：{item.materials}", f"   资金拨付：审批通过后{item.payment_days}个工作日内"]
        lines += [f"   咨询电话：{item.contact}", ""]
    return ContentFile("\n".join(lines).encode("utf-8"), name="申报指南.txt")


@demo.step(order=80)
def load_policies(ctx: demo.DemoContext) -> None:
    root = ctx.areas["GD"]
    if not Policy.objects.filter(title=library.LIBRARY_TITLE).exists():
        library.install(root, ctx.by)
        ctx.created += 1
    for area_code, title, title_en, number, category, issuer, items in POLICIES:
        if Policy.objects.filter(title=title).exists():
            continue
        area = ctx.areas[area_code]
        policy = services.create_policy(
            by=ctx.by,
            area=area,
            title=title,
            title_en=title_en,
            document_no=number,
            category=category,
            issuer=issuer,
            issued_on=FROM,
            effective_from=FROM,
            effective_to=datetime.date(2027, 12, 31),
            summary=f"{title}（演示数据）",
        )
        ctx.created += 1
        for code, name, name_en, mode, department, budget, criteria, benefit, days in items:
            item = services.create_item(
                by=ctx.by,
                policy=policy,
                code=code,
                name=name,
                name_en=name_en,
                mode=mode,
                department=ctx.departments.get((area_code, department)) if department else None,
                budget_per_year=Decimal(budget * W) if budget else None,
                payment_days=days,
                contact="0757-8888 6000",
                materials="申请表；营业执照；相关证明材料",
            )
            rule = services.create_rule(
                by=ctx.by,
                item=item,
                effective_from=FROM,
                criteria=criteria,
                benefit=benefit,
                notes="演示规则",
            )
            services.publish_rule(rule, by=ctx.by)
        services.add_attachment(by=ctx.by, policy=policy, file=_guide(policy), name="申报指南")
    own = ctx.enterprises.get(OWN_USCC)
    if own is not None:
        if own.registered_on is None:
            registry.update_enterprise(own, by=ctx.by, registered_on=datetime.date(2018, 5, 8))
        for year, figures in OWN_FIGURES.items():
            if not own.indicators.filter(year=year).exists():
                registry.create_indicator(by=ctx.by, enterprise=own, year=year, **figures)
                ctx.created += 1


# Applications and money on the catalogue above (their steps register themselves, after the catalogue's).
from . import demo_money  # noqa: E402, F401
