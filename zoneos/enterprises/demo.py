"""The demo zone's registry: the two named enterprises that demo users belong to, then some hundreds
of enterprises per zone with valid synthetic codes, the field's industries, five years of figures and
labels, so that dashboards look like a real zone's.

Everything is drawn from a seeded random generator, so every load produces the same registry; it is
written through the import specs (the same checks, batched writes and history rows as a spreadsheet
import), which also makes a second load change nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from zoneos.audit import bulk
from zoneos.core import demo
from zoneos.core.codes import build_uscc
from zoneos.tabular.engine import Outcome, Row

from . import pinyin, services
from .imports import EnterpriseSpec, IndicatorSpec
from .models import EmergingIndustry, Enterprise, Label, LabelKind

# (uscc, name, name_en, area code, industry code, business scope): synthetic codes that pass the GB 32100
# checks. Huizhou's scope names optical fibre and optoelectronic devices, which neither its name nor its
# industry does: the laser chain's OPTO link (光纤, 光电) suggests it through its scope alone.
ENTERPRISES = [
    (
        "91441300MA4UTH014X",
        "惠州潼湖智联科技有限公司",
        "Huizhou Tonghu Zhilian Technology Co., Ltd.",
        "HZ-ZK-TH-KC",
        "3922",
        "一般项目：通信设备制造；移动终端设备制造；光通信设备制造；光电子器件制造；光纤制造；"
        "物联网设备制造；软件开发；信息系统集成服务；技术服务、技术开发、技术咨询、技术交流、技术转让、"
        "技术推广；货物进出口；技术进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    ),
    (
        "91440606MA55NH029N",
        "佛山南海精工装备有限公司",
        "Foshan Nanhai Precision Equipment Co., Ltd.",
        "FS-GX-NH",
        "3491",
        "一般项目：工业机器人制造；工业机器人安装、维修；智能基础制造装备制造；通用设备制造（不含特种设备"
        "制造）；机械零件、零部件加工；模具制造；软件开发；技术服务、技术开发、技术咨询、技术交流、"
        "技术转让、技术推广；货物进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    ),
]


@demo.step(order=20)
def load_enterprises(ctx: demo.DemoContext) -> None:
    for uscc, name, name_en, area_code, industry_code, business_scope in ENTERPRISES:
        values = {
            "name": name,
            "name_en": name_en,
            "area": ctx.areas[area_code],
            "industry_code": industry_code,
            "business_scope": business_scope,
        }
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            enterprise = services.create_enterprise(by=ctx.by, uscc=uscc, **values)
            ctx.created += 1
        elif changes := demo.differs(enterprise, values):
            enterprise = services.update_enterprise(enterprise, by=ctx.by, **changes)
            ctx.updated += 1
        ctx.enterprises[uscc] = enterprise


YEARS = range(2021, 2026)

# zone code: (city prefix, GB/T 2260 code of the registering authority, enterprises, the zone's parks)
ZONES = {
    "HZ-ZK": ("惠州", "Huizhou", "441302", 320, ["HZ-ZK-TH-KC", "HZ-ZK-DZ", "HZ-ZK-TH"]),
    "FS-GX": ("佛山", "Foshan", "440605", 420, ["FS-GX-CC", "FS-GX-NH", "FS-GX-SD", "FS-GX-GM", "FS-GX-SS"]),
    "ZQ-XNY": ("肇庆", "Zhaoqing", "441203", 220, ["ZQ-XNY-GX", "ZQ-XNY-DH"]),
    "SZ-HT": ("深圳", "Shenzhen", "440304", 160, ["SZ-HT"]),
}

# (industry class, words in the name, English words, emerging-industry tags, weight, typical output in yuan)
INDUSTRIES = [
    ("3976", "激光", "Laser", ["2"], 6, 8e7),
    ("3493", "增材制造", "Additive Manufacturing", ["2"], 4, 6e7),
    ("3612", "新能源汽车", "New Energy Vehicle", ["5"], 1, 4e9),
    ("3670", "汽车零部件", "Auto Parts", ["5"], 10, 2.5e8),
    ("3841", "锂电池", "Lithium Battery", ["6"], 5, 6e8),
    ("3974", "显示科技", "Display Technology", ["1"], 4, 5e8),
    ("3989", "电子元件", "Electronic Components", ["1"], 10, 1.5e8),
    ("3922", "通信终端", "Communication Devices", ["1"], 5, 3e8),
    ("3973", "集成电路", "Integrated Circuits", ["1"], 2, 4e8),
    ("3252", "铝业", "Aluminium", [], 6, 2e8),
    ("3360", "金属表面处理", "Metal Finishing", [], 5, 5e7),
    ("3399", "五金制品", "Hardware", [], 8, 6e7),
    ("3491", "机器人", "Robotics", ["2"], 3, 1.2e8),
    ("3525", "精密模具", "Precision Moulds", [], 6, 4e7),
    ("2720", "制药", "Pharmaceutical", ["4"], 3, 2e8),
    ("2761", "生物科技", "Biotech", ["4"], 3, 1e8),
    ("3581", "医疗器械", "Medical Devices", ["4"], 4, 9e7),
    ("3859", "电器", "Home Appliances", [], 6, 3e8),
    ("6513", "软件", "Software", ["1"], 8, 2e7),
    ("6560", "信息技术", "IT Services", ["1"], 4, 1.5e7),
    ("7320", "研究院", "Research Institute", ["9"], 2, 1e7),
]
BRANDS = (  # noqa: SIM905  (a list literal of 40 words would not fit a line)
    "华创 鼎盛 瑞联 科达 宏图 新锐 中晟 金辉 博远 恒通 天瑞 汇川 云帆 智源 海纳 永泰 德润 明阳 光弘 星河 "
    "凯越 东信 美达 弘毅 信立 安泰 嘉和 睿航 正邦 盈科 华阳 亿嘉 卓尔 伟业 泰格 启明 创维 合力 万泽 众联"
).split()
SUFFIXES = [
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Co., Ltd."),
    ("科技有限公司", "Technology Co., Ltd."),
]
ORIGINS = [
    ("domestic", "", 80),
    ("hong_kong", "", 9),
    ("taiwan", "", 4),
    ("macao", "", 1),
    ("foreign", "DE", 2),
    ("foreign", "JP", 2),
    ("foreign", "US", 1),
    ("foreign", "SG", 1),
]


def _pick(rng: random.Random, items, weight_index: int):
    return rng.choices(items, weights=[i[weight_index] for i in items])[0]


def generate(rng: random.Random):
    """Rows of enterprises and of figures (as an import would read them) for every demo zone."""
    enterprises, figures, labels = [], [], []
    serial = 0
    for city, city_en, division, count, parks in ZONES.values():
        for _ in range(count):
            serial += 1
            code, word, word_en, tags, _w, typical = _pick(rng, INDUSTRIES, 4)
            # Two brand words make some 1,500 distinct names without numbering them.
            first, second = divmod(serial * 7 % (len(BRANDS) * (len(BRANDS) - 1)), len(BRANDS) - 1)
            brand = BRANDS[first] + [b for b in BRANDS if b != BRANDS[first]][second]
            suffix, suffix_en = rng.choice(SUFFIXES)
            origin, country, _w = _pick(rng, ORIGINS, 2)
            uscc = build_uscc("9", "1", division, f"MA{serial:06d}")
            name = f"{city}{brand}{word}{suffix}"
            pinyin_brand = pinyin.keys(brand)[0].capitalize()
            enterprises.append(
                {
                    "uscc": uscc,
                    "name": name,
                    "name_en": f"{city_en} {pinyin_brand} {word_en} {suffix_en}",
                    "area": rng.choice(parks),
                    "industry_code": code,
                    "registered_on": datetime.date(
                        rng.randint(2003, 2022), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    "registered_capital": Decimal(rng.choice([500, 1000, 2000, 5000, 10000, 30000])) * 10_000,
                    "capital_origin": origin,
                    "capital_country": country,
                    "status": "active" if rng.random() > 0.04 else "moved_out",
                    "_tags": tags,
                }
            )
            scale = typical * rng.lognormvariate(-0.9, 1.1)
            growth = rng.uniform(-0.05, 0.35)
            start = rng.choice([2021, 2021, 2021, 2021, 2022, 2023, 2024, 2025])
            staff = max(8, int(scale / rng.uniform(6e5, 1.6e6)))
            for year in YEARS:
                if year < start:
                    continue
                output = Decimal(round(scale * (1 + growth) ** (year - 2021), -3))
                revenue = (output * Decimal(str(round(rng.uniform(0.92, 1.08), 3)))).quantize(Decimal(1))
                figures.append(
                    {
                        "uscc": uscc,
                        "year": year,
                        "output_value": output,
                        "revenue": revenue,
                        "main_business_revenue": (revenue * Decimal("0.95")).quantize(Decimal(1)),
                        "tax_paid": (revenue * Decimal(str(round(rng.uniform(0.02, 0.07), 3)))).quantize(
                            Decimal(1)
                        ),
                        "rd_expense": (revenue * Decimal(str(round(rng.uniform(0.01, 0.08), 3)))).quantize(
                            Decimal(1)
                        ),
                        "exports": (revenue * Decimal(str(round(rng.uniform(0, 0.3), 3)))).quantize(
                            Decimal(1)
                        ),
                        "employees": int(staff * (1 + growth / 2) ** (year - 2021)),
                        "rd_staff": int(staff * rng.uniform(0.05, 0.25)),
                        "invention_patents": rng.randint(0, 30),
                        "source": "statistics",
                    }
                )
            if rng.random() < 0.35:
                labels.append(
                    (uscc, LabelKind.HIGH_TECH, datetime.date(rng.choice([2019, 2021, 2022, 2023]), 12, 1), 3)
                )
            if rng.random() < 0.12:
                labels.append(
                    (uscc, LabelKind.SPECIALIZED_SME, datetime.date(rng.choice([2022, 2023, 2024]), 7, 1), 3)
                )
            if rng.random() < 0.03:
                labels.append(
                    (uscc, LabelKind.LITTLE_GIANT, datetime.date(rng.choice([2021, 2023, 2024]), 8, 1), 3)
                )
            if rng.random() < 0.2:
                labels.append(
                    (uscc, LabelKind.TECH_SME, datetime.date(rng.choice([2023, 2024, 2025]), 5, 1), 1)
                )
    return enterprises, figures, labels


def _run(spec, rows: list[dict], by) -> Outcome:
    state = spec.start(by, commit=True)
    outcome = Outcome()
    for start in range(0, len(rows), 1000):
        chunk = [
            Row(n, {k: v for k, v in r.items() if not k.startswith("_")})
            for n, r in enumerate(rows[start : start + 1000], start=start + 2)
        ]
        spec.check_chunk(chunk, state, by)
        bad = [(r.number, r.errors) for r in chunk if r.errors]
        if bad:
            raise ValueError(f"demo rows do not pass the import checks: {bad[:3]}")
        spec.write_chunk(chunk, state, by, outcome)
    spec.finish(state, by)
    return outcome


@demo.step(order=40)
def load_registry(ctx: demo.DemoContext) -> None:
    enterprises, figures, labels = generate(random.Random(2026))
    by = ctx.by
    done = _run(EnterpriseSpec(), enterprises, by)
    ctx.created += done.created
    ctx.updated += done.updated
    ids = dict(Enterprise.objects.filter(uscc__in=[e["uscc"] for e in enterprises]).values_list("uscc", "pk"))
    tags = {e["uscc"]: e["_tags"] for e in enterprises}
    through = Enterprise.emerging_industries.through
    if not through.objects.filter(enterprise_id__in=ids.values()).exists():
        codes = dict(EmergingIndustry.objects.values_list("code", "pk"))
        through.objects.bulk_create(
            [
                through(enterprise_id=ids[u], emergingindustry_id=codes[t])
                for u, ts in tags.items()
                for t in ts
            ]
        )
    done = _run(IndicatorSpec(), figures, by)
    ctx.created += done.created
    ctx.updated += done.updated
    have = set(Label.objects.filter(enterprise_id__in=ids.values()).values_list("enterprise__uscc", "kind"))
    new = [
        Label(
            enterprise_id=ids[uscc],
            kind=kind,
            certificate_no=f"{'GR' if kind == LabelKind.HIGH_TECH else 'ZJ'}{start.year}{ids[uscc]:06d}",
            valid_from=start,
            valid_to=datetime.date(start.year + years, start.month, start.day) - datetime.timedelta(days=1),
        )
        for uscc, kind, start, years in labels
        if (uscc, kind) not in have
    ]
    if new:
        Label.objects.bulk_create(new)
        bulk.log(
            Label,
            [
                (
                    label.pk,
                    str(label),
                    bulk.CREATE,
                    {"kind": (None, label.kind), "valid_from": (None, label.valid_from)},
                )
                for label in new
            ],
            by,
        )
        # Labels written in bulk: the figures that count them are recomputed for every area.
        services.figures_changed.send(Label, area_ids=None, years=None)
        ctx.created += len(new)
