"""A small public record for the site's tests: a journalist held incommunicado in Evin, a teenager killed
in Malekshahi, and records the public must never see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from tests.factories import DetentionFactory, EventFactory, PersonFactory, SourceFactory, cite, day, staff
from vigil.custody.services import detention_release, status_record
from vigil.events.services import casualty_record
from vigil.people.models import Person
from vigil.places.models import Facility, Place
from vigil.sources.services import figure_record


@dataclass
class Record:
    narges: Person
    teen: Person
    released: Person
    hidden: Person
    evin: Facility


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def record(db) -> Record:
    actor = staff()
    evin = Facility.objects.get(code="ir-evin")
    mashhad = Place.objects.get(code="ir-razavi-khorasan-mashhad")
    narges = PersonFactory(
        names=["نرگس محمدی", "Narges Mohammadi"],
        confidentiality="public",
        gender="female",
        occupations=["journalist"],
        ethnicity="persian",
        summary_en="Human rights defender, 2023 Nobel Peace laureate.",
        notes="INTERNAL NOTE: lawyer's phone",
        family_contact="RESTRICTED CONTACT: son in Paris",
    )
    detention = DetentionFactory(
        person=narges, arrested=day(2025, 12, 12), facility=evin, arrest_place=mashhad
    )
    status_record(
        detention=detention,
        status="incommunicado",
        started=day(2025, 12, 12),
        citations=[cite()],
        actor=actor,
        reason="Son's statement",
    )
    malekshahi = Place.objects.get(code="ir-ilam-malekshahi")
    march = EventFactory(
        title_en="Malekshahi march", title_fa="راهپیمایی ملکشاهی", started=day(2026, 1, 3), place=malekshahi
    )
    teen = PersonFactory(
        names=["Reza Test", "رضا آزمون"],
        confidentiality="public",
        gender="male",
        reported_age=16,
        age_reported_on=dt.date(2026, 1, 3),
    )
    casualty_record(
        person=teen,
        kind="killed",
        occurred=day(2026, 1, 3),
        place=malekshahi,
        event=march,
        citations=[cite()],
        actor=actor,
        reason="HRANA",
    )
    released = PersonFactory(names=["Sara Released", "سارا آزاد"], confidentiality="public", gender="female")
    freed = DetentionFactory(person=released, arrested=day(2026, 1, 2))
    detention_release(
        detention=freed,
        released=day(2026, 1, 5),
        release_kind="bail",
        citations=[cite()],
        actor=actor,
        reason="Family",
    )
    hidden = PersonFactory(names=["Hidden Witness", "شاهد پنهان"], confidentiality="internal")
    DetentionFactory(person=hidden, arrested=day(2026, 1, 4), facility=evin)
    source = SourceFactory(title="HRANA daily report", confidentiality="public")
    figure_record(
        actor=actor,
        reason="HRANA",
        source=source,
        metric="arrested",
        qualifier="at_least",
        value=2300,
        published_on=dt.date(2026, 1, 9),
        period_start=dt.date(2025, 12, 28),
        period_end=dt.date(2026, 1, 9),
    )
    return Record(narges=narges, teen=teen, released=released, hidden=hidden, evin=evin)
