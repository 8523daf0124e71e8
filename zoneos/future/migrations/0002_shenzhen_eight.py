"""The shared list of future industries, seeded with Shenzhen's eight (深圳八大未来产业, 《深圳市培育发展
未来产业行动计划（2022-2025年）》): reference data, so a freshly migrated database can start boards."""

from django.db import migrations

# code, name, English name, GB/T 4754 codes, keywords (matched against names and business scopes)
EIGHT = [
    ("synbio", "合成生物", "Synthetic biology", ["276"], ["合成生物", "生物制造", "生物科技"]),
    ("blockchain", "区块链", "Blockchain", [], ["区块链", "分布式账本"]),
    ("cell-gene", "细胞与基因", "Cells and genes", ["2762"], ["细胞", "基因"]),
    ("aerospace", "空天技术", "Aerospace technology", ["374"], ["航天", "卫星", "无人机"]),
    ("brain", "脑科学与脑机工程", "Brain science and brain-computer engineering", [], ["脑科学", "脑机", "神经"]),
    ("deep-earth-sea", "深地深海", "Deep earth and deep sea", [], ["深海", "深地", "海洋装备"]),
    (
        "optical",
        "可见光通信与光计算",
        "Visible light communication and optical computing",
        [],
        ["可见光通信", "光计算", "光通信"],
    ),
    ("quantum", "量子信息", "Quantum information", [], ["量子"]),
]


def seed(apps, schema_editor):
    FutureIndustry = apps.get_model("future", "FutureIndustry")  # noqa: N806
    for position, (code, name, name_en, codes, words) in enumerate(EIGHT, start=1):
        FutureIndustry.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "industry_codes": codes,
                "keywords": words,
                "position": position * 10,
                "description": "深圳八大未来产业",
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("future", "FutureIndustry").objects.filter(
        code__in=[row[0] for row in EIGHT], area__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("future", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
