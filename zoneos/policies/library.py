"""The built-in rule library, shipped as data: the recognition criteria zones use to build their
cultivation pools, as `qualification` items with dated rule versions (DOMAIN.md 3.3-3.5 and 7).

`install(area, by)` copies it into an area's catalogue as ordinary records (a policy, its items and
published versions), which the zone then edits like any other. The thresholds several rules share are
dated `Parameter`s loaded by migration 0002 (`PARAMETERS`). Criterion ids are stable: the high-tech
R&D ratio leaf is `rd_ratio`.
"""

from __future__ import annotations

import datetime

from django.db import transaction

SECONDARY = (
    "Thresholds from secondary copies (consultancy pages), consistent across two sources; "
    "the official text was not read."
)

PARAMETERS = [
    {
        "code": "hte_rd_ratio_small",
        "value": "0.05",
        "valid_from": "2016-01-01",
        "source": "国科发火〔2016〕32号 第十一条(五)：最近一年销售收入5,000万元以下（含）的，比例不低于5%",
        "note": SECONDARY,
    },
    {
        "code": "hte_rd_ratio_medium",
        "value": "0.04",
        "valid_from": "2016-01-01",
        "source": "国科发火〔2016〕32号 第十一条(五)：5,000万元至2亿元（含）的企业，比例不低于4%",
        "note": SECONDARY,
    },
    {
        "code": "hte_rd_ratio_large",
        "value": "0.03",
        "valid_from": "2016-01-01",
        "source": "国科发火〔2016〕32号 第十一条(五)：2亿元以上的企业，比例不低于3%",
        "note": SECONDARY,
    },
    {
        "code": "hte_rd_staff_share",
        "value": "0.10",
        "valid_from": "2016-01-01",
        "source": "国科发火〔2016〕32号 第十一条(四)：科技人员占当年职工总数的比例不低于10%",
        "note": SECONDARY,
    },
    {
        "code": "hte_product_share",
        "value": "0.60",
        "valid_from": "2016-01-01",
        "source": "国科发火〔2016〕32号 第十一条(六)：高新技术产品（服务）收入占比不低于60%",
        "note": SECONDARY,
    },
]


def leaf(id, label, var, op, value, **extra):  # noqa: A002
    return {"id": id, "label": label, "var": var, "op": op, "value": value, **extra}


def manual(id, text):  # noqa: A002
    return {"id": id, "label": text, "manual": text}


def steps(prefix, label, var, thresholds, points):
    """Bands as cumulative parts of a score: each threshold passed adds its points."""
    return [
        {**leaf(f"{prefix}_{i}", f"{label} ≥ {t}", var, ">=", t), "points": p}
        for i, (t, p) in enumerate(zip(thresholds, points, strict=True))
    ]


HIGH_TECH = {
    "all": [
        leaf("registered_one_year", "注册成立满一年", "age_years", ">=", 1),
        {
            "id": "rd_ratio",
            "label": "近三年研发费用占销售收入比例",
            "var": "rd_ratio_3y",
            "op": ">=",
            "scale": {
                "by": "revenue",
                "brackets": [
                    {"upto": "50000000", "value": {"param": "hte_rd_ratio_small"}},
                    {"upto": "200000000", "value": {"param": "hte_rd_ratio_medium"}},
                    {"value": {"param": "hte_rd_ratio_large"}},
                ],
            },
        },
        leaf("rd_staff", "科技人员占职工总数比例", "rd_staff_share", ">=", {"param": "hte_rd_staff_share"}),
        leaf(
            "high_tech_revenue",
            "高新技术产品收入占比",
            "high_tech_product_share",
            ">=",
            {"param": "hte_product_share"},
        ),
        manual("core_ip", "拥有对主要产品（服务）发挥核心支持作用的知识产权"),
        manual("supported_field", "主要产品（服务）的核心技术属于《国家重点支持的高新技术领域》"),
        manual("rd_in_china", "境内研发费用占全部研发费用比例不低于60%"),
        manual("innovation_score", "企业创新能力评价达到相应要求（70分以上）"),
        manual("no_major_accident", "申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为"),
    ]
}

SME = leaf("sme", "中小企业（规模）", "size_class", "in", ["medium", "small", "micro"])

