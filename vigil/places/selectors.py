"""Reading the gazetteer: provinces, and finding a place, facility or university from a name as a source
writes it (Persian or Latin script, Arabic letter forms, any case, an alias or old name).

Reference records are public knowledge, so these selectors take no viewer.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from vigil.core.lookup import match_by_name, name_key
from vigil.core.text import fold_name
from vigil.places.models import Facility, Place, University

# When one name fits several places ("Tehran", "Kermanshah": a province and its capital), sources mostly
# mean the town, so the most specific place comes first.
SPECIFICITY = [
    Place.Kind.DISTRICT,
    Place.Kind.VILLAGE,
    Place.Kind.CITY,
    Place.Kind.COUNTY,
    Place.Kind.PROVINCE,
    Place.Kind.COUNTRY,
]

# Words that say which kind of place a name is ("استان تهران", "Tehran Province", "شهر ری"); tried only when
# the whole text names nothing, since some names contain them ("Shahr-e Kord").
_KIND_MARKERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Place.Kind.PROVINCE: (("استان", "ostan e", "ostan", "province of"), ("province", "ostan")),
    Place.Kind.COUNTY: (("شهرستان",), ("county",)),
    Place.Kind.CITY: (("شهر", "city of"), ("city",)),
}


def provinces(*, country_code: str | None = None) -> QuerySet[Place]:
    """The provinces (of one country, if a code such as ``ir`` is given), by English name."""
    found = Place.objects.filter(kind=Place.Kind.PROVINCE)
    if country_code is not None:
        found = found.filter(parent__code=country_code)
    return found.order_by("name_en")


class PlaceIndex:
    """The gazetteer's names and aliases, folded once: for finding many places (an import's cells) without
    reading and folding the whole gazetteer for each."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[Place]] = defaultdict(list)
        self._by_alias: dict[str, list[Place]] = defaultdict(list)
        places = sorted(
            Place.objects.order_by("code"), key=lambda place: SPECIFICITY.index(Place.Kind(place.kind))
        )
        for place in places:
            for index, texts in (
                (self._by_name, (place.name_en, place.name_fa)),
                (self._by_alias, place.aliases),
            ):
                for key in dict.fromkeys(name_key(text) for text in texts if text):
                    if key:
                        index[key].append(place)

    def places_by_name(self, text: str, *, kind: str | None = None) -> list[Place]:
        """Every place that ``text`` names (by English or Persian name, then by alias), most specific first."""
        found = self._matching(text, kind=kind)
        if not found and (marked := _strip_kind_marker(text)) is not None:
            marked_kind, rest = marked
            if kind is None or kind == marked_kind:
                found = self._matching(rest, kind=marked_kind)
        return found

    def _matching(self, text: str, *, kind: str | None) -> list[Place]:
        key = name_key(text)
        by_name = [place for place in self._by_name.get(key, []) if kind is None or place.kind == kind]
        by_alias = [
            place
            for place in self._by_alias.get(key, [])
            if (kind is None or place.kind == kind) and place not in by_name
        ]
        return by_name + by_alias


def places_by_name(text: str, *, kind: str | None = None) -> list[Place]:
    """Every place that ``text`` names (by English or Persian name, then by alias), most specific first."""
    return PlaceIndex().places_by_name(text, kind=kind)


def place_by_name(text: str, *, kind: str | None = None, index: PlaceIndex | None = None) -> Place | None:
    """The place ``text`` names, or None; ``kind`` narrows it (``place_by_name("Tehran", kind="province")``).
    Callers finding many places pass one ``index``."""
    found = (index or PlaceIndex()).places_by_name(text, kind=kind)
    return found[0] if found else None


def facilities_by_name(text: str) -> list[Facility]:
    """Every facility that ``text`` names, prisons and centres before wards."""
    candidates = sorted(
        Facility.objects.order_by("code"), key=lambda facility: facility.kind == Facility.Kind.WARD
    )
    return match_by_name(
        candidates,
        text,
        names=lambda facility: (facility.name_en, facility.name_fa),
        aliases=lambda facility: facility.aliases,
    )


def facility_by_name(text: str) -> Facility | None:
    """The prison, detention centre or ward ``text`` names (e.g. "Qezel Hesar", "بند ۲۰۹"), or None."""
    found = facilities_by_name(text)
    return found[0] if found else None


def university_by_name(text: str) -> University | None:
    """The university ``text`` names (e.g. "Tehran Polytechnic"), or None."""
    found = match_by_name(
        University.objects.order_by("code"),
        text,
        names=lambda university: (university.name_en, university.name_fa),
        aliases=lambda university: university.aliases,
    )
    return found[0] if found else None


def _strip_kind_marker(text: str) -> tuple[str, str] | None:
    """The kind a marker word in ``text`` declares and the name without it, if there is one."""
    key = fold_name(text)
    for kind, (prefixes, suffixes) in _KIND_MARKERS.items():
        for prefix in prefixes:
            if key.startswith(prefix + " "):
                return kind, key[len(prefix) + 1 :]
        for suffix in suffixes:
            if key.endswith(" " + suffix):
                return kind, key[: -len(suffix) - 1]
    return None
