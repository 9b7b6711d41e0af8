"""Reading people: their names and the dated facts of their lives that other records must agree with.
These are internal (staff) reads; public views filter by confidentiality in their own selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import FuzzyDate
from vigil.core.visibility import allowed_levels
from vigil.custody.models import Detention, Execution
from vigil.events.models import Casualty
from vigil.people.models import NameVariant, Person


@dataclass(frozen=True)
class DatedFact:
    """A dated fact of a person's life, named for messages ("the arrest", "the death")."""

    kind: str  # arrest, release, injury, death, execution
    label: str | Promise
    day: FuzzyDate


def visible_names(viewer: Any) -> QuerySet[NameVariant]:
    """Names ``viewer`` may read: a name follows its source's level (an alias known only from a restricted
    witness's account is as restricted as the account); a name with no source follows its person."""
    return NameVariant.objects.filter(
        Q(source__isnull=True) | Q(source__confidentiality__in=allowed_levels(viewer))
    )


def person_names(person: Person) -> QuerySet[NameVariant]:
    """Every name of a person, primary names first."""
    return person.names.all().order_by("-is_primary", "script", "id")


def person_killed(person: Person) -> Casualty | None:
    """The record of the person's killing, if there is one (at most one: a constraint)."""
    return Casualty.objects.filter(person=person, kind=Casualty.Kind.KILLED).first()


def person_execution(person: Person) -> Execution | None:
    return Execution.objects.filter(person=person).first()


def person_death(person: Person) -> FuzzyDate | None:
    """When the person died, as recorded (killed, or executed); None when no death is recorded.
    The date itself may be unknown."""
    killed = person_killed(person)
    if killed is not None:
        return killed.occurred
    execution = person_execution(person)
    return execution.executed if execution is not None else None


def person_dated_facts(person: Person) -> list[DatedFact]:
    """The known dates of arrests, releases, injuries, death and execution of a person: what a new birth
    or death date must not contradict."""
    facts: list[DatedFact] = []
    for detention in Detention.objects.filter(person=person):
        facts.append(DatedFact("arrest", _("the arrest"), detention.arrested))
        facts.append(DatedFact("release", _("the release"), detention.released))
    for casualty in Casualty.objects.filter(person=person):
        if casualty.kind == Casualty.Kind.KILLED:
            facts.append(DatedFact("death", _("the death"), casualty.occurred))
        else:
            facts.append(DatedFact("injury", _("the injury"), casualty.occurred))
    for execution in Execution.objects.filter(person=person):
        facts.append(DatedFact("execution", _("the execution"), execution.executed))
    return [fact for fact in facts if fact.day.is_known]
