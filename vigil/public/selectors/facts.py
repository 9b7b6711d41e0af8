"""The facts about people that a reader may see, and what they say about a person's situation now.

Every queryset here passes through ``vigil.core.visibility.visible`` (for the fact and for the record it
hangs from) and leaves out retracted facts: a retracted fact is not shown as a fact anywhere public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from vigil.core.dates import FuzzyDate
from vigil.core.models import Term, Verification
from vigil.core.visibility import visible
from vigil.custody.models import Case, CaseStage, Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.events.models import Casualty, Event, Involvement
from vigil.people.models import Person
from vigil.people.selectors import visible_names
from vigil.places.models import Facility

M = TypeVar("M", bound=models.Model)

# Custody conditions that mean the family has no word of the person: "days since last contact" counts
# from the earliest of these still open.
NO_CONTACT = ("whereabouts_unknown", "capture_denied", "incommunicado", "no_family_contact")


class Situation:
    """A person's situation now, most final first; also the values of the directory's status filter."""

    EXECUTED = "executed"
    KILLED = "killed"
    DETAINED = "detained"
    RELEASED = "released"
    INJURED = "injured"
    UNKNOWN = "unknown"


def facts(model: type[M], viewer: Any, *parents: str) -> QuerySet[M]:
    """Records of ``model`` that ``viewer`` may see, not retracted, and hanging only from records
    (``parents``, e.g. ``"detention"``) that are themselves visible and not retracted."""
    queryset = visible(model._default_manager.exclude(verification=Verification.RETRACTED), viewer)
    for parent in parents:
        queryset = visible(queryset, viewer, field=f"{parent}__confidentiality")
        queryset = queryset.exclude(**{f"{parent}__verification": Verification.RETRACTED})
    return queryset


def open_detentions(viewer: Any) -> QuerySet[Detention]:
    """Detentions still going on as far as the reader may know (no release date, no outcome)."""
    return facts(Detention, viewer).filter(released_on__isnull=True, release_kind__isnull=True)


def _visible_event(viewer: Any) -> Prefetch[Any]:
    """A fact's event, or None when the reader may not see it (a public arrest during an internal event
    must not print the event's title)."""
    return Prefetch("event", queryset=facts(Event, viewer))


def with_facts(people: QuerySet[Person], viewer: Any) -> QuerySet[Person]:
    """``people`` with the facts a directory row or a profile needs, fetched in a few queries."""
    return people.select_related("ethnicity").prefetch_related(
        Prefetch("names", queryset=visible_names(viewer)),
        "occupations",
        Prefetch(
            "detentions",
            queryset=facts(Detention, viewer)
            .select_related("facility", "arrest_place", "release_kind")
            .prefetch_related(
                _visible_event(viewer),
                Prefetch(
                    "transfers",
                    queryset=facts(Transfer, viewer)
                    .select_related("to_facility")
                    .order_by("transferred_on", "id"),
                ),
                Prefetch(
                    "statuses",
                    queryset=facts(StatusObservation, viewer)
                    .select_related("status")
                    .order_by("started_on", "id"),
                ),
            )
            .order_by("-arrested_on", "-id"),
            to_attr="visible_detentions",
        ),
        Prefetch(
            "casualties",
            queryset=facts(Casualty, viewer)
            .select_related("place", "cause")
            .prefetch_related(_visible_event(viewer))
            .order_by("occurred_on", "id"),
            to_attr="visible_casualties",
        ),
        Prefetch("execution", queryset=facts(Execution, viewer).select_related("facility")),
    )


def visible_execution(person: Person) -> Execution | None:
    """The execution prefetched by ``with_facts`` (None when there is none the reader may see)."""
    try:
        return person.execution
    except Execution.DoesNotExist:
        return None


@dataclass(frozen=True)
class CurrentSituation:
    """Where a person stands as far as the reader may know. ``days_without_contact`` is a minimum ("at
    least"): counted from the last day the start of the no-contact condition may stand for."""

    code: str
    since: FuzzyDate | None = None
    facility: Facility | None = None
    conditions: list[Term] = field(default_factory=list)
    no_contact_since: FuzzyDate | None = None
    days_without_contact: int | None = None


def _current_facility(detention: Detention) -> Facility | None:
    transfers = list(detention.transfers.all())
    return transfers[-1].to_facility if transfers else detention.facility


def _is_open(detention: Detention) -> bool:
    return detention.released_on is None and detention.release_kind_id is None


def _no_contact(statuses: Iterable[StatusObservation], today: dt.date) -> tuple[FuzzyDate | None, int | None]:
    starts = [s.started for s in statuses if s.status.code in NO_CONTACT and s.ended_on is None]
    known = [start for start in starts if start.latest is not None]
    if not known:
        return (FuzzyDate.unknown(), None) if starts else (None, None)
    earliest = min(known, key=lambda start: start.latest or today)
    latest_day = earliest.latest or today
    return earliest, max(0, (today - latest_day).days)


def current_situation(person: Person, today: dt.date | None = None) -> CurrentSituation:
    """The person's situation from the facts ``with_facts`` fetched: executed or killed, else detained
    (where, in which conditions, without contact since when), else released, injured or unknown."""
    today = today or timezone.localdate()
    execution = visible_execution(person)
    if execution is not None:
        return CurrentSituation(Situation.EXECUTED, since=execution.executed)
    casualties: list[Casualty] = getattr(person, "visible_casualties", [])
    killed = next((c for c in casualties if c.kind == Casualty.Kind.KILLED), None)
    if killed is not None:
        return CurrentSituation(Situation.KILLED, since=killed.occurred)
    detentions: list[Detention] = getattr(person, "visible_detentions", [])
    current = next((d for d in detentions if _is_open(d)), None)
    if current is not None:
        statuses = [s for s in current.statuses.all() if s.ended_on is None]
        since, days = _no_contact(statuses, today)
        return CurrentSituation(
            Situation.DETAINED,
            since=current.arrested,
            facility=_current_facility(current),
            conditions=[s.status for s in statuses],
            no_contact_since=since,
            days_without_contact=days,
        )
    if detentions:
        return CurrentSituation(Situation.RELEASED, since=detentions[0].released)
    if casualties:
        return CurrentSituation(Situation.INJURED, since=casualties[0].occurred)
    return CurrentSituation(Situation.UNKNOWN)


def person_cases(person: Person, viewer: Any) -> QuerySet[Case]:
    """The person's cases with their stages and sentences, as the reader may see them."""
    return (
        facts(Case, viewer)
        .filter(person=person)
        .select_related("court")
        .prefetch_related(
            "charges",
            "activities",
            Prefetch("stages", queryset=facts(CaseStage, viewer).order_by("occurred_on", "id")),
            Prefetch(
                "sentences",
                queryset=facts(Sentence, viewer).select_related("kind").order_by("issued_on", "id"),
            ),
        )
        .order_by("id")
    )


def person_events(person: Person, viewer: Any) -> QuerySet[Involvement]:
    """The events the person took part in or suffered, with their role, as the reader may see them."""
    return (
        facts(Involvement, viewer, "event")
        .filter(person=person)
        .select_related("event", "role")
        .order_by("event__started_on", "id")
    )
