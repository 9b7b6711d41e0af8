"""Finding people already recorded whom imported rows may describe again.

Two finders: the identity-resolution selector of ``vigil.matching`` (across scripts and spellings) when that
app is installed, else an exact lookup of the folded name (``NameVariant.match_key``). The setting
``VIGIL_IMPORT_DUPLICATE_FINDER`` ("auto", "matching" or "match_key") switches between them. Both answer for
many rows at once (a chunk of an import) with a few queries in all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings

from vigil.core.text import fold_name
from vigil.matching.selectors import MatchQuery
from vigil.people.models import NameVariant

CANDIDATE_LIMIT = 10

Finder = Callable[[Sequence[MatchQuery], Any], list[list[int]]]


def by_match_key(queries: Sequence[MatchQuery], viewer: Any = None) -> list[list[int]]:
    """For each query, people with a name whose folded form equals one of its names' (not merged-away
    records)."""
    keys = [{key for key in (fold_name(name)[:200] for name in query.names) if key} for query in queries]
    people: dict[str, set[int]] = defaultdict(set)
    wanted = set().union(*keys) if keys else set()
    if wanted:
        for key, person_id in NameVariant.objects.filter(
            match_key__in=wanted, person__merged_into__isnull=True
        ).values_list("match_key", "person_id"):
            people[key].add(person_id)
    found = []
    for query, query_keys in zip(queries, keys, strict=True):
        ids = {pk for key in query_keys for pk in people[key]} - query.exclude
        found.append(sorted(ids)[:CANDIDATE_LIMIT])
    return found


def by_matching(queries: Sequence[MatchQuery], viewer: Any = None) -> list[list[int]]:
    """The ``vigil.matching`` selector's candidates that reach its match threshold, as person ids (its
    weaker candidates are for a reviewer's search, not for flagging every imported row). A row with no
    name the matcher can compare has nothing to flag."""
    from vigil.matching.selectors import match_candidates_many
    from vigil.matching.weights import MATCH_THRESHOLD

    answers = match_candidates_many(queries, viewer=viewer, limit=CANDIDATE_LIMIT)
    return [
        [int(candidate.person.pk) for candidate in candidates if candidate.probability >= MATCH_THRESHOLD]
        for candidates in answers
    ]


def duplicate_finder() -> Finder:
    """The finder chosen by the setting; "auto" prefers ``vigil.matching`` when it is installed."""
    choice = getattr(settings, "VIGIL_IMPORT_DUPLICATE_FINDER", "auto")
    if choice == "matching" or (choice == "auto" and apps.is_installed("vigil.matching")):
        return by_matching
    return by_match_key
