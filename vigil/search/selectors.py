"""Searching people and events by name, in either script, with typos, ranked.

Candidates come from the database's full-text index (``backends``); the reader's view comes from
``vigil.core.visibility`` (a hidden record is never a candidate); ranking is done here, the same on SQLite
and PostgreSQL:

- a query word equal to a word of a name scores 1; a prefix of one (typing), or the same skeleton in the
  other script ("Mohamadi" for "محمدی"), 0.9; otherwise the letter-for-letter similarity, a little less;
- a name scores the mean over the query words, with a small bonus for covering the whole name;
- a record scores its best name. Below ``MIN_SCORE`` it is not a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from rapidfuzz.fuzz import ratio

from vigil.core.models import Verification
from vigil.core.visibility import visible
from vigil.events.models import Event
from vigil.people.models import Person
from vigil.search.backends import exact_candidates, fuzzy_candidates
from vigil.search.keys import NameKeys, entry_names, query_keys
from vigil.search.models import SearchEntry

MIN_SCORE = 0.6
# Past this many exact candidates the typo search adds nothing a reader would scroll to.
FUZZY_WHEN_FEWER = 20
CANDIDATE_LIMIT = 2000
_PREFIX_MIN = 3
_EXACT, _CLOSE = 1.0, 0.9
_WORD_SIMILARITY, _SKELETON_SIMILARITY = 0.85, 0.8
_COVERAGE_BONUS = 0.05


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: int
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]


def public_people(viewer: Any) -> QuerySet[Person]:
    """The people ``viewer`` may find: visible, not merged into another, not retracted."""
    return visible(
        Person.objects.filter(merged_into__isnull=True).exclude(verification=Verification.RETRACTED), viewer
    )


def public_events(viewer: Any) -> QuerySet[Event]:
    return visible(Event.objects.exclude(verification=Verification.RETRACTED), viewer)


def _word_score(word: str, skeleton: str, name: NameKeys) -> float:
    best = 0.0
    for other, other_skeleton in zip(name.words, name.skeletons, strict=False):
        if other == word:
            return _EXACT
        prefix = len(word) >= _PREFIX_MIN and other.startswith(word)
        if prefix or (len(skeleton) >= 2 and other_skeleton == skeleton):
            best = max(best, _CLOSE)
        else:
            best = max(best, ratio(word, other) / 100 * _WORD_SIMILARITY)
            if len(skeleton) >= _PREFIX_MIN:
                best = max(best, ratio(skeleton, other_skeleton) / 100 * _SKELETON_SIMILARITY)
    return best


def name_score(query: NameKeys, name: NameKeys) -> float:
    """How well ``query`` matches one name, from 0 to about 1."""
    if not query.words or not name.words:
        return 0.0
    scores = [_word_score(w, s, name) for w, s in zip(query.words, query.skeletons, strict=True)]
    coverage = min(len(query.words), len(name.words)) / len(name.words)
    return sum(scores) / len(scores) + _COVERAGE_BONUS * coverage


def _entries(viewer: Any, kind: str | None) -> QuerySet[SearchEntry]:
    people = Q(person__in=public_people(viewer))
    events = Q(event__in=public_events(viewer))
    wanted = (
        people
        if kind == SearchEntry.Kind.PERSON
        else events
        if kind == SearchEntry.Kind.EVENT
        else people | events
    )
    return SearchEntry.objects.filter(wanted)


def _scored(
    query: NameKeys, rows: list[tuple[int, str, int | None, int | None, str, str]]
) -> list[SearchHit]:
    hits = []
    for _pk, kind, person_id, event_id, folded, skeleton in rows:
        score = max((name_score(query, name) for name in entry_names(folded, skeleton)), default=0.0)
        if score >= MIN_SCORE:
            hits.append(SearchHit(kind, int(person_id or event_id or 0), round(score, 4)))
    return hits


def search_records(
    *, viewer: Any, query: str, kind: str | None = None, offset: int = 0, limit: int = 20
) -> SearchResults:
    """Records whose names match ``query`` (any script, typos allowed), best first, that ``viewer`` may see.
    ``kind`` limits the search to people or events."""
    keys = query_keys(query)
    if not keys.words:
        return SearchResults(query, 0, [])
    entries = _entries(viewer, kind)
    columns = ("pk", "kind", "person_id", "event_id", "folded", "skeleton")
    rows = list(entries.filter(pk__in=exact_candidates(keys)).values_list(*columns)[:CANDIDATE_LIMIT])
    if len(rows) < FUZZY_WHEN_FEWER and (fuzzy := fuzzy_candidates(keys)) is not None:
        seen = {row[0] for row in rows}
        rows += [row for row in entries.filter(pk__in=fuzzy).values_list(*columns) if row[0] not in seen]
    hits = _scored(keys, rows)
    hits.sort(key=lambda hit: (-hit.score, hit.kind != SearchEntry.Kind.PERSON, -hit.record_id))
    return SearchResults(query, len(hits), hits[offset : offset + limit])


def search_person_ids(*, viewer: Any, query: str) -> list[int]:
    """The ids of the people matching ``query``, best first (for the directory, which filters further)."""
    results = search_records(viewer=viewer, query=query, kind=SearchEntry.Kind.PERSON, limit=CANDIDATE_LIMIT)
    return [hit.record_id for hit in results.hits]
