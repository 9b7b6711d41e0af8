"""Finding the places, facilities, vocabulary terms and sources that cells name, once per distinct text.

A file of 100,000 rows names a few hundred places and a few thousand links: each is looked up once per run.
Sources created by a row are remembered only when the row is kept, so a row rolled back never leaves a
cached source that no longer exists.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.models import Term
from vigil.core.services import term
from vigil.places.models import Facility, Place
from vigil.sources.models import Source
from vigil.sources.services import source_create


def _place_by_name(text: str) -> Place | None:
    from vigil.places.selectors import place_by_name

    return place_by_name(text)


def _facility_by_name(text: str) -> Facility | None:
    from vigil.places.selectors import facility_by_name

    return facility_by_name(text)


class Lookups:
    """Per-run caches of what cells refer to."""

    def __init__(self) -> None:
        self._places: dict[str, tuple[Place | None, str]] = {}
        self._facilities: dict[str, Facility | None] = {}
        self._terms: dict[tuple[str, str], Term | None] = {}
        self._sources: dict[str, Source] = {}
        self._pending_sources: dict[str, Source] = {}

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
        found = _place_by_name(text)
        if found is not None:
            return found, ""
        parts = [part.strip() for part in text.replace("،", ",").split(",") if part.strip()]
        for position, part in enumerate(parts if len(parts) > 1 else []):
            found = _place_by_name(part)
            if found is not None and position == 0:
                return found, ""  # "Gorgan, Golestan": the place itself, with its province
            if found is not None:
                return found, _("“%(text)s” is not in the gazetteer; recorded as %(place)s.") % {
                    "text": text,
                    "place": found.name_en,
                }
        return None, _("“%(text)s” is not in the gazetteer; recorded without a place.") % {"text": text}

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
        """A vocabulary term by code (``term()`` says which codes exist when it is unknown)."""
        key = (vocabulary, code)
        if key not in self._terms:
            self._terms[key] = term(vocabulary, code)
        return self._terms[key]

    def source(
        self,
        *,
        url: str,
        title: str,
        kind: str,
        published_on: dt.date | None,
        language: str,
        confidentiality: str,
        actor: User | None,
        reason: str,
    ) -> Source:
        """The source recorded for a link, or a new one (a link is one source, however often cited)."""
        key = url or f"title:{title}"
        found = self._sources.get(key) or self._pending_sources.get(key)
        if found is None:
            found = (
                Source.objects.filter(url=url).first() if url else Source.objects.filter(title=title).first()
            )
        if found is None:
            found = source_create(
                actor=actor,
                reason=reason,
                kind=kind,
                title=title or _title_for(url),
                url=url,
                published_on=published_on,
                language=language,
                confidentiality=confidentiality,
            )
            self._pending_sources[key] = found
        else:
            self._sources[key] = found
        return found

    def keep_row(self) -> None:
        self._sources.update(self._pending_sources)
        self._pending_sources.clear()

    def drop_row(self) -> None:
        self._pending_sources.clear()

    def forget_written(self) -> None:
        """After a dry-run chunk is rolled back, nothing it created exists any more."""
        self._sources.clear()
        self._pending_sources.clear()


def _title_for(url: str) -> str:
    """A readable title for a bare link: "x.com/IranNewsAgency0/status/2018870626761769360"."""
    parts = urlsplit(url)
    return f"{parts.netloc.removeprefix('www.')}{parts.path}"[:500] or url[:500]
