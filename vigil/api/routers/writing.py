"""What every write by token shares: how it is declared, and how its input becomes the arguments of a
domain service (records by id as the actor may see them, codes, fuzzy dates, citations). The services
decide everything else, permissions included."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from vigil.accounts.models import User
from vigil.api.errors import WRITE_ERRORS
from vigil.api.inputs import CitationIn
from vigil.api.routers.common import WRITE_AUTH
from vigil.core.dates import FuzzyDate, parse_fuzzy_date
from vigil.core.visibility import visible
from vigil.sources.models import Source
from vigil.sources.services import CitationInput

WRITE_TAGS = ["writes (token)"]

M = TypeVar("M", bound=models.Model)
View = TypeVar("View", bound=Callable[..., Any])


def write(
    router: Router,
    path: str,
    out: type[Schema],
    summary: str,
    *,
    status: int = 201,
    method: str = "POST",
    exclude_unset: bool | None = None,
    operation_id: str | None = None,
) -> Callable[[View], View]:
    """Declare a write on ``router``: a token is required, and the answer is ``out`` with ``status`` (201
    for a new record, 200 for a change) or one of the shared error shapes. Writes on a path that also reads
    (``/people``) go on the reading router: one route per path. ``operation_id`` keeps the id a write had
    in the OpenAPI document before it moved module (clients generated from it name methods by it)."""
    return router.api_operation(
        [method],
        path,
        auth=WRITE_AUTH,
        tags=WRITE_TAGS,
        response={status: out, **WRITE_ERRORS},
        summary=summary,
        exclude_unset=exclude_unset,
        operation_id=operation_id,
    )


def refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="unknown_reference")})


def by_code(model: type[M], code: str, field: str) -> M | None:
    """The gazetteer entry, facility or organization with ``code``; None when no code is given."""
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()
    if found is None:
        raise refuse(
            field,
            _("No %(kind)s has the code “%(code)s”.") % {"kind": model._meta.verbose_name, "code": code},
        )
    return found


def by_required_code(model: type[M], code: str, field: str) -> M:
    """``by_code`` for a reference the service cannot do without."""
    found = by_code(model, code, field)
    if found is None:
        blank = models.Field.default_error_messages["blank"]
        raise ValidationError({field: ValidationError(blank, code="blank")})
    return found


def visible_record(model: type[M], actor: User, pk: int, field: str | None = None) -> M:
    """The record ``pk`` if ``actor`` may see it. Otherwise not found (404) when it is the record in the
    path, or a refusal of the body's ``field`` (400): a hidden record is never revealed."""
    found = visible(model._default_manager.all(), actor).filter(pk=pk).first()
    if found is None:
        message = _("No %(kind)s #%(id)s is visible to you.") % {"kind": model._meta.verbose_name, "id": pk}
        if field is not None:
            raise refuse(field, message)
        raise Http404(message)
    return found


def visible_or_none(model: type[M], actor: User, pk: int | None, field: str) -> M | None:
    """``visible_record`` for an optional reference in the body."""
    return visible_record(model, actor, pk, field) if pk else None


def fuzzy_date(text: str | None, field: str) -> FuzzyDate | None:
    """A date as documenters write it (Jalali or Gregorian, to the day, month or year); None when empty."""
    if text is None:
        return None
    try:
        return parse_fuzzy_date(text)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error


def known_or_unknown(text: str, field: str) -> FuzzyDate:
    """``fuzzy_date`` for a fact that happened even when its date is not known."""
    return fuzzy_date(text, field) or FuzzyDate.unknown()


def cited(items: Sequence[CitationIn], actor: User) -> list[CitationInput]:
    """The citations of a fact, each of a source the actor may see."""
    return [
        CitationInput(
            source=visible_record(Source, actor, item.source_id, "sources"),
            quote=item.quote,
            quote_language=item.quote_language,
            translation=item.translation,
            translation_method=item.translation_method,
            relation=item.relation,
            locator=item.locator,
        )
        for item in items
    ]
