"""Events as a reader may see them: the list, and one event with the people in it and its sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from vigil.core.models import Vocabulary
from vigil.custody.models import Detention
from vigil.events.models import Casualty, Event, Involvement
from vigil.public.selectors.facts import facts
from vigil.public.selectors.people import sourcing
from vigil.search.selectors import public_events, public_people
from vigil.sources.models import Source


def events_listed(*, viewer: Any, kind: str = "") -> QuerySet[Event]:
    """Events the reader may see, most recent first; ``kind`` is an event-kind code."""
    events = public_events(viewer).select_related("kind", "place", "facility", "university")
    if kind:
        events = events.filter(kind__vocabulary=Vocabulary.EVENT_KIND, kind__code=kind)
    return events.order_by("-started_on", "-id")


@dataclass(frozen=True)
class EventPage:
    event: Event
    part_of: Event | None
    parts: list[Event]
    involvements: list[Involvement]
    casualties: list[Casualty]
    detentions: list[Detention]
    sources: list[Source]

    @property
    def pk(self) -> int:
        return int(self.event.pk)


def event_page(*, viewer: Any, event_id: int) -> EventPage | None:
    """One event for ``viewer``: what it was, who was killed, injured or detained in it (people the reader
    may see), and its sources; None when there is no such event the reader may see."""
    event = (
        public_events(viewer)
        .select_related("kind", "place", "facility", "university")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return None
    people = public_people(viewer)
    part_of = public_events(viewer).filter(pk=event.part_of_id).first() if event.part_of_id else None
    parts = list(public_events(viewer).filter(part_of=event).order_by("started_on", "id"))
    involvements = list(
        facts(Involvement, viewer, "person")
        .filter(event=event, person__in=people)
        .select_related("role")
        .prefetch_related("person__names")
        .order_by("role__code", "id")
    )
    casualties = list(
        facts(Casualty, viewer, "person")
        .filter(event=event, person__in=people)
        .select_related("cause")
        .prefetch_related("person__names")
        .order_by("occurred_on", "id")
    )
    detentions = list(
        facts(Detention, viewer, "person")
        .filter(event=event, person__in=people)
        .select_related("facility")
        .prefetch_related("person__names")
        .order_by("arrested_on", "id")
    )
    return EventPage(
        event=event,
        part_of=part_of,
        parts=parts,
        involvements=involvements,
        casualties=casualties,
        detentions=detentions,
        sources=sourcing(viewer, [event]).sources,
    )
