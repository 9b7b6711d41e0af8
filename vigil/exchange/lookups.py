"""Finding the places, facilities, vocabulary terms and sources that cells name, once per distinct text.

A file of 100,000 rows names a few hundred places and a few thousand links: each is looked up once per run.
Sources created by a row are remembered only when the row is kept, so a row rolled back never leaves a
cached source that no longer exists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.models import Term, Vocabulary
from vigil.core.services import create_many_with_history, term
from vigil.exchange.cells import by_name
from vigil.places.models import Facility, Place
from vigil.places.selectors import SPECIFICITY, PlaceIndex, place_by_name
from vigil.sources.models import Source
from vigil.sources.services import source_build, source_create


def _facility_by_name(text: str) -> Facility | None:
    from vigil.places.selectors import facility_by_name

    return facility_by_name(text)


@dataclass(frozen=True)
class SourceRequest:
    """A source a row cites, as the file gives it: found by its link (or, without one, its title)."""

    url: str
    title: str
    kind: str
    published_on: dt.date | None
    language: str
    confidentiality: str
    reason: str

    @property
    def key(self) -> str:
        return self.url or f"title:{self.title}"

    def fields(self) -> dict[str, Any]:
        """``source_create``'s arguments (a bare link gets a readable title)."""
        return {
            "reason": self.reason,
            "kind": self.kind,
            "title": self.title or _title_for(self.url),
            "url": self.url,
            "published_on": self.published_on,
            "language": self.language,
            "confidentiality": self.confidentiality,
        }


