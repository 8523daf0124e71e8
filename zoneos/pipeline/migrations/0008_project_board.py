# The board reads a park's newest projects of a stage off one index; it replaces (area, stage), its
# prefix. Built and dropped concurrently (docs/migrations.md).

from django.db import migrations, models

from zoneos.core.migration_operations import AddIndexConcurrently, RemoveIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE / DROP INDEX CONCURRENTLY run outside a transaction

    dependencies = [
        ("pipeline", "0007_capital_joint_venture"),
    ]

    operations = [
        AddIndexConcurrently(
            "project",
            models.Index(fields=["area", "stage", "lead_on", "id"], name="project_board"),
        ),
        RemoveIndexConcurrently("project", "project_area_stage"),
    ]
