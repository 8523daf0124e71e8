"""A programme's `pi_share` and `indirect_cap` are declared `FractionField`s: they were fractions from 0 to
1 already (0.1000 is 10 %), so no value changes and the column stays the same (five digits, four
decimals); only the field's class changes, which tells the form to take per cent and the pages and the
history to show "10 %". Hence state only: SQLite would otherwise copy the whole table to alter nothing."""

from decimal import Decimal

from django.db import migrations

import zoneos.core.models


STATE = [
    migrations.AlterField(
        model_name="programme",
        name="pi_share",
        field=zoneos.core.models.FractionField(
            decimal_places=4,
            default=Decimal("0.1000"),
            help_text="Of the project's total budget, over all its adjustments; beyond it an admin approves.",
            max_digits=5,
            verbose_name="share a PI may move alone",
        ),
    ),
    migrations.AlterField(
        model_name="programme",
        name="indirect_cap",
        field=zoneos.core.models.FractionField(
            decimal_places=4,
            default=Decimal("0.2000"),
            help_text="Of the total budget.",
            max_digits=5,
            verbose_name="indirect cost cap",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE)]
