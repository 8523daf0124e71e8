"""The dated thresholds the built-in rule library shares (reference data, like the industry codes)."""

import datetime
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from zoneos.policies.library import PARAMETERS

    Parameter = apps.get_model("policies", "Parameter")
    for row in PARAMETERS:
        Parameter.objects.update_or_create(
            code=row["code"],
            valid_from=datetime.date.fromisoformat(row["valid_from"]),
            defaults={"value": Decimal(row["value"]), "source": row["source"], "note": row["note"][:300]},
        )


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
