"""What changed lately, for the Atom feeds: people and events added or changed, and reported figures.

A person "changes" when their record or any fact about them the reader may see changes (a new arrest, a
status, a release), so the feed tells a campaigner that a profile has news.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import DateTimeField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from vigil.custody.models import Detention, Execution, StatusObservation
from vigil.events.models import Casualty, Event
from vigil.people.models import Person
from vigil.people.selectors import visible_names
from vigil.public.selectors.facts import facts
from vigil.search.selectors import public_events, public_people
from vigil.sources.models import ReportedFigure

FEED_SIZE = 50


@dataclass(frozen=True)
class Change:
    kind: str  # person, event
    record: Person | Event
    created_at: dt.datetime
    changed_at: dt.datetime

    @property
    def is_new(self) -> bool:
        return self.changed_at == self.created_at


def _latest(queryset: QuerySet[Any], person_field: str) -> Coalesce:
    latest = (
        queryset.filter(**{person_field: OuterRef("pk")}).order_by("-updated_at").values("updated_at")[:1]
    )
    return Coalesce(Subquery(latest, output_field=DateTimeField()), "updated_at")


def recent_changes(*, viewer: Any, limit: int = FEED_SIZE) -> list[Change]:
    """The people and events added or changed most recently, newest first."""
    people = (
        public_people(viewer)
        .annotate(
            changed_at=Greatest(
                "updated_at",
                _latest(facts(Detention, viewer), "person"),
                _latest(facts(StatusObservation, viewer, "detention"), "detention__person"),
                _latest(facts(Casualty, viewer), "person"),
                _latest(facts(Execution, viewer), "person"),
            )
        )
        .prefetch_related(Prefetch("names", queryset=visible_names(viewer)))
        .order_by("-changed_at", "-id")[:limit]
    )
    events = public_events(viewer).order_by("-updated_at", "-id")[:limit]
    changes = [Change("person", p, p.created_at, p.changed_at) for p in people]
    changes += [Change("event", e, e.created_at, e.updated_at) for e in events]
    changes.sort(key=lambda change: change.changed_at, reverse=True)
    return changes[:limit]


def figures_listed(
    *, viewer: Any, metric: str = "", as_of: dt.date | None = None
) -> QuerySet[ReportedFigure]:
    """Reported (aggregate) figures the reader may see, with sources the reader may see, newest first;
    with ``as_of``, only those over a period that ended by that day, as a report as of it counts them."""
    figures = facts(ReportedFigure, viewer, "source").select_related(
        "metric", "source", "source__publisher", "place", "facility", "university"
    )
    if metric:
        figures = figures.filter(metric__code=metric)
    if as_of is not None:
        figures = figures.filter(period_end__lte=as_of)
    return figures.order_by("-published_on", "-updated_at", "-id")
