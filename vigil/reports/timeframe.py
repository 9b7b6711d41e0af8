"""The two times of a report (principle 3) as SQL: what had happened by the as-of date (valid time), as
Vigil knew it at the known-at moment (recorded time).

Valid time. Dates are fuzzy (a day, a month, a year, a Jalali month or year, or unknown). Counting is
conservative: a fact counts as happened by the as-of date only when every day its date may stand for is on
or before it, so "arrested in Dey 1404" is not yet counted on 19 Dey. A fact whose date is unknown counts
as having happened before any as-of date (we know it happened, not when) but never inside a bounded period.

Recorded time. Every record keeps a history table (django-simple-history) with a full copy of the row after
each change. "As known at T" reads, for each record, its latest history row written at or before T, and
leaves out records whose latest row is a deletion. A report as known on a past day therefore reads the same
after later edits, merges, retractions and additions, with one exception: a record made more confidential
since is read at its present level (a takedown is never undone by reading the past). Without a known-at
moment the live tables are read. The reference records a report names (places, facilities, universities,
vocabularies, publishers) are read as known then too (``Frame.named_rows``), so a later renaming or a place
moved in the gazetteer leaves the report as it read.
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jdatetime
from django.db import connection, models
from django.utils import timezone

from vigil.core.dates import FuzzyDate, Precision
from vigil.core.models import Confidentiality
from vigil.reports.dialect import Dialect, fetch_all

_PERIODIC = (Precision.MONTH, Precision.YEAR, Precision.JALALI_MONTH, Precision.JALALI_YEAR)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in the server's time zone: "known on 9 January" includes that whole day."""
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(following) - dt.timedelta(microseconds=1)


def period_containing(day: dt.date, precision: str) -> FuzzyDate:
    """The month, year, Jalali month or Jalali year that contains ``day``, as a fuzzy date."""
    if precision == Precision.MONTH:
        return FuzzyDate(day.replace(day=1), precision)
    if precision == Precision.YEAR:
        return FuzzyDate(day.replace(month=1, day=1), precision)
    jalali = jdatetime.date.fromgregorian(date=day)
    if precision == Precision.JALALI_MONTH:
        return FuzzyDate(jdatetime.date(jalali.year, jalali.month, 1).togregorian(), precision)
    if precision == Precision.JALALI_YEAR:
        return FuzzyDate(jdatetime.date(jalali.year, 1, 1).togregorian(), precision)
    return FuzzyDate(day, Precision.DAY)


def certainly_by_bound(as_of: dt.date, precision: str) -> dt.date:
    """The day ``u`` such that a date of this precision stored as ``v`` (the first day it may stand for)
    has certainly happened by ``as_of`` exactly when ``v < u``."""
    containing = period_containing(as_of, precision)
    first, latest = containing.earliest or as_of, containing.latest or as_of
    if latest <= as_of:
        return latest + dt.timedelta(days=1)
    return first


