"""What each reader's report counts and names: the public sees public records only."""

import pytest

from tests.factories import EventFactory, cite, day, staff
from tests.reports.conftest import AS_OF, arrest, people, person, place, public_report, public_source
from vigil.accounts.actors import system_actor
from vigil.reports.selectors import report_as_of
from vigil.sources.services import figure_record

pytestmark = pytest.mark.django_db


def test_the_public_report_counts_only_public_records():
    """An internal detainee is counted for staff, not for the public."""
    arrest(person())
    arrest(person(confidentiality="internal"))

    assert people(public_report(), "arrested") == 1


def test_staff_count_internal_records_and_restricted_ones_only_with_clearance(staff_user, admin_user):
    """Staff see internal records; restricted ones are counted and named only for those cleared for them."""
    arrest(person())
    arrest(person(confidentiality="internal"))
    arrest(person(confidentiality="restricted", actor=system_actor()), actor=system_actor())

    for_staff = report_as_of(as_of=AS_OF, viewer=staff_user)
    for_administrator = report_as_of(as_of=AS_OF, viewer=admin_user)
    assert (people(for_staff, "arrested"), for_staff.people.total) == (2, 2)
    assert (people(for_administrator, "arrested"), for_administrator.people.total) == (3, 3)


def test_an_internal_detention_of_a_public_person_is_not_public():
    """The fact's own level counts, not only the person's."""
    arrest(person(), confidentiality="internal")

    assert people(public_report(), "arrested") == 0


def test_the_public_report_leaves_out_internal_events_and_figures_from_internal_sources():
    """An internal protest and a figure whose source is internal stay out of the public report."""
    EventFactory(place=place("ir-ilam"), started=day(2026, 1, 3), confidentiality="internal")
    figure_record(
        actor=staff(),
        reason="Test",
        source=public_source(confidentiality="internal"),
        metric="arrested",
        qualifier="at_least",
        value=100,
        published_on=AS_OF,
        period_end=AS_OF,
        place=place("ir"),
    )

    report = public_report()
    assert (report.events.protests, report.figures.own) == (0, [])


def test_the_public_list_cites_only_public_sources():
    """A detainee's internal source is not named to the public."""
    secret = public_source(confidentiality="internal", title="A witness's message")
    arrest(person(citations=[cite(public_source(title="A public report"))]), citations=[cite(secret)])

    sources = public_report().people.entries[0].sources
    assert [source.title for source in sources] == ["A public report"]
