"""The nine areas of the Strategic Emerging Industries classification (2018), reference data."""

from django.db import migrations

AREAS = [
    ("1", "新一代信息技术产业", "New-generation information technology"),
    ("2", "高端装备制造产业", "High-end equipment manufacturing"),
    ("3", "新材料产业", "New materials"),
    ("4", "生物产业", "Biotechnology"),
    ("5", "新能源汽车产业", "New-energy vehicles"),
    ("6", "新能源产业", "New energy"),
    ("7", "节能环保产业", "Energy saving and environmental protection"),
    ("8", "数字创意产业", "Digital creative industries"),
    ("9", "相关服务业", "Related services"),
]


def load(apps, schema_editor):
    EmergingIndustry = apps.get_model("enterprises", "EmergingIndustry")
    for code, name, name_en in AREAS:
        EmergingIndustry.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


def unload(apps, schema_editor):
    apps.get_model("enterprises", "EmergingIndustry").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_registry")]
    operations = [migrations.RunPython(load, unload)]
