import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    DetentionFactory,
    PersonFactory,
    PlaceFactory,
    cite,
    day,
    month,
    staff,
)
from vigil.core.models import Term
from vigil.people.models import NameVariant, Person
from vigil.people.services import NameInput, name_add, person_create, person_update
from vigil.sources.selectors import citations_for

pytestmark = pytest.mark.django_db


def _person(**fields: Any) -> Person:
    values: dict[str, Any] = {
        "actor": staff(),
        "reason": "Test",
        "names": ["Narges Mohammadi"],
        "citations": [cite()],
    } | fields
    return person_create(**values)


def test_a_person_is_recorded_with_names_and_the_sources_cited():
    """A new person has their names and cites their sources."""
    person = _person(names=["نرگس محمدی", "Narges Mohammadi"])
    assert [n.text for n in person.names.order_by("id")] == ["نرگس محمدی", "Narges Mohammadi"]
    assert citations_for(person).count() == 1


def test_the_first_name_in_each_script_is_primary():
    """Without a choice, the first Persian-script and the first Latin name are the primary ones."""
    person = _person(names=["نرگس محمدی", "Narges Mohammadi", "Narges Mohamadi", "نرگس محمّدی"])
    primaries = set(person.names.filter(is_primary=True).values_list("text", flat=True))
    assert primaries == {"نرگس محمدی", "Narges Mohammadi"}
    assert person.display_name("fa") == "نرگس محمدی"
    assert person.display_name("en") == "Narges Mohammadi"


def test_a_name_marked_primary_wins_over_the_first_of_its_script():
    """A name marked primary is primary, even if another name of its script comes first."""
    person = _person(names=["Narges Mohamadi", NameInput("Narges Mohammadi", is_primary=True)])
    assert person.names.get(is_primary=True).text == "Narges Mohammadi"


def test_two_names_marked_primary_in_one_script_are_refused():
    """Only one name per script can be primary."""
    names = [NameInput("Narges Mohammadi", is_primary=True), NameInput("Narges Mohamadi", is_primary=True)]
    with pytest.raises(ValidationError, match="Only one name per script can be primary"):
        _person(names=names)


def test_a_person_without_a_name_is_refused():
    """A person needs at least one name; blank entries do not count."""
    with pytest.raises(ValidationError, match="A person needs at least one name"):
        _person(names=["", "   "])
    assert not Person.objects.exists()


def test_a_name_of_invisible_marks_only_is_blank():
    """A ZWNJ or a direction mark alone (a cell that looks empty) is no name: alone it is refused as a
    person without a name; beside a real name it is dropped."""
    with pytest.raises(ValidationError, match="A person needs at least one name"):
        _person(names=["\u200c", " \u200f\u200c "])
    person = _person(names=["Narges Mohammadi", "\u200c"])
    assert list(person.names.values_list("text", flat=True)) == ["Narges Mohammadi"]


def test_the_same_name_twice_in_one_entry_is_refused():
    """A name given twice (spacing aside) is a slip, refused with the name."""
    with pytest.raises(ValidationError, match="The name “Narges Mohammadi” is given twice"):
        _person(names=["Narges Mohammadi", "Narges  Mohammadi "])


@pytest.mark.parametrize("title", ["Seyed", "سید", "Haj Agha", "حاج آقا"])
def test_a_name_that_is_only_a_title_is_refused(title: str) -> None:
    """ "Seyed" or "حاج آقا" says how someone is addressed, not who they are: refused, with the reason; a
    name with a title and a name is kept whole."""
    with pytest.raises(ValidationError, match=f"“{title}” is a title or honorific"):
        _person(names=[title, "Ali Heydari"])
    assert not Person.objects.exists()
    assert _person(names=[f"{title} Ali Heydari"]).names.get().text == f"{title} Ali Heydari"


@pytest.mark.parametrize("lost", ["عل? ح?در?", "Ali Heyd\ufffdri"])
def test_a_name_whose_letters_an_encoding_lost_is_refused(lost: str) -> None:
    """A file saved in an encoding without Persian letters turns them into "?": refused, not recorded."""
    with pytest.raises(ValidationError, match="where letters should be") as refused:
        _person(names=["Ali Heydari", lost])
    assert refused.value.code == "lost_letters"
    assert not Person.objects.exists()
    # A question mark standing alone is what a documenter typed, not a lost letter.
    assert (
        _person(names=["Ali ? (family name not known)"]).names.get().text == "Ali ? (family name not known)"
    )


