"""Situation reports "as of" any date, reproducible as they would have read then.

``report_as_of`` is the one entry point: the CLI (``vigil report``), the staff page, the exports and, with
``viewer=None``, the public site all call it. It returns plain dataclasses; rendering lives in
``vigil.reports.render``. Named counts (people Vigil documented) and reported figures (what sources say in
aggregate) are kept apart and never added together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.reports.dialect import report_session
from vigil.reports.event_counts import EventCounts, event_counts
from vigil.reports.figures import ReportedFigures, ReportedValue, reported_figures
from vigil.reports.individuals import PeopleList, people_list
from vigil.reports.named import NamedCount, NamedOverview, NamedQueries, named_overview
from vigil.reports.scope import Gazetteer, Scope, scope_country, scope_redrawn
from vigil.reports.summary import summary_answers, summary_overview
from vigil.reports.timeframe import Frame, end_of_day
from vigil.reports.timeline import TimelineDay, timeline
from vigil.reports.visibility import Viewer, visibility_for

DEFAULT_PEOPLE_LIMIT = 50
DEFAULT_TIMELINE_DAYS = 60


@dataclass(frozen=True)
class Change:
    code: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class FigureChange:
    metric: str
    before: ReportedValue | None
    after: ReportedValue | None


@dataclass(frozen=True)
class Changes:
    """What changed since the report as it read on an earlier date (as of that date, as known then)."""

    since: dt.date
    known_at: dt.datetime | None
    named: list[Change]
    minors: list[Change]
    events: list[Change]
    figures: list[FigureChange]


@dataclass(frozen=True)
class Report:
    as_of: dt.date
    known_at: dt.datetime | None  # None: the live record, as it stood when generated
    generated_at: dt.datetime
    period_start: dt.date | None
    scope: Scope
    public: bool
    named: list[NamedCount]
    events: EventCounts
    figures: ReportedFigures
    timeline: list[TimelineDay] = field(default_factory=list)
    people: PeopleList = field(default_factory=lambda: PeopleList(0, []))
    changes: Changes | None = None

    @property
    def recorded_on(self) -> dt.date:
        """The day whose record the report reads (today for a live report)."""
        moment = self.known_at or self.generated_at
        return timezone.localtime(moment).date()

    def named_count(self, code: str) -> NamedCount | None:
        return next((count for count in self.named if count.code == code), None)


def recorded_moment(
    *, known_on: dt.date | None = None, known_at: dt.datetime | None = None
) -> dt.datetime | None:
    """The moment whose record a report reads, or None for the live record (now or later)."""
    moment = known_at if known_at is not None else (end_of_day(known_on) if known_on is not None else None)
    if moment is None or moment >= timezone.now():
        return None
    return moment


def report_as_of(
    *,
    as_of: dt.date,
    viewer: Viewer,
    scope: Scope | None = None,
    known_on: dt.date | None = None,
    known_at: dt.datetime | None = None,
    period_start: dt.date | None = None,
    since: dt.date | None = None,
    people_limit: int = DEFAULT_PEOPLE_LIMIT,
    timeline_days: int = DEFAULT_TIMELINE_DAYS,
) -> Report:
    """The situation report for ``scope`` (default: the country) as of ``as_of`` (valid time), as Vigil
    knew it at the end of ``known_on`` or at ``known_at`` (recorded time; default: now), for ``viewer``
    (None: the public, who see public records only).

    ``period_start`` limits arrests, releases, sentences, executions, casualties and events to those on or
    after it; states (still detained, custody conditions) are on the as-of date. ``since`` adds the changes
    since the report as it read on that date.
    """
    today = timezone.localdate()
    if as_of > today + dt.timedelta(days=1):
        raise ValidationError(
            _("The as-of date %(date)s is in the future; a report can only say what has happened."),
            code="future_as_of",
            params={"date": as_of.isoformat()},
        )
    if period_start is not None and period_start > as_of:
        raise ValidationError(
            _("The period starts on %(start)s, after the as-of date %(date)s."),
            code="period_reversed",
            params={"start": period_start.isoformat(), "date": as_of.isoformat()},
        )
    if since is not None and since >= as_of:
        raise ValidationError(
            _("Changes are shown since a date before the as-of date %(date)s; %(since)s is not."),
            code="since_not_before",
            params={"since": since.isoformat(), "date": as_of.isoformat()},
        )
    generated_at = timezone.now()
    moment = recorded_moment(known_on=known_on, known_at=known_at)
    frame = Frame(as_of=as_of, known_at=moment, period_start=period_start)
    gazetteer = Gazetteer(frame)
    if scope is None:
        scope = scope_country(gazetteer)
    elif moment is not None:
        scope = scope_redrawn(scope, gazetteer)  # what lay inside it, and its name, as known then
    visibility = visibility_for(viewer)
    days_from = period_start or as_of - dt.timedelta(days=max(timeline_days - 1, 0))

    with report_session():
        queries = NamedQueries(frame, scope, visibility)
        overview = _named(queries, list_limit=people_limit)
        named = overview.counts
        events = event_counts(frame, scope, visibility, gazetteer, days_from=days_from)
        figures = reported_figures(frame, scope, visibility, gazetteer)
        changes = None
        if since is not None:
            before_moment = recorded_moment(known_at=min(end_of_day(since), moment or generated_at))
            before = Frame(as_of=since, known_at=before_moment, period_start=period_start)
            changes = _changes(
                since,
                before_moment,
                (named, events, figures),
                (
                    _named(NamedQueries(before, scope, visibility)).counts,
                    event_counts(before, scope, visibility, gazetteer, days_from=since),
                    reported_figures(before, scope, visibility, gazetteer),
                ),
            )
        return Report(
            as_of=as_of,
            known_at=moment,
            generated_at=generated_at,
            period_start=period_start,
            scope=scope,
            public=visibility.is_public,
            named=named,
            events=events,
            figures=figures,
            timeline=timeline(queries, events, days_from=days_from),
            people=people_list(queries, gazetteer, keys=overview.listed, total=overview.people),
            changes=changes,
        )


def _named(queries: NamedQueries, *, list_limit: int = 0) -> NamedOverview:
    """The named counts from the summary when it holds them (see ``summary``), else from the facts."""
    if summary_answers(queries):
        return summary_overview(queries, list_limit=list_limit)
    return named_overview(queries, list_limit=list_limit)


_EVENT_MEASURES = ("protests", "strikes", "provinces_reached", "cities_reached", "universities")


def event_measures(events: EventCounts) -> dict[str, int]:
    """The headline event numbers, by stable code."""
    return {
        "protests": events.protests,
        "strikes": events.strikes,
        "provinces_reached": events.provinces_reached,
        "cities_reached": events.cities_reached,
        "universities": len(events.universities),
    }


def _changes(
    since: dt.date,
    known_at: dt.datetime | None,
    after: tuple[list[NamedCount], EventCounts, ReportedFigures],
    before: tuple[list[NamedCount], EventCounts, ReportedFigures],
) -> Changes:
    named_before = {count.code: count for count in before[0]}
    named: list[Change] = []
    minors: list[Change] = []
    for count in after[0]:
        previous = named_before.get(count.code)
        named.append(Change(count.code, previous.people.total if previous else 0, count.people.total))
        minors.append(Change(count.code, previous.minors.total if previous else 0, count.minors.total))
    events_before, events_after = event_measures(before[1]), event_measures(after[1])
    events = [Change(code, events_before[code], events_after[code]) for code in _EVENT_MEASURES]
    figures: list[FigureChange] = []
    metrics = [figure.metric for figure in after[2].own]
    metrics += [figure.metric for figure in before[2].own if figure.metric not in metrics]
    for metric in metrics:
        old, new = before[2].get(metric), after[2].get(metric)
        if old is None or new is None or old.figure_id != new.figure_id:
            figures.append(FigureChange(metric, old, new))
    return Changes(since, known_at, named, minors, events, figures)
