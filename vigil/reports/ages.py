"""Minors in SQL: ``Person.is_minor_on`` written as an SQL condition, so counts of minors need no Python pass
over every person.

The rule is the person model's: a count of minors says "at least", so a person counts only when certainly
under 18 on the day: from the first day a birth date may stand for (a birth known to a month or a year is
taken at its start, the oldest the person may be), else from the oldest age consistent with an age reported
on a date. An age reported for a fact whose own date is unknown is the age at that fact: the fact happened
by the day the age was reported, so the person counts when certainly a minor then.
"""

from __future__ import annotations

from vigil.people.models import ADULT_AGE, DAYS_PER_YEAR
from vigil.reports.dialect import Dialect


def minor_on(dialect: Dialect, person: str, day_sql: str, *, dated: str = "TRUE") -> str:
    """SQL: the person (table alias ``person``) was certainly under 18 on the date ``day_sql``; false when
    unknown. ``dated``: SQL, true when ``day_sql`` is the fact's own date; when false it is the as-of date,
    and an age reported before it is taken on the day it was reported."""
    reported_on = f"{person}.age_reported_on"
    day = f"CASE WHEN {dated} OR {reported_on} >= {day_sql} THEN {day_sql} ELSE {reported_on} END"
    return (
        f"(CASE WHEN {person}.birth_on IS NOT NULL AND {person}.birth_precision <> 'unknown' "
        f"THEN ({dialect.ymd(day_sql)} - {dialect.ymd(person + '.birth_on')}) < {ADULT_AGE * 10000} "
        f"WHEN {person}.reported_age IS NOT NULL AND {reported_on} IS NOT NULL "
        f"THEN {dialect.days_between(day, reported_on)} "
        f"<= ({ADULT_AGE - 1} - {person}.reported_age) * {DAYS_PER_YEAR} "
        f"ELSE FALSE END)"
    )