def test_a_person_without_a_source_is_refused_and_nothing_is_saved():
    """Every fact has a source: a person without a citation is not recorded at all."""
    with pytest.raises(ValidationError, match="Every fact needs a source"):
        _person(citations=[])
    assert not Person.objects.exists()
    assert not NameVariant.objects.exists()


def test_names_are_stored_with_spacing_normalised_and_their_script():
    """Extra spaces are removed; the script and match key are derived from the text."""
    person = _person(names=["  نرگس   محمدی "])
    name = person.names.get()
    assert (name.text, name.script) == ("نرگس محمدی", "arab")


def test_markup_in_a_summary_is_refused_and_nothing_is_saved():
    """A summary containing a script tag is refused; no part of the person is saved."""
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        _person(summary_en="<script>alert(1)</script>")
    assert not Person.objects.exists()


def test_markup_in_a_name_is_refused_and_the_person_not_saved():
    """A name containing HTML is refused; the person saved just before it is rolled back."""
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        _person(names=["Narges Mohammadi", "<img src=x onerror=alert(1)>"])
    assert not Person.objects.exists()


def test_an_unknown_ethnicity_is_refused_listing_the_known_terms():
    """An unknown vocabulary code names itself and the codes that exist."""
    with pytest.raises(ValidationError, match=r"Unknown Ethnicity “kurdish”\. Known terms: .*kurd"):
        _person(ethnicity="kurdish")


def test_vocabulary_codes_are_resolved_to_terms():
    """Ethnicity, religion and occupations are given as codes and stored as terms."""
    person = _person(ethnicity="kurd", religion="sunni", occupations=["teacher", "labour_activist"])
    assert person.ethnicity is not None and person.religion is not None
    assert (person.ethnicity.code, person.religion.code) == ("kurd", "sunni")
    assert set(person.occupations.values_list("code", flat=True)) == {"teacher", "labour_activist"}


def test_an_unknown_occupation_is_refused_and_nothing_is_saved():
    """One bad occupation code refuses the whole entry."""
    with pytest.raises(ValidationError, match="Unknown Occupation or role “plumber”"):
        _person(occupations=["teacher", "plumber"])
    assert not Person.objects.exists()


def test_a_reported_age_without_its_date_is_refused():
    """An age is only meaningful with the date it was reported for."""
    with pytest.raises(ValidationError, match="An age needs the date it was reported for"):
        _person(reported_age=17)


def test_an_implausible_age_is_refused():
    """An age over 130 is a typing error."""
    with pytest.raises(ValidationError, match="An age of 171 is not plausible"):
        _person(reported_age=171, age_reported_on=dt.date(2026, 1, 9))


def test_a_birth_date_in_the_future_is_refused():
    """A person cannot be born after today."""
    future = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match=f"Date of birth {future.isoformat()} is in the future"):
        _person(birth=day(future.year, future.month, future.day))


def test_a_minor_is_derived_from_the_reported_age_at_a_later_date():
    """Age as reported on a date gives the age on other dates; 17 reported in January 2026 is a minor then."""
    person = _person(reported_age=17, age_reported_on=dt.date(2026, 1, 9))
    assert person.is_minor_on(dt.date(2026, 1, 9)) is True
    assert person.age_on(dt.date(2027, 1, 10)) == 18


def test_a_name_already_held_by_the_person_is_refused():
    """Adding a name the person already has is refused with the name."""
    person = _person(names=["Narges Mohammadi"])
    with pytest.raises(ValidationError, match="“Narges Mohammadi” is already a name of this person"):
        name_add(person=person, name="Narges  Mohammadi", actor=staff(), reason="Test")


def test_a_name_in_a_new_script_becomes_its_primary():
    """The first Persian-script name added to a person known by a Latin name is primary in its script."""
    person = _person(names=["Narges Mohammadi"])
    added = name_add(person=person, name="نرگس محمدی", actor=staff(), reason="Test")
    assert added.is_primary


def test_a_variant_spelling_is_kept_without_becoming_primary():
    """A spelling found in a source is a variant; the primary name stays."""
    person = _person(names=["Narges Mohammadi"])
    added = name_add(
        person=person, name=NameInput("Narges Mohamadi", kind="misspelling"), actor=staff(), reason="Test"
    )
    assert not added.is_primary
    assert person.names.get(is_primary=True).text == "Narges Mohammadi"


def test_a_new_primary_name_keeps_the_former_one_as_a_variant():
    """Marking a new name primary demotes the former primary of its script, which is kept."""
    person = _person(names=["Narges Mohamadi"])
    name_add(person=person, name=NameInput("Narges Mohammadi", is_primary=True), actor=staff(), reason="Test")
    assert list(person.names.filter(is_primary=True).values_list("text", flat=True)) == ["Narges Mohammadi"]
    assert person.names.filter(text="Narges Mohamadi", is_primary=False).exists()


