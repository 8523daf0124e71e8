"""The status thresholds every zone starts with: yellow from 10 percentage points behind time progress
(completion rate minus the elapsed share of the year), red beyond 30; a zone's own rules are added as
rows with their date."""

import datetime
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("supervision", "StatusRule").objects.get_or_create(
        effective_from=datetime.date(2000, 1, 1),
        defaults={"yellow_at": Decimal(-10), "red_below": Decimal(-30), "source": "ZoneOS default"},
    )


def unload(apps, schema_editor):
    apps.get_model("supervision", "StatusRule").objects.filter(effective_from=datetime.date(2000, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
