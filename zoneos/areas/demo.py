"""The demo zone's areas: a Guangdong region with zones modelled on the field, and their departments."""

from __future__ import annotations

from zoneos.core import demo

from . import services
from .models import Area, Department

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


@demo.step(order=10)
def load_areas(ctx: demo.DemoContext) -> None:
    for code, name, name_en, kind, parent_code in AREAS:
        values = {"name": name, "name_en": name_en, "kind": kind, "parent": ctx.areas.get(parent_code)}
        area = Area.objects.filter(code=code).first()
        if area is None:
            area = services.create_area(by=ctx.by, code=code, **values)
            ctx.created += 1
        elif changes := demo.differs(area, values):
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
            elif changes := demo.differs(department, {"name_en": name_en}):
                department = services.update_department(department, by=ctx.by, **changes)
                ctx.updated += 1
            ctx.departments[(code, name)] = department