@dataclass(frozen=True)
class Frame:
    """When a report stands: valid time (``as_of``, optionally from ``period_start``) and recorded time
    (``known_at``; None reads the live tables). Builds the SQL both need."""

    as_of: dt.date
    known_at: dt.datetime | None = None
    period_start: dt.date | None = None
    dialect: Dialect = field(default_factory=Dialect)

    @property
    def params(self) -> dict[str, Any]:
        adapt = connection.ops.adapt_datefield_value
        params: dict[str, Any] = {
            "as_of": adapt(self.as_of),
            "period_start": adapt(self.period_start or dt.date.min),
            "u_day": adapt(self.as_of + dt.timedelta(days=1)),
        }
        for precision in _PERIODIC:
            params[f"u_{precision}"] = adapt(certainly_by_bound(self.as_of, precision))
        if self.known_at is not None:
            params["known_at"] = connection.ops.adapt_datetimefield_value(self.known_at)
        return params

    def table(self, model: type[models.Model]) -> str:
        """The rows of ``model`` as known at ``known_at``: the live table, or the latest history row of
        each record (history ids grow with time, so the latest is the largest)."""
        if self.known_at is None:
            return self.dialect.quote(model._meta.db_table)
        history_model = model.history.model  # type: ignore[attr-defined]
        history = self.dialect.quote(history_model._meta.db_table)
        columns, live_join = "h.*", ""
        if any(f.name == "confidentiality" for f in model._meta.concrete_fields):
            # A record is read at the more confidential of its level then and its level now: a record taken
            # down since (it endangers someone) stays out of a report as known before, for every reader.
            live = self.dialect.quote(model._meta.db_table)
            levels = ("h.confidentiality", "c.confidentiality")
            level = " ".join(
                f"WHEN '{value}' IN ({', '.join(levels)}) THEN '{value}'"
                for value in (Confidentiality.RESTRICTED, Confidentiality.INTERNAL)
            )
            columns = ", ".join(
                f"h.{self.dialect.quote(f.column)}"
                for f in history_model._meta.concrete_fields
                if f.column != "confidentiality"
            )
            columns += f", CASE {level} ELSE h.confidentiality END AS confidentiality"
            live_join = f" LEFT JOIN {live} c ON c.id = h.id"
        # "No later row known by then" rather than "IN (SELECT MAX ... GROUP BY id)": both databases probe
        # it through the index on id, where SQLite would otherwise walk the whole IN list for every row.
        return (
            f"(SELECT {columns} FROM {history} h{live_join} "
            f"WHERE h.history_date <= %(known_at)s AND h.history_type <> '-' "
            f"AND NOT EXISTS (SELECT 1 FROM {history} later WHERE later.id = h.id "
            f"AND later.history_date <= %(known_at)s AND later.history_id > h.history_id))"
        )

    def named_rows(self, model: type[models.Model], *fields: str) -> dict[int, tuple[Any, ...]]:
        """``id`` → (``id``, *fields*) of every row of a reference model (places, facilities, vocabularies,
        organizations) as known at ``known_at``: its latest history row by then, or the live row for records
        without one then (added since, or loaded without history)."""
        rows = {row[0]: tuple(row) for row in model._default_manager.values_list("id", *fields)}
        if self.known_at is not None:
            quote = self.dialect.quote
            column = {f.name: f.column for f in model._meta.concrete_fields if f.column} | {
                f.attname: f.column for f in model._meta.concrete_fields if f.column
            }
            columns = ", ".join(f"r.{quote(str(column[name]))}" for name in fields)
            for row in fetch_all(f"SELECT r.id, {columns} FROM {self.table(model)} r", self.params):
                rows[row[0]] = tuple(row)
        return rows

    def happened(self, alias: str, prefix: str) -> str:
        """The fuzzy date ``<alias>.<prefix>_on`` has certainly passed by the as-of date, or is unknown."""
        on, precision = f"{alias}.{prefix}_on", f"{alias}.{prefix}_precision"
        # Most dates are known to the day: that branch first.
        bounds = " ".join(
            f"WHEN '{value}' THEN {self.dialect.date_param('u_' + value)}" for value in _PERIODIC
        )
        day = self.dialect.date_param("u_day")
        return f"({on} IS NULL OR {on} < CASE {precision} WHEN 'day' THEN {day} {bounds} ELSE {day} END)"

    def happened_known(self, alias: str, prefix: str) -> str:
        """Like ``happened`` but for a date that may be absent because the thing did not happen (an end)."""
        return f"({alias}.{prefix}_on IS NOT NULL AND {self.happened(alias, prefix)})"

    def possibly(self, alias: str, prefix: str) -> str:
        """The fuzzy date may already have passed by the as-of date (its first possible day has)."""
        return f"({alias}.{prefix}_on IS NOT NULL AND {alias}.{prefix}_on <= %(as_of)s)"

    def in_period(self, alias: str, prefix: str) -> str:
        """The date is certainly not before the period's start (always true without a period)."""
        if self.period_start is None:
            return "TRUE"
        return f"({alias}.{prefix}_on IS NOT NULL AND {alias}.{prefix}_on >= %(period_start)s)"

    def day_or_as_of(self, alias: str, prefix: str) -> str:
        """The fact's date (its first possible day), or the as-of date when unknown: ages only grow, so
        someone a minor on the as-of date was one at any earlier, unknown, date (``ages.minor_on``)."""
        return f"COALESCE({alias}.{prefix}_on, {self.dialect.date_param('as_of')})"
