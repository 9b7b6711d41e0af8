import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    DetentionFactory,
    EventFactory,
    FacilityFactory,
    PersonFactory,
    cite,
    day,
    month,
    staff,
)
from vigil.core.dates import FuzzyDate, parse_fuzzy_date
from vigil.custody.models import Detention
from vigil.custody.selectors import (
    detention_open_statuses,
    detention_was_minor,
    person_current_detention,
)
from vigil.custody.services import (
    detention_record,
    detention_release,
    execution_record,
    status_record,
    transfer_record,
)
from vigil.events.services import casualty_record
from vigil.people.models import Person
from vigil.sources.selectors import citations_for

pytestmark = pytest.mark.django_db


def common() -> dict[str, Any]:
    """The actor (a reviewer) and reason every service call here takes."""
    return {"actor": staff(), "reason": "Test"}


def _arrest(person: Person, arrested: FuzzyDate, **fields: Any) -> Detention:
    return detention_record(person=person, arrested=arrested, citations=[cite()], **common(), **fields)


def _release(detention: Detention, released: FuzzyDate, kind: str = "bail") -> Detention:
    return detention_release(
        detention=detention, released=released, release_kind=kind, citations=[cite()], **common()
    )


def test_a_detention_cites_its_source_and_takes_the_persons_confidentiality():
    """A detention is cited, and is as confidential as its person unless told otherwise."""
    person = PersonFactory(confidentiality="restricted")
    detention = _arrest(person, day(2026, 1, 8))
    assert detention.confidentiality == "restricted"
    assert citations_for(detention).count() == 1


def test_a_detention_without_a_source_is_refused():
    """An arrest needs a source like every fact."""
    with pytest.raises(ValidationError, match="Every fact needs a source"):
        detention_record(person=PersonFactory(), arrested=day(2026, 1, 8), citations=[], **common())
    assert not Detention.objects.exists()


def test_an_arrest_before_birth_is_refused_with_both_dates():
    """An arrest cannot precede the person's birth."""
    person = PersonFactory(birth=day(2005, 3, 2))
    message = re.escape("Arrest date 2001-01-01 is before the date of birth 2005-03-02.")
    with pytest.raises(ValidationError, match=message):
        _arrest(person, day(2001, 1, 1))


def test_an_arrest_after_the_persons_killing_is_refused():
    """An arrest cannot follow a recorded death."""
    person = PersonFactory()
    casualty_record(person=person, kind="killed", occurred=day(2026, 1, 3), citations=[cite()], **common())
    message = re.escape("Arrest date 2026-01-08 is after the person's death on 2026-01-03.")
    with pytest.raises(ValidationError, match=message):
        _arrest(person, day(2026, 1, 8))


def test_an_arrest_after_an_execution_is_refused():
    """An arrest cannot follow the person's execution."""
    person = PersonFactory()
    execution_record(person=person, executed=day(2025, 6, 1), citations=[cite()], **common())
    with pytest.raises(ValidationError, match="is after the person's death on 2025-06-01"):
        _arrest(person, day(2026, 1, 8))


def test_an_arrest_in_the_future_is_refused():
    """Vigil records what happened: an arrest after today is refused."""
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match=f"Arrested on {future.isoformat()} is in the future"):
        _arrest(PersonFactory(), day(future.year, future.month, future.day))


def test_an_arrest_before_the_event_it_happened_in_is_refused():
    """An arrest during an event cannot precede the event."""
    event = EventFactory(title_en="Memorial in Mashhad", started=day(2025, 12, 12))
    message = re.escape(
        "Arrest date 2025-12-01 is before the event “Memorial in Mashhad” began on 2025-12-12."
    )
    with pytest.raises(ValidationError, match=message):
        _arrest(PersonFactory(), day(2025, 12, 1), event=event)