class Lookups:
    """Per-run caches of what cells refer to."""

    def __init__(self) -> None:
        self._places: dict[str, tuple[Place | None, str]] = {}
        self._facilities: dict[str, Facility | None] = {}
        self._terms: dict[tuple[str, str], Term | None] = {}
        self._names_of_terms: dict[str, dict[str, Term]] = {}
        self._sources: dict[str, Source] = {}
        self._pending_sources: dict[str, Source] = {}
        self._drafts: dict[str, Source] = {}

    @cached_property
    def _gazetteer(self) -> PlaceIndex:
        return PlaceIndex()

    def place(self, text: str) -> tuple[Place | None, str]:
        """The gazetteer place a cell names, and a warning when it is not found exactly.

        "Fardis, Karaj" is tried whole, then part by part from the most specific; a place found by a part
        only, or not at all, is reported so that the documenter knows what was recorded.
        """
        key = " ".join(text.split())
        if key not in self._places:
            self._places[key] = self._resolve_place(key)
        return self._places[key]

    def _resolve_place(self, text: str) -> tuple[Place | None, str]:
        """The place a cell names, read as sources write them: "Fardis, Karaj", "Azadshahr - Mashhad",
        "Shahriar (Sabashshahr neighborhood)", "Tehrānpars-Tehran", "Nazi Abad Tehran". The most specific
        place the parts agree on; where only a later part is known ("Sirvan, Ilam"), the widest place it
        names (Ilam province: Sirvan is not in the city of Ilam). "Rasht or Bandar Anzali",
        "Tonekabon/Rasht": what the alternatives have in common (Gilan), or nothing."""
        found = place_by_name(text, index=self._gazetteer)
        if found is not None:
            return found, ""
        alternatives = [part.strip() for part in _PLACE_ALTERNATIVES.split(text) if part.strip()]
        if len(alternatives) > 1:
            each = [self._resolve_place(alternative)[0] for alternative in alternatives]
            found = _common_place([place for place in each if place is not None]) if all(each) else None
            return found, _unknown_place(text, found)
        parts = [self._part_places(part.strip()) for part in _PLACE_SEPARATORS.split(text) if part.strip()]
        known = [(position, places, whole) for position, (places, whole) in enumerate(parts) if places]
        if not known:
            return None, _unknown_place(text, None)
        position, places, whole = known[0]
        place = places[0] if position == 0 else _widest(places)
        redundant = True  # every later part names a place the one found lies in ("Gorgan, Golestan")
        for _position, later, later_whole in known[1:]:
            around = _enclosing(place)
            if any(other.pk in around for other in later):
                continue
            redundant = False
            inside = [other for other in later if place.pk in _enclosing(other)]
            if inside:
                place = inside[0]  # "Tehran (Tehranpars)"
            elif not whole and later_whole:
                # "Meydan-e Gorgan, Tehran": a square of Tehran, not the city of Gorgan.
                place = _widest(later)
        exact = whole and redundant and position == 0 and len(known) == len(parts)
        return place, "" if exact else _unknown_place(text, place)

    def _part_places(self, part: str) -> tuple[list[Place], bool]:
        """The places one part names, most specific first, and whether it names them whole: else by a
        hyphenated piece ("Tehrānpars-Tehran") or its leading or trailing words, the most specific of
        them ("Golestan Eslamshahr": Eslamshahr; "Nazi Abad Tehran": Naziabad, a part of Tehran)."""
        whole = self._gazetteer.places_by_name(part)
        if whole:
            return whole, True
        words = part.split()
        names = [piece for piece in part.split("-") if "-" in part and piece.strip()]
        for length in range(len(words) - 1, 0, -1):
            names.extend((" ".join(words[:length]), " ".join(words[-length:])))
        found = [places for places in (self._gazetteer.places_by_name(name) for name in names) if places]
        if not found:
            return [], False

        def rank(places: list[Place]) -> tuple[int, int]:
            # Lying in what the other words name ("Tehran Damavand": Damavand), then the most specific.
            around = _enclosing(places[0])
            inside = sum(any(o.pk in around for o in other) for other in found if other is not places)
            return (-inside, SPECIFICITY.index(Place.Kind(places[0].kind)))

        return min(found, key=rank), False

    def facility(self, text: str) -> Facility:
        key = " ".join(text.split())
        if key not in self._facilities:
            self._facilities[key] = _facility_by_name(key)
        found = self._facilities[key]
        if found is None:
            raise ValidationError(
                _("“%(text)s” is not a prison or detention centre in the gazetteer."),
                code="unknown_facility",
                params={"text": text},
            )
        return found

    def term(self, vocabulary: str, code: str) -> Term | None:
        """A vocabulary term by code, or by its English or Persian name ("بازداشت بدون حق ملاقات" for
        incommunicado); ``term()`` says which codes exist when it is neither."""
        key = (vocabulary, code)
        if key not in self._terms:
            try:
                self._terms[key] = term(vocabulary, code)
            except ValidationError:
                named = self._term_names(vocabulary).get(by_name(code))
                if named is None:
                    raise
                self._terms[key] = named
        return self._terms[key]

    def _term_names(self, vocabulary: str) -> dict[str, Term]:
        if vocabulary not in self._names_of_terms:
            self._names_of_terms[vocabulary] = {
                by_name(name): found
                for found in Term.objects.filter(vocabulary=vocabulary, active=True)
                for name in (found.name_en, found.name_fa, found.code)
                if name
            }
        return self._names_of_terms[vocabulary]

    def source(self, request: SourceRequest, *, actor: User | None, draft: bool = False) -> Source:
        """The source recorded for a link, or a new one (a link is one source, however often cited).
        ``draft``: a source ``sources_prepare`` built may be given unsaved (``sources_save`` saves it)."""
        found = self._sources.get(request.key) or self._pending_sources.get(request.key)
        if found is None and draft and request.key in self._drafts:
            return self._drafts[request.key]
        if found is None:
            found = (
                Source.objects.filter(url=request.url).first()
                if request.url
                else Source.objects.filter(title=request.title).first()
            )
        if found is None:
            found = source_create(actor=actor, **request.fields())
            self._pending_sources[request.key] = found
        else:
            self._sources[request.key] = found
        return found

    def sources_prepare(self, requests: Iterable[SourceRequest]) -> None:
        """Find, with one query, the recorded sources of many rows, and build (unsaved) those not yet
        recorded, so that ``source(..., draft=True)`` answers without a query. A source its checks refuse
        is left for ``source`` to refuse again, for the row that asked for it."""
        wanted = {
            request.key: request
            for request in requests
            if request.key not in self._sources and request.key not in self._pending_sources
        }
        if not wanted:
            return
        urls = [request.url for request in wanted.values() if request.url]
        titles = [request.title for request in wanted.values() if not request.url]
        # As ``source`` finds them: by link, or (a row without one) by title, the first recorded.
        for source in Source.objects.filter(Q(url__in=urls) | Q(title__in=titles)).order_by("pk"):
            for key in (source.url, f"title:{source.title}"):
                if key in wanted:
                    self._sources[key] = source
                    del wanted[key]
        for key, request in wanted.items():
            fields = request.fields()
            del fields["reason"]
            try:
                # The kind's term from the run's cache: ``source_build`` would look it up again.
                fields["kind"] = self.term(Vocabulary.SOURCE_KIND, fields["kind"])
                self._drafts[key] = source_build(**fields)
            except ValidationError:
                continue

    def sources_save(self, sources: Iterable[tuple[Source, str]], *, actor: User | None) -> None:
        """Save drafts from ``sources_prepare`` that rows cite (each once, with the reason of the first row
        citing it); drafts nobody cites are dropped."""
        new = {id(source): (source, reason) for source, reason in sources if source.pk is None}
        drafts = list(new.values())
        create_many_with_history(
            [source for source, _reason in drafts],
            actor=actor,
            reasons=[reason for _source, reason in drafts],
        )
        for key, source in self._drafts.items():
            if source.pk is not None:
                self._pending_sources[key] = source
        self._drafts.clear()

    def keep_row(self) -> None:
        self._sources.update(self._pending_sources)
        self._pending_sources.clear()

    def drop_row(self) -> None:
        self._pending_sources.clear()
        self._drafts.clear()

    def forget_written(self) -> None:
        """After a dry-run chunk is rolled back, nothing it created exists any more."""
        self._sources.clear()
        self._pending_sources.clear()
        self._drafts.clear()


