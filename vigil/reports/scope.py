"""What a report covers: the country, a province, a city (any place of the gazetteer), a facility or a
university, and how each kind of record falls inside it.

The gazetteer is reference data, read live (places are renamed, not re-dated); a report's records are
read through its ``Frame``. A record is in a place when its own place (or, lacking one, its facility's or
event's place) is that place or lies within it. The country scope is the whole record, records without a
place included.
"""

# ruff: noqa: S608
# The SQL here is composed from fragments of our own: values are bound as parameters, ids are integers
# read from the database (``dialect.id_list``), table names come from the models.

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vigil.core.lookup import match_by_name
from vigil.custody.models import Case, Detention, Transfer
from vigil.events.models import Event
from vigil.places.models import Facility, Place, University
from vigil.reports.dialect import id_list
from vigil.reports.timeframe import Frame


class ScopeKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PLACE = "place", _("Place")
    FACILITY = "facility", _("Facility")
    UNIVERSITY = "university", _("University")


@dataclass(frozen=True)
class PlaceNode:
    id: int
    kind: str
    parent_id: int | None
    code: str
    name_en: str
    name_fa: str

    @property
    def name(self) -> str:
        return self.name_fa if get_language() == "fa" and self.name_fa else self.name_en


class Gazetteer:
    """The place tree, facilities and universities, loaded once per report (a few hundred rows)."""

    def __init__(self, frame: Frame | None = None) -> None:
        """The gazetteer as known at ``frame.known_at`` (names, and where each place lies), else as it is."""
        frame = frame or Frame(as_of=timezone.localdate())
        self.places = {
            pk: PlaceNode(*row)
            for pk, row in frame.named_rows(Place, "kind", "parent_id", "code", "name_en", "name_fa").items()
        }
        self.facility_place: dict[int, int | None] = {}
        self.facility_parent: dict[int, int | None] = {}
        self.facility_names: dict[int, tuple[str, str, str]] = {}  # id → (code, English, Persian)
        facilities = frame.named_rows(Facility, "place_id", "parent_id", "code", "name_en", "name_fa")
        for pk, place_id, parent_id, code, name_en, name_fa in facilities.values():
            self.facility_place[pk] = place_id
            self.facility_parent[pk] = parent_id
            self.facility_names[pk] = (code, name_en, name_fa)
        for ward, prison in self.facility_parent.items():
            # A ward lies where its prison lies.
            if self.facility_place[ward] is None and prison is not None:
                self.facility_place[ward] = self.facility_place.get(prison)
        self.universities = frame.named_rows(University, "place_id", "code", "name_en", "name_fa")

    def ancestor_of_kind(self, place_id: int | None, kinds: tuple[str, ...]) -> PlaceNode | None:
        seen = 0
        while place_id is not None and seen < 16:  # a bound, in case the tree was edited into a loop
            node = self.places.get(place_id)
            if node is None:
                return None
            if node.kind in kinds:
                return node
            place_id, seen = node.parent_id, seen + 1
        return None

    def province_of(self, place_id: int | None) -> PlaceNode | None:
        return self.ancestor_of_kind(place_id, (Place.Kind.PROVINCE,))

    def city_of(self, place_id: int | None) -> PlaceNode | None:
        """The city, town or village a place is or lies in (None for a province or county)."""
        return self.ancestor_of_kind(place_id, (Place.Kind.CITY, Place.Kind.VILLAGE))

    def within(self, place_id: int) -> frozenset[int]:
        """The place and every place inside it."""
        children: dict[int | None, list[int]] = {}
        for node in self.places.values():
            children.setdefault(node.parent_id, []).append(node.id)
        found: set[int] = set()
        stack = [place_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        return frozenset(found)

    def facility_and_wards(self, facility_id: int) -> frozenset[int]:
        return frozenset(
            {facility_id} | {pk for pk, parent in self.facility_parent.items() if parent == facility_id}
        )

    @cached_property
    def provinces(self) -> list[PlaceNode]:
        return sorted(
            (node for node in self.places.values() if node.kind == Place.Kind.PROVINCE), key=lambda n: n.code
        )


@dataclass(frozen=True)
class Scope:
    """The part of the record a report covers, with the ids of the places, facilities and universities
    inside it (empty for the country, which covers everything)."""

    kind: str
    pk: int | None
    code: str
    name_en: str
    name_fa: str
    place_kind: str = ""
    place_ids: frozenset[int] = field(default_factory=frozenset)
    facility_ids: frozenset[int] = field(default_factory=frozenset)
    university_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.name_fa if get_language() == "fa" and self.name_fa else self.name_en

    @property
    def is_country(self) -> bool:
        return self.kind == ScopeKind.COUNTRY

    # Conditions on each kind of record, in SQL over the aliases the queries use. Empty: no condition.

    def detention_sql(self, frame: Frame, d: str) -> str:
        if self.kind == ScopeKind.COUNTRY:
            return ""
        if self.kind == ScopeKind.PLACE:
            return (
                f"({d}.arrest_place_id IN {id_list(self.place_ids)} OR ({d}.arrest_place_id IS NULL "
                f"AND {d}.facility_id IN {id_list(self.facility_ids)}))"
            )
        if self.kind == ScopeKind.FACILITY:
            return (
                f"({d}.facility_id IN {id_list(self.facility_ids)} OR {d}.id IN (SELECT t.detention_id FROM "
                f"{frame.table(Transfer)} t WHERE t.to_facility_id IN {id_list(self.facility_ids)} "
                f"AND {frame.happened('t', 'transferred')}))"
            )
        return (
            f"{d}.event_id IN (SELECT ue.id FROM {frame.table(Event)} ue WHERE {self.event_sql(frame, 'ue')})"
        )

    def case_sql(self, frame: Frame, case: str) -> str:
        """A case is where the detention it belongs to is (cases without one count only nationally)."""
        if self.kind == ScopeKind.COUNTRY:
            return ""
        return (
            f"{case}.detention_id IN (SELECT sd.id FROM {frame.table(Detention)} sd "
            f"WHERE {self.detention_sql(frame, 'sd')})"
        )

    def execution_sql(self, frame: Frame, x: str) -> str:
        if self.kind == ScopeKind.COUNTRY:
            return ""
        by_case = (
            f"{x}.case_id IN (SELECT sc.id FROM {frame.table(Case)} sc WHERE {self.case_sql(frame, 'sc')})"
        )
        if self.kind in (ScopeKind.PLACE, ScopeKind.FACILITY):
            return f"({x}.facility_id IN {id_list(self.facility_ids)} OR ({x}.facility_id IS NULL AND {by_case}))"
        return by_case

    def casualty_sql(self, frame: Frame, c: str) -> str:
        if self.kind == ScopeKind.COUNTRY:
            return ""
        by_event = (
            f"{c}.event_id IN (SELECT ce.id FROM {frame.table(Event)} ce WHERE {self.event_sql(frame, 'ce')})"
        )
        if self.kind == ScopeKind.PLACE:
            return f"({c}.place_id IN {id_list(self.place_ids)} OR ({c}.place_id IS NULL AND {by_event}))"
        return by_event

    def event_sql(self, frame: Frame, e: str) -> str:
        if self.kind == ScopeKind.COUNTRY:
            return "TRUE"
        if self.kind == ScopeKind.PLACE:
            return (
                f"({e}.place_id IN {id_list(self.place_ids)} OR ({e}.place_id IS NULL "
                f"AND {e}.facility_id IN {id_list(self.facility_ids)}))"
            )
        if self.kind == ScopeKind.FACILITY:
            return f"{e}.facility_id IN {id_list(self.facility_ids)}"
        return f"{e}.university_id IN {id_list(self.university_ids)}"


def scope_country(gazetteer: Gazetteer | None = None) -> Scope:
    """The whole record, named after the gazetteer's country when it has exactly one."""
    gazetteer = gazetteer or Gazetteer()
    countries = [node for node in gazetteer.places.values() if node.kind == Place.Kind.COUNTRY]
    if len(countries) == 1:
        node = countries[0]
        return Scope(ScopeKind.COUNTRY, node.id, node.code, node.name_en, node.name_fa, Place.Kind.COUNTRY)
    return Scope(ScopeKind.COUNTRY, None, "", "all places", "همه جا", Place.Kind.COUNTRY)


def scope_for_place(place: Place, gazetteer: Gazetteer | None = None) -> Scope:
    gazetteer = gazetteer or Gazetteer()
    if place.kind == Place.Kind.COUNTRY:
        return scope_country(gazetteer)
    place_ids = gazetteer.within(place.pk)
    facilities = frozenset(pk for pk, at in gazetteer.facility_place.items() if at in place_ids)
    universities = frozenset(pk for pk, row in gazetteer.universities.items() if row[1] in place_ids)
    return Scope(
        ScopeKind.PLACE,
        place.pk,
        place.code,
        place.name_en,
        place.name_fa,
        place.kind,
        place_ids,
        facilities,
        universities,
    )


def scope_redrawn(scope: Scope, gazetteer: Gazetteer) -> Scope:
    """``scope`` drawn again on ``gazetteer`` (as known on a past day): its names then, and what lay inside
    it then."""
    if scope.kind == ScopeKind.COUNTRY:
        return scope_country(gazetteer)
    if scope.kind == ScopeKind.PLACE and scope.pk in gazetteer.places:
        node = gazetteer.places[scope.pk]
        place = Place(pk=node.id, kind=node.kind, code=node.code, name_en=node.name_en, name_fa=node.name_fa)
        return scope_for_place(place, gazetteer)
    if scope.kind == ScopeKind.FACILITY and scope.pk in gazetteer.facility_names:
        code, name_en, name_fa = gazetteer.facility_names[scope.pk]
        facility_ids = gazetteer.facility_and_wards(scope.pk)
        return replace(scope, code=code, name_en=name_en, name_fa=name_fa, facility_ids=facility_ids)
    if scope.kind == ScopeKind.UNIVERSITY and scope.pk in gazetteer.universities:
        _pk, _place, code, name_en, name_fa = gazetteer.universities[scope.pk]
        return replace(scope, code=code, name_en=name_en, name_fa=name_fa)
    return scope


def scope_for_facility(facility: Facility, gazetteer: Gazetteer | None = None) -> Scope:
    gazetteer = gazetteer or Gazetteer()
    return Scope(
        ScopeKind.FACILITY,
        facility.pk,
        facility.code,
        facility.name_en,
        facility.name_fa,
        facility_ids=gazetteer.facility_and_wards(facility.pk),
    )


def scope_for_university(university: University) -> Scope:
    return Scope(
        ScopeKind.UNIVERSITY,
        university.pk,
        university.code,
        university.name_en,
        university.name_fa,
        university_ids=frozenset({university.pk}),
    )


_PLACE_KIND_ORDER: dict[str, int] = {
    Place.Kind.COUNTRY: 0,
    Place.Kind.PROVINCE: 1,
    Place.Kind.COUNTY: 2,
    Place.Kind.CITY: 3,
}


def scope_resolve(text: str | None) -> Scope:
    """The scope a user names: empty for the country; a place by code or name in either script (a province
    before a city of the same name: "Kermanshah" is the province); ``facility:NAME`` or ``university:NAME``."""
    text = (text or "").strip()
    gazetteer = Gazetteer()
    if not text:
        return scope_country(gazetteer)
    prefix, _sep, rest = text.partition(":")
    kind = prefix.strip().lower()
    if rest and kind == ScopeKind.FACILITY:
        facility = _by_code_or_name(list(Facility.objects.all()), rest.strip())
        if facility is None:
            raise _unknown(kind, rest.strip())
        return scope_for_facility(facility, gazetteer)
    if rest and kind == ScopeKind.UNIVERSITY:
        university = _by_code_or_name(list(University.objects.all()), rest.strip())
        if university is None:
            raise _unknown(kind, rest.strip())
        return scope_for_university(university)
    places = sorted(Place.objects.all(), key=lambda place: _PLACE_KIND_ORDER.get(place.kind, 9))
    place = _by_code_or_name(places, text)
    if place is None:
        raise ValidationError(
            _(
                "No place is called “%(name)s”. Give a province or city by code (ir-tehran) or by name "
                "in English or Persian, or facility:NAME, university:NAME."
            ),
            code="unknown_scope",
            params={"name": text},
        )
    return scope_for_place(place, gazetteer)


def _unknown(kind: str, name: str) -> ValidationError:
    return ValidationError(
        _("No %(kind)s is called “%(name)s”; give its code or its name in English or Persian."),
        code="unknown_scope",
        params={"kind": ScopeKind(kind).label.lower(), "name": name},
    )


Named = TypeVar("Named", Place, Facility, University)


def _by_code_or_name(candidates: list[Named], text: str) -> Named | None:
    """By code first, then by name or alias in either script (in the candidates' order)."""
    for candidate in candidates:
        if candidate.code == text:
            return candidate
    found = match_by_name(
        candidates,
        text,
        names=lambda item: (item.name_en, item.name_fa),
        aliases=lambda item: item.aliases or [],
    )
    return found[0] if found else None
