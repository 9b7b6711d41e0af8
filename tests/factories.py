"""Shared test factories. Documented records (sources, people, events, detentions) are built through the
services, so a factory-made record has passed the same validation, history and citations as a real one.
Gazetteer entries and organizations are plain rows with unique codes (the real gazetteer is data).

    source = SourceFactory()
    person = PersonFactory(names=["نرگس محمدی", "Narges Mohammadi"], birth=day(1972, 4, 21))
    detention = DetentionFactory(person=person, arrested=day(2025, 12, 12))
"""

# factory_boy's declarations (Sequence, LazyFunction ...) are untyped.
# mypy: allow-untyped-calls

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import Group
from django.db import models
from factory.base import Factory
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password

from vigil.accounts.actors import RESTRICTED_ACCESS_GROUP
from vigil.accounts.models import User
from vigil.accounts.roles import Role
from vigil.core.dates import FuzzyDate, Precision
from vigil.custody.models import Detention
from vigil.custody.services import detention_record
from vigil.events.models import Event
from vigil.events.services import event_record
from vigil.organizations.models import Organization
from vigil.people.models import Person
from vigil.people.services import person_create
from vigil.places.models import Facility, Place, University
from vigil.sources.models import Source
from vigil.sources.services import CitationInput, source_create

REASON = "Test data"

M = TypeVar("M", bound=models.Model)


def day(year: int, month: int, day_of_month: int) -> FuzzyDate:
    """A date known to the day."""
    return FuzzyDate(dt.date(year, month, day_of_month), Precision.DAY)


def month(year: int, month_number: int) -> FuzzyDate:
    """A date known to the month."""
    return FuzzyDate(dt.date(year, month_number, 1), Precision.MONTH)


def staff(role: str = Role.REVIEWER, *, restricted: bool = True) -> User:
    """A staff member holding ``role`` (one per role and clearance, reused): the actor of factory-made
    records. By default a reviewer cleared for restricted data, so factories may publish, verify and link
    to any record; permission tests ask for the role and clearance they test."""
    username = f"test-{role}{'-restricted' if restricted else ''}"
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name=role))
        if restricted:
            user.groups.add(Group.objects.get(name=RESTRICTED_ACCESS_GROUP))
    return user


def cite(source: Source | None = None, **fields: Any) -> CitationInput:
    """A citation of ``source`` (a new one by default)."""
    return CitationInput(source=source or SourceFactory(), **fields)


class ModelFactory(DjangoModelFactory[M]):
    """A plain-row factory; calling it returns the model instance (typed for mypy)."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> M:  # type: ignore[misc]
            ...


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"documenter{n}")
    email = LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password("correct horse battery staple")


class OrganizationFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization

    code = Sequence(lambda n: f"test-org-{n}")
    kind = Organization.Kind.NGO
    name_en = Sequence(lambda n: f"Test Organization {n}")


class PlaceFactory(ModelFactory[Place]):
    class Meta:
        model = Place

    code = Sequence(lambda n: f"test-place-{n}")
    kind = Place.Kind.CITY
    name_en = Sequence(lambda n: f"Test City {n}")


class FacilityFactory(ModelFactory[Facility]):
    class Meta:
        model = Facility

    code = Sequence(lambda n: f"test-facility-{n}")
    kind = Facility.Kind.PRISON
    name_en = Sequence(lambda n: f"Test Prison {n}")


class UniversityFactory(ModelFactory[University]):
    class Meta:
        model = University

    code = Sequence(lambda n: f"test-university-{n}")
    name_en = Sequence(lambda n: f"Test University {n}")


class _ServiceFactory(Factory[M]):
    """Creates through a service: ``_service`` gets the declared attributes plus ``actor`` and ``reason``;
    calling the factory returns the model instance (typed for mypy)."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> M:  # type: ignore[misc]
            ...

    actor = LazyFunction(staff)
    reason = REASON

    @classmethod
    def _service(cls, **kwargs: Any) -> M:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class: type[M], *args: Any, **kwargs: Any) -> M:
        return cls._service(**kwargs)


class SourceFactory(_ServiceFactory[Source]):
    class Meta:
        model = Source

    kind = "news"
    title = Sequence(lambda n: f"Test source {n}")
    published_on = dt.date(2026, 1, 9)
    language = "fa"
    confidentiality = "public"

    @classmethod
    def _service(cls, **kwargs: Any) -> Source:
        return source_create(**kwargs)


class PersonFactory(_ServiceFactory[Person]):
    """A person with a Persian-script and a Latin name, citing a new source unless ``citations`` is given."""

    class Meta:
        model = Person

    names = Sequence(lambda n: [f"نام آزمایشی {n}", f"Test Person {n}"])
    citations = LazyFunction(lambda: [cite()])

    @classmethod
    def _service(cls, **kwargs: Any) -> Person:
        return person_create(**kwargs)


class EventFactory(_ServiceFactory[Event]):
    class Meta:
        model = Event

    kind = "protest"
    title_en = Sequence(lambda n: f"Test protest {n}")
    started = day(2026, 1, 3)
    citations = LazyFunction(lambda: [cite()])

    @classmethod
    def _service(cls, **kwargs: Any) -> Event:
        return event_record(**kwargs)


class DetentionFactory(_ServiceFactory[Detention]):
    """A detention of a new person (or ``person``), arrested on 8 January 2026 unless ``arrested`` is given."""

    class Meta:
        model = Detention

    person = SubFactory(PersonFactory)
    arrested = day(2026, 1, 8)
    citations = LazyFunction(lambda: [cite()])

    @classmethod
    def _service(cls, **kwargs: Any) -> Detention:
        return detention_record(**kwargs)
