"""Form pieces every staff screen shares: fuzzy dates typed in Jalali or Gregorian, and the reason that
every change must carry into the record's history."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import Calendar, FuzzyDate, Precision, parse_fuzzy_date
from vigil.core.models import Confidentiality, fuzzy
from vigil.core.templatetags.bidi import isolate_dates
from vigil.core.text import to_ascii_digits, validate_plain_text
from vigil.staff.display import both_calendars, editable_text

DATE_HELP = _(
    "Jalali or Gregorian, in Persian or Latin digits: 1404/10/18, 18 Dey 1404, 2026-01-08; "
    "1404-10 for a month, 1404 for a year; leave empty if unknown."
)


def fuzzy_date_prefixes(model: type[models.Model]) -> tuple[str, ...]:
    """The fuzzy dates a model stores, as prefixes: ``arrested`` for ``arrested_on`` + ``arrested_precision``."""
    names = {field.name for field in model._meta.get_fields()}
    return tuple(
        name.removesuffix("_on")
        for name in (field.name for field in model._meta.concrete_fields)
        if name.endswith("_on") and f"{name.removesuffix('_on')}_precision" in names
    )


class FuzzyDateFormField(forms.Field):
    """One text box for a date known to the day, month or year, in either calendar; cleans to a FuzzyDate.

    Parse errors are the specific ones of ``parse_fuzzy_date`` ("30 Esfand 1402 does not exist (1402 is not
    a leap year)."). ``calendar_name`` is the calendar a stored value is shown in for editing.
    """

    default_error_messages = {"required": _("Enter the date, even if only the year is known.")}

    def __init__(self, *, calendar_name: str = Calendar.JALALI, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"dir": "auto", "placeholder": "1404/10/18"}))
        super().__init__(**kwargs)
        self.calendar_name = calendar_name

    def to_python(self, value: Any) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value
        return parse_fuzzy_date(str(value or ""))

    def validate(self, value: Any) -> None:
        if self.required and not value.is_known:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, FuzzyDate):
            return editable_text(value, calendar_name=self.calendar_name)
        return value

    def show_current(self, value: FuzzyDate) -> None:
        """Put the stored date in both calendars into the help text, so a typo in the calendar shows."""
        if value.is_known:
            self.help_text = format_lazy(
                "{} {}",
                _("Now: %(date)s.") % {"date": both_calendars(value, calendar_name=self.calendar_name)},
                self.help_text,
            )


class DigitsInput(forms.TextInput):
    """A box for a number that takes Persian and Arabic-Indic digits as well as Latin ones. The browser's
    own number box (``type="number"``) drops what is not a Latin digit and sends nothing, so "۲۳" typed
    there erased the age without a word."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, decimal: bool = False) -> None:
        super().__init__({"inputmode": "decimal" if decimal else "numeric", "dir": "ltr", **(attrs or {})})


def _latin_digits(value: Any) -> Any:
    """A number typed in any digits, with the Arabic decimal separator (٫) as a point."""
    return to_ascii_digits(value).replace("\u066b", ".").strip() if isinstance(value, str) else value


# Thousands grouped by commas or the Arabic thousands separator, as reports write them: "2,300", "۲٬۳۰۰".
_GROUPED = re.compile(r"\d{1,3}(?:[,\u066c]\d{3})+")


class WholeNumberField(forms.IntegerField):
    """A whole number typed in Persian, Arabic-Indic or Latin digits (ages, terms, counts), its thousands
    grouped or not ("2,300", "۲٬۳۰۰", "2300")."""

    widget = DigitsInput

    def to_python(self, value: Any) -> int | None:
        value = _latin_digits(value)
        if isinstance(value, str) and _GROUPED.fullmatch(value):
            value = value.replace(",", "").replace("\u066c", "")
        return super().to_python(value)


