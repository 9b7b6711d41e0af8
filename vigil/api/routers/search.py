"""Search by name across scripts, and the statistics of the report engine."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from vigil.api.auth import viewer_of
from vigil.api.errors import READ_ERRORS
from vigil.api.pagination import PageQuery
from vigil.api.routers.common import READ_AUTH, IsoDay
from vigil.api.schemas import SearchPage, StatisticsOut
from vigil.api.serialize import public_url
from vigil.events.models import Event
from vigil.people.models import Person
from vigil.people.selectors import visible_names
from vigil.public.templatetags.public import name_in
from vigil.reports.selectors import report_as_of
from vigil.search.selectors import SearchHit, search_records

router = Router(tags=["search and statistics"], auth=READ_AUTH)


class SearchQuery(PageQuery):
    q: str = Field(
        ..., min_length=1, max_length=200, description="A name or title, in Persian or Latin script."
    )
    kind: Literal["", "person", "event"] = ""


def _hit_rows(hits: list[SearchHit], viewer: Any) -> list[dict[str, Any]]:
    people = Person.objects.prefetch_related(Prefetch("names", queryset=visible_names(viewer))).in_bulk(
        [h.record_id for h in hits if h.kind == "person"]
    )
    events = Event.objects.in_bulk([h.record_id for h in hits if h.kind == "event"])
    rows = []
    for hit in hits:
        if hit.kind == "person" and (person := people.get(hit.record_id)) is not None:
            names = (name_in(person, "en"), name_in(person, "fa"))
            url = public_url("public:person", person.pk)
        elif hit.kind == "event" and (event := events.get(hit.record_id)) is not None:
            names = (event.title_en, event.title_fa)
            url = public_url("public:event", event.pk)
        else:
            continue
        rows.append(
            {
                "kind": hit.kind,
                "id": hit.record_id,
                "url": url,
                "name_en": names[0],
                "name_fa": names[1],
                "score": hit.score,
            }
        )
    return rows


@router.get("/search", response={200: SearchPage, **READ_ERRORS}, summary="Search by name")
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    """People and events whose names match ``q`` in either script ("Mohamadi" and "محمدي" both find
    "نرگس محمدی"), tolerating typos, best match first, among the records the caller may see."""
    offset = (query.page - 1) * query.page_size
    results = search_records(
        viewer=viewer_of(request),
        query=query.q,
        kind=query.kind or None,
        offset=offset,
        limit=query.page_size,
    )
    base = request.build_absolute_uri(request.path)
    params = request.GET.copy()

    def link(page: int) -> str:
        params["page"] = str(page)
        return f"{base}?{params.urlencode()}"

    more = offset + query.page_size < results.total
    return {
        "count": results.total,
        "page": query.page,
        "page_size": query.page_size,
        "next": link(query.page + 1) if more else None,
        "previous": link(query.page - 1) if query.page > 1 else None,
        "results": _hit_rows(results.hits, viewer_of(request)),
    }


class StatisticsQuery(Schema):
    as_of: IsoDay | None = Field(
        None, ge=dt.date(2000, 1, 1), description="The date the figures are as of (default: today)."
    )


@router.get("/statistics", response={200: StatisticsOut, **READ_ERRORS}, summary="Statistics")
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> dict[str, Any]:
    """The people documented by name in each category (with minors and verification levels) and the
    figures sources reported, as of a date; the two are never added together."""
    report = report_as_of(
        as_of=query.as_of or timezone.localdate(), viewer=viewer_of(request), people_limit=0
    )
    return {
        "as_of": report.as_of,
        "named": [
            {
                "code": count.code,
                "label": count.label,
                "people": count.people.total,
                "minors": count.minors.total,
                "by_level": dict(count.people.by_level),
            }
            for count in report.named
        ],
        "reported": [
            {
                "metric": figure.metric,
                "metric_name": figure.metric_name,
                "qualifier": figure.qualifier,
                "value": figure.value,
                "period_end": figure.period_end,
                "published_on": figure.published_on,
                "source_id": figure.source.id,
                "source_title": figure.source.title,
            }
            for figure in report.figures.own
        ],
        "protests": report.events.protests,
        "strikes": report.events.strikes,
        "provinces_reached": report.events.provinces_reached,
        "provinces_total": report.events.provinces_total,
        "cities_reached": report.events.cities_reached,
    }