def _title_for(url: str) -> str:
    """A readable title for a bare link: "x.com/IranNewsAgency0/status/2018870626761769360"."""
    parts = urlsplit(url)
    return f"{parts.netloc.removeprefix('www.')}{parts.path}"[:500] or url[:500]


# Between the parts of a place cell: "Fardis, Karaj", "Azadshahr - Mashhad", "Shahriar (Sabashshahr
# neighborhood)", "Eskaneh village near Arak"; and between alternatives: "Rasht or Bandar Anzali",
# "Tonekabon/Rasht".
_PLACE_SEPARATORS = re.compile(r"[,،;()\[\]]|\s[-–—]\s|\s(?:near|نزدیک)\s", re.IGNORECASE)
_PLACE_ALTERNATIVES = re.compile(r"/|\s(?:or|یا)\s", re.IGNORECASE)


def _unknown_place(text: str, found: Place | None) -> str:
    if found is None:
        return _("“%(text)s” is not in the gazetteer; recorded without a place.") % {"text": text}
    return _("“%(text)s” is not in the gazetteer; recorded as %(place)s.") % {
        "text": text,
        "place": found.name_en,
    }


def _enclosing(place: Place) -> list[int]:
    """The place and those it lies in, as keys."""
    found: list[Place] = [place]
    while (parent := found[-1].parent) is not None and len(found) < 10:
        found.append(parent)
    return [each.pk for each in found]


def _widest(places: list[Place]) -> Place:
    """Of the places one name stands for ("Ilam": the city and the province), the widest below a country."""
    below = [place for place in places if place.kind != Place.Kind.COUNTRY] or places
    return max(below, key=lambda place: SPECIFICITY.index(Place.Kind(place.kind)))


def _common_place(places: list[Place]) -> Place | None:
    """The most specific place all ``places`` lie in, below a country; None if they share none."""
    common = _enclosing(places[0])
    for place in places[1:]:
        common = [pk for pk in common if pk in _enclosing(place)]
    found = [place for place in Place.objects.filter(pk__in=common) if place.kind != Place.Kind.COUNTRY]
    return min(found, key=lambda place: common.index(place.pk)) if found else None
