import pytest

from vigil.core.models import Confidentiality
from vigil.custody.models import StatusObservation
from vigil.demo.seed import demo_load
from vigil.events.models import Event
from vigil.people.models import Person
from vigil.sources.models import Citation, ReportedFigure

pytestmark = pytest.mark.django_db


def test_seed_case_holds_only_the_named_people_of_the_sources():
    """The demo invents no individuals: the four people named in the report, nobody else."""
    demo_load()
    names = {person.display_name("en") for person in Person.objects.all()}
    assert names == {"Narges Mohammadi", "Sepideh Gholian", "Khosrow Alikordi", "Varisheh Moradi"}


def test_seed_case_holds_hrana_figures_as_reported_figures():
    """Numbers the sources give without names are reported figures, with their qualifier."""
    demo_load()
    arrested = ReportedFigure.objects.get(metric__code="arrested", place__code="ir")
    assert (arrested.qualifier, arrested.value, arrested.period_end.isoformat()) == (
        "at_least",
        2300,
        "2026-01-09",
    )
    assert arrested.source.publisher is not None
    assert arrested.source.publisher.acronym == "HRANA"
    assert ReportedFigure.objects.get(metric__code="arrested_minors", place__code="ir").value == 167


def test_seed_case_people_are_held_incommunicado_with_sources():
    """Narges Mohammadi's detention carries an open incommunicado status, and every fact cites a source."""
    demo_load()
    status = StatusObservation.objects.get(
        detention__person__names__text="Narges Mohammadi", status__code="incommunicado"
    )
    assert status.ended_on is None
    assert status.started_on is not None and status.started_on.isoformat() == "2025-12-12"
    for fact in (status, status.detention, status.detention.person):
        assert Citation.objects.filter(object_id=fact.pk, content_type__model=fact._meta.model_name).exists()


def test_seed_case_is_public_and_loads_once():
    """Loading twice adds nothing; the seed case is public information."""
    first = demo_load()
    assert first["people"] == 4
    assert demo_load() == {}
    assert Event.objects.count() == first["events"]
    assert not Person.objects.exclude(confidentiality=Confidentiality.PUBLIC).exists()
