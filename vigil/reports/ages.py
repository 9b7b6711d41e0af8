"""Minors in SQL: ``Person.age_on`` written as an SQL condition, so counts of minors need no Python pass
over every person.

The rule is the person model's: exact whole years from a birth date (its last possible day, so minors
are never missed by rounding up), else the youngest age consistent with an age reported on a date. Dates
of birth known only to a Jalali month or year use an upper bound of their last day instead of the exact
one (at most two days later), again erring towards counting a minor.
"""

from __future__ import annotations

from vigil.people.models import ADULT_AGE
from vigil.reports.dialect import Dialect

_DAYS_PER_YEAR = 365.25  # as in Person.age_on


def _birth_latest_ymd(dialect: Dialect, person: str) -> str:
    """YYYYMMDD of the last day the person's (fuzzy) birth date may stand for."""
    birth = f"{person}.birth_on"
    ymd = dialect.ymd
    # A Jalali month starting in Gregorian March to August is one of the six 31-day months.
    jalali_month_days = (
        f"CASE WHEN ({ymd(birth)} / 100) %% 100 BETWEEN 3 AND 8 "
        f"THEN {ymd(dialect.add_days(birth, 30))} ELSE {ymd(dialect.add_days(birth, 29))} END"
    )
    return (
        f"CASE {person}.birth_precision "
        f"WHEN 'month' THEN {ymd(dialect.end_of_month(birth))} "
        f"WHEN 'year' THEN ({ymd(birth)} / 10000) * 10000 + 1231 "
        f"WHEN 'jmonth' THEN {jalali_month_days} "
        f"WHEN 'jyear' THEN {ymd(dialect.add_days(birth, 365))} "
        f"ELSE {ymd(birth)} END"
    )


def minor_on(dialect: Dialect, person: str, day_sql: str) -> str:
    """SQL: the person (table alias ``person``) was under 18 on the date ``day_sql``; false when unknown."""
    years = ADULT_AGE
    return (
        f"(CASE WHEN {person}.birth_on IS NOT NULL AND {person}.birth_precision <> 'unknown' "
        f"THEN ({dialect.ymd(day_sql)} - {_birth_latest_ymd(dialect, person)}) < {years * 10000} "
        f"WHEN {person}.reported_age IS NOT NULL AND {person}.age_reported_on IS NOT NULL "
        f"THEN {dialect.days_between(day_sql, person + '.age_reported_on')} "
        f"< ({years} - {person}.reported_age) * {_DAYS_PER_YEAR} "
        f"ELSE FALSE END)"
    )
