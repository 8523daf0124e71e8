"""A platform's yearly occupancy becomes a fraction from 0 to 1 (the API's unit of every ratio), as the
funds' shares did in 0003: the column is renamed (`occupancy_pct` to `occupancy`), so that no reader takes
a fraction for a percentage, and each stored value is divided by 100, between two widenings (four decimals
and three whole digits while 100.0000 is still possible, then one whole digit). Reversed, the values are
multiplied back.

The funds' shares and stakes are declared `FractionField`s (the same column: only the field's class, which
tells pages and history to show them in per cent, changes).
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q

import zoneos.core.models

HUNDRED = Decimal(100)
HELP = "A fraction: 0.85 is 85 %."


def _scale(apps, factor_up: bool) -> None:
    # In Python, row by row, not `F("occupancy") / 100`: SQLite keeps 30.00 as the integer 30 and would
    # divide it as an integer (to 0). Platforms' years are counted in hundreds at most.
    model = apps.get_model("innovation", "PlatformYear")
    rows = model.objects.filter(occupancy__isnull=False).values_list("pk", "occupancy")
    for pk, value in list(rows):
        value = Decimal(value) * HUNDRED if factor_up else Decimal(value) / HUNDRED
        model.objects.filter(pk=pk).update(occupancy=value.quantize(Decimal("0.0001")))


def _checked_now(schema_editor) -> None:
    # PostgreSQL keeps the foreign-key checks of the updated rows to the end of the transaction, and
    # refuses to alter a table with checks pending ("pending trigger events"): the next operation
    # alters these tables, so the checks are run here.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def to_fractions(apps, schema_editor):
    _scale(apps, factor_up=False)
    _checked_now(schema_editor)


def to_percentages(apps, schema_editor):
    _scale(apps, factor_up=True)
    _checked_now(schema_editor)


def _occupancy(digits: int) -> models.DecimalField:
    return zoneos.core.models.FractionField(
        blank=True, null=True, max_digits=digits, decimal_places=4, verbose_name="occupancy", help_text=HELP
    )


def _share(label: str) -> models.DecimalField:
    return zoneos.core.models.FractionField(
        blank=True,
        null=True,
        max_digits=5,
        decimal_places=4,
        verbose_name=label,
        help_text="A fraction: 0.35 is 35 %.",
    )


class Migration(migrations.Migration):
    dependencies = [("innovation", "0003_shares_as_fractions")]

    operations = [
        migrations.RemoveConstraint(model_name="platformyear", name="innovation_platform_occupancy_pct"),
        migrations.RenameField(model_name="platformyear", old_name="occupancy_pct", new_name="occupancy"),
        migrations.AlterField(model_name="platformyear", name="occupancy", field=_occupancy(7)),
        migrations.RunPython(to_fractions, to_percentages),
        migrations.AlterField(model_name="platformyear", name="occupancy", field=_occupancy(5)),
        migrations.AddConstraint(
            model_name="platformyear",
            constraint=models.CheckConstraint(
                condition=Q(occupancy__isnull=True) | Q(occupancy__gte=0, occupancy__lte=1),
                name="innovation_platform_occupancy",
            ),
        ),
        migrations.AlterField(model_name="fund", name="government_share", field=_share("government share")),
        migrations.AlterField(model_name="investment", name="stake", field=_share("stake")),
        migrations.AlterField(model_name="exit", name="stake", field=_share("stake sold")),
    ]
