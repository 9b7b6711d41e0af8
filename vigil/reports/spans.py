"""Each fact as the as-of dates on which it puts its person in a category, and a person's standing as rows
of the summary (``models.NamedSummary``).

These are the counting rules of ``named.py`` and ``ages.py`` once more, in Python, for the summary kept
when facts change. Every rule is monotone in the as-of date, so a fact is in a category on one interval of
as-of dates: a fuzzy date once certainly passed stays passed (from the last day it may stand for); a
detention possibly ended stays ended (from its release's first possible day); someone a minor on a date was
one on every earlier date. A person's best level in a category is then a step function of the as-of date,
written as the intervals on which it is constant. ``tests/reports/test_summary.py`` checks, date by date,
that these rules and the SQL agree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from vigil.core.dates import Precision
from vigil.core.models import CONFIDENTIALITY_RANK, Verification
from vigil.people.models import ADULT_AGE, DAYS_PER_YEAR
from vigil.reports.named import _RANK, severity
from vigil.reports.timeframe import period_containing

# Open ends of an interval of as-of dates: a fact that has always or will always hold.
EARLIEST, LATEST = dt.date.min, dt.date.max
AUDIENCES = (0, 1, 2)  # readers cleared for public, internal, restricted records
_PERIODIC = (Precision.MONTH, Precision.YEAR, Precision.JALALI_MONTH, Precision.JALALI_YEAR)


@dataclass(frozen=True, slots=True)
class Born:
    """What ages need of a person (the person the fact is about, before any merge)."""

    birth_on: dt.date | None
    birth_precision: str
    reported_age: int | None
    age_reported_on: dt.date | None


@dataclass(frozen=True, slots=True)
class FactSpans:
    """One counted fact: who may read it (``level``, the most confidential of the records it needs), how far
    it is established (``rank``), its date for the list (``day``), until when it was about a minor (as-of
    dates before ``minor_until``) and the categories it puts its person in, each on ``[from, until)``."""

    level: int
    rank: int
    day: dt.date | None
    minor_until: dt.date
    spans: tuple[tuple[str, dt.date, dt.date], ...]


@dataclass(frozen=True, slots=True)
class Standing:
    """One row of the summary, without its person and audience."""

    category: str
    valid_from: dt.date
    valid_until: dt.date
    rank: int | None = None
    minor_rank: int | None = None
    severity: int | None = None
    day: dt.date | None = None


_LEVELS = {str(value): rank for value, rank in CONFIDENTIALITY_RANK.items()}
_RANKS = {str(value): rank for value, rank in _RANK.items()}


def level(*confidentialities: str) -> int:
    """The audience a fact needs: the most confidential of its records (an unknown level: restricted)."""
    return max(_LEVELS.get(value, AUDIENCES[-1]) for value in confidentialities)


def counted(*verifications: str) -> bool:
    return all(value != Verification.RETRACTED for value in verifications)


def rank(verification: str) -> int:
    """3 verified, 2 corroborated, 1 reported, 0 disputed (and anything else), as ``named._rank``."""
    return _RANKS.get(verification, 0)


def certain_from(on: dt.date | None, precision: str) -> dt.date:
    """The first as-of date by which a fuzzy date has certainly passed (``Frame.happened``)."""
    if on is None:
        return EARLIEST
    if precision in _PERIODIC:
        return period_containing(on, precision).latest or on
    return on


# Minors (``ages.minor_on``) -----------------------------------------------------------------------------


def _ymd(day: dt.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def _plus(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return LATEST if days > 0 else EARLIEST


def minor_until(person: Born, day: dt.date | None) -> dt.date:
    """As-of dates before the returned one count the fact as about a minor (certainly under 18: the rule of
    ``Person.is_minor_on``). ``day`` is the date the age is taken on; None (unknown) takes the as-of date,
    or the day an age was reported when that is earlier (the fact happened by then)."""
    if person.birth_on is not None and person.birth_precision != Precision.UNKNOWN:
        adult_ymd = _ymd(person.birth_on) + ADULT_AGE * 10_000
        if day is not None:
            return LATEST if _ymd(day) < adult_ymd else EARLIEST
        year, month, first = adult_ymd // 10_000, adult_ymd // 100 % 100, adult_ymd % 100
        if year > LATEST.year:
            return LATEST
        try:
            return dt.date(year, month, first)
        except ValueError:  # 29 February of a common year: the first later date is 1 March
            return dt.date(year, month + 1, 1)
    if person.reported_age is not None and person.age_reported_on is not None:
        limit = math.floor((ADULT_AGE - 1 - person.reported_age) * DAYS_PER_YEAR)
        if day is not None:
            return LATEST if (day - person.age_reported_on).days <= limit else EARLIEST
        if limit >= 0:
            return LATEST  # a minor on the day the age was reported, so at the fact, whatever the as-of date
        return _plus(person.age_reported_on, limit + 1)
    return EARLIEST


# A person's standing ---------------------------------------------------------------------------------------


def _steps(
    facts: Iterable[tuple[dt.date, dt.date, dt.date, FactSpans]],
) -> list[tuple[dt.date, dt.date, list[tuple[FactSpans, dt.date]]]]:
    """The intervals between every end of the given spans (and minor limits inside them), each with the facts
    in force throughout it; intervals where none is are left out."""
    items = list(facts)
    points = {point for start, until, _minor, _fact in items for point in (start, until)}
    points |= {minor for start, until, minor, _fact in items if start < minor < until}
    ordered = sorted(points)
    steps = []
    for start, until in pairwise(ordered):
        active = [(fact, minor) for begin, end, minor, fact in items if begin <= start < end]
        if active:
            steps.append((start, until, active))
    return steps


def _merged(rows: list[Standing]) -> list[Standing]:
    """Adjacent rows with the same values as one."""
    merged: list[Standing] = []
    for row in rows:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.valid_until == row.valid_from
            and (last.category, last.rank, last.minor_rank, last.severity, last.day)
            == (row.category, row.rank, row.minor_rank, row.severity, row.day)
        ):
            merged[-1] = Standing(
                last.category,
                last.valid_from,
                row.valid_until,
                last.rank,
                last.minor_rank,
                last.severity,
                last.day,
            )
        else:
            merged.append(row)
    return merged


def standing(facts: list[FactSpans]) -> list[Standing]:
    """The rows of one person for one audience (the facts it may read)."""
    by_category: dict[str, list[tuple[dt.date, dt.date, dt.date, FactSpans]]] = defaultdict(list)
    for fact in facts:
        for category, start, until in fact.spans:
            by_category[category].append((start, until, fact.minor_until, fact))
    rows: list[Standing] = []
    for category, items in by_category.items():
        steps = []
        for start, until, active in _steps(items):
            best = max(fact.rank for fact, _minor in active)
            minor = max((fact.rank for fact, limit in active if start < limit), default=None)
            steps.append(Standing(category, start, until, best, minor))
        rows.extend(_merged(steps))
    # The person as a whole: while an established fact puts them in any category.
    listed: list[tuple[dt.date, dt.date, dt.date, FactSpans]] = [
        (start, until, LATEST, fact)
        for fact in facts
        if fact.rank >= 1
        for _category, start, until in fact.spans
    ]
    whole = []
    for start, until, active in _steps(listed):
        facts_now = {id(fact): fact for fact, _limit in active}.values()
        worst = max(
            severity(category)
            for fact in facts_now
            for category, begin, end in fact.spans
            if begin <= start < end
        )
        days = [fact.day for fact in facts_now if fact.day is not None]
        whole.append(Standing("", start, until, severity=worst, day=max(days) if days else None))
    rows.extend(_merged(whole))
    return rows


def person_standing(facts: list[FactSpans]) -> list[tuple[int, Standing]]:
    """The rows of one person for every audience: (audience, row)."""
    rows: list[tuple[int, Standing]] = []
    seen = -1
    found: list[Standing] = []
    for audience in AUDIENCES:
        visible = [fact for fact in facts if fact.level <= audience]
        if len(visible) != seen:  # audiences see nested sets of facts: the same size is the same set
            found, seen = standing(visible), len(visible)
        rows.extend((audience, row) for row in found)
    return rows
