import datetime as dt

import pytest

from tests.factories import PersonFactory, PlaceFactory, SourceFactory, cite, staff
from vigil.places.models import Place

REPORTED = dt.date(2026, 1, 9)


@pytest.fixture
def reviewer():
    return staff()


@pytest.fixture
def khorasan():
    return PlaceFactory(kind=Place.Kind.PROVINCE, name_en="Razavi Khorasan")


@pytest.fixture
def mashhad(khorasan):
    return PlaceFactory(kind=Place.Kind.CITY, name_en="Mashhad", parent=khorasan)


@pytest.fixture
def make_person():
    """A person through the real service: names, gender, an age reported on 9 January 2026, a residence."""

    def make(*names, gender="unknown", age=None, residence=None, source=None, **fields):
        return PersonFactory(
            names=list(names),
            gender=gender,
            reported_age=age,
            age_reported_on=REPORTED if age is not None else None,
            residence=residence,
            citations=[cite(source or SourceFactory())],
            **fields,
        )

    return make
