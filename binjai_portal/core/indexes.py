"""Migration operations for indexes on big tables.

`AddIndexConcurrently` builds the index with CREATE INDEX CONCURRENTLY on PostgreSQL, so
a deployment does not lock a table of a million complaints against writes while it is
indexed (the migration must say `atomic = False`); on SQLite (`make run`), which has no
such statement and no concurrent writers, it is a plain AddIndex.
"""

from __future__ import annotations

from django.contrib.postgres import operations as postgres
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
