"""Funds' shares and stakes become fractions from 0 to 1 (the API's unit of every ratio), stored with four
decimals: the columns are renamed (`government_share_pct` to `government_share`, `stake_pct` to
`stake`), so that no reader takes a fraction for a percentage, and each stored value is divided by 100.

A value is converted between two widenings: the columns first hold four decimals and three whole digits
(100.0000 fits), then, once divided, one whole digit. Reversed, the values are multiplied back.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q

HUNDRED = Decimal(100)
COLUMNS = (("fund", "government_share"), ("investment", "stake"), ("exit", "stake"))


def _scale(apps, factor_up: bool) -> None:
    # In Python, row by row, not `F(field) / 100`: SQLite keeps 30.00 as the integer 30 and would divide
    # it as an integer (to 0). Funds, investments and exits are counted in hundreds at most.
    for model_name, field in COLUMNS:
        model = apps.get_model("innovation", model_name)
        rows = model.objects.filter(**{f"{field}__isnull": False}).values_list("pk", field)
        for pk, value in list(rows):
            value = Decimal(value) * HUNDRED if factor_up else Decimal(value) / HUNDRED
            model.objects.filter(pk=pk).update(**{field: value.quantize(Decimal("0.0001"))})


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


def _field(label: str, digits: int) -> models.DecimalField:
    return models.DecimalField(
        blank=True,
        null=True,
        max_digits=digits,
        decimal_places=4,
        verbose_name=label,
        help_text="A fraction: 0.35 is 35 %.",
    )


class Migration(migrations.Migration):
    dependencies = [("innovation", "0002_platforms_talents_funds")]

    operations = [
        migrations.RemoveConstraint(model_name="fund", name="innovation_fund_government_share_pct"),
        migrations.RemoveConstraint(model_name="investment", name="innovation_investment_stake_pct"),
        migrations.RenameField(model_name="fund", old_name="government_share_pct", new_name="government_share"),
        migrations.RenameField(model_name="investment", old_name="stake_pct", new_name="stake"),
        migrations.RenameField(model_name="exit", old_name="stake_pct", new_name="stake"),
        migrations.AlterField(model_name="fund", name="government_share", field=_field("government share", 7)),
        migrations.AlterField(model_name="investment", name="stake", field=_field("stake", 7)),
        migrations.AlterField(model_name="exit", name="stake", field=_field("stake sold", 7)),
        migrations.RunPython(to_fractions, to_percentages),
        migrations.AlterField(model_name="fund", name="government_share", field=_field("government share", 5)),
        migrations.AlterField(model_name="investment", name="stake", field=_field("stake", 5)),
        migrations.AlterField(model_name="exit", name="stake", field=_field("stake sold", 5)),
        migrations.AddConstraint(
            model_name="fund",
            constraint=models.CheckConstraint(
                condition=Q(government_share__isnull=True) | Q(government_share__gte=0, government_share__lte=1),
                name="innovation_fund_government_share",
            ),
        ),
        migrations.AddConstraint(
            model_name="investment",
            constraint=models.CheckConstraint(
                condition=Q(stake__isnull=True) | Q(stake__gt=0, stake__lte=1),
                name="innovation_investment_stake",
            ),
        ),
        migrations.AddConstraint(
            model_name="exit",
            constraint=models.CheckConstraint(
                condition=Q(stake__isnull=True) | Q(stake__gt=0, stake__lte=1),
                name="innovation_exit_stake",
            ),
        ),
    ]
