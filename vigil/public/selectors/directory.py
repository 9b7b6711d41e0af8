"""The directory of people: filters (shared by the website and the API) and the listing they select.

Filters are a plain dataclass so that a web form and an API query schema can both produce them; the
listing is a queryset of people the reader may see (never merged, never retracted), filtered by facts the
reader may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from vigil.core.models import Vocabulary
from vigil.core.visibility import allowed_levels
from vigil.custody.models import Detention, Execution, Sentence, StatusObservation, Transfer
from vigil.events.models import Casualty
from vigil.people.models import ADULT_AGE, Person
from vigil.places.models import Facility, Place
from vigil.public.selectors.facts import Situation, facts, open_detentions
from vigil.reports.ages import minor_on
from vigil.reports.dialect import Dialect
from vigil.search.selectors import public_people, search_person_ids

SORTS = ("recent", "name")
DEATH_SENTENCE = "death_sentence"
# The status filter: a situation, a death sentence not carried out, or a custody condition still going on.
STATUS_FILTERS = (
    Situation.DETAINED,
    Situation.RELEASED,
    Situation.KILLED,
    Situation.EXECUTED,
    Situation.INJURED,
    DEATH_SENTENCE,
)


@dataclass(frozen=True)
class DirectoryFilters:
    """What a reader narrowed the directory to. Codes are vocabulary, gazetteer and facility codes."""

    q: str = ""
    status: str = ""
    province: str = ""
    facility: str = ""
    gender: str = ""
    minor: bool | None = None
    ethnicity: str = ""
    occupation: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "recent"

    @property
    def active(self) -> bool:
        return any(value not in ("", None) for name, value in self.__dict__.items() if name != "sort")


def places_within(place: Place) -> set[int]:
    """The ids of ``place`` and every place under it (the gazetteer is a few thousand rows at most)."""
    found = {place.pk}
    frontier = [place.pk]
    while frontier:
        frontier = list(Place.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        found.update(frontier)
    return found


def _has(queryset: QuerySet[Any], person_field: str = "person") -> Exists:
    return Exists(queryset.filter(**{person_field: OuterRef("pk")}))


def _status_condition(code: str, viewer: Any) -> Q:
    killed = _has(facts(Casualty, viewer).filter(kind=Casualty.Kind.KILLED))
    executed = _has(facts(Execution, viewer))
    dead = Q(killed) | Q(executed)
    if code == Situation.KILLED:
        return Q(killed)
    if code == Situation.EXECUTED:
        return Q(executed)
    if code == Situation.DETAINED:
        return Q(_has(open_detentions(viewer))) & ~dead
    if code == Situation.RELEASED:
        return Q(_has(facts(Detention, viewer))) & ~Q(_has(open_detentions(viewer))) & ~dead
    if code == Situation.INJURED:
        return Q(_has(facts(Casualty, viewer).filter(kind=Casualty.Kind.INJURED))) & ~dead
    if code == DEATH_SENTENCE:
        death = facts(Sentence, viewer, "case").filter(kind__code="death")
        return Q(_has(death, "case__person")) & ~Q(executed)
    # A custody condition still going on, in a detention still going on.
    conditions = facts(StatusObservation, viewer, "detention").filter(
        status__vocabulary=Vocabulary.CUSTODY_STATUS,
        status__code=code,
        ended_on__isnull=True,
        detention__in=open_detentions(viewer),
    )
    return Q(_has(conditions, "detention__person")) & ~dead


def _province_condition(province: Place, viewer: Any) -> Q:
    places = places_within(province)
    facilities = Facility.objects.filter(place__in=places)
    return (
        Q(residence__in=places)
        | Q(_has(facts(Detention, viewer).filter(Q(arrest_place__in=places) | Q(facility__in=facilities))))
        | Q(_has(facts(Casualty, viewer).filter(place__in=places)))
    )


def _facility_condition(facility: Facility, viewer: Any) -> Q:
    held = Facility.objects.filter(Q(pk=facility.pk) | Q(parent=facility))  # a prison and its wards
    return (
        Q(_has(facts(Detention, viewer).filter(facility__in=held)))
        | Q(_has(facts(Transfer, viewer, "detention").filter(to_facility__in=held), "detention__person"))
        | Q(_has(facts(Execution, viewer).filter(facility__in=held)))
    )


def _minor_ids(viewer: Any) -> RawSQL:
    """SQL: the people who were under 18 at an arrest or when killed or injured (the reports' rule)."""
    dialect = Dialect(connection.vendor)
    today = dialect.date_param("today")  # what the reports count as of today; an undated fact is on it
    levels = allowed_levels(viewer)
    marks = ", ".join(["%s"] * len(levels))
    sql = (
        "SELECT d.person_id FROM custody_detention d JOIN people_person p ON p.id = d.person_id "  # noqa: S608
        f"WHERE d.verification <> 'retracted' AND d.confidentiality IN ({marks}) "
        f"AND {minor_on(dialect, 'p', f'COALESCE(d.arrested_on, {today})', dated='d.arrested_on IS NOT NULL')} "
        "UNION SELECT c.person_id FROM events_casualty c JOIN people_person p ON p.id = c.person_id "
        f"WHERE c.verification <> 'retracted' AND c.confidentiality IN ({marks}) AND CASE "
        f"WHEN c.age_reported IS NOT NULL THEN c.age_reported < {ADULT_AGE} "
        f"ELSE {minor_on(dialect, 'p', f'COALESCE(c.occurred_on, {today})', dated='c.occurred_on IS NOT NULL')} END"
    )
    # The SQL is built from constants and the reports' own fragments; the values travel as parameters.
    pieces = sql.split("%(today)s")
    params: list[Any] = []
    levels_left = [*levels, *levels]
    for piece in pieces[:-1]:  # each of today's marks, after the levels' marks before it
        params += [levels_left.pop(0) for _mark in range(piece.count("%s"))]
        params.append(timezone.localdate())
    return RawSQL("%s".join(pieces), (*params, *levels_left))  # noqa: S611


def _date_condition(date_from: dt.date | None, date_to: dt.date | None, viewer: Any) -> Q:
    def within(field: str) -> Q:
        condition = Q(**{f"{field}__isnull": False})
        if date_from is not None:
            condition &= Q(**{f"{field}__gte": date_from})
        if date_to is not None:
            condition &= Q(**{f"{field}__lte": date_to})
        return condition

    return (
        Q(_has(facts(Detention, viewer).filter(within("arrested_on"))))
        | Q(_has(facts(Casualty, viewer).filter(within("occurred_on"))))
        | Q(_has(facts(Execution, viewer).filter(within("executed_on"))))
    )


def people_filtered(*, viewer: Any, filters: DirectoryFilters) -> QuerySet[Person]:
    """The people of the directory that ``viewer`` may see, narrowed by ``filters`` (unknown codes narrow
    to nobody rather than being ignored), in the order asked for. A search query orders by relevance."""
    people = public_people(viewer)
    if filters.status:
        people = people.filter(_status_condition(filters.status, viewer))
    if filters.province:
        province = Place.objects.filter(code=filters.province, kind=Place.Kind.PROVINCE).first()
        people = people.filter(_province_condition(province, viewer)) if province else people.none()
    if filters.facility:
        facility = Facility.objects.filter(code=filters.facility).first()
        people = people.filter(_facility_condition(facility, viewer)) if facility else people.none()
    if filters.gender:
        people = people.filter(gender=filters.gender)
    if filters.minor is not None:
        condition = Q(pk__in=_minor_ids(viewer))
        people = people.filter(condition if filters.minor else ~condition)
    if filters.ethnicity:
        people = people.filter(ethnicity__vocabulary=Vocabulary.ETHNICITY, ethnicity__code=filters.ethnicity)
    if filters.occupation:
        people = people.filter(
            Exists(
                Person.occupations.through.objects.filter(
                    person=OuterRef("pk"),
                    term__code=filters.occupation,
                    term__vocabulary=Vocabulary.OCCUPATION,
                )
            )
        )
    if filters.date_from is not None or filters.date_to is not None:
        people = people.filter(_date_condition(filters.date_from, filters.date_to, viewer))
    return people.order_by("-id")


def people_ranked(*, viewer: Any, filters: DirectoryFilters) -> list[int] | QuerySet[Person]:
    """The directory in order: by relevance when there is a search query (a list of ids, best first),
    else a queryset, most recently documented first or by name."""
    people = people_filtered(viewer=viewer, filters=filters)
    if filters.q.strip():
        ranked = search_person_ids(viewer=viewer, query=filters.q)
        wanted = set(people.filter(pk__in=ranked).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in wanted]
    if filters.sort == "name":
        return people.order_by("search_entry__folded", "id")
    return people
