"""Helpers of the report tests: public records built through the services, and reports read as the
public or as staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps

from tests.factories import PersonFactory, SourceFactory, UserFactory, cite, day
from tests.factories import staff as staff_member
from vigil.accounts.models import User
from vigil.core.dates import FuzzyDate
from vigil.core.services import save_with_history
from vigil.custody.models import Detention
from vigil.custody.services import detention_record
from vigil.events.models import Casualty
from vigil.events.services import casualty_record
from vigil.people.models import Person
from vigil.places.models import Place
from vigil.reports.named import NamedCount
from vigil.reports.scope import Scope
from vigil.reports.selectors import Report, report_as_of
from vigil.reports.visibility import Visibility
from vigil.sources.models import Source

AS_OF = dt.date(2026, 1, 9)
# The public, staff, and staff cleared for restricted records: the three audiences a report is read by.
READERS = [
    Visibility(("public",)),
    Visibility(("public", "internal")),
    Visibility(("public", "internal", "restricted")),
]


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def person(**fields: Any) -> Person:
    """A public person (reports for the public count public records only)."""
    fields.setdefault("confidentiality", "public")
    return PersonFactory(**fields)


def arrest(who: Person | None = None, when: FuzzyDate | None = None, **fields: Any) -> Detention:
    return detention_record(
        actor=fields.pop("actor", None) or staff_member(),
        reason="Test data",
        person=who or person(),
        arrested=when or day(2026, 1, 8),
        citations=fields.pop("citations", None) or [cite()],
        **fields,
    )


def casualty(
    who: Person | None = None, kind: str = "killed", when: FuzzyDate | None = None, **fields: Any
) -> Casualty:
    return casualty_record(
        actor=staff_member(),
        reason="Test data",
        person=who or person(),
        kind=kind,
        occurred=when or day(2026, 1, 3),
        citations=fields.pop("citations", None) or [cite()],
        **fields,
    )


def public_source(**fields: Any) -> Source:
    fields.setdefault("confidentiality", "public")
    return SourceFactory(**fields)


def retract(record: Any) -> None:
    """What the review service will do: mark the fact retracted, keeping its history."""
    record.verification = "retracted"
    save_with_history(record, actor=staff_member(), reason="Test: retracted by a reviewer")


def set_level(record: Any, level: str) -> None:
    record.verification = level
    save_with_history(record, actor=staff_member(), reason="Test: reviewed")


def merge(duplicate: Person, into: Person) -> None:
    """What the merge service will do: the duplicate points at the person it was merged into."""
    duplicate.merged_into = into
    save_with_history(duplicate, actor=staff_member(), reason="Test: merged as the same person")


def public_report(as_of: dt.date = AS_OF, **options: Any) -> Report:
    return report_as_of(as_of=as_of, viewer=None, **options)


def count(report: Report, code: str) -> NamedCount:
    found = report.named_count(code)
    assert found is not None, f"no category {code}"
    return found


def people(report: Report, code: str) -> int:
    return count(report, code).people.total


def minors(report: Report, code: str) -> int:
    return count(report, code).minors.total


def totals(report: Report) -> dict[str, tuple[int, int]]:
    """Every named category's (people, minors), for comparing two reports."""
    return {entry.code: (entry.people.total, entry.minors.total) for entry in report.named}


def scope_of(report: Report) -> Scope:
    return report.scope


@pytest.fixture
def staff_user() -> User:
    return UserFactory(is_staff=True)


@pytest.fixture
def admin_user() -> User:
    return UserFactory(is_staff=True, is_superuser=True)


def backdate_history(to: dt.datetime) -> None:
    """Pretend everything recorded so far was recorded at ``to`` (tests cannot wait for days to pass)."""
    backdate_history_since(dt.datetime.min.replace(tzinfo=dt.UTC), to=to)


def backdate_history_since(since: dt.datetime, *, to: dt.datetime) -> None:
    """Pretend everything recorded after ``since`` was recorded at ``to``."""
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            history.model.objects.filter(history_date__gt=since).update(history_date=to)
