"""The shipped deadline policy (the platform's default, no area): sign for within 4 working hours;
reply within 3 working days for a consultation and 5 for every other category."""

import datetime
from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    "consultation", "help", "complaint", "suggestion", "policy", "land",
    "finance", "talent", "approval", "utilities", "other",
]


def add_default(apps, schema_editor):
    SlaPolicy = apps.get_model("appeals", "SlaPolicy")
    SlaRule = apps.get_model("appeals", "SlaRule")
    policy = SlaPolicy.objects.create(name="默认时限", valid_from=datetime.date(2000, 1, 1))
    SlaRule.objects.bulk_create(
        SlaRule(
            policy=policy,
            category=category,
            sign_for_hours=Decimal("4.0"),
            reply_days=3 if category == "consultation" else 5,
        )
        for category in CATEGORIES
    )


def remove_default(apps, schema_editor):
    apps.get_model("appeals", "SlaPolicy").objects.filter(area__isnull=True, valid_from=datetime.date(2000, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(add_default, remove_default)]
