import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    DetentionFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    PlaceFactory,
    cite,
    day,
    month,
    staff,
)
from vigil.core.dates import FuzzyDate
from vigil.custody.services import execution_record
from vigil.events.models import Casualty, Event, Involvement
from vigil.events.selectors import event_casualties, event_parts
from vigil.events.services import casualty_record, event_record, involvement_record
from vigil.organizations.models import Organization
from vigil.people.models import Person

pytestmark = pytest.mark.django_db


def common() -> dict[str, Any]:
    """The actor (a reviewer) and reason every service call here takes."""
    return {"actor": staff(), "reason": "Test"}


def _event(**fields: Any) -> Event:
    values: dict[str, Any] = (
        {"kind": "protest", "title_en": "March in Malekshahi", "citations": [cite()]} | common() | fields
    )
    return event_record(**values)


def _casualty(
    person: Person, kind: str = "killed", occurred: FuzzyDate | None = None, **fields: Any
) -> Casualty:
    return casualty_record(
        person=person,
        kind=kind,
        occurred=occurred or day(2026, 1, 3),
        citations=[cite()],
        **common(),
        **fields,
    )


def test_an_event_keeps_forces_tactics_and_its_source():
    """An event records the forces involved and the tactics used against it, and cites its source."""
    irgc = OrganizationFactory(name_en="IRGC", kind=Organization.Kind.SECURITY)
    event = _event(
        started=day(2026, 1, 3), place=PlaceFactory(), actors=[irgc], tactics=["live_fire", "hospital_raid"]
    )
    assert list(event.actors.all()) == [irgc]
    assert set(event.tactics.values_list("code", flat=True)) == {"live_fire", "hospital_raid"}


def test_an_event_records_history_with_author_and_reason():
    """A new event's history names who recorded it and why."""
    user = staff()
    event = _event(actor=user, reason="From the campaign report")
    first = event.history.earliest()
    assert (first.history_user, first.history_change_reason) == (user, "From the campaign report")


def test_an_unknown_tactic_is_refused_listing_the_known_ones():
    """Tactics are a vocabulary; nothing is saved when one is unknown."""
    with pytest.raises(
        ValidationError, match=r"Unknown Tactic used against an event “snipers”.*rooftop_snipers"
    ):
        _event(tactics=["snipers"])
    assert not Event.objects.exists()


def test_an_unknown_event_kind_is_refused():
    """Event kinds are a vocabulary."""
    with pytest.raises(ValidationError, match="Unknown Event kind “riot”"):
        _event(kind="riot")


def test_an_event_without_a_source_is_refused():
    """Every fact has a source."""
    with pytest.raises(ValidationError, match="Every fact needs a source"):
        _event(citations=[])
    assert not Event.objects.exists()


def test_markup_in_a_description_is_refused():
    """Descriptions are plain text."""
    with pytest.raises(ValidationError, match="must not contain HTML markup"):
        _event(description_fa="<iframe src=x>")


def test_an_event_ending_before_it_starts_is_refused_with_both_dates():
    """An event runs forwards."""
    message = re.escape("End date 2026-01-02 is before the start date 2026-01-03.")
    with pytest.raises(ValidationError, match=message):
        _event(started=day(2026, 1, 3), ended=day(2026, 1, 2))


def test_an_event_ending_in_its_start_month_is_accepted():
    """An end known to the month is not before a start inside that month."""
    event = _event(started=day(2026, 1, 3), ended=month(2026, 1))
    assert event.ended == month(2026, 1)


def test_a_part_starting_before_the_whole_is_refused():
    """A protest within the uprising cannot begin before the uprising did."""
    uprising = _event(kind="uprising", title_en="Uprising of 2025–26", started=day(2025, 12, 28))
    with pytest.raises(
        ValidationError, match="before “Uprising of 2025–26”, which it is part of, began on 2025-12-28"
    ):
        _event(started=day(2025, 12, 12), part_of=uprising)


def test_parts_of_an_event_are_listed_earliest_first():
    """The parts of an event are read in order of their start."""
    uprising = _event(kind="uprising", title_en="Uprising", started=day(2025, 12, 28))
    later = _event(title_en="Malekshahi", started=day(2026, 1, 3), part_of=uprising)
    earlier = _event(title_en="Bazaar strike", kind="strike", started=day(2025, 12, 28), part_of=uprising)
    assert list(event_parts(uprising)) == [earlier, later]


def test_an_involvement_is_as_confidential_as_the_more_restricted_side():
    """A restricted person's part in a public event is restricted."""
    person = PersonFactory(confidentiality="restricted")
    event = EventFactory(confidentiality="public")
    involvement = involvement_record(
        person=person, event=event, role="witness", citations=[cite()], **common()
    )
    assert involvement.confidentiality == "restricted"


def test_the_same_role_in_the_same_event_twice_is_refused():
    """A person's role in an event is recorded once; more sources are cited on it."""
    person = PersonFactory(names=["Sepideh Gholian"])
    event = EventFactory(title_en="Memorial in Mashhad")
    involvement_record(person=person, event=event, role="mourner", citations=[cite()], **common())
    with pytest.raises(
        ValidationError, match="“Sepideh Gholian” is already recorded as “Mourner” in “Memorial in Mashhad”"
    ):
        involvement_record(person=person, event=event, role="mourner", citations=[cite()], **common())
    assert Involvement.objects.count() == 1