class DecimalNumberField(forms.DecimalField):
    """A decimal number typed in Persian, Arabic-Indic or Latin digits (coordinates)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DigitsInput(decimal=True))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(_latin_digits(value))


# Languages sources are written in, by what documenters type for them: the code, or the name in English
# or Persian (a code is what the record keeps).
_LANGUAGE_NAMES = {
    "persian": "fa", "farsi": "fa", "فارسی": "fa", "english": "en", "انگلیسی": "en", "arabic": "ar",
    "عربی": "ar", "kurdish": "ku", "کردی": "ku", "sorani": "ckb", "سورانی": "ckb", "kurmanji": "kmr",
    "کرمانجی": "kmr", "azerbaijani": "az", "azeri": "az", "ترکی": "az", "آذری": "az", "baluchi": "bal",
    "balochi": "bal", "بلوچی": "bal", "turkish": "tr", "ترکی استانبولی": "tr", "french": "fr",
    "فرانسوی": "fr", "german": "de", "آلمانی": "de",
}  # fmt: skip
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class LanguageField(forms.CharField):
    """A language as an ISO 639 code ("fa", "ckb"), typed as the code or its name ("فارسی", "English")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", _("ISO 639 code (fa, en, ar, ckb ...) or the language's name"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = " ".join(str(super().to_python(value)).split())
        code = _LANGUAGE_NAMES.get(text.casefold(), text.casefold())
        if code and not _LANGUAGE_CODE.match(code):
            raise ValidationError(
                _("“%(text)s” is not a language code; write fa, en, ar, ckb ... or the language's name."),
                code="language",
                params={"text": text},
            )
        return code


