"""The base classes of every staff change screen (each app's ``admin.py`` builds on them).

The admin never writes by itself: saves and deletions go through ``save_with_history`` /
``delete_with_history`` (full validation, author and reason in the history), or through a domain service
where one creates the record. Every change form asks for the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextInputWidget
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.forms.models import BaseInlineFormSet, ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from vigil.accounts.permissions import Refused
from vigil.core.models import fuzzy
from vigil.core.services import delete_with_history, save_with_history
from vigil.core.text import fold_name
from vigil.core.visibility import allowed_levels, field_visible, may_see, visible
from vigil.people.models import Person
from vigil.sources.models import Citation
from vigil.staff.access import acting_user, can_review, preferred_calendar
from vigil.staff.display import both_calendars
from vigil.staff.forms import (
    DayFormField,
    DecimalNumberField,
    DigitsInput,
    FuzzyDateModelForm,
    RecordForm,
    StaffModelForm,
    WholeNumberField,
    fuzzy_date_prefixes,
)
from vigil.staff.moments import MomentsAdmin

REASON_FIELD = "change_reason"

FORMFIELD_OVERRIDES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    # Plain dates (publication day ...) are typed like fuzzy ones, Jalali accepted. Date-times keep the
    # admin's own widget: its default for DateTimeField comes first in the field's class order.
    models.DateField: {"form_class": DayFormField, "widget": forms.TextInput(attrs={"dir": "auto"})},
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"})},
    # Names and titles are typed in Persian or English: let each box follow its text's direction.
    models.CharField: {"widget": AdminTextInputWidget(attrs={"dir": "auto"})},
    models.URLField: {"assume_scheme": "https"},
    # Ages, terms, coordinates: typed in Persian digits as often as in Latin ones.
    models.IntegerField: {"form_class": WholeNumberField, "widget": DigitsInput},
    models.BigIntegerField: {"form_class": WholeNumberField, "widget": DigitsInput},
    models.DecimalField: {"form_class": DecimalNumberField, "widget": DigitsInput(decimal=True)},
}
RECORD_FILTERS = ("confidentiality", "verification")
# Searching people by name: any spelling in either script, and the folded key (ي/ی, ك/ک, diacritics ...).
PERSON_NAME_SEARCH = ("names__text", "names__match_key")


def act_and_report(request: HttpRequest, act: Callable[[], object], done: str) -> None:
    """Do a staff screen's one action (undo a merge, remove an authenticator) and tell the user how it went:
    ``done``, or why it was refused (a rule's messages, or a refusal of permission, audited where raised)."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)


def date_column(prefix: str, description: Any) -> Callable[[Any], str]:
    """A change-list column showing a fuzzy date in both calendars, sorted by its day."""

    def column(obj: Any) -> str:
        return both_calendars(fuzzy(obj, prefix))

    return admin.display(description=description, ordering=f"{prefix}_on")(column)


def related_name_search(path: str) -> tuple[str, str]:
    """Search fields that find a record by the names of the person at ``path`` (e.g. ``person``)."""
    return (f"{path}__names__text", f"{path}__names__match_key")


def with_fuzzy_dates(
    form: type[FuzzyDateModelForm], model: type[models.Model], prefixes: tuple[str, ...] | None = None
) -> type[FuzzyDateModelForm]:
    """``form`` with the model's fuzzy dates (all of them unless ``prefixes`` names some) as single boxes."""
    prefixes = fuzzy_date_prefixes(model) if prefixes is None else prefixes
    if not prefixes:
        return form
    return cast("type[FuzzyDateModelForm]", type(form.__name__, (form,), {"fuzzy_dates": prefixes}))


def for_user(form: type[ModelForm[Any]], request: HttpRequest) -> type[ModelForm[Any]]:
    """A form class that shows dates in the user's calendar, knows whether the user may review, and carries
    a service's refusal of this very submission (see ``StaffAdmin.changeform_view``)."""
    attrs = {
        "calendar_name": preferred_calendar(request),
        "can_review": can_review(request),
        "refusal": getattr(request, "staff_refusal", None),
    }
    return cast("type[ModelForm[Any]]", type(form.__name__, (form,), attrs))


# The ways from a record to the person it is about: a fact or name of a person hidden from the viewer is
# hidden with them, whatever its own level (a detention recorded "internal" of a "restricted" person).
_PERSON_PATHS = ("person", "detention__person", "case__person")


def person_path(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to the person its records are about (None for other records)."""
    for path in _PERSON_PATHS:
        current: Any = model
        for name in path.split("__"):
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:
                break
            if not (field.many_to_one or field.one_to_one) or field.related_model is None:
                break
            current = field.related_model
        else:
            if current is Person:
                return path
    return None


def with_folded_names(
    found: tuple[Any, bool], queryset: Any, search_term: str, lookups: tuple[str, ...]
) -> tuple[Any, bool]:
    """A change list's search results (``found``) and the records whose name keys at ``lookups`` contain
    the term folded the same way (ي/ی, ك/ک, diacritics ...), spaces aside: "منجی‌آزاد" (a ZWNJ, which
    folding drops) finds "منجی آزاد"."""
    key = fold_name(search_term).replace(" ", "")
    if not key or not lookups:
        return found
    return _with_matches(
        found, queryset, [Replace(F(lookup), Value(" "), Value("")) for lookup in lookups], key
    )


def _with_matches(
    found: tuple[Any, bool], queryset: Any, expressions: list[Any], term: str
) -> tuple[Any, bool]:
    """``found`` and the records for which one of ``expressions`` contains ``term``."""
    aliases = {f"_matched_{n}": expression for n, expression in enumerate(expressions)}
    matches = Q()
    for alias in aliases:
        matches |= Q(**{f"{alias}__contains": term})
    return found[0] | queryset.filter(pk__in=queryset.alias(**aliases).filter(matches).values("pk")), True


# Persian written with Arabic letters, and compound names with a ZWNJ, a space or nothing between the parts.
_LOOSE_SPELLING = (("\u200c", ""), (" ", ""), ("ي", "ی"), ("ى", "ی"), ("ك", "ک"))


def with_loose_spelling(
    found: tuple[Any, bool], queryset: Any, search_term: str, fields: list[str]
) -> tuple[Any, bool]:
    """A change list's (or pick-list's) search results and the records whose ``fields`` contain a term in
    Persian script however its letters and compound parts were typed: "كرمانشاه" finds کرمانشاه and
    "قزلحصار" finds قزل‌حصار."""
    term = search_term.strip()
    for old, new in _LOOSE_SPELLING:
        term = term.replace(old, new)
    if not term or term.isascii() or not fields:
        return found
    expressions = []
    for field in fields:
        expression: Any = F(field)
        for old, new in _LOOSE_SPELLING:
            expression = Replace(expression, Value(old), Value(new))
        expressions.append(expression)
    return _with_matches(found, queryset, expressions, term)


def visible_to(queryset: Any, model: type[models.Model], request: HttpRequest) -> Any:
    """The records of ``queryset`` the user may see: by their own level, and by their person's."""
    if any(field.name == "confidentiality" for field in model._meta.fields):
        queryset = visible(queryset, request.user)
    path = person_path(model)
    if path is not None:
        levels = allowed_levels(request.user)
        queryset = queryset.filter(
            Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__confidentiality__in": levels})
        )
    return queryset


def hidden_fields(model: type[models.Model], request: HttpRequest) -> list[str]:
    """The sensitive fields of ``model`` this user may not read: left out of every form, so a restricted
    value is neither shown nor overwritten."""
    return [
        name
        for name in getattr(model, "sensitive_fields", {})
        if not field_visible(model, name, request.user)
    ]


class StaffAdmin(MomentsAdmin, SimpleHistoryAdmin):
    """A model's change screens, with history ("as of" views) and a reason on every change.

    Subclasses set ``fuzzy_dates`` to limit which dates get one box (default: all the model has) and may
    override ``create`` to create records through a domain service.
    """

    form: type[FuzzyDateModelForm] = StaffModelForm
    fuzzy_dates: tuple[str, ...] | None = None
    formfield_overrides = FORMFIELD_OVERRIDES
    delete_confirmation_template = "staff/delete_confirmation.html"
    list_per_page = 50
    list_select_related = True
    # Lookups to a name's match key: the search term is folded the same way and matched there too.
    folded_name_lookups: tuple[str, ...] = ()

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        self.form = with_fuzzy_dates(self.form, model, self.fuzzy_dates)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The record as it stood at one version, headed by that version's date, author and reason."""
        history = self.model._meta.simple_history_manager_attribute
        record = (
            getattr(self.model, history)
            .filter(history_id=version_id, **{self.model._meta.pk.attname: object_id})
            .select_related("history_user")
            .first()
        )
        self._require_visible(request, object_id)
        context = {"historical_record": record, **(extra_context or {})}
        response: HttpResponse = super().history_form_view(request, object_id, version_id, context)
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._require_visible(request, object_id)
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        return response

    def _require_visible(self, request: HttpRequest, object_id: str) -> None:
        """History screens show a record the user may not see as not found: django-simple-history reads the
        record's past versions itself when the list hides it. A deleted record is judged by its last
        version (its own level, and its person's)."""
        pk = unquote(object_id)
        if self.get_queryset(request).filter(pk=pk).exists():
            return
        if self.model._default_manager.filter(pk=pk).exists():
            raise Http404
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        last = history.filter(**{self.model._meta.pk.attname: pk}).order_by("-history_date").first()
        if last is None or not may_see(last, request.user):
            raise Http404
        path = person_path(self.model)
        person_id = getattr(last, f"{path}_id", None) if path == "person" else None
        if person_id is not None and not visible(Person.objects.filter(pk=person_id), request.user).exists():
            raise Http404

    def get_queryset(self, request: HttpRequest) -> Any:
        """Staff see only the records their clearance allows (the one rule in ``vigil.core.visibility``):
        a restricted record is absent from lists, search, change and history screens alike."""
        return visible_to(super().get_queryset(request), self.model, request)

    def get_exclude(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        return [*(super().get_exclude(request, obj) or ()), *hidden_fields(self.model, request)]

    def get_form(
        self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        return for_user(super().get_form(request, obj, change, **kwargs), request)

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_review(request) and any(f.name == "verification" for f in self.model._meta.fields):
            readonly.append("verification")
        return readonly

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        """The model's fields, then the reason, last, just above the save buttons."""
        leave_out = {REASON_FIELD, *hidden_fields(self.model, request)}
        fieldsets = [
            (
                title,
                {**options, "fields": [name for name in options.get("fields", ()) if name not in leave_out]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Why"), {"fields": [REASON_FIELD]})]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        found = super().get_search_results(request, queryset, search_term)
        found = with_folded_names(found, queryset, search_term, self.folded_name_lookups)
        return with_loose_spelling(found, queryset, search_term, self._text_search_fields())

    def _text_search_fields(self) -> list[str]:
        """The searched fields that are the model's own text (names, titles), not lookups across tables."""
        fields = []
        for name in self.search_fields or ():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.CharField | models.TextField):
                fields.append(name)
        return fields

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # A bulk deletion cannot ask one reason per record; records are deleted one at a time.
        actions: dict[str, Any] = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def create(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], reason: str
    ) -> models.Model | None:
        """Create ``obj`` through a domain service and return what it created; None saves it generically."""
        return None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reason = form.cleaned_data[REASON_FIELD]
        created = None if change else self.create(request, obj, form, reason)
        if created is None:
            save_with_history(obj, actor=acting_user(request), reason=reason)
            return
        # The admin goes on with ``obj`` (m2m, inlines, log, redirect): make it the created row.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        reason = form.cleaned_data[REASON_FIELD]
        actor = acting_user(request)
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            delete_with_history(deleted, actor=actor, reason=reason)
        for instance in instances:
            save_with_history(instance, actor=actor, reason=reason)
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        delete_with_history(obj, actor=acting_user(request), reason=request.POST.get(REASON_FIELD, ""))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not request.POST.get(REASON_FIELD, "").strip():
            messages.error(request, _("Every deletion needs a reason: say why this record is deleted."))
            return HttpResponseRedirect(request.get_full_path())
        response: HttpResponse = super().delete_view(request, object_id, extra_context)
        return response

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The form validated the record as the model does; a service may still refuse it (a duplicate URL,
        # a date clashing with another record, a change only a reviewer may make). Its transaction is then rolled back whole, and the same
        # submission is shown again with the refusal on the boxes it concerns.
        try:
            response: HttpResponse = super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, Refused) as error:
            if request.method != "POST":
                raise
            if isinstance(error, Refused):
                error.audit()  # its log entry went with the rolled-back transaction
            refusal = error if isinstance(error, ValidationError) else ValidationError(error.message)
            request.staff_refusal = refusal  # type: ignore[attr-defined]
            response = super().changeform_view(request, object_id, form_url, extra_context)
        return response


class StaffInlineMixin(InlineModelAdmin):  # type: ignore[type-arg]
    """Inline rows with fuzzy-date boxes; saved by the parent's ``save_formset`` with the parent's reason.

    ``required_on_add`` (a message) makes at least one row required when the parent is created, e.g. a
    new fact must cite a source.
    """

    form: type[FuzzyDateModelForm] = RecordForm
    fuzzy_dates: tuple[str, ...] | None = None
    formfield_overrides = FORMFIELD_OVERRIDES
    extra = 0
    required_on_add: Any = None

    def __init__(self, parent_model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(parent_model, admin_site)
        self.form = with_fuzzy_dates(self.form, self.model, self.fuzzy_dates)

    def get_queryset(self, request: HttpRequest) -> Any:
        return visible_to(super().get_queryset(request), self.model, request)

    def get_exclude(self, request: HttpRequest, obj: models.Model | None = None) -> Any:
        return [*(super().get_exclude(request, obj) or ()), *hidden_fields(self.model, request)]

    def get_formset(
        self, request: HttpRequest, obj: models.Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet[Any, Any, Any]]:
        if obj is None and self.required_on_add:
            kwargs.update(min_num=1, validate_min=True)
        formset: Any = super().get_formset(request, obj, **kwargs)
        formset.form = for_user(formset.form, request)
        if obj is None and self.required_on_add:
            formset.default_error_messages = {"too_few_forms": self.required_on_add}
        return cast("type[BaseInlineFormSet[Any, Any, Any]]", formset)


class StaffTabularInline(StaffInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    pass


class StaffStackedInline(StaffInlineMixin, admin.StackedInline):  # type: ignore[type-arg]
    pass


class CitationInline(StaffInlineMixin, GenericTabularInline):
    """The sources of the fact on this screen, with quote, translation and how the source knows."""

    model = Citation
    fields = ("source", "quote", "quote_language", "translation", "translation_method", "relation", "locator")
    autocomplete_fields = ("source",)
    verbose_name_plural = gettext_lazy("sources cited for this record")
    required_on_add = gettext_lazy("Every fact needs a source: cite at least one below.")
