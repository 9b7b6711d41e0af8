"""Searching people and events by name across scripts, with typos, ranked, for what the reader may see."""

import pytest
from django.core.management import call_command

from tests.factories import EventFactory, PersonFactory, staff
from vigil.people.services import name_add, person_update
from vigil.search.models import SearchEntry
from vigil.search.selectors import search_records
from vigil.search.services import search_reindex

pytestmark = pytest.mark.django_db


def _people(query: str, viewer=None) -> list[int]:
    return [hit.record_id for hit in search_records(viewer=viewer, query=query, kind="person").hits]


@pytest.fixture
def narges():
    return PersonFactory(names=["نرگس محمدی", "Narges Mohammadi"], confidentiality="public")


def test_latin_spelling_finds_the_persian_name(narges):
    """ "Mohamadi" finds "نرگس محمدی" through the shared skeleton, and ranks it first."""
    PersonFactory(names=["سپیده قلیان"], confidentiality="public")
    assert _people("Mohamadi")[0] == narges.pk


def test_arabic_letter_forms_find_the_persian_name():
    """ "محمدي" (Arabic yeh) finds "نرگس محمدی" (Persian yeh)."""
    person = PersonFactory(names=["نرگس محمدی"], confidentiality="public")
    assert _people("محمدي") == [person.pk]


def test_persian_query_finds_a_person_named_only_in_latin():
    """A Persian-script query finds a person recorded only under a Latin spelling."""
    person = PersonFactory(names=["Varisheh Moradi"], confidentiality="public")
    assert _people("وریشه مرادی") == [person.pk]


def test_a_typo_still_finds_the_person(narges):
    """One wrong letter ("Mohamadu") still finds the person."""
    assert narges.pk in _people("Narges Mohamadu")


def test_exact_names_rank_above_similar_ones():
    """The exact spelling ranks above a merely similar name."""
    similar = PersonFactory(names=["Mahmoud Mohammadian"], confidentiality="public")
    exact = PersonFactory(names=["Ali Mohammadi"], confidentiality="public")
    found = _people("Mohammadi")
    assert found[0] == exact.pk
    assert similar.pk not in found[:1]


def test_a_prefix_finds_the_name_while_typing(narges):
    """The first letters of a name are enough."""
    assert _people("Narg") == [narges.pk]


def test_unrelated_names_are_not_found(narges):
    """A name sharing nothing with the query is not a result."""
    assert _people("Sepideh Gholian") == []


def test_internal_people_are_hidden_from_the_public():
    """An internal record is never a result for an anonymous reader."""
    PersonFactory(names=["Narges Mohammadi"], confidentiality="internal")
    assert _people("Mohammadi") == []


def test_merged_people_are_not_results(narges):
    """A person merged into another is found as the other, never as themselves."""
    duplicate = PersonFactory(names=["Narges Mohamadi"], confidentiality="public")
    duplicate.merged_into = narges
    duplicate.save()
    assert _people("Narges Mohamadi") == [narges.pk]


def test_retracted_people_are_not_results():
    """A retracted person is not a result."""
    PersonFactory(names=["Narges Mohammadi"], confidentiality="public", verification="retracted")
    assert _people("Narges") == []


def test_a_name_added_later_is_found_at_once(narges):
    """The index follows a name added through the service."""
    name_add(person=narges, name="Narges Mohammadi-Rahmani", actor=staff(), reason="A new spelling")
    assert _people("Rahmani") == [narges.pk]


def test_making_a_person_public_makes_them_findable():
    """Confidentiality is read from the record at search time, not from the index."""
    person = PersonFactory(names=["Sepideh Gholian"], confidentiality="internal")
    assert _people("Gholian") == []
    person_update(person=person, actor=staff(), reason="Published by her family", confidentiality="public")
    assert _people("Gholian") == [person.pk]


def test_events_are_found_by_title():
    """Events are found by their titles in either language."""
    event = EventFactory(title_en="Memorial for Khosrow Alikordi", title_fa="مراسم یادبود خسرو علیکردی")
    hits = search_records(viewer=None, query="Alikordi", kind="event").hits
    assert [hit.record_id for hit in hits] == [event.pk]


def test_reindex_rebuilds_the_index(narges):
    """``vigil reindex`` rebuilds every entry from the records."""
    SearchEntry.objects.all().delete()
    assert _people("Narges") == []
    call_command("reindex", verbosity=0)
    assert _people("Narges") == [narges.pk]
    assert search_reindex()["people"] >= 1


def test_queries_of_punctuation_only_find_nothing(narges):
    """A query with no letters (quotes, operators) finds nothing and raises nothing."""
    for query in ['"', "*", "AND OR NOT", "'); DROP", "\x00", ""]:
        search_records(viewer=None, query=query)
    assert _people('"*"') == []
