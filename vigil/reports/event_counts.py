"""Events documented: protests and strikes in all, by day and by province; provinces, cities and
universities reached. Events count when established (reported, corroborated or verified: not disputed,
never retracted) and started by the as-of date inside the period. Reports of the live record count the
event tally (``event_tally``), reports as known on a past day the events in history."""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import get_language

from vigil.core.models import Term, Verification, Vocabulary
from vigil.events.models import Event
from vigil.reports.dialect import as_date, fetch_all, id_list
from vigil.reports.event_tally import tally_table
from vigil.reports.scope import Gazetteer, Scope
from vigil.reports.summary import summary_ready
from vigil.reports.timeframe import Frame
from vigil.reports.visibility import Visibility

# Which event kinds a report counts as protests and as strikes.
EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "protests": ("protest", "student_protest"),
    "strikes": ("strike", "general_strike"),
}


@dataclass(frozen=True)
class AreaCount:
    """Protests and strikes in one province (or other place)."""

    code: str
    name_en: str
    name_fa: str
    protests: int = 0
    strikes: int = 0

    @property
    def name(self) -> str:
        return self.name_fa if get_language() == "fa" and self.name_fa else self.name_en

    @property
    def events(self) -> int:
        return self.protests + self.strikes


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    protests: int = 0
    strikes: int = 0


@dataclass(frozen=True)
class EventCounts:
    protests: int
    strikes: int
    provinces_reached: int
    provinces_total: int
    cities_reached: int
    universities: list[AreaCount] = field(default_factory=list)
    by_province: list[AreaCount] = field(default_factory=list)
    by_day: list[DayCount] = field(default_factory=list)


def _group_kinds() -> dict[int, str]:
    """Term id → group name ("protests", "strikes")."""
    wanted = {code: group for group, codes in EVENT_GROUPS.items() for code in codes}
    rows = Term.objects.filter(vocabulary=Vocabulary.EVENT_KIND, code__in=wanted).values_list("id", "code")
    return {pk: wanted[code] for pk, code in rows}


def _event_where(
    frame: Frame, scope: Scope, visibility: Visibility, kinds: dict[int, str], *, tallied: bool
) -> str:
    return " AND ".join(
        (
            f"e.kind_id IN {id_list(set(kinds))}",
            # The tally holds established events only.
            "TRUE"
            if tallied
            else f"e.verification NOT IN ('{Verification.RETRACTED}', '{Verification.DISPUTED}')",
            visibility.sql("e"),
            frame.happened("e", "started"),
            frame.in_period("e", "started"),
            scope.event_sql(frame, "e"),
        )
    )


def event_counts(
    frame: Frame, scope: Scope, visibility: Visibility, gazetteer: Gazetteer, *, days_from: dt.date
) -> EventCounts:
    """Counts of events in scope; ``by_day`` covers the days from ``days_from`` to the as-of date (events
    dated to the day only)."""
    kinds = _group_kinds()
    # The live record from the tally (the same columns, a fifth of the rows), a past one from history.
    tallied = frame.known_at is None and summary_ready()
    where = _event_where(frame, scope, visibility, kinds, tallied=tallied)
    table = tally_table() if tallied else frame.table(Event)
    number = "SUM(e.events)" if tallied else "COUNT(*)"
    rows = fetch_all(
        f"SELECT e.kind_id, e.place_id, e.facility_id, e.university_id, {number} FROM {table} e "
        f"WHERE {where} GROUP BY e.kind_id, e.place_id, e.university_id, e.facility_id",
        frame.params,
    )
    totals: Counter[str] = Counter()
    provinces: dict[int, Counter[str]] = {}
    cities: set[int] = set()
    universities: dict[int, Counter[str]] = {}
    for kind_id, place_id, facility_id, university_id, found in rows:
        group, count = kinds[kind_id], int(found)
        totals[group] += count
        if place_id is None and facility_id is not None:
            place_id = gazetteer.facility_place.get(facility_id)
        if place_id is None and university_id is not None:
            place_id = gazetteer.universities.get(university_id, (None, None))[1]
        province = gazetteer.province_of(place_id)
        if province is not None:
            provinces.setdefault(province.id, Counter())[group] += count
        city = gazetteer.city_of(place_id)
        if city is not None:
            cities.add(city.id)
        if university_id is not None:
            universities.setdefault(university_id, Counter())[group] += count

    by_day: Counter[tuple[dt.date, str]] = Counter()
    day_rows = fetch_all(
        f"SELECT e.started_on, e.kind_id, {number} FROM {table} e WHERE {where} "
        f"AND e.started_precision = 'day' AND e.started_on >= %(days_from)s GROUP BY e.kind_id, e.started_on",
        {**frame.params, "days_from": connection.ops.adapt_datefield_value(days_from)},
    )
    for day, kind_id, count in day_rows:
        by_day[(as_date(day), kinds[kind_id])] += int(count)
    days = sorted({day for day, _group in by_day})

    return EventCounts(
        protests=totals["protests"],
        strikes=totals["strikes"],
        provinces_reached=len(provinces),
        provinces_total=len(gazetteer.provinces),
        cities_reached=len(cities),
        universities=sorted(
            (
                AreaCount(row[2], row[3], row[4], universities[pk]["protests"], universities[pk]["strikes"])
                for pk, row in gazetteer.universities.items()
                if pk in universities
            ),
            key=lambda area: (-area.events, area.name_en),
        ),
        by_province=[
            AreaCount(
                node.code,
                node.name_en,
                node.name_fa,
                provinces.get(node.id, Counter())["protests"],
                provinces.get(node.id, Counter())["strikes"],
            )
            for node in gazetteer.provinces
        ],
        by_day=[DayCount(day, by_day[(day, "protests")], by_day[(day, "strikes")]) for day in days],
    )
