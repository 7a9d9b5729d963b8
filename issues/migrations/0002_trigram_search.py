"""Trigram indexes for Thai substring search on PostgreSQL.

Thai has no spaces between words, so full-text search cannot split it; the
issue list searches substrings with ``icontains`` (``UPPER(col) LIKE UPPER(…)``),
which a GIN trigram index on ``UPPER(col)`` serves. SQLite has no such index and
scans, which is fine at its scale. Creating the extension needs a role allowed
to (the database owner on PostgreSQL 13+ for pg_trgm, a trusted extension)."""

from django.db import migrations

COLUMNS = ("title", "description", "location_text")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS issue_{column}_trgm "
            f"ON issues_issue USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS issue_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
