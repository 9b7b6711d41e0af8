"""Possible existing matches, shown before a person is saved."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import staff
from vigil.accounts.roles import Role
from vigil.matching.models import MatchPair
from vigil.matching.selectors import match_candidates_for
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spelling", ["Narges Mohamadi", "نرگس محمدي", "Narges Mohammadi", "نرگس محمدی"])
def test_a_person_entered_in_any_spelling_finds_the_one_recorded(make_person, mashhad, reviewer, spelling):
    """Entering "Narges Mohamadi" or "نرگس محمدي" offers the recorded Narges Mohammadi first."""
    narges = make_person("نرگس محمدی", "Narges Mohammadi", gender="female", age=53, residence=mashhad)
    make_person("Sepideh Gholian", gender="female", age=30)
    found = match_candidates_for(names=[spelling], reported_age=53, gender="female", viewer=reviewer)
    assert [c.person for c in found][:1] == [narges]
    assert found[0].evidence["levels"]["birth"] == "same"


def test_a_namesake_from_elsewhere_of_another_age_is_not_offered_as_likely(make_person, mashhad, reviewer):
    """A recorded Mohammad Hosseini aged 60 is not a likely match for one aged 20 entered elsewhere."""
    from tests.factories import PlaceFactory
    from vigil.places.models import Place

    sistan = PlaceFactory(kind=Place.Kind.PROVINCE)
    make_person("Mohammad Hosseini", gender="male", age=60, residence=mashhad)
    found = match_candidates_for(
        names=["محمد حسینی"], reported_age=20, gender="male", place=sistan, viewer=reviewer
    )
    assert all(c.probability < 0.5 for c in found)


def test_merged_away_people_are_not_offered(make_person, reviewer):
    """A person merged into another is reached through the one kept, not offered on their own."""
    from vigil.matching.services import person_merge

    keep = make_person("Narges Mohammadi", gender="female")
    gone = make_person("نرگس محمدی", gender="female")
    person_merge(keep=keep, merge=gone, actor=reviewer, reason="Same person, two sources.")
    found = match_candidates_for(names=["Narges Mohamadi"], viewer=reviewer)
    assert [c.person for c in found] == [keep]


def test_people_the_viewer_may_not_see_are_not_offered(make_person):
    """A restricted person is not offered to a documenter without restricted access."""
    make_person("Varisheh Moradi", gender="female", confidentiality="restricted")
    documenter = staff(Role.DOCUMENTER, restricted=False)
    assert match_candidates_for(names=["وریشه مرادی"], viewer=documenter) == []
    assert len(match_candidates_for(names=["وریشه مرادی"], viewer=staff())) == 1


@pytest.mark.parametrize("names", [[], [""], ["Seyed"], ["سید حاج"], ["x" * 10_000]])
def test_names_that_cannot_be_compared_are_refused_with_the_reason(names):
    """No usable name: a ValidationError that says why, never a crash."""
    with pytest.raises(ValidationError, match="No name can be compared"):
        match_candidates_for(names=names)


def test_a_usable_name_beside_an_unusable_one_is_still_searched(make_person, reviewer):
    """An honorific-only or 10,000-character entry next to a real name does not stop the search."""
    narges = make_person("Narges Mohammadi", gender="female")
    found = match_candidates_for(names=["Seyed", "x" * 10_000, "Narges Mohamadi"], viewer=reviewer)
    assert [c.person for c in found] == [narges]


def test_looking_for_matches_writes_nothing(make_person, reviewer):
    """Candidates are only shown: no pair is queued and nobody is merged."""
    make_person("Narges Mohammadi", gender="female")
    make_person("نرگس محمدی", gender="female")
    match_candidates_for(names=["Narges Mohamadi"], viewer=reviewer)
    assert MatchPair.objects.count() == 0
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_someone_reported_in_the_capital_is_still_offered_for_their_home_province(
    make_person, mashhad, reviewer
):
    """Many people are reported in the capital, where they were arrested, rather than at home: a recorded
    Varisheh Moradi of Tehran is offered for one of the same age entered in Mashhad ("different provinces,
    one of them where many are reported"), not ruled out as of another province."""
    from tests.factories import PlaceFactory
    from vigil.places.models import Place

    tehran_province = PlaceFactory(kind=Place.Kind.PROVINCE, name_en="Tehran")
    tehran = PlaceFactory(kind=Place.Kind.CITY, name_en="Tehran", parent=tehran_province)
    for i in range(24):
        make_person(["Ali Karimi", "Sara Ahmadi", "Reza Rezaei", "Maryam Hosseini"][i % 4], residence=tehran)
    make_person("Sepideh Gholian", gender="female", residence=mashhad)
    varisheh = make_person("Varisheh Moradi", gender="female", age=30, residence=tehran)
    found = match_candidates_for(
        names=["وریشه مرادی"], reported_age=30, gender="female", place=mashhad, viewer=reviewer
    )
    assert [c.person for c in found][:1] == [varisheh]
    assert found[0].evidence["levels"]["place"] == "different_hub"


def test_an_arrest_weeks_before_a_recorded_death_is_no_evidence_against(make_person, reviewer):
    """Ali Heydari recorded killed on 9 February 2026, entered as arrested on 8 January: someone arrested and
    later killed, not two people (an arrest and a death are not compared); a namesake arrested a month later
    is someone else, not offered at all."""
    import datetime as dt

    from tests.factories import DetentionFactory, cite, day
    from vigil.events.services import casualty_record

    killed = make_person("علی حیدری", "Ali Heydari", gender="male")
    casualty_record(
        person=killed,
        kind="killed",
        occurred=day(2026, 2, 9),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )
    arrested = make_person("Ali Heydari", gender="male")
    DetentionFactory(person=arrested, arrested=day(2026, 2, 9))

    found = match_candidates_for(names=["Ali Heydari"], arrested_on=dt.date(2026, 1, 8), viewer=reviewer)
    levels = {candidate.person: candidate.evidence["levels"]["days"] for candidate in found}
    assert levels == {killed: "unknown"}
    assert arrested not in levels
