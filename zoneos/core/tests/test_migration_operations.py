"""`AddIndexConcurrently` and `RemoveIndexConcurrently` as migrations on a large table use them
(docs/migrations.md): CONCURRENTLY on PostgreSQL, plainly on SQLite, both ways."""

import pytest
from django.db import NotSupportedError, connection, migrations, models, transaction
from django.db.migrations.loader import MigrationLoader

from zoneos.core.migration_operations import AddIndexConcurrently, RemoveIndexConcurrently

# Outside the test's transaction, as `migrate` runs a non-atomic migration.
pytestmark = pytest.mark.django_db(transaction=True)

NAME = "calendarday_name_test"


def migration() -> migrations.Migration:
    made = migrations.Migration("9998_add_index_concurrently", "workdays")
    made.atomic = False
    made.operations = [AddIndexConcurrently("calendarday", models.Index(fields=["name"], name=NAME))]
    return made


def removal() -> migrations.Migration:
    made = migrations.Migration("9999_remove_index_concurrently", "workdays")
    made.atomic = False
    made.operations = [RemoveIndexConcurrently("calendarday", NAME)]
    return made


def indexes() -> dict:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "workdays_calendarday")
    return {name: c for name, c in found.items() if c["index"]}


def valid() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass", [NAME])
        return cursor.fetchone() == (True,)


def run(step, state):
    with connection.schema_editor(atomic=False) as editor:
        return step(state, editor)


def test_the_index_is_built_removed_and_restored_both_ways():
    start = MigrationLoader(connection).project_state()
    added = run(migration().apply, start.clone())
    assert indexes()[NAME]["columns"] == ["name"] and valid()
    run(removal().apply, added.clone())
    assert NAME not in indexes()
    # As `migrate` does, a migration is unapplied from the state it was applied to.
    run(removal().unapply, added.clone())
    assert indexes()[NAME]["columns"] == ["name"] and valid()
    run(migration().unapply, start.clone())
    assert NAME not in indexes()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="CONCURRENTLY is PostgreSQL's")
def test_on_postgresql_a_migration_that_forgot_atomic_false_is_stopped():
    state = MigrationLoader(connection).project_state()
    with (
        pytest.raises(NotSupportedError, match="atomic = False"),
        transaction.atomic(),
        connection.schema_editor(atomic=True) as editor,
    ):
        migration().apply(state.clone(), editor)
    assert NAME not in indexes()
