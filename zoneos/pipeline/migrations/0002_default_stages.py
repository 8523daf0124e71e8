"""The default stage names every zone starts with (a zone may rename a category with its own row)."""

from django.db import migrations

DEFAULTS = [
    ("lead", "线索", "Lead"),
    ("negotiating", "在谈", "Negotiating"),
    ("signed", "已签约", "Signed"),
    ("registered", "已注册", "Registered"),
    ("land_secured", "已拿地", "Land secured"),
    ("under_construction", "在建", "Under construction"),
    ("completed", "已竣工", "Completed"),
    ("in_production", "已投产", "In production"),
    ("at_capacity", "已达产", "At full capacity"),
    ("on_hold", "暂缓", "On hold"),
    ("dropped", "已终止", "Dropped"),
]


def load(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    for category, name, name_en in DEFAULTS:
        Stage.objects.update_or_create(zone=None, category=category, defaults={"name": name, "name_en": name_en})


def unload(apps, schema_editor):
    apps.get_model("pipeline", "Stage").objects.filter(zone__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
