"""Events and the reported (aggregate) figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.errors import ValidationError as RequestInvalid

from vigil.api.auth import viewer_of
from vigil.api.errors import READ_ERRORS
from vigil.api.pagination import PageQuery, paginate
from vigil.api.routers.common import CODE, CODE_MAX, READ_AUTH, record_id
from vigil.api.schemas import EventOut, EventsPage, FiguresPage
from vigil.api.serialize import event_out, event_summary, figure_out
from vigil.core.models import Vocabulary
from vigil.core.services import term
from vigil.public.selectors import event_page, events_listed, figures_listed

router = Router(tags=["events and figures"], auth=READ_AUTH)


class EventsQuery(PageQuery):
    kind: str = Field(
        "", max_length=CODE_MAX, pattern=CODE, description="Event kind code: protest, strike ..."
    )


class FiguresQuery(PageQuery):
    metric: str = Field(
        "", max_length=CODE_MAX, pattern=CODE, description="Metric code: killed, arrested ..."
    )


def _known_term(vocabulary: str, name: str, code: str) -> None:
    """A code that is not a term of the vocabulary is an error naming it (as the people filters answer),
    not an empty list; ``term`` says which codes exist."""
    try:
        term(vocabulary, code)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise RequestInvalid([{"loc": ("query", name), "msg": message, "type": "unknown_code"}]) from error


@router.get("/events", response={200: EventsPage, **READ_ERRORS}, summary="List events")
def event_list(request: HttpRequest, query: Query[EventsQuery]) -> dict[str, Any]:
    """Events the caller may see, most recent first."""
    _known_term(Vocabulary.EVENT_KIND, "kind", query.kind)
    events = events_listed(viewer=viewer_of(request), kind=query.kind)
    return paginate(request, events, query, lambda chunk: [event_summary(e) for e in chunk])


@router.get("/events/{event_id}", response={200: EventOut, **READ_ERRORS}, summary="One event")
def event_detail(request: HttpRequest, event_id: int = record_id()) -> dict[str, Any]:
    """One event with the people killed, injured, detained or otherwise involved in it (those the caller
    may see) and its sources."""
    page = event_page(viewer=viewer_of(request), event_id=event_id)
    if page is None:
        raise Http404(_("No event #%(id)s is visible to you.") % {"id": event_id})
    return event_out(page)


@router.get("/figures", response={200: FiguresPage, **READ_ERRORS}, summary="Reported figures")
def figure_list(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    """Aggregate figures as sources published them ("at least 2,300 arrested"), newest first. They are
    never added to the people documented by name."""
    _known_term(Vocabulary.METRIC, "metric", query.metric)
    figures = figures_listed(viewer=viewer_of(request), metric=query.metric)
    return paginate(request, figures, query, lambda chunk: [figure_out(f) for f in chunk])
