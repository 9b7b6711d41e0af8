from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import FacilityFactory, SourceFactory, cite, day, staff
from vigil.core.dates import parse_fuzzy_date
from vigil.custody.models import Detention, StatusObservation
from vigil.custody.selectors import detention_open_statuses, detention_was_minor
from vigil.custody.services import detainee_intake
from vigil.people.models import NameVariant, Person
from vigil.sources.models import Citation
from vigil.sources.selectors import citations_for

pytestmark = pytest.mark.django_db

TABLES = (Person, NameVariant, Detention, StatusObservation, Citation)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def _intake(**fields: Any) -> Detention:
    values: dict[str, Any] = {
        "actor": staff(),
        "reason": "From a Telegram post",
        "names": ["سارا احمدی", "Sara Ahmadi"],
        "citation": cite(SourceFactory(kind="social_post", url="https://t.me/hengaw/1001")),
        "arrested": parse_fuzzy_date("۱۴۰۴/۱۰/۱۸"),
    } | fields
    return detainee_intake(**values)


def test_an_intake_records_person_detention_and_status_each_citing_the_post():
    """One intake creates the person with names, the detention and 'incommunicado', each citing the post."""
    user = staff()
    evin = FacilityFactory(name_en="Evin")
    detention = _intake(actor=user, facility=evin, incommunicado_since=day(2026, 1, 8), gender="female")
    person = detention.person
    assert person.names.count() == 2
    assert person.gender == "female"
    assert detention.arrested == day(2026, 1, 8)
    assert detention.facility == evin
    status = detention_open_statuses(detention).get()
    assert status.status.code == "incommunicado"
    for fact in (person, detention, status):
        assert [c.source.url for c in citations_for(fact)] == ["https://t.me/hengaw/1001"]
    assert detention.history.get().history_user == user


def test_an_intake_without_incommunicado_records_no_status():
    """The status is only recorded when its date is given."""
    detention = _intake()
    assert not detention.statuses.exists()


def test_a_failed_intake_saves_nothing_at_all():
    """Incommunicado before the arrest is refused, and neither the person, names, detention nor citations
    remain: the intake is one transaction."""
    SourceFactory()  # rows that exist before stay
    before = _counts()
    with pytest.raises(ValidationError, match="is before the arrest date 2026-01-08"):
        _intake(incommunicado_since=day(2026, 1, 1))
    assert _counts() == before


def test_an_intake_with_markup_in_a_name_saves_nothing():
    """A name carrying HTML refuses the whole intake."""
    before = _counts()
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        _intake(names=["<script>alert(1)</script>"])
    assert _counts() == before


def test_an_intake_without_a_name_saves_nothing():
    """An intake needs a name."""
    before = _counts()
    with pytest.raises(ValidationError, match="A person needs at least one name"):
        _intake(names=[" "])
    assert _counts() == before


def test_an_intake_with_an_unknown_occupation_saves_nothing():
    """An unknown occupation code refuses the intake and lists the known ones."""
    before = _counts()
    with pytest.raises(ValidationError, match=r"Unknown Occupation or role “pupil”.*school_student"):
        _intake(occupations=["pupil"])
    assert _counts() == before


def test_a_reported_age_is_the_age_at_the_arrest():
    """'A 17-year-old arrested on 18 Dey 1404' is a minor at the arrest date."""
    detention = _intake(reported_age=17)
    assert detention.person.age_reported_on == detention.arrested.value
    assert detention_was_minor(detention) is True


def test_a_reported_age_with_a_month_precise_arrest_is_dated_by_the_post():
    """When the arrest day is unknown, the age is as of the post's publication."""
    source = SourceFactory(published_on=parse_fuzzy_date("2026-01-09").value)
    detention = _intake(reported_age=18, arrested=parse_fuzzy_date("1404/10"), citation=cite(source))
    assert detention.person.age_reported_on == source.published_on
