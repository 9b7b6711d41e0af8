"""Records for the alerts tests, built through the domain services (as documenters would enter them).

Everything is entered as the system account, so these tests do not depend on which role may write what."""

from __future__ import annotations

from typing import Any

from tests.factories import REASON, DetentionFactory, FacilityFactory, PersonFactory, SourceFactory, day
from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.alerts.models import RiskKind, RiskRule
from vigil.core.dates import FuzzyDate
from vigil.custody.models import Detention, StatusObservation
from vigil.custody.services import status_record
from vigil.people.models import Person
from vigil.places.models import Facility
from vigil.sources.models import Source
from vigil.sources.services import CitationInput

NARGES = ["نرگس محمدی", "Narges Mohammadi"]


def system() -> User:
    return system_actor()


def public_source(title: str = "HRANA daily report", **fields: Any) -> Source:
    fields.setdefault("confidentiality", "public")
    return SourceFactory(title=title, actor=system(), **fields)


def cite(source: Source | None = None) -> CitationInput:
    return CitationInput(source=source or public_source())


def facility(**fields: Any) -> Facility:
    return FacilityFactory(**fields)


def held(
    *,
    arrested: FuzzyDate | None = None,
    names: list[str] | None = None,
    confidentiality: str = "public",
    source: Source | None = None,
    **person_fields: Any,
) -> tuple[Person, Detention]:
    """A person arrested on ``arrested`` (default 12 December 2025) and still held."""
    source = source or public_source()
    person = PersonFactory(
        names=names or NARGES,
        confidentiality=confidentiality,
        citations=[cite(source)],
        actor=system(),
        **person_fields,
    )
    return person, arrest(person, arrested or day(2025, 12, 12), source=source)


def arrest(person: Person, arrested: FuzzyDate, *, source: Source | None = None) -> Detention:
    return DetentionFactory(person=person, arrested=arrested, citations=[cite(source)], actor=system())


def observe(
    detention: Detention,
    status: str,
    started: FuzzyDate,
    *,
    ended: FuzzyDate | None = None,
    source: Source | None = None,
) -> StatusObservation:
    return status_record(
        detention=detention,
        status=status,
        started=started,
        ended=ended,
        citations=[cite(source or public_source(title=f"Report of {status}"))],
        actor=system(),
        reason=REASON,
    )


def incommunicado(
    *, since: FuzzyDate | None = None, names: list[str] | None = None, confidentiality: str = "public"
) -> tuple[Person, StatusObservation]:
    """A person held incommunicado since their arrest (default 12 December 2025)."""
    since = since or day(2025, 12, 12)
    person, detention = held(arrested=since, names=names, confidentiality=confidentiality)
    return person, observe(detention, "incommunicado", since)


def rule(kind: str) -> RiskRule:
    """The seeded default rule of ``kind``."""
    return RiskRule.objects.get(kind=RiskKind(kind))
