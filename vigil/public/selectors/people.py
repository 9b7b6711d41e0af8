"""One person as a reader may see them: the profile page and the API's person record.

The values come from an allow-list (``PERSON_FIELDS``, and the fields of each fact the templates and API
schemas name) filtered by ``visible_values``: a field the reader may not read is left out, not blanked. A
person merged into another is a redirect to that person, never a page of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from vigil.accounts.actors import is_staff_member
from vigil.core.models import Verification
from vigil.core.visibility import may_see, visible_values
from vigil.custody.models import Case, Detention, Execution
from vigil.events.models import Casualty, Involvement
from vigil.people.models import NameVariant, Person
from vigil.public.selectors.facts import (
    CurrentSituation,
    Situation,
    current_situation,
    facts,
    person_cases,
    person_events,
    visible_execution,
    with_facts,
)
from vigil.search.selectors import public_people
from vigil.sources.models import Citation, Source

# What anyone may read of a public person. Religion, the exact birth date, family contacts and internal
# notes are never public: they can endanger the person or their family.
PERSON_FIELDS = ("gender", "ethnicity", "summary_en", "summary_fa", "photo", "verification")
# Staff (by API token) read these as well, each still subject to its own field level.
STAFF_PERSON_FIELDS = (*PERSON_FIELDS, "religion", "birth_on", "birth_precision", "notes", "family_contact")


def person_fields(viewer: Any) -> tuple[str, ...]:
    """The allow-list for ``viewer``: the public one for anonymous readers."""
    return STAFF_PERSON_FIELDS if viewer is not None and is_staff_member(viewer) else PERSON_FIELDS


@dataclass(frozen=True)
class Withheld:
    """The records cited only by sources the reader may not see (a family's testimony kept confidential):
    the page says their source is withheld rather than show them as if unsourced. ``record in withheld``
    asks of one record, as the templates do."""

    keys: frozenset[tuple[int, int]] = frozenset()

    def __contains__(self, record: object) -> bool:
        if not isinstance(record, models.Model):
            return False
        return (ContentType.objects.get_for_model(record).pk, record.pk) in self.keys


@dataclass(frozen=True)
class Sourcing:
    """What a reader may know of the sources of some records: the sources they may see, and the records
    that rest only on sources they may not."""

    sources: list[Source]
    withheld: Withheld


@dataclass(frozen=True)
class Moved:
    """The person was merged into another: readers are sent there."""

    to_id: int


@dataclass(frozen=True)
class Profile:
    person: Person
    values: dict[str, Any]
    names: list[NameVariant]
    age: int | None
    occupations: list[Any]
    situation: CurrentSituation
    detentions: list[Detention]
    casualties: list[Casualty]
    execution: Execution | None
    cases: list[Case]
    events: list[Involvement]
    sources: list[Source] = field(default_factory=list)
    withheld: Withheld = field(default_factory=Withheld)

    @property
    def pk(self) -> int:
        return int(self.person.pk)


def merged_target(person_id: int, viewer: Any) -> int | None:
    """Where a merged person now lives (following chains of merges), if the reader may see it."""
    seen: set[int] = set()
    person = Person.objects.filter(pk=person_id).only("pk", "merged_into", "confidentiality").first()
    while person is not None and person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = (
            Person.objects.filter(pk=person.merged_into_id)
            .only("pk", "merged_into", "confidentiality")
            .first()
        )
    if person is None or person.pk == person_id or not may_see(person, viewer):
        return None
    return int(person.pk)


def sourcing(viewer: Any, records: list[models.Model]) -> Sourcing:
    """The sources the reader may see that are cited for ``records`` (most recent first, each once), and
    which of ``records`` are cited only by sources the reader may not see. A retracted source is no
    source: a record cited by nothing else is neither sourced nor withheld."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for record in records:
        wanted[ContentType.objects.get_for_model(record).pk].add(int(record.pk))
    if not wanted:
        return Sourcing([], Withheld())
    condition = models.Q()
    for content_type, ids in wanted.items():
        condition |= models.Q(content_type_id=content_type, object_id__in=ids)
    cited = list(
        Citation.objects.filter(condition)
        .exclude(source__verification=Verification.RETRACTED)
        .values_list("content_type_id", "object_id", "source_id")
    )
    sources = list(
        facts(Source, viewer)
        .filter(pk__in={source for _, _, source in cited})
        .select_related("kind", "publisher")
        .order_by("-published_on", "id")
    )
    shown = {source.pk for source in sources}
    sourced = {(content_type, pk) for content_type, pk, source in cited if source in shown}
    withheld = {(content_type, pk) for content_type, pk, _ in cited} - sourced
    return Sourcing(sources, Withheld(frozenset(withheld)))


def person_profile(*, viewer: Any, person_id: int, today: dt.date | None = None) -> Profile | Moved | None:
    """The profile of a person for ``viewer``; ``Moved`` for a person merged into another; None when there
    is no such person the reader may see."""
    found = with_facts(public_people(viewer).filter(pk=person_id), viewer).first()
    if found is None:
        target = merged_target(person_id, viewer)
        return Moved(target) if target is not None else None
    today = today or timezone.localdate()
    situation = current_situation(found, today)
    # The age of someone killed or executed is their age then, not what it would be now.
    died = (
        situation.since.earliest
        if situation.code in (Situation.KILLED, Situation.EXECUTED) and situation.since
        else None
    )
    detentions: list[Detention] = list(getattr(found, "visible_detentions", []))
    casualties: list[Casualty] = list(getattr(found, "visible_casualties", []))
    execution = visible_execution(found)
    cases = list(person_cases(found, viewer))
    events = list(person_events(found, viewer))
    records: list[models.Model] = [found, *detentions, *casualties, *cases, *events]
    for detention in detentions:
        records += [*detention.transfers.all(), *detention.statuses.all()]
    for case in cases:
        records += [*case.stages.all(), *case.sentences.all()]
    if execution is not None:
        records.append(execution)
    sourced = sourcing(viewer, records)
    return Profile(
        person=found,
        values=visible_values(found, person_fields(viewer), viewer),
        names=list(found.names.all()),
        age=found.age_on(died or today),
        occupations=list(found.occupations.all()),
        situation=situation,
        detentions=detentions,
        casualties=casualties,
        execution=execution,
        cases=cases,
        events=events,
        sources=sourced.sources,
        withheld=sourced.withheld,
    )