def test_an_unknown_role_is_refused_listing_the_roles():
    """Roles are a vocabulary."""
    with pytest.raises(ValidationError, match=r"Unknown Role in an event “victim”.*alleged_perpetrator"):
        involvement_record(
            person=PersonFactory(), event=EventFactory(), role="victim", citations=[cite()], **common()
        )


def test_an_involvement_in_an_event_before_birth_is_refused():
    """Nobody takes part in an event before they were born."""
    person = PersonFactory(birth=day(2010, 1, 1))
    event = EventFactory(started=day(2009, 6, 12))
    with pytest.raises(ValidationError, match="2009-06-12 is before the date of birth 2010-01-01"):
        involvement_record(person=person, event=event, role="participant", citations=[cite()], **common())


def test_a_death_before_birth_is_refused_with_both_dates():
    """A death cannot precede the birth."""
    person = PersonFactory(birth=day(2005, 3, 2))
    message = re.escape("Date of death 2001-01-01 is before the date of birth 2005-03-02.")
    with pytest.raises(ValidationError, match=message):
        _casualty(person, occurred=day(2001, 1, 1))
    assert not Casualty.objects.exists()


def test_a_death_in_the_birth_month_is_not_refused():
    """An infant's death in the month of birth is compared as an interval, not refused."""
    person = PersonFactory(birth=day(2026, 1, 20))
    _casualty(person, occurred=month(2026, 1))


def test_a_person_killed_twice_is_refused():
    """A person is killed once; a second record is refused, naming the first."""
    person = PersonFactory()
    first = _casualty(person, occurred=day(2026, 1, 3))
    with pytest.raises(ValidationError, match=rf"already recorded as killed on 2026-01-03 \(#{first.pk}\)"):
        _casualty(person, occurred=day(2026, 1, 4))


def test_the_database_refuses_a_second_killing_of_a_person():
    """One killing per person is also a database constraint."""
    person = PersonFactory()
    _casualty(person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Casualty.objects.create(person=person, kind="killed")


def test_a_killing_after_an_execution_is_refused():
    """An executed person is not also recorded as killed."""
    person = PersonFactory()
    execution_record(person=person, executed=day(2025, 6, 1), citations=[cite()], **common())
    with pytest.raises(ValidationError, match="already recorded as executed on 2025-06-01"):
        _casualty(person)


def test_a_death_before_a_recorded_arrest_is_refused():
    """A person cannot die before an arrest recorded for them."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    message = re.escape(
        "Date of death 2026-01-03 is before the arrest on 2026-01-08 recorded for this person."
    )
    with pytest.raises(ValidationError, match=message):
        _casualty(detention.person, occurred=day(2026, 1, 3))


def test_an_injury_after_death_is_refused():
    """Nobody is injured after their death."""
    person = PersonFactory()
    _casualty(person, occurred=day(2026, 1, 3))
    with pytest.raises(
        ValidationError, match="Date of injury 2026-01-05 is after the person's death on 2026-01-03"
    ):
        _casualty(person, kind="injured", occurred=day(2026, 1, 5))


def test_injuries_before_a_killing_are_kept():
    """A person injured and later killed has both records."""
    person = PersonFactory()
    _casualty(person, kind="injured", occurred=day(2026, 1, 3))
    _casualty(person, kind="killed", occurred=day(2026, 1, 10))
    assert person.casualties.count() == 2


def test_a_casualty_before_its_event_began_is_refused():
    """A casualty of an event cannot precede the event."""
    event = EventFactory(title_en="March in Malekshahi", started=day(2026, 1, 3))
    with pytest.raises(
        ValidationError, match="Date of death 2026-01-01 is before the event “March in Malekshahi”"
    ):
        _casualty(PersonFactory(), occurred=day(2026, 1, 1), event=event)


def test_a_casualty_keeps_cause_perpetrator_and_age():
    """Cause, alleged perpetrator and the age reported at the time are recorded."""
    event = EventFactory(started=day(2026, 1, 3))
    irgc = OrganizationFactory(kind=Organization.Kind.SECURITY)
    casualty = _casualty(PersonFactory(), event=event, cause="live_fire", perpetrator=irgc, age_reported=16)
    assert casualty.cause is not None
    assert (casualty.cause.code, casualty.perpetrator, casualty.age_reported) == ("live_fire", irgc, 16)
    assert list(event_casualties(event)) == [casualty]


def test_an_unknown_cause_is_refused_listing_the_causes():
    """Causes are a vocabulary."""
    with pytest.raises(ValidationError, match=r"Unknown Cause of death or injury “gunshot”.*live_fire"):
        _casualty(PersonFactory(), cause="gunshot")


def test_an_unknown_casualty_kind_is_refused():
    """A casualty is killed or injured."""
    with pytest.raises(ValidationError, match="is not a valid choice"):
        _casualty(PersonFactory(), kind="missing")
