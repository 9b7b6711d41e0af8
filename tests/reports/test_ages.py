"""The SQL minor rule agrees with ``Person.is_minor_on``, the one rule of the record: counted when certainly
under 18."""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

import datetime as dt

import pytest

from tests.factories import PersonFactory
from vigil.core.dates import FuzzyDate, Precision
from vigil.people.models import Person
from vigil.reports.ages import minor_on
from vigil.reports.dialect import Dialect, fetch_all
from vigil.reports.timeframe import end_of_day

pytestmark = pytest.mark.django_db

BIRTHS = [
    FuzzyDate(dt.date(2008, 1, 9), Precision.DAY),
    FuzzyDate(dt.date(2008, 2, 29), Precision.DAY),
    FuzzyDate(dt.date(2008, 1, 1), Precision.MONTH),
    FuzzyDate(dt.date(2008, 2, 1), Precision.MONTH),
    FuzzyDate(dt.date(2008, 1, 1), Precision.YEAR),
    FuzzyDate(dt.date(2008, 3, 20), Precision.JALALI_YEAR),  # 1387
    FuzzyDate(dt.date(2008, 1, 21), Precision.JALALI_MONTH),  # Bahman 1386
]
DAYS = [
    dt.date(2026, 1, 8),
    dt.date(2026, 1, 9),
    dt.date(2026, 1, 31),
    dt.date(2026, 2, 1),
    dt.date(2026, 2, 28),
    dt.date(2026, 3, 1),
    dt.date(2026, 12, 31),
    dt.date(2027, 1, 1),
]


def _sql_minor(person: Person, day: dt.date) -> bool:
    dialect = Dialect()
    row = fetch_all(
        f"SELECT CASE WHEN {minor_on(dialect, 'p', dialect.date_param('day'))} THEN 1 ELSE 0 END "
        "FROM people_person p WHERE p.id = %(id)s",
        {"day": day, "id": person.pk},
    )
    return bool(row[0][0])


@pytest.mark.parametrize("birth", BIRTHS, ids=lambda birth: f"{birth.iso()}-{birth.precision}")
def test_minority_from_a_birth_date_matches_the_person_model(birth):
    """Day, month and year precision (Gregorian and Jalali), 29 February included, to the day."""
    someone = PersonFactory(birth=birth)
    for day in [
        *DAYS,
        dt.date(2026, 3, 19),
        dt.date(2026, 3, 20),
        dt.date(2026, 1, 20),
        dt.date(2026, 1, 21),
    ]:
        assert _sql_minor(someone, day) == (someone.is_minor_on(day) is True), day


@pytest.mark.parametrize("age", [16, 17, 18])
def test_minority_from_a_reported_age_matches_the_person_model(age):
    """The oldest age consistent with "N years old on 5 January 2026", before and after that day."""
    someone = PersonFactory(reported_age=age, age_reported_on=dt.date(2026, 1, 5))
    for day in [dt.date(2025, 1, 4), dt.date(2025, 1, 6), *DAYS, dt.date(2027, 1, 4), dt.date(2027, 1, 6)]:
        assert _sql_minor(someone, day) == (someone.is_minor_on(day) is True), day


def test_a_birth_known_to_a_year_counts_only_while_certainly_a_minor():
    """Born in 2008: certainly 17 until 31 December 2025, possibly 18 from 1 January 2026, certainly 18 from
    31 December 2026."""
    someone = PersonFactory(birth=FuzzyDate(dt.date(2008, 1, 1), Precision.YEAR))
    answers = [
        someone.is_minor_on(dt.date(year, month, day))
        for year, month, day in [(2025, 12, 31), (2026, 1, 1), (2026, 12, 30), (2026, 12, 31)]
    ]
    assert answers == [True, None, None, False]
    assert [_sql_minor(someone, dt.date(2025, 12, 31)), _sql_minor(someone, dt.date(2026, 1, 1))] == [
        True,
        False,
    ]


def test_a_person_of_unknown_age_is_never_counted_a_minor():
    """No birth date, no reported age: not a minor (we cannot say)."""
    assert not _sql_minor(PersonFactory(), dt.date(2026, 1, 9))


def test_known_on_a_day_means_until_the_end_of_that_day():
    """The cutoff of "known on 9 January" is the last instant of the 9th."""
    cutoff = end_of_day(dt.date(2026, 1, 9))
    assert cutoff.date() == dt.date(2026, 1, 9)
    assert (cutoff + dt.timedelta(microseconds=1)).date() == dt.date(2026, 1, 10)
