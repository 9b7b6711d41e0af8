"""The database-specific half of search: which index rows may match a query.

Both backends return candidates only; ``selectors`` ranks them the same way on both, so a search reads the
same on a laptop (SQLite) and a team server (PostgreSQL).

- SQLite: the FTS5 table ``search_fts`` (words and skeletons, prefix queries) and, for typos, the
  trigram FTS5 table ``search_trigram``.
- PostgreSQL: full-text search with the ``simple`` configuration over the folded words and skeletons, and
  ``pg_trgm`` word similarity for typos.

Query words are ``fold_name`` output, letters and digits only, so quoting them cannot break out of the
query syntax of either database.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from vigil.search.keys import NameKeys

# A prefix shorter than this would match half the index.
MIN_PREFIX = 2
MIN_SKELETON_PREFIX = 3
# Typo candidates: the best-ranked this many rows by shared trigrams.
FUZZY_CANDIDATES = 300
TRIGRAM = 3


def _trigrams(text: str) -> set[str]:
    return {text[i : i + TRIGRAM] for i in range(len(text) - TRIGRAM + 1)}


def _sqlite_term(column: str, word: str, min_prefix: int) -> str:
    star = "*" if len(word) >= min_prefix else ""
    return f'{column}:"{word}"{star}'


def _sqlite_exact(keys: NameKeys) -> RawSQL:
    clauses = [
        f"({_sqlite_term('folded', word, MIN_PREFIX)} OR {_sqlite_term('skeleton', skeleton, MIN_SKELETON_PREFIX)})"
        for word, skeleton in zip(keys.words, keys.skeletons, strict=True)
    ]
    return RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (" AND ".join(clauses),))


def _sqlite_fuzzy(keys: NameKeys) -> RawSQL | None:
    grams: set[str] = set()
    for word, skeleton in zip(keys.words, keys.skeletons, strict=True):
        grams |= _trigrams(word) | _trigrams(skeleton)
    if not grams:
        return None
    expression = " OR ".join(f'"{gram}"' for gram in sorted(grams))
    return RawSQL(
        "SELECT rowid FROM search_trigram WHERE search_trigram MATCH %s ORDER BY rank LIMIT %s",
        (expression, FUZZY_CANDIDATES),
    )


# The full-text document of a row; the migration indexes exactly this expression.
PG_DOCUMENT = "to_tsvector('simple', folded || ' ' || skeleton)"


def _pg_term(word: str, min_prefix: int) -> str:
    return f"'{word}'" + (":*" if len(word) >= min_prefix else "")


def _postgres_exact(keys: NameKeys) -> RawSQL:
    query = " & ".join(
        f"({_pg_term(word, MIN_PREFIX)} | {_pg_term(skeleton, MIN_SKELETON_PREFIX)})"
        for word, skeleton in zip(keys.words, keys.skeletons, strict=True)
    )
    # PG_DOCUMENT is a constant; the query travels as a parameter.
    return RawSQL(  # noqa: S611
        f"SELECT id FROM search_searchentry WHERE {PG_DOCUMENT} @@ to_tsquery('simple', %s)",  # noqa: S608
        (query,),
    )


def _postgres_fuzzy(keys: NameKeys) -> RawSQL | None:
    words, skeletons = " ".join(keys.words), " ".join(keys.skeletons)
    if len(words) < TRIGRAM:
        return None
    # ``<%``: the query is similar to some run of words in the row (pg_trgm's word similarity).
    return RawSQL(
        "SELECT id FROM search_searchentry WHERE %s <%% folded OR %s <%% skeleton "
        "ORDER BY greatest(word_similarity(%s, folded), word_similarity(%s, skeleton)) DESC LIMIT %s",
        (words, skeletons, words, skeletons, FUZZY_CANDIDATES),
    )


def exact_candidates(keys: NameKeys) -> RawSQL:
    """SQL selecting the ids of index rows where every query word is a word (or a word's prefix) of the
    row, in either form: as folded, or as a cross-script skeleton."""
    if connection.vendor == "postgresql":
        return _postgres_exact(keys)
    return _sqlite_exact(keys)


def fuzzy_candidates(keys: NameKeys) -> RawSQL | None:
    """SQL selecting the ids of the rows most like the query letter for letter (typos), or None when the
    query is too short to compare that way."""
    if connection.vendor == "postgresql":
        return _postgres_fuzzy(keys)
    return _sqlite_fuzzy(keys)
