"""Reference data: vocabularies, provinces and places, facilities. Public knowledge, the same for all."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from vigil.api.errors import READ_ERRORS
from vigil.api.routers.common import READ_AUTH
from vigil.api.schemas import PlaceOut, TermOut
from vigil.api.serialize import place_out, term_out
from vigil.core.models import Term, Vocabulary
from vigil.places.models import Facility, Place

router = Router(tags=["reference data"], auth=READ_AUTH)

VocabularyCode = Literal[
    "custody_status", "charge", "activity", "occupation", "ethnicity", "religion", "event_kind", "tactic",
    "involvement_role", "sentence_kind", "release_kind", "cause", "source_kind", "metric",
]  # fmt: skip


@router.get(
    "/vocabularies/{vocabulary}", response={200: list[TermOut], **READ_ERRORS}, summary="Vocabulary terms"
)
def vocabulary_terms(request: HttpRequest, vocabulary: VocabularyCode) -> list[dict[str, Any]]:
    """The active terms of a controlled vocabulary, with the codes the filters and writes use."""
    terms = Term.objects.filter(vocabulary=Vocabulary(vocabulary), active=True).order_by("code")
    return [row for term in terms if (row := term_out(term)) is not None]


class PlacesQuery(Schema):
    kind: Literal["country", "province", "county", "city", "village", "district"] = Field(
        "province", description="Which level of the gazetteer."
    )


@router.get("/places", response={200: list[PlaceOut], **READ_ERRORS}, summary="Places")
def places(request: HttpRequest, query: Query[PlacesQuery]) -> list[dict[str, Any]]:
    """The places of one level of the gazetteer (by default the provinces), by English name."""
    return [row for place in Place.objects.filter(kind=query.kind) if (row := place_out(place)) is not None]


@router.get(
    "/facilities", response={200: list[PlaceOut], **READ_ERRORS}, summary="Prisons and detention centres"
)
def facilities(request: HttpRequest) -> list[dict[str, Any]]:
    """Prisons, wards and detention centres, by English name."""
    return [row for facility in Facility.objects.all() if (row := place_out(facility)) is not None]
