"""No restricted value and no record above a reader's clearance reaches any output (``outputs.OUTPUTS``),
for any reader: the public, a viewer, a documenter, a reviewer, and someone cleared for restricted data.

Hypothesis draws people, their detentions and casualties, and the sources cited for them, each at a
random confidentiality level, every text a unique marker; then every output is rendered for every reader
and searched for the markers that reader must not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FacilityFactory, cite, day, staff
from tests.security.outputs import OUTPUTS, Dataset, Reader
from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.accounts.roles import Role
from vigil.api.services import token_issue
from vigil.core.models import CONFIDENTIALITY_RANK, Confidentiality
from vigil.core.visibility import clearance
from vigil.custody.services import detention_record
from vigil.events.services import casualty_record, event_record
from vigil.people.services import person_create
from vigil.sources.services import source_create

pytestmark = pytest.mark.django_db

LEVELS = st.sampled_from([Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED])


@dataclass(frozen=True)
class PersonSpec:
    level: str
    source_level: str
    detention_level: str | None
    casualty_level: str | None


PEOPLE = st.lists(
    st.builds(PersonSpec, LEVELS, LEVELS, st.none() | LEVELS, st.none() | LEVELS), min_size=1, max_size=3
)


@dataclass
class Secret:
    """A marker and the lowest clearance that may read it."""

    marker: str
    needs: str


def _rank(level: str) -> int:
    return CONFIDENTIALITY_RANK[Confidentiality(level)]


def _most(*levels: str) -> str:
    return max(levels, key=_rank)


def _build(specs: list[PersonSpec]) -> tuple[Dataset, list[Secret]]:
    """Record the drawn people through the services (as the system, which may do anything); every text is
    a unique marker, kept with the clearance it needs."""
    system = system_actor()
    common: dict[str, Any] = {"actor": system, "reason": "Disclosure test"}
    data, secrets = Dataset(), []
    event = event_record(
        **common, kind="protest", title_en="QEVT0000Z", description_en="QEVT0000Z", started=day(2026, 1, 3),
        citations=[cite()],
        confidentiality=Confidentiality.PUBLIC,
    )  # fmt: skip
    data.events.append(event)
    for n, spec in enumerate(specs, start=1):
        source = source_create(
            **common, kind="news", title=f"QSRC{n:04d}Z", author=f"QAUT{n:04d}Z", confidentiality=spec.source_level,
            published_on=dt.date(2026, 1, 9),
        )  # fmt: skip
        data.sources.append(source)
        secrets += [
            Secret(f"QSRC{n:04d}Z", spec.source_level),
            Secret(f"QAUT{n:04d}Z", Confidentiality.RESTRICTED),
        ]
        person = person_create(
            **common, names=[f"QPER{n:04d}Z"], citations=[cite(source)], confidentiality=spec.level,
            family_contact=f"QFAM{n:04d}Z", notes=f"QNOT{n:04d}Z",
        )  # fmt: skip
        data.people.append(person)
        secrets += [
            Secret(f"QPER{n:04d}Z", spec.level),
            Secret(f"QFAM{n:04d}Z", Confidentiality.RESTRICTED),
            Secret(f"QNOT{n:04d}Z", _most(spec.level, Confidentiality.INTERNAL)),
        ]
        if spec.detention_level is not None:
            detention_record(
                **common, person=person, arrested=day(2026, 1, 8), citations=[cite(source)],
                facility=FacilityFactory(), note=f"QDET{n:04d}Z", confidentiality=spec.detention_level,
            )  # fmt: skip
            secrets.append(Secret(f"QDET{n:04d}Z", _most(spec.level, spec.detention_level)))
        if spec.casualty_level is not None:
            casualty_record(
                **common, person=person, kind="injured", occurred=day(2026, 1, 3), event=event,
                citations=[cite(source)], medical_details=f"QMED{n:04d}Z", confidentiality=spec.casualty_level,
            )  # fmt: skip
            secrets.append(Secret(f"QMED{n:04d}Z", Confidentiality.RESTRICTED))
    return data, secrets


def _readers() -> list[Reader]:
    superuser = User.objects.create(username="disclosure-root", is_staff=True, is_superuser=True)
    readers = [Reader("the public", None)]
    for label, user in (
        ("a viewer", staff(Role.VIEWER, restricted=False)),
        ("a documenter", staff(Role.DOCUMENTER, restricted=False)),
        ("a reviewer", staff(Role.REVIEWER, restricted=False)),
        ("a reviewer cleared for restricted data", staff(Role.REVIEWER, restricted=True)),
    ):
        _, key = token_issue(user=user, name="disclosure test", actor=superuser, reason="Test")
        readers.append(Reader(label, user, key))
    return readers


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=PEOPLE)
def test_no_output_shows_a_reader_anything_above_their_clearance(specs: list[PersonSpec]):
    """Whatever the levels of people, detentions, casualties and sources, no output shows a reader a
    record or field above their clearance."""
    with transaction.atomic():
        cache.clear()
        data, secrets = _build(specs)
        for reader in _readers():
            level = clearance(reader.user)
            hidden = [secret.marker for secret in secrets if _rank(secret.needs) > _rank(level)]
            for output in OUTPUTS:
                if output.audience == "public" and reader.user is not None:
                    continue
                text = output.render(reader, data)
                leaked = [marker for marker in hidden if marker in text]
                assert not leaked, f"{output.name} shows {reader.label} ({level}) {leaked}"
        transaction.set_rollback(True)


def test_every_output_is_exercised_with_something_to_show():
    """The registry's outputs do show what a reader may see (so the property above is not vacuous)."""
    with transaction.atomic():
        cache.clear()
        data, _ = _build([PersonSpec(*[Confidentiality.PUBLIC] * 4)])
        public = Reader("the public", None)
        shown = {
            output.name: any(m in output.render(public, data) for m in ("QPER0001Z", "QEVT0000Z"))
            for output in OUTPUTS
        }
        transaction.set_rollback(True)
    assert all(shown.values()), [name for name, seen in shown.items() if not seen]
