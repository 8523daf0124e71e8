from django.db import migrations, models

from zoneos.core.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    """The red and yellow lists of a month, most behind first: a partial index on the month rows (a
    million rows and more in a province), built without blocking the writers (docs/migrations.md)."""

    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("supervision", "0004_area_months")]

    operations = [
        AddIndexConcurrently(
            "monthfigure",
            models.Index(
                condition=models.Q(("status__in", ["red", "yellow"])),
                fields=["year", "month", "status", "gap_pp", "key_project"],
                name="month_figure_warned",
            ),
        ),
    ]
