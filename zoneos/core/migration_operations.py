"""Migration operations for the large tables (appeals and their events, yearly figures, the audit log):
adding or removing an index without stopping the writes to the table. The convention, with an example
migration, is in docs/migrations.md.

`AddIndexConcurrently` is Django's operation of that name (`django.contrib.postgres.operations`): on
PostgreSQL it runs CREATE INDEX CONCURRENTLY, which lets inserts and updates go on while the index is
built (a plain CREATE INDEX blocks them until it is done: minutes on a table of millions of rows). It
must run outside a transaction, so its migration has `atomic = False`. Django's own operation fails on
SQLite (the schema editor there takes no `concurrently`), and development and most tests run on SQLite,
so this one builds a plain index on any other database. `RemoveIndexConcurrently` is the same for
DROP INDEX CONCURRENTLY.
"""

from django.contrib.postgres import operations as postgres
from django.db.migrations import AddIndex, RemoveIndex


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, a plain CREATE INDEX elsewhere; see the module's text."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexConcurrently(postgres.RemoveIndexConcurrently):
    """DROP INDEX CONCURRENTLY on PostgreSQL, a plain DROP INDEX elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