def test_the_database_refuses_two_primary_names_in_one_script():
    """The one-primary-per-script rule holds even for a write that skips the services."""
    person = _person(names=["Narges Mohammadi"])
    with pytest.raises(IntegrityError), transaction.atomic():
        NameVariant.objects.create(person=person, text="Narges Mohamadi", is_primary=True)


def test_an_edit_keeps_the_old_value_in_history_with_author_and_reason():
    """After an edit, the person as of before the edit shows the old value; the edit carries its author and
    reason."""
    person = _person(summary_en="Human-rights defender.")
    before_edit = timezone.now()
    editor = staff()
    person_update(
        person=person,
        summary_en="Human-rights defender, Nobel laureate.",
        actor=editor,
        reason="Corrected from the campaign report",
    )
    assert person.history.as_of(before_edit).summary_en == "Human-rights defender."
    latest = person.history.latest()
    assert latest.summary_en == "Human-rights defender, Nobel laureate."
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        "Corrected from the campaign report",
    )


def test_an_edit_that_changes_nothing_adds_no_history():
    """Saving the same values again leaves history as it was."""
    person = _person(summary_en="Teacher.")
    count = person.history.count()
    person_update(person=person, summary_en="Teacher.", actor=staff(), reason="Test")
    assert person.history.count() == count


def test_an_edit_of_an_unknown_field_is_refused_listing_the_fields():
    """Only the known fields can be changed; the message lists them."""
    person = _person()
    with pytest.raises(
        ValidationError, match=r"Cannot change merged_into, shoe_size of a person.*summary_en"
    ):
        person_update(person=person, shoe_size=42, merged_into=None, actor=staff(), reason="Test")


def test_an_edit_resolves_vocabulary_codes():
    """Codes given in an edit are stored as terms; an unknown code is refused."""
    person = _person()
    person_update(person=person, ethnicity="baluch", actor=staff(), reason="Test")
    person.refresh_from_db()
    assert person.ethnicity == Term.objects.get(vocabulary="ethnicity", code="baluch")
    with pytest.raises(ValidationError, match="Unknown Religion “sufi”"):
        person_update(person=person, religion="sufi", actor=staff(), reason="Test")


def test_an_edit_of_occupations_is_recorded_with_author_and_reason():
    """A change of occupations is a history entry with its author and reason."""
    person = _person(occupations=["student"])
    editor = staff()
    person_update(person=person, occupations=["student", "athlete"], actor=editor, reason="Per family")
    assert set(person.occupations.values_list("code", flat=True)) == {"student", "athlete"}
    latest = person.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Per family")


def test_an_edit_with_markup_is_refused_and_the_old_value_kept():
    """A refused edit leaves the stored person unchanged."""
    person = _person(summary_en="Teacher.")
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        person_update(person=person, summary_en="<b>Teacher</b>", actor=staff(), reason="Test")
    person.refresh_from_db()
    assert person.summary_en == "Teacher."


def test_an_edit_can_cite_a_new_source():
    """An edit may add the source it comes from."""
    person = _person()
    person_update(person=person, residence=PlaceFactory(), citations=[cite()], actor=staff(), reason="Test")
    assert citations_for(person).count() == 2


def test_a_birth_date_after_an_arrest_is_refused():
    """A new birth date may not come after an arrest already recorded for the person."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    message = re.escape("Date of birth 2026-02 is after the arrest on 2026-01-08 recorded for this person.")
    with pytest.raises(ValidationError, match=message):
        person_update(person=detention.person, birth=month(2026, 2), actor=staff(), reason="Test")


def test_a_birth_month_containing_the_arrest_is_not_refused():
    """Dates are compared as intervals: a birth in January 2026 is not certainly after 8 January 2026."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    person_update(person=detention.person, birth=month(2026, 1), actor=staff(), reason="Test")


def test_a_person_merged_into_another_cannot_be_edited():
    """Facts are recorded on the surviving record, not on a person merged into it."""
    kept, merged = PersonFactory(), PersonFactory()
    Person.objects.filter(pk=merged.pk).update(merged_into=kept)
    merged.refresh_from_db()
    with pytest.raises(
        ValidationError, match=rf"was merged into .*\(#{kept.pk}\); record this on that person"
    ):
        person_update(person=merged, summary_en="x", actor=staff(), reason="Test")