def test_an_arrest_while_still_detained_is_refused_with_the_way_out():
    """A person still held cannot be arrested again; the message says to record the release first."""
    detention = DetentionFactory(arrested=day(2025, 12, 12))
    with pytest.raises(
        ValidationError, match=rf"still recorded as detained since 2025-12-12 \(detention #{detention.pk}\)"
    ):
        _arrest(detention.person, day(2026, 1, 8))


def test_an_arrest_within_an_earlier_detention_is_refused():
    """An arrest falling inside a closed detention of the same person looks like the same detention."""
    detention = DetentionFactory(arrested=day(2025, 10, 1))
    _release(detention, day(2025, 12, 1))
    with pytest.raises(
        ValidationError, match=r"falls within detention #\d+ \(arrested 2025-10-01, released 2025-12-01\)"
    ):
        _arrest(detention.person, day(2025, 11, 1))


def test_a_new_arrest_after_a_release_is_recorded():
    """After a release, a later arrest opens a new detention, which is the current one."""
    first = DetentionFactory(arrested=day(2025, 10, 1))
    _release(first, day(2025, 12, 1))
    second = _arrest(first.person, day(2026, 1, 8))
    assert person_current_detention(first.person) == second


def test_a_release_before_the_arrest_is_refused_with_both_dates():
    """A release cannot precede the arrest; both dates are in the message."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    message = re.escape("Release date 2026-01-02 is before the arrest date 2026-01-08.")
    with pytest.raises(ValidationError, match=message):
        _release(detention, day(2026, 1, 2))
    assert detention.released_on is None
    detention.refresh_from_db()
    assert detention.released_on is None


def test_a_release_in_the_jalali_month_of_the_arrest_is_accepted():
    """'Released in Dey 1404' is not before an arrest on 8 January 2026, which lies inside Dey."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    released = parse_fuzzy_date("1404/10")
    assert released.value == dt.date(2025, 12, 22)  # stored as the month's first day, before the arrest
    _release(detention, released)
    detention.refresh_from_db()
    assert detention.released == released


def test_a_release_in_the_month_before_a_mid_month_arrest_is_refused():
    """An interval that ends before the arrest is refused: 'December 2025' is before 8 January 2026."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(ValidationError, match="Release date 2025-12 is before the arrest date 2026-01-08"):
        _release(detention, month(2025, 12))


def test_the_database_refuses_a_day_precise_release_before_the_arrest():
    """The ordering rule is also a constraint, so a write that skips the services cannot break it."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(IntegrityError), transaction.atomic():
        Detention.objects.filter(pk=detention.pk).update(
            released_on=dt.date(2026, 1, 2), released_precision="day"
        )


def test_a_second_release_is_refused():
    """A detention ends once; a correction edits the release."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    _release(detention, day(2026, 1, 20))
    with pytest.raises(ValidationError, match="This detention already ended"):
        _release(detention, day(2026, 1, 25))


def test_a_release_with_an_unknown_date_ends_the_detention():
    """'Released, date unknown' closes the detention: the person is no longer counted as held."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    _release(detention, parse_fuzzy_date("unknown"), kind="released_unknown")
    assert person_current_detention(detention.person) is None


def test_a_release_needs_a_known_release_kind():
    """The kind of release is a vocabulary; an unknown one lists the known ones."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(ValidationError, match=r"Unknown Release or outcome “freed”.*bail"):
        _release(detention, day(2026, 1, 20), kind="freed")


def test_a_release_ends_the_statuses_still_open():
    """Conditions of custody end with the custody."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    status_record(
        detention=detention, status="incommunicado", started=day(2026, 1, 8), citations=[cite()], **common()
    )
    _release(detention, day(2026, 1, 20))
    assert not detention_open_statuses(detention).exists()
    assert detention.statuses.get().ended == day(2026, 1, 20)


