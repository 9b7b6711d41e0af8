"""Page-number pagination with the links to the neighbouring pages, for every list the API returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

T = TypeVar("T")

MAX_PAGE = 100_000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page (at most 200)."
    )


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    items: Sequence[T] | QuerySet[Any],
    paging: PageQuery,
    rows: Callable[[list[Any]], list[dict[str, Any]]],
    count: int | None = None,
) -> dict[str, Any]:
    """One page of ``items`` as ``{count, page, page_size, next, previous, results}``; ``rows`` turns the
    page's items into result rows (all at once, so it can fetch what they need in a few queries)."""
    total = count if count is not None else (items.count() if isinstance(items, QuerySet) else len(items))
    start = (paging.page - 1) * paging.page_size
    chunk = list(items[start : start + paging.page_size]) if start < total else []
    last = max(1, -(-total // paging.page_size))
    return {
        "count": total,
        "page": paging.page,
        "page_size": paging.page_size,
        "next": _link(request, paging.page + 1) if paging.page < last else None,
        "previous": _link(request, min(paging.page - 1, last)) if paging.page > 1 else None,
        "results": rows(chunk),
    }
