"""Reports for a province, a city, a facility or a university, and naming the scope."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import EventFactory, UniversityFactory, cite, day, staff
from tests.reports.conftest import arrest, casualty, people, place, public_report
from vigil.custody.services import transfer_record
from vigil.places.models import Facility
from vigil.reports.scope import ScopeKind, scope_resolve

pytestmark = pytest.mark.django_db


def test_a_province_report_counts_arrests_in_its_cities():
    """Arrested in Malekshahi (Ilam): in the Ilam report, not in the Tehran one."""
    arrest(arrest_place=place("ir-ilam-malekshahi"))

    assert people(public_report(scope=scope_resolve("Ilam")), "arrested") == 1
    assert people(public_report(scope=scope_resolve("Tehran")), "arrested") == 0


def test_a_detention_without_a_place_is_where_its_facility_is():
    """Held at Evin, place of arrest unknown: in the Tehran report."""
    arrest(facility=Facility.objects.get(code="ir-evin"))

    assert people(public_report(scope=scope_resolve("ir-tehran")), "arrested") == 1


def test_a_facility_report_counts_people_transferred_there():
    """Arrested in Ilam, transferred to Evin on 6 January: in the Evin report from that day."""
    detention = arrest(when=day(2026, 1, 4), arrest_place=place("ir-ilam"))
    transfer_record(
        detention=detention,
        to_facility=Facility.objects.get(code="ir-evin"),
        transferred=day(2026, 1, 6),
        citations=[cite()],
        actor=staff(),
        reason="Test",
    )

    evin = scope_resolve("facility:Evin")
    assert people(public_report(scope=evin), "detained") == 1


def test_a_university_report_counts_arrests_at_its_protests():
    """Arrested at a student protest at the university: in that university's report."""
    university = UniversityFactory()
    protest = EventFactory(
        kind="student_protest", university=university, started=day(2026, 1, 5), confidentiality="public"
    )
    arrest(when=day(2026, 1, 5), event=protest)

    report = public_report(scope=scope_resolve(f"university:{university.code}"))
    assert people(report, "arrested") == 1
    assert report.events.protests == 1


def test_a_killing_without_a_place_is_where_its_event_was():
    """Killed at the Malekshahi march (no place of its own): in the Ilam report."""
    march = EventFactory(place=place("ir-ilam-malekshahi"), started=day(2026, 1, 3), confidentiality="public")
    casualty(event=march, when=day(2026, 1, 3))

    assert people(public_report(scope=scope_resolve("Ilam")), "killed") == 1


@pytest.mark.parametrize("text", ["ir-kermanshah", "Kermanshah", "كرمانشاه", "کرمانشاه"])
def test_a_province_is_found_by_code_or_by_name_in_either_script(text):
    """A province wins over its capital city of the same name."""
    scope = scope_resolve(text)
    assert (scope.kind, scope.code, scope.place_kind) == (ScopeKind.PLACE, "ir-kermanshah", "province")


def test_no_scope_is_the_whole_country():
    """An empty scope is the country."""
    assert scope_resolve("").is_country


def test_an_unknown_scope_is_refused_with_what_to_write_instead():
    """The message says how to name a place."""
    with pytest.raises(
        ValidationError, match=r"No place is called “Atlantis”\. Give a province or city by code"
    ):
        scope_resolve("Atlantis")
