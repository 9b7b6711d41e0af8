"""Reading sources and citations. These are internal (staff) reads; public views filter by confidentiality
in their own selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from vigil.core.models import Term
from vigil.places.models import Facility, Place, University
from vigil.sources.models import Citation, ReportedFigure, Source


def citations_for(fact: models.Model) -> QuerySet[Citation]:
    """The citations of one fact, oldest first, with their sources."""
    return (
        Citation.objects.filter(content_type=ContentType.objects.get_for_model(fact), object_id=fact.pk)
        .select_related("source", "source__publisher", "source__kind")
        .order_by("created_at", "id")
    )


def sources_for(fact: models.Model) -> QuerySet[Source]:
    """The distinct sources cited for one fact."""
    cited = citations_for(fact).values("source_id")
    return Source.objects.filter(pk__in=cited)


def source_by_sha256(digest: str) -> Source | None:
    """The source whose archived copy has this SHA-256, to spot the same file archived twice."""
    return Source.objects.filter(archived_sha256=digest.lower()).first()


def figure_of_scope(
    *,
    source: Source,
    metric: Term | None,
    period_start: dt.date | None,
    period_end: dt.date,
    place: Place | None = None,
    facility: Facility | None = None,
    university: University | None = None,
) -> ReportedFigure | None:
    """The figure a source already gives for this metric, period and scope: there is at most one (a
    revised number corrects it, see ``figure_record``)."""
    return ReportedFigure.objects.filter(
        source=source,
        metric=metric,
        period_start=period_start,
        period_end=period_end,
        place=place,
        facility=facility,
        university=university,
    ).first()
