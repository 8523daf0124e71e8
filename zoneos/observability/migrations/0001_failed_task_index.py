"""An index for `/metrics`' count of failed tasks: django_tasks_db indexes only ready tasks, and the
results table keeps every finished task until pruned. Partial, so it holds the failed rows only (both
PostgreSQL and SQLite have partial indexes)."""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX zoneos_task_failed ON {TABLE} (finished_at) WHERE status = 'FAILED'",
            "DROP INDEX zoneos_task_failed",
        )
    ]
