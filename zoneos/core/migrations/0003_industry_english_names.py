"""English names for the GB/T 4754-2017 groups and classes (the sections and divisions had them), read
from the shipped data file, so the English UI no longer shows them in Chinese. Their provenance is
in data/gbt4754-2017-name-en-provenance.csv."""

import csv
from pathlib import Path

from django.db import migrations

EDITION = "GB/T 4754-2017"
DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754-2017.csv"


def names(apps, schema_editor):
    Industry = apps.get_model("core", "Industry")
    with DATA.open(encoding="utf-8", newline="") as handle:
        english = {row["code"]: row["name_en"] for row in csv.DictReader(handle)}
    missing = list(Industry.objects.filter(edition=EDITION, name_en=""))
    for industry in missing:
        industry.name_en = english.get(industry.code, "")
    Industry.objects.bulk_update(missing, ["name_en"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_gbt4754")]
    operations = [migrations.RunPython(names, migrations.RunPython.noop)]