TECH_SME = {
    "all": [
        leaf("employees", "职工总数不超过500人", "employees", "<=", 500),
        leaf("sales", "年销售收入不超过2亿元", "revenue", "<=", "200000000"),
        manual("assets", "资产总额不超过2亿元，产品不属于禁止、限制和淘汰类，无重大事故与失信记录"),
        leaf("staff_score_nonzero", "科技人员指标得分不为0（占比≥10%）", "rd_staff_share", ">=", "0.10"),
        {
            "any": [
                leaf("direct_high_tech", "拥有有效期内高新技术企业资格", "label_high_tech", "==", True),
                {
                    "score": [
                        *steps(
                            "staff",
                            "科技人员占比",
                            "rd_staff_share",
                            ["0.10", "0.15", "0.20", "0.25", "0.30"],
                            [4] * 5,
                        ),
                        *steps(
                            "rd",
                            "研发费用占销售收入比例",
                            "rd_ratio",
                            ["0.02", "0.03", "0.04", "0.05", "0.06"],
                            [10] * 5,
                        ),
                        {**leaf("ip_class1", "拥有I类知识产权", "class1_ip", ">=", 1), "points": 30},
                    ],
                    "min": 60,
                },
            ]
        },
    ]
}


INNOVATION, GROWTH, SPECIALISATION = "创新能力", "成长性", "专业化"  # the evaluation's three dimensions


def grouped(group: str, parts: list) -> list:
    """Parts of a score counted towards `group`'s own minimum as well as the total."""
    return [{**part, "group": group} for part in parts]


def innovative(with_tech_sme_route: bool):
    routes = [
        leaf("direct_high_tech", "有效期内高新技术企业", "label_high_tech", "==", True),
        leaf("direct_equity", "近三年新增股权融资≥500万元", "equity_financing_3y", ">=", "5000000"),
    ]
    if with_tech_sme_route:
        routes.append(
            leaf("direct_tech_sme", "科技型中小企业（2026年起并入梯度）", "label_tech_sme", "==", True)
        )
    return {
        "all": [
            SME,
            {
                "any": [
                    *routes,
                    {
                        "score": [
                            *grouped(
                                INNOVATION,
                                [
                                    {**leaf("ip", "拥有I类知识产权", "class1_ip", ">=", 1), "points": 10},
                                    *steps(
                                        "rd",
                                        "研发费用占营业收入比例",
                                        "rd_ratio",
                                        ["0.01", "0.02", "0.03", "0.05"],
                                        [5] * 4,
                                    ),
                                ],
                            ),
                            *grouped(
                                GROWTH,
                                [
                                    *steps(
                                        "growth",
                                        "营业收入增长率",
                                        "revenue_growth",
                                        ["0", "0.05", "0.10", "0.15"],
                                        [5] * 4,
                                    ),
                                    {
                                        **leaf("debt_75", "资产负债率不高于75%", "debt_ratio", "<=", "0.75"),
                                        "points": 5,
                                    },
                                    {
                                        **leaf("debt_55", "资产负债率低于55%", "debt_ratio", "<", "0.55"),
                                        "points": 5,
                                    },
                                ],
                            ),
                            *grouped(
                                SPECIALISATION,
                                [
                                    {
                                        **leaf(
                                            "sei",
                                            "主导产品属于战略性新兴产业",
                                            "emerging_industry",
                                            "in",
                                            [str(i) for i in range(1, 10)],
                                        ),
                                        "points": 10,
                                    },
                                    {
                                        "not": leaf(
                                            "not_sei",
                                            "主导产品不属于战略性新兴产业",
                                            "emerging_industry",
                                            "in",
                                            [str(i) for i in range(1, 10)],
                                        ),
                                        "points": 5,
                                    },
                                    *steps(
                                        "main",
                                        "主营业务收入占比",
                                        "main_business_share",
                                        ["0.50", "0.55", "0.60", "0.70"],
                                        [5] * 4,
                                    ),
                                ],
                            ),
                        ],
                        # 〔2022〕63号: 60 in all, and at least 20 / 15 / 15 in the three dimensions.
                        "groups": {INNOVATION: 20, GROWTH: 15, SPECIALISATION: 15},
                        "min": 60,
                    },
                ]
            },
        ]
    }


