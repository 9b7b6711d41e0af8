"""Loading the gazetteer that ships as data (``data/*.json``): places, then facilities and their wards, then
universities. Idempotent: records are matched on ``code``; shipped records are brought in line with the
file, and records that administrators added under other codes are left alone.

Facilities name their operator by organization code, so organizations load first (``vigil load_reference``
does that).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.reference_files import (
    CodeIndex,
    ReferenceEntry,
    new_counts,
    read_reference_file,
    upsert_by_code,
)
from vigil.organizations.models import Organization
from vigil.places.models import Facility, Place, University

DATA_DIR = Path(__file__).parent / "data"

# A place lies in a place of a lower rank: a city in a province, never a province in a city.
_RANK = {
    Place.Kind.COUNTRY: 0,
    Place.Kind.PROVINCE: 1,
    Place.Kind.COUNTY: 2,
    Place.Kind.CITY: 3,
    Place.Kind.VILLAGE: 4,
    Place.Kind.DISTRICT: 5,
}


def gazetteer_load(*, actor: User | None = None, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Create or update the shipped places, facilities and universities; returns how many records were
    created, updated and left unchanged. A malformed file raises a ValidationError naming the file, the
    entry and the problem, and nothing is written."""
    place_entries = read_reference_file(data_dir / "places.json", "places")
    facility_entries = read_reference_file(data_dir / "facilities.json", "facilities")
    university_entries = read_reference_file(data_dir / "universities.json", "universities")
    counts = new_counts()
    with transaction.atomic():
        places = _load_places(place_entries, actor=actor, counts=counts)
        _load_facilities(facility_entries, places=places, actor=actor, counts=counts)
        _load_universities(university_entries, places=places, actor=actor, counts=counts)
    return counts


def _load_places(
    entries: list[ReferenceEntry], *, actor: User | None, counts: dict[str, int]
) -> CodeIndex[Place]:
    places = CodeIndex(Place, _("place"))
    for entry in entries:
        kind = entry.choice("kind", Place.Kind)
        parent = places.resolve(entry, "parent")
        if parent is None and kind != Place.Kind.COUNTRY:
            raise entry.error(
                _("a %(kind)s needs a parent (the code of the place it lies in).")
                % {"kind": Place.Kind(kind).label}
            )
        if parent is not None and _RANK[Place.Kind(parent.kind)] >= _RANK[Place.Kind(kind)]:
            raise entry.error(
                _("a %(kind)s cannot lie in “%(parent)s”, which is a %(parent_kind)s.")
                % {
                    "kind": Place.Kind(kind).label,
                    "parent": parent.code,
                    "parent_kind": parent.get_kind_display(),
                }
            )
        values = {
            "kind": kind,
            "parent_id": parent.pk if parent else None,
            "name_en": entry.text("name_en"),
            "name_fa": entry.text("name_fa", required=False),
            "aliases": entry.texts("aliases"),
            "latitude": entry.decimal("latitude"),
            "longitude": entry.decimal("longitude"),
            "is_capital": entry.flag("capital"),
        }
        places.add(entry.code, upsert_by_code(Place, entry, values, actor=actor, counts=counts))
    return places


def _load_facilities(
    entries: list[ReferenceEntry], *, places: CodeIndex[Place], actor: User | None, counts: dict[str, int]
) -> None:
    facilities = CodeIndex(Facility, _("facility"))
    organizations = CodeIndex(Organization, _("organization"))
    for entry in entries:
        kind = entry.choice("kind", Facility.Kind)
        parent = facilities.resolve(entry, "parent")
        if kind == Facility.Kind.WARD and parent is None:
            raise entry.error(_("a ward needs a parent (the code of its prison)."))
        if parent is not None and parent.kind == Facility.Kind.WARD:
            raise entry.error(
                _("“%(parent)s” is a ward; a ward cannot contain other facilities.") % {"parent": parent.code}
            )
        place = places.resolve(entry, "place")
        # A ward lies where its prison lies, so the file need not repeat the place.
        place_id = place.pk if place else (parent.place_id if parent else None)
        if place_id is None:
            raise entry.error(_("a facility needs a place (the code of its city)."))
        operator = organizations.resolve(
            entry, "operator", hint=_("Organizations must be loaded before the gazetteer.")
        )
        values = {
            "kind": kind,
            "parent_id": parent.pk if parent else None,
            "place_id": place_id,
            "operator_id": operator.pk if operator else None,
            "name_en": entry.text("name_en"),
            "name_fa": entry.text("name_fa", required=False),
            "aliases": entry.texts("aliases"),
            "latitude": entry.decimal("latitude"),
            "longitude": entry.decimal("longitude"),
            "known_for_executions": entry.flag("known_for_executions"),
        }
        facilities.add(entry.code, upsert_by_code(Facility, entry, values, actor=actor, counts=counts))


def _load_universities(
    entries: list[ReferenceEntry], *, places: CodeIndex[Place], actor: User | None, counts: dict[str, int]
) -> None:
    for entry in entries:
        place = places.resolve(entry, "place")
        if place is None:
            raise entry.error(_("a university needs a place (the code of its city)."))
        values = {
            "place_id": place.pk,
            "name_en": entry.text("name_en"),
            "name_fa": entry.text("name_fa", required=False),
            "aliases": entry.texts("aliases"),
        }
        upsert_by_code(University, entry, values, actor=actor, counts=counts)
