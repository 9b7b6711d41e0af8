"""The daily timeline of a report: named people arrested and killed, and protests and strikes, per day.

Only facts dated to the day appear on a day; established facts only (not disputed, never retracted). The
live national report reads the people per day from the summary (``summary.summary_timeline``), other
reports count the facts.
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from vigil.core.models import Verification
from vigil.events.models import Casualty
from vigil.reports.dialect import as_date, fetch_all
from vigil.reports.event_counts import EventCounts
from vigil.reports.named import NamedQueries
from vigil.reports.summary import DAY_ARRESTED, DAY_KILLED, summary_answers, summary_timeline


@dataclass(frozen=True)
class TimelineDay:
    day: dt.date
    arrests: int = 0
    killings: int = 0
    protests: int = 0
    strikes: int = 0

    @property
    def empty(self) -> bool:
        return not (self.arrests or self.killings or self.protests or self.strikes)


def _per_day(
    queries: NamedQueries, source: str, where: str, alias: str, prefix: str, days_from: dt.date
) -> dict[dt.date, int]:
    on = f"{alias}.{prefix}_on"
    rows = fetch_all(
        f"SELECT {on}, COUNT(DISTINCT {queries.person_key}) FROM {source} WHERE {where} "
        f"AND {alias}.verification <> '{Verification.DISPUTED}' AND {alias}.{prefix}_precision = 'day' "
        f"AND {on} >= %(days_from)s AND {on} <= %(as_of)s GROUP BY {on}",
        {**queries.frame.params, "days_from": connection.ops.adapt_datefield_value(days_from)},
    )
    return {as_date(day): int(count) for day, count in rows}


def people_per_day(queries: NamedQueries, *, days_from: dt.date) -> dict[str, dict[dt.date, int]]:
    """The people arrested and killed on each day from ``days_from`` to the as-of date, counted from the
    facts, by timeline category (``summary.summary_timeline`` reads the same from the summary)."""
    arrests = _per_day(
        queries,
        queries.detention_from(),
        f"{queries.detention_where()} AND {queries.frame.in_period('d', 'arrested')}",
        "d",
        "arrested",
        days_from,
    )
    killings = _per_day(
        queries,
        queries.casualty_from(),
        f"{queries.casualty_where()} AND c.kind = '{Casualty.Kind.KILLED}'",
        "c",
        "occurred",
        days_from,
    )
    return {DAY_ARRESTED: arrests, DAY_KILLED: killings}


def timeline(queries: NamedQueries, events: EventCounts, *, days_from: dt.date) -> list[TimelineDay]:
    """One entry per day from the first day with anything to show (not before ``days_from``) to the as-of
    date, empty days included so a chart's time axis is even."""
    kept = summary_timeline if summary_answers(queries) else people_per_day
    people = kept(queries, days_from=days_from)
    arrests, killings = people[DAY_ARRESTED], people[DAY_KILLED]
    protests = {entry.day: entry for entry in events.by_day}
    dated = [
        *arrests,
        *killings,
        *(day for day, entry in protests.items() if entry.protests or entry.strikes),
    ]
    if not dated:
        return []
    days: list[TimelineDay] = []
    day, last = max(min(dated), days_from), queries.frame.as_of
    while day <= last:
        entry = protests.get(day)
        days.append(
            TimelineDay(
                day,
                arrests.get(day, 0),
                killings.get(day, 0),
                entry.protests if entry else 0,
                entry.strikes if entry else 0,
            )
        )
        day += dt.timedelta(days=1)
    return days