SPECIALIZED_2022 = {
    "all": [
        leaf("innovative", "已认定为创新型中小企业", "label_innovative_sme", "==", True),
        leaf("niche", "从事特定细分市场时间达到2年以上", "niche_years", ">=", 2),
        leaf("rd_amount", "上年度研发费用总额不低于100万元", "rd_expense", ">=", "1000000"),
        leaf("rd_ratio", "上年度研发费用占营业收入比重不低于3%", "rd_ratio", ">=", "0.03"),
        {
            "any": [
                leaf("revenue", "上年度营业收入不低于1000万元", "revenue", ">=", "10000000"),
                leaf(
                    "equity", "近2年新增股权融资总额不低于2000万元", "equity_financing_2y", ">=", "20000000"
                ),
            ]
        },
        manual("evaluation", "评价得分达到60分以上或满足直通条件之一"),
    ]
}

SPECIALIZED_2026 = {
    "all": [
        leaf("innovative", "已认定为科技和创新型中小企业", "label_innovative_sme", "==", True),
        leaf("niche", "从事特定细分市场时间达到3年以上", "niche_years", ">=", 3),
        {
            "any": [
                leaf("revenue", "上年度营业收入不低于1500万元", "revenue", ">=", "15000000"),
                leaf(
                    "equity", "近2年新增股权融资总额不低于2000万元", "equity_financing_2y", ">=", "20000000"
                ),
            ]
        },
        leaf("main_share", "主营业务收入占营业收入比重不低于80%", "main_business_share", ">=", "0.80"),
        leaf("debt", "资产负债率不高于80%", "debt_ratio", "<=", "0.80"),
        leaf("rd_amount", "上年度研发费用不低于100万元", "rd_expense", ">=", "1000000"),
        leaf("rd_ratio", "上年度研发费用占营业收入比重不低于3%", "rd_ratio", ">=", "0.03"),
        leaf("ip", "拥有I类知识产权至少1项", "class1_ip", ">=", 1),
        manual("rd_two_years", "近两年每年研发投入均满足要求"),
        manual("evaluation", "专精特新发展质量评价得分不低于50分"),
    ]
}

LITTLE_GIANT_2022 = {
    "all": [
        leaf("specialized", "已认定为专精特新中小企业", "label_specialized_sme", "==", True),
        leaf("niche", "从事特定细分市场时间达到3年以上", "niche_years", ">=", 3),
        leaf("main_share", "主营业务收入占营业收入比重不低于70%", "main_business_share", ">=", "0.70"),
        leaf("growth", "近2年主营业务收入平均增长率不低于5%", "revenue_growth_2y", ">=", "0.05"),
        leaf("debt", "资产负债率不高于70%", "debt_ratio", "<=", "0.70"),
        leaf("ip", "拥有I类知识产权2项以上", "class1_ip", ">=", 2),
        {
            "any": [
                {
                    "all": [
                        leaf("large", "营业收入1亿元以上", "revenue", ">", "100000000"),
                        leaf("rd_ratio_large", "研发费用占比不低于3%", "rd_ratio", ">=", "0.03"),
                    ]
                },
                {
                    "all": [
                        leaf("medium", "营业收入5000万至1亿元", "revenue", ">=", "50000000"),
                        leaf("medium_top", "营业收入不超过1亿元", "revenue", "<=", "100000000"),
                        leaf("rd_ratio_medium", "研发费用占比不低于6%", "rd_ratio", ">=", "0.06"),
                    ]
                },
                {
                    "all": [
                        leaf("small", "营业收入5000万元以下", "revenue", "<", "50000000"),
                        leaf(
                            "equity", "近2年新增股权融资8000万元以上", "equity_financing_2y", ">=", "80000000"
                        ),
                        leaf("rd_staff", "研发人员占比不低于50%", "rd_staff_share", ">=", "0.50"),
                    ]
                },
            ]
        },
        manual("market", "细分市场占有率全国前列、拥有自主品牌、处于产业链关键环节"),
    ]
}

