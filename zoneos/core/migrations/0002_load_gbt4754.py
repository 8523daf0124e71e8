"""Load the GB/T 4754-2017 industry classification (every section, division, group and class)."""

import csv
from pathlib import Path

from django.db import migrations

EDITION = "GB/T 4754-2017"
DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754-2017.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("core", "Industry")
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    section_of = {}
    for row in rows:  # parents come before children in the file
        section_of[row["code"]] = row["code"] if row["level"] == "section" else section_of[row["parent"]]
    Industry.objects.bulk_create(
        Industry(
            edition=EDITION,
            code=row["code"],
            level=row["level"],
            parent_code=row["parent"],
            section=section_of[row["code"]],
            name=row["name_zh"],
            name_en=row["name_en"],
        )
        for row in rows
    )


def unload(apps, schema_editor):
    apps.get_model("core", "Industry").objects.filter(edition=EDITION).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_industry")]
    operations = [migrations.RunPython(load, unload)]
