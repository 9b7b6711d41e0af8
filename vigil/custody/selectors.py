"""Reading custody records. These are internal (staff) reads; public views filter by confidentiality in
their own selectors."""

from __future__ import annotations

from django.db.models import QuerySet

from vigil.custody.models import Detention, StatusObservation
from vigil.people.models import Person


def detention_is_open(detention: Detention) -> bool:
    """Still in custody as far as we know: neither a release date nor a release kind is recorded (a release
    whose date is unknown still has a kind, "released, date unknown")."""
    return detention.released_on is None and detention.release_kind_id is None


def person_detentions(person: Person) -> QuerySet[Detention]:
    """Every detention of a person, most recent arrest first."""
    return Detention.objects.filter(person=person).select_related("facility", "release_kind")


def person_current_detention(person: Person) -> Detention | None:
    """The detention a person is in now, as far as we know (the most recent open one)."""
    return (
        person_detentions(person)
        .filter(released_on__isnull=True, release_kind__isnull=True)
        .order_by("-arrested_on", "-id")
        .first()
    )


def detention_open_statuses(detention: Detention) -> QuerySet[StatusObservation]:
    """The conditions of custody still ongoing (no end recorded), earliest first."""
    return (
        detention.statuses.filter(ended_on__isnull=True).select_related("status").order_by("started_on", "id")
    )


def detention_was_minor(detention: Detention) -> bool | None:
    """Whether the person was under 18 when arrested (``Person.is_minor_on``: None when the age or the arrest
    date is unknown, or the age allows either). An arrest known only to the month or year is taken on its
    first day, as the reports take it."""
    day = detention.arrested.earliest
    return None if day is None else detention.person.is_minor_on(day)