LITTLE_GIANT_2026 = {
    "all": [
        leaf("specialized", "已认定为专精特新中小企业", "label_specialized_sme", "==", True),
        leaf("niche", "从事特定细分市场时间达到3年以上", "niche_years", ">=", 3),
        leaf("revenue", "上年度营业收入不低于5000万元", "revenue", ">=", "50000000"),
        leaf("main_share", "主营业务收入占比不低于90%", "main_business_share", ">=", "0.90"),
        leaf("growth", "近2年营业收入复合增长率不低于5%", "revenue_growth_2y", ">=", "0.05"),
        leaf("debt", "资产负债率不高于75%", "debt_ratio", "<=", "0.75"),
        leaf("rd_ratio", "研发费用占营业收入比重不低于3%", "rd_ratio", ">=", "0.03"),
        leaf("ip", "拥有I类知识产权4项以上", "class1_ip", ">=", 4),
        leaf("rd_two_years", "近2年研发费用总额不低于1200万元", "rd_expense_2y", ">=", "12000000"),
        leaf(
            "rd_ratio_prev",
            "前一年度研发费用占营业收入比重不低于3%（近2年每年）",
            "rd_ratio_prev",
            ">=",
            "0.03",
        ),
        manual("market", "国内或国际细分市场占有率≥10%或全国前三；发展质量评价得分≥60分"),
    ]
}

LIBRARY_TITLE = "企业资质认定标准（内置规则库）"
CUT = datetime.date(2026, 3, 31)
NEW = datetime.date(2026, 4, 1)
NOTE_2022 = "《优质中小企业梯度培育管理暂行办法》(工信部企业〔2022〕63号). " + SECONDARY
NOTE_2026 = (
    "《优质中小企业梯度培育管理办法》(revised, from 2026-04-01). Thresholds from one consultancy page and "
    "a Xinhua summary: unverified, check against the published text."
)

# code, name, English name, versions [(from, to, criteria, notes)]
ITEMS = [
    (
        "high_tech_enterprise",
        "高新技术企业认定",
        "High-tech enterprise recognition",
        [(datetime.date(2016, 1, 1), None, HIGH_TECH, "国科发火〔2016〕32号 第十一条. " + SECONDARY)],
    ),
    (
        "tech_sme",
        "科技型中小企业评价",
        "Technology-based SME evaluation",
        [
            (
                datetime.date(2017, 5, 3),
                None,
                TECH_SME,
                "国科发政〔2017〕115号; the R&D-to-costs alternative is not modelled (no cost figures). "
                + SECONDARY,
            )
        ],
    ),
    (
        "innovative_sme",
        "创新型中小企业评价",
        "Innovative SME evaluation",
        [
            (datetime.date(2022, 6, 1), CUT, innovative(False), NOTE_2022),
            (NEW, None, innovative(True), NOTE_2026),
        ],
    ),
    (
        "specialized_sme",
        "专精特新中小企业认定",
        "Specialised and sophisticated SME recognition",
        [
            (datetime.date(2022, 6, 1), CUT, SPECIALIZED_2022, NOTE_2022),
            (NEW, None, SPECIALIZED_2026, NOTE_2026),
        ],
    ),
    (
        "little_giant",
        "专精特新“小巨人”企业认定",
        "Little giant recognition",
        [
            (datetime.date(2022, 6, 1), CUT, LITTLE_GIANT_2022, NOTE_2022),
            (NEW, None, LITTLE_GIANT_2026, NOTE_2026),
        ],
    ),
]


@transaction.atomic
def install(area, by, *, prefix: str = ""):
    """Copy the library into `area`'s catalogue (published versions); answers the policy."""
    from . import services
    from .models import Category, Mode

    policy = services.create_policy(
        by=by,
        area=area,
        title=LIBRARY_TITLE,
        title_en="Recognition criteria (built-in library)",
        issuer="科技部、工业和信息化部",
        category=Category.QUALIFICATION,
        summary="高新技术企业、科技型中小企业与优质中小企业梯度培育的认定条件，用于建立培育库。",
    )
    for code, name, name_en, versions in ITEMS:
        item = services.create_item(
            by=by, policy=policy, code=f"{prefix}{code}", name=name, name_en=name_en, mode=Mode.APPLICATION
        )
        for start, end, criteria, notes in versions:
            rule = services.create_rule(
                by=by, item=item, effective_from=start, effective_to=end, criteria=criteria, notes=notes
            )
            services.publish_rule(rule, by=by)
    return policy
