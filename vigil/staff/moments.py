"""Points in time (when a merge was made, a token last used, an entry audited) on staff screens, as staff
pages write them: the day in both calendars, then the time, in the reader's digits.

Django writes a date-time in its own way, Gregorian and in Latin digits on Persian pages too, both in a
change list's columns and in a change form's read-only fields. ``MomentsAdmin`` shows both as staff pages
write them (``moment_column``), in every admin that builds on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse

from vigil.staff.display import point_in_time

Fieldsets = list[tuple[Any, dict[str, Any]]]


def moment_column(model: type[models.Model], field: str) -> Callable[[Any], str]:
    """A column or read-only field showing a point in time (when a record last changed, a pair was
    proposed) as staff pages write it, in both calendars and the reader's digits. Titled and sorted by the
    field; named for it, so the cell's CSS class stays ``field-<name>`` as for Django's own."""

    def column(obj: Any) -> str:
        value = getattr(obj, field)
        return "" if value is None else point_in_time(value)

    column.__name__ = field
    description = cast("models.Field[Any, Any]", model._meta.get_field(field)).verbose_name
    return admin.display(description=description, ordering=field)(column)


def _moments(model: type[models.Model], names: Sequence[Any]) -> dict[str, Callable[[Any], str]]:
    """The date-time fields of ``model`` among ``names``, each with the column that shows it."""
    shown = {}
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.DateTimeField):
            shown[name] = moment_column(model, name)
    return shown


def _swap(fields: Any, moments: dict[str, Callable[[Any], str]]) -> Any:
    """``fields`` (a fieldset's names, or rows of names) with each date-time read-only field replaced."""
    if isinstance(fields, (list, tuple)):
        return type(fields)(_swap(field, moments) for field in fields)
    return moments.get(fields, fields) if isinstance(fields, str) else fields


def as_moments(
    model: type[models.Model], fieldsets: Fieldsets, readonly: Sequence[Any]
) -> tuple[Fieldsets, list[Any]]:
    """``fieldsets`` and ``readonly`` with every read-only date-time field shown as a point in time."""
    moments = _moments(model, readonly)
    swapped = [
        (name, {**options, "fields": _swap(options["fields"], moments)}) for name, options in fieldsets
    ]
    return swapped, [moments.get(name, name) if isinstance(name, str) else name for name in readonly]


class MomentsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A change list whose date-time columns, and a change form whose read-only date-times (and those of its
    inlines), whether read-only by the admin's choice or because the reader may only view the record, read
    as staff pages write them. Only the rendering changes: the form is built and saved as Django builds it,
    and ``list_display`` names the fields as usual."""

    def get_list_display(self, request: HttpRequest) -> list[str | Callable[[Any], str | bool]]:
        names = super().get_list_display(request)
        moments = _moments(self.model, names)
        return [moments.get(name, name) if isinstance(name, str) else name for name in names]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: models.Model | None = None,
    ) -> HttpResponse:
        adminform = context.get("adminform")
        if adminform is not None:
            adminform.fieldsets, adminform.readonly_fields = as_moments(
                self.model, adminform.fieldsets, adminform.readonly_fields
            )
        for inline in context.get("inline_admin_formsets", []):
            readonly = list(inline.readonly_fields)
            if not inline.has_change_permission:
                readonly += flatten_fieldsets(inline.fieldsets)
            inline.fieldsets, inline.readonly_fields = as_moments(
                inline.formset.model, inline.fieldsets, readonly
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
