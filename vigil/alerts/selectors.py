"""Reads for the staff pages and the feed: the watchlist by urgency, alerts and their trails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from vigil.accounts.models import User
from vigil.alerts.models import SEVERITY_RANK, Alert, WatchlistEntry
from vigil.alerts.risks import RiskState, evaluate_risks
from vigil.core.visibility import allowed_levels, clearance
from vigil.people.models import Person


@dataclass(frozen=True)
class WatchlistRow:
    person: Person
    entry: WatchlistEntry | None
    states: tuple[RiskState, ...]
    unacknowledged: int

    @property
    def urgency(self) -> tuple[int, int, int]:
        """Most severe first, then longest-lasting; people at no risk last."""
        if not self.states:
            return len(SEVERITY_RANK), 0, self.person.pk
        rank = min(SEVERITY_RANK[s.severity] for s in self.states)
        longest = max(
            (s.days_since or 0 for s in self.states if SEVERITY_RANK[s.severity] == rank), default=0
        )
        return rank, -longest, self.person.pk


@dataclass(frozen=True)
class Watchlist:
    today: dt.date
    watched: list[WatchlistRow]
    # At risk but followed by nobody yet: what a campaigner should look at next.
    unwatched: list[WatchlistRow]


def watchlist_as_of(*, viewer: User, today: dt.date) -> Watchlist:
    """The watchlist on ``today``, sorted by urgency, judged on what ``viewer`` may read."""
    levels = allowed_levels(viewer)
    risks = {
        risk.person.pk: risk for risk in evaluate_risks(today=today, max_confidentiality=clearance(viewer))
    }
    entries = {
        entry.person_id: entry
        for entry in WatchlistEntry.objects.filter(person__confidentiality__in=levels)
        .select_related("person", "added_by")
        .prefetch_related("person__names")
    }
    unacknowledged = dict(
        unacknowledged_alerts()
        .filter(person_id__in=set(entries) | set(risks))
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    watched: list[WatchlistRow] = []
    unwatched: list[WatchlistRow] = []
    for person_id in set(entries) | set(risks):
        risk = risks.get(person_id)
        entry = entries.get(person_id)
        person = risk.person if risk else entries[person_id].person
        row = WatchlistRow(
            person=person,
            entry=entry,
            states=risk.states if risk else (),
            unacknowledged=unacknowledged.get(person_id, 0),
        )
        (watched if entry else unwatched).append(row)
    watched.sort(key=lambda row: row.urgency)
    unwatched.sort(key=lambda row: row.urgency)
    return Watchlist(today=today, watched=watched, unwatched=unwatched)


def unacknowledged_alerts() -> QuerySet[Alert]:
    return Alert.objects.filter(acknowledgements__isnull=True)


def alerts_for(*, viewer: User, open_only: bool = False, person: Person | None = None) -> QuerySet[Alert]:
    """Alerts about people ``viewer`` may read, newest first, with their trails."""
    queryset = Alert.objects.filter(person__confidentiality__in=allowed_levels(viewer))
    if open_only:
        queryset = queryset.filter(acknowledgements__isnull=True)
    if person is not None:
        queryset = queryset.filter(person=person)
    return (
        queryset.select_related("person", "rule")
        .prefetch_related("person__names", "acknowledgements__by")
        .annotate(acknowledged=Count("acknowledgements", filter=Q(acknowledgements__isnull=False)))
        .order_by("-created_at", "-id")
    )