class DayFormField(FuzzyDateFormField):
    """A plain date (publication day, day an age was reported) typed in either calendar; cleans to a date."""

    def __init__(self, **kwargs: Any) -> None:
        for unused in ("max_length", "empty_value"):
            kwargs.pop(unused, None)
        kwargs.setdefault(
            "help_text",
            _("Jalali or Gregorian, in Persian or Latin digits: 1404/10/18, 18 Dey 1404, 2026-01-08."),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if value is None or isinstance(value, dt.date):
            return value
        parsed = parse_fuzzy_date(str(value))
        if not parsed.is_known:
            return None
        if parsed.precision != Precision.DAY:
            raise ValidationError(
                _("Give the full day (day, month and year), not only %(date)s."),
                code="not_a_day",
                params={"date": both_calendars(parsed)},
            )
        return parsed.value

    def validate(self, value: Any) -> None:
        if self.required and value is None:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return editable_text(FuzzyDate(value), calendar_name=self.calendar_name)
        return value


class FuzzyDateFormMetaclass(ModelFormMetaclass):
    """Replaces each declared fuzzy date's two model fields (``<prefix>_on``, ``<prefix>_precision``) by one
    ``FuzzyDateFormField`` named ``<prefix>``, in the place the date had on the form."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> FuzzyDateFormMetaclass:
        inherited = (getattr(base, "fuzzy_dates", ()) for base in bases)
        prefixes: tuple[str, ...] = attrs.get("fuzzy_dates") or next(
            (found for found in inherited if found), ()
        )
        for prefix in prefixes:
            # Declared before the model fields are read, so that Meta.fields may name the prefix.
            if prefix not in attrs and not any(prefix in getattr(b, "declared_fields", {}) for b in bases):
                attrs[prefix] = FuzzyDateFormField(required=False)
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        model = getattr(getattr(new_class, "_meta", None), "model", None)
        if model is None or not prefixes:
            return new_class  # type: ignore[no-any-return]
        fields: dict[str, forms.Field] = {}
        for field_name, field in new_class.base_fields.items():
            prefix = field_name.removesuffix("_on").removesuffix("_precision")
            if prefix in prefixes and field_name != prefix:
                if field_name.endswith("_on"):
                    fields[prefix] = new_class.base_fields[prefix]
                continue
            if field_name not in fields:
                fields[field_name] = field
        for prefix in prefixes:
            labelled = copy.deepcopy(fields[prefix])
            if labelled.label is None:
                labelled.label = capfirst(model._meta.get_field(f"{prefix}_on").verbose_name)
            fields[prefix] = labelled
        new_class.base_fields = fields
        return new_class  # type: ignore[no-any-return]


class FuzzyDateModelForm(forms.ModelForm, metaclass=FuzzyDateFormMetaclass):  # type: ignore[type-arg]
    """A ModelForm whose ``fuzzy_dates`` are typed as one text each and written back to both columns.

    ``calendar_name`` (the user's preferred calendar) decides how stored day-precise dates are shown.
    """

    fuzzy_dates: ClassVar[tuple[str, ...]] = ()
    calendar_name: ClassVar[str] = Calendar.JALALI

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, FuzzyDateFormField):
                field.calendar_name = self.calendar_name
        for prefix in self._present_prefixes():
            current = fuzzy(self.instance, prefix)
            self.initial.setdefault(prefix, current)
            cast(FuzzyDateFormField, self.fields[prefix]).show_current(current)
        for name, field in self.fields.items():
            if isinstance(field, DayFormField) and isinstance(self.initial.get(name), dt.date):
                field.show_current(FuzzyDate(self.initial[name]))

    def _present_prefixes(self) -> list[str]:
        return [
            prefix for prefix in self.fuzzy_dates if isinstance(self.fields.get(prefix), FuzzyDateFormField)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for prefix in self._present_prefixes():
            if isinstance(value := cleaned.get(prefix), FuzzyDate):
                setattr(self.instance, f"{prefix}_on", value.value if value.is_known else None)
                setattr(self.instance, f"{prefix}_precision", value.precision)
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        # The model validates the two columns a valid fuzzy date was written to (release before arrest ...).
        # (Django's private hook, stable since 1.x; the stubs do not declare it.)
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        for prefix in self._present_prefixes():
            if prefix in self.cleaned_data:
                exclude -= {f"{prefix}_on", f"{prefix}_precision"}
        return exclude

    def _columns(self) -> dict[str, str]:
        """Model column → the form box it is typed in (``arrested_on`` → ``arrested``)."""
        return {
            f"{prefix}_{suffix}": prefix
            for prefix in self._present_prefixes()
            for suffix in ("on", "precision")
        }

    def add_error(self, field: str | None, error: Any) -> None:
        """Errors the model raises on ``<prefix>_on`` or ``<prefix>_precision`` belong to the ``<prefix>`` box."""
        columns = self._columns()
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            remapped: dict[str, list[ValidationError]] = {}
            for key, errors in error.error_dict.items():
                remapped.setdefault(columns.get(key, key), []).extend(errors)
            error = ValidationError(remapped)
        elif field in columns:
            field = columns[field]
        super().add_error(field, error)


class RecordForm(FuzzyDateModelForm):
    """The form of every staff screen, inline rows included: fuzzy dates, and no "public" for users who may
    not review (``can_review`` False); the admin makes verification read-only for them."""

    can_review: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The admin shows help texts as they are (marked safe): their date examples are isolated here.
            if field.help_text:
                field.help_text = isolate_dates(field.help_text)
        confidentiality = self.fields.get("confidentiality")
        if isinstance(confidentiality, forms.ChoiceField) and not self.can_review:
            current = getattr(self.instance, "confidentiality", None)
            confidentiality.choices = limit_confidentiality(can_review=False, current=current)


class StaffModelForm(RecordForm):
    """A change screen's form: a record form plus the required reason, which becomes the history reason.

    ``refusal`` is a service's ValidationError from an attempt to save this very submission: the admin shows
    the form again with it, each message on the box it concerns.
    """

    refusal: ClassVar[ValidationError | None] = None

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"class": "vigil-reason", "dir": "auto"}),
        help_text=_(
            "Where this comes from or why it changed, e.g. “HRANA daily report, 9 January 2026”. "
            "Kept with the record's history."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.refusal is not None:
            columns = self._columns()
            for key, problems in error_messages_by_field(self.refusal).items():
                field = columns.get(key, key)
                for problem in problems:
                    if field in self.fields:
                        self.add_error(field, problem)
                    else:
                        self.add_error(None, problem if key == NON_FIELD_ERRORS else f"{key}: {problem}")
        return cleaned


def limit_confidentiality(*, can_review: bool, current: str | None = None) -> list[tuple[str, Any]]:
    """Confidentiality choices for a user: making a record public is a reviewer's decision."""
    return [
        (value, label)
        for value, label in Confidentiality.choices
        if can_review or value != Confidentiality.PUBLIC or current == Confidentiality.PUBLIC
    ]


def error_messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as {field or NON_FIELD_ERRORS: messages}."""
    if hasattr(error, "error_dict"):
        return {
            key: [str(message) for message in ValidationError(value).messages]
            for key, value in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(message) for message in error.messages]}
