"""Reading events, involvements and casualties. These are internal (staff) reads; public views filter by
confidentiality in their own selectors."""

from __future__ import annotations

from django.db.models import QuerySet

from vigil.events.models import Casualty, Event, Involvement
from vigil.people.models import Person


def event_parts(event: Event) -> QuerySet[Event]:
    """The events that are part of this one (the Malekshahi march within the uprising), earliest first."""
    return event.parts.all().order_by("started_on", "id")


def event_involvements(event: Event) -> QuerySet[Involvement]:
    return event.involvements.select_related("person", "role").order_by("role__code", "id")


def event_casualties(event: Event) -> QuerySet[Casualty]:
    return event.casualties.select_related("person", "cause").order_by("occurred_on", "id")


def person_involvements(person: Person) -> QuerySet[Involvement]:
    return person.involvements.select_related("event", "role").order_by("event__started_on", "id")