def test_a_release_before_a_recorded_transfer_is_refused():
    """A person released cannot be transferred afterwards; the transfer's date is in the message."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    prison = FacilityFactory(name_en="Qarchak")
    transfer_record(
        detention=detention, to_facility=prison, transferred=day(2026, 1, 15), citations=[cite()], **common()
    )
    with pytest.raises(ValidationError, match="before the transfer to Qarchak on 2026-01-15"):
        _release(detention, day(2026, 1, 10))


def test_a_release_after_the_next_arrest_is_refused():
    """A release recorded late cannot overlap a later detention of the same person."""
    first = DetentionFactory(arrested=day(2025, 6, 1))
    _release(first, parse_fuzzy_date("unknown"), kind="released_unknown")
    second = _arrest(first.person, day(2025, 10, 1))
    Detention.objects.filter(pk=first.pk).update(release_kind=None)  # reopened for the correction below
    first.refresh_from_db()
    with pytest.raises(
        ValidationError, match=rf"after the next arrest on 2025-10-01 \(detention #{second.pk}\)"
    ):
        _release(first, day(2025, 11, 1))


def test_a_transfer_before_the_arrest_is_refused():
    """A transfer lies within the detention."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(
        ValidationError, match="Transfer date 2026-01-05 is before the arrest date 2026-01-08"
    ):
        transfer_record(
            detention=detention,
            to_facility=FacilityFactory(),
            transferred=day(2026, 1, 5),
            citations=[cite()],
            **common(),
        )


def test_a_transfer_after_the_release_is_refused():
    """No transfer after a release."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    _release(detention, day(2026, 1, 20))
    with pytest.raises(
        ValidationError, match="Transfer date 2026-01-25 is after the release date 2026-01-20"
    ):
        transfer_record(
            detention=detention,
            to_facility=FacilityFactory(),
            transferred=day(2026, 1, 25),
            citations=[cite()],
            **common(),
        )


def test_a_transfer_moves_the_person_to_the_new_facility():
    """After a transfer the detention's current facility is the new one."""
    evin, qarchak = FacilityFactory(name_en="Evin"), FacilityFactory(name_en="Qarchak")
    detention = DetentionFactory(arrested=day(2026, 1, 8), facility=evin)
    transfer_record(
        detention=detention, to_facility=qarchak, transferred=day(2026, 1, 15), citations=[cite()], **common()
    )
    assert detention.current_facility == qarchak


def test_a_minor_is_derived_from_the_birth_date_at_the_arrest_date():
    """Born 10 January 2008: a minor when arrested on 8 January 2026, an adult on 10 January."""
    person = PersonFactory(birth=day(2008, 1, 10))
    first = _arrest(person, day(2026, 1, 8))
    assert detention_was_minor(first) is True
    _release(first, day(2026, 1, 9))
    assert detention_was_minor(_arrest(person, day(2026, 1, 10))) is False


def test_an_age_reported_long_before_the_arrest_leaves_minority_open():
    """17 in March 2025: 17 or 18 at an arrest in January 2026, so neither "minor" nor "adult"; 17 reported
    the week after the arrest was a minor at it; 18 reported two years after it, an adult."""
    assert (
        detention_was_minor(
            _arrest(PersonFactory(reported_age=17, age_reported_on=dt.date(2025, 3, 1)), day(2026, 1, 8))
        )
        is None
    )
    assert (
        detention_was_minor(
            _arrest(PersonFactory(reported_age=17, age_reported_on=dt.date(2026, 1, 15)), day(2026, 1, 8))
        )
        is True
    )
    assert (
        detention_was_minor(
            _arrest(PersonFactory(reported_age=18, age_reported_on=dt.date(2025, 1, 7)), day(2026, 1, 8))
        )
        is False
    )


def test_a_month_precise_arrest_counts_the_youngest_age():
    """Arrested 'in January 2026' by someone turning 18 on 20 January: counted as a minor."""
    person = PersonFactory(birth=day(2008, 1, 20))
    assert detention_was_minor(_arrest(person, month(2026, 1))) is True


def test_minor_status_is_unknown_without_an_age():
    """Without a birth date or a reported age, whether the person was a minor is unknown, not 'no'."""
    assert detention_was_minor(DetentionFactory()) is None
