"""Finding people already recorded whom an imported row may describe again.

Two finders: the identity-resolution selector of ``vigil.matching`` (across scripts and spellings) when that
app is installed, else an exact lookup of the folded name (``NameVariant.match_key``). The setting
``VIGIL_IMPORT_DUPLICATE_FINDER`` ("auto", "matching" or "match_key") switches between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from vigil.core.text import fold_name
from vigil.people.models import NameVariant, Person
from vigil.places.models import Place

CANDIDATE_LIMIT = 10

Finder = Callable[..., list[int]]


def by_match_key(
    *,
    names: Sequence[str],
    reported_age: int | None = None,
    gender: str | None = None,
    place: Place | None = None,
    viewer: Any = None,
) -> list[int]:
    """People with a name whose folded form equals one of ``names``' (not merged-away records)."""
    keys = {key for key in (fold_name(name)[:200] for name in names) if key}
    if not keys:
        return []
    found = (
        NameVariant.objects.filter(match_key__in=keys, person__merged_into__isnull=True)
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("person_id")[:CANDIDATE_LIMIT]
    )
    return list(found)


def by_matching(
    *,
    names: Sequence[str],
    reported_age: int | None = None,
    gender: str | None = None,
    place: Place | None = None,
    viewer: Any = None,
) -> list[int]:
    """The ``vigil.matching`` selector's candidates that reach its match threshold, as person ids (its
    weaker candidates are for a reviewer's search, not for flagging every imported row)."""
    from vigil.matching.selectors import match_candidates_for
    from vigil.matching.weights import MATCH_THRESHOLD

    try:
        candidates = match_candidates_for(
            names=list(names),
            reported_age=reported_age,
            gender=gender,
            place=place,
            viewer=viewer,
            limit=CANDIDATE_LIMIT,
        )
    except ValidationError:
        return []  # no name it can compare: nothing to flag
    return [
        _person_id(candidate)
        for candidate in candidates
        if getattr(candidate, "probability", 1.0) >= MATCH_THRESHOLD
    ]


def _person_id(candidate: Any) -> int:
    if isinstance(candidate, Person):
        return int(candidate.pk)
    person = getattr(candidate, "person", None)
    if person is not None:
        return int(person.pk)
    return int(candidate.person_id)


def duplicate_finder() -> Finder:
    """The finder chosen by the setting; "auto" prefers ``vigil.matching`` when it is installed."""
    choice = getattr(settings, "VIGIL_IMPORT_DUPLICATE_FINDER", "auto")
    if choice == "matching" or (choice == "auto" and apps.is_installed("vigil.matching")):
        return by_matching
    return by_match_key
