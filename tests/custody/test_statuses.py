import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DetentionFactory, cite, day, month, staff
from vigil.core.dates import FuzzyDate
from vigil.custody.models import Detention, StatusObservation
from vigil.custody.selectors import detention_open_statuses
from vigil.custody.services import detention_release, status_end, status_record
from vigil.sources.selectors import citations_for

pytestmark = pytest.mark.django_db


def common() -> dict[str, Any]:
    """The actor (a reviewer) and reason every service call here takes."""
    return {"actor": staff(), "reason": "Test"}


def _status(
    detention: Detention, status: str = "incommunicado", started: FuzzyDate | None = None, **fields: Any
) -> StatusObservation:
    return status_record(
        detention=detention,
        status=status,
        started=started or day(2026, 1, 8),
        citations=[cite()],
        **common(),
        **fields,
    )


def test_a_status_is_recorded_open_and_cited():
    """A status without an end is ongoing, and cites its source."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    observation = _status(detention, started=day(2026, 1, 9))
    assert list(detention_open_statuses(detention)) == [observation]
    assert citations_for(observation).count() == 1
    assert observation.confidentiality == detention.confidentiality


def test_a_status_ending_before_it_starts_is_refused():
    """A status runs forwards; both dates are in the message."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    message = re.escape("The status “On hunger strike” ends on 2026-01-10, before it starts on 2026-01-12.")
    with pytest.raises(ValidationError, match=message):
        _status(detention, "hunger_strike", started=day(2026, 1, 12), ended=day(2026, 1, 10))
    assert not StatusObservation.objects.exists()


def test_a_status_before_the_arrest_is_refused():
    """No condition of custody before the custody began."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(ValidationError, match="starting 2026-01-01 is before the arrest date 2026-01-08"):
        _status(detention, started=day(2026, 1, 1))


def test_a_status_in_the_month_of_the_arrest_is_accepted():
    """'Incommunicado since January 2026' is not before an arrest on 8 January."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    _status(detention, started=month(2026, 1))


def test_a_status_after_the_release_is_refused():
    """No condition of custody after the release."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    detention_release(
        detention=detention, released=day(2026, 1, 20), release_kind="bail", citations=[cite()], **common()
    )
    with pytest.raises(ValidationError, match="is after the release date 2026-01-20"):
        _status(detention, started=day(2026, 1, 22))


def test_an_unknown_status_is_refused_listing_the_known_ones():
    """Statuses are a vocabulary."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    with pytest.raises(ValidationError, match=r"Unknown Custody status “missing”.*whereabouts_unknown"):
        _status(detention, "missing")


def test_the_same_status_open_twice_is_refused():
    """A second 'incommunicado since' for a detention already incommunicado is refused; cite the first."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    first = _status(detention, started=day(2026, 1, 8))
    with pytest.raises(
        ValidationError, match=rf"already recorded as ongoing since 2026-01-08 \(observation #{first.pk}\)"
    ):
        _status(detention, started=day(2026, 1, 12))


def test_different_statuses_may_be_open_together():
    """Incommunicado and on hunger strike at once are two observations."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    _status(detention, "incommunicado")
    _status(detention, "hunger_strike")
    assert detention_open_statuses(detention).count() == 2


def test_ending_a_status_closes_it_and_cites_the_source():
    """Ending a status records the end date and its source."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    observation = _status(detention)
    status_end(observation=observation, ended=day(2026, 2, 1), citations=[cite()], **common())
    observation.refresh_from_db()
    assert observation.ended == day(2026, 2, 1)
    assert citations_for(observation).count() == 2
    assert not detention_open_statuses(detention).exists()


def test_ending_a_status_before_it_started_is_refused():
    """The end of a status cannot precede its start."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    observation = _status(detention, started=day(2026, 1, 10))
    with pytest.raises(ValidationError, match="ends on 2026-01-09, before it starts on 2026-01-10"):
        status_end(observation=observation, ended=day(2026, 1, 9), citations=[cite()], **common())


def test_ending_a_status_twice_is_refused():
    """A status ends once; a correction edits the end."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    observation = _status(detention)
    status_end(observation=observation, ended=day(2026, 2, 1), citations=[cite()], **common())
    with pytest.raises(ValidationError, match="This status already ended on 2026-02-01"):
        status_end(observation=observation, ended=day(2026, 2, 5), citations=[cite()], **common())


def test_ending_a_status_needs_a_date():
    """An end without any date is refused; a month or a year is enough."""
    detention = DetentionFactory(arrested=day(2026, 1, 8))
    observation = _status(detention)
    with pytest.raises(ValidationError, match="a month or a year is enough"):
        status_end(observation=observation, ended=month(2026, 1).unknown(), citations=[cite()], **common())
