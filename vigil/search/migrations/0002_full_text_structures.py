"""The full-text structures over ``search_searchentry``, one kind per database.

SQLite: two FTS5 tables with the entry table as external content, kept in step by triggers — ``search_fts``
(unicode61 words; the text is folded in Python first) and ``search_trigram`` (for typos).
PostgreSQL: the ``pg_trgm`` extension, a GIN index on the ``simple`` full-text document of each row and
trigram GIN indexes on the folded words and the skeletons.
"""

from django.db import migrations

_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, skeleton, content='search_searchentry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_trigram USING fts5(folded, skeleton, content='search_searchentry', "
    "content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, folded, skeleton) VALUES (new.id, new.folded, new.skeleton);
        INSERT INTO search_trigram(rowid, folded, skeleton) VALUES (new.id, new.folded, new.skeleton);
    END""",
    """CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded, skeleton) VALUES ('delete', old.id, old.folded, old.skeleton);
        INSERT INTO search_trigram(search_trigram, rowid, folded, skeleton) VALUES ('delete', old.id, old.folded, old.skeleton);
    END""",
    """CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded, skeleton) VALUES ('delete', old.id, old.folded, old.skeleton);
        INSERT INTO search_trigram(search_trigram, rowid, folded, skeleton) VALUES ('delete', old.id, old.folded, old.skeleton);
        INSERT INTO search_fts(rowid, folded, skeleton) VALUES (new.id, new.folded, new.skeleton);
        INSERT INTO search_trigram(rowid, folded, skeleton) VALUES (new.id, new.folded, new.skeleton);
    END""",
    # Rows indexed before this migration (none on a new database; any on an upgraded one).
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_trigram(search_trigram) VALUES ('rebuild')",
]
_SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_trigram",
]
_POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_entry_document ON search_searchentry "
    "USING gin (to_tsvector('simple', folded || ' ' || skeleton))",
    "CREATE INDEX search_entry_folded_trgm ON search_searchentry USING gin (folded gin_trgm_ops)",
    "CREATE INDEX search_entry_skeleton_trgm ON search_searchentry USING gin (skeleton gin_trgm_ops)",
]
_POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP INDEX IF EXISTS search_entry_folded_trgm",
    "DROP INDEX IF EXISTS search_entry_skeleton_trgm",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRES}),
            _run({"sqlite": _SQLITE_REVERSE, "postgresql": _POSTGRES_REVERSE}),
        ),
    ]
