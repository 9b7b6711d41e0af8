"""The directory's filter form: every field optional, labelled, and valid as a shareable GET query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigil.core.dates import parse_fuzzy_date
from vigil.core.models import Term, Vocabulary
from vigil.people.models import Gender
from vigil.places.models import Facility
from vigil.places.selectors import provinces
from vigil.public.selectors import DirectoryFilters, Situation
from vigil.public.selectors.directory import DEATH_SENTENCE
from vigil.public.templatetags.public import bi

SITUATION_LABELS = {
    Situation.DETAINED: _("Detained now"),
    Situation.RELEASED: _("Released"),
    Situation.KILLED: _("Killed"),
    Situation.EXECUTED: _("Executed"),
    Situation.INJURED: _("Injured"),
    DEATH_SENTENCE: _("Sentenced to death"),
}
SORT_CHOICES = [("recent", _("Most recently documented")), ("name", _("Name"))]
_ANY = [("", _("Any"))]


def _terms(vocabulary: str) -> list[tuple[str, str]]:
    return [(term.code, bi(term, "name")) for term in Term.objects.filter(vocabulary=vocabulary, active=True)]


def _fuzzy_day(text: str, *, end: bool) -> dt.date | None:
    """A date as readers write it (2026-01-08, 1404/10/18, Dey 1404 ...): its first day, or its last day
    for the end of a range, so "to Dey 1404" takes in the whole month."""
    if not text.strip():
        return None
    value = parse_fuzzy_date(text)
    return value.latest if end else value.earliest


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    facility = forms.ChoiceField(label=_("Prison or detention centre"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    minor = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[*_ANY, ("yes", _("Under 18 at the time")), ("no", _("18 or older, or age unknown"))],
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    occupation = forms.ChoiceField(label=_("Occupation or role"), required=False)
    date_from = forms.CharField(
        label=_("From"), required=False, max_length=40, help_text=_("e.g. 2025-12-28 or 1404/10/07")
    )
    date_to = forms.CharField(
        label=_("To"), required=False, max_length=40, help_text=_("e.g. 2026-01-09 or 1404/10/19")
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        conditions = [(code, name) for code, name in _terms(Vocabulary.CUSTODY_STATUS)]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            *_ANY,
            (_("Situation"), list(SITUATION_LABELS.items())),
            (_("In custody and"), conditions),
        ]
        self.fields["province"].choices = [*_ANY, *((p.code, bi(p, "name")) for p in provinces())]  # type: ignore[attr-defined]
        held = Facility.objects.exclude(kind=Facility.Kind.WARD).order_by("name_en")
        self.fields["facility"].choices = [*_ANY, *((f.code, bi(f, "name")) for f in held)]  # type: ignore[attr-defined]
        self.fields["gender"].choices = [*_ANY, *Gender.choices]  # type: ignore[attr-defined]
        self.fields["ethnicity"].choices = [*_ANY, *_terms(Vocabulary.ETHNICITY)]  # type: ignore[attr-defined]
        self.fields["occupation"].choices = [*_ANY, *_terms(Vocabulary.OCCUPATION)]  # type: ignore[attr-defined]

    def clean_date_from(self) -> dt.date | None:
        return _fuzzy_day(self.cleaned_data["date_from"], end=False)

    def clean_date_to(self) -> dt.date | None:
        return _fuzzy_day(self.cleaned_data["date_to"], end=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("The end of the date range is before its start."), code="range_reversed")
        return data

    def filters(self) -> DirectoryFilters:
        """The filters of the valid fields (an invalid field is reported on the form and left out)."""
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        minor = data.get("minor")
        return DirectoryFilters(
            q=data.get("q", ""),
            status=data.get("status", ""),
            province=data.get("province", ""),
            facility=data.get("facility", ""),
            gender=data.get("gender", ""),
            minor=True if minor == "yes" else False if minor == "no" else None,
            ethnicity=data.get("ethnicity", ""),
            occupation=data.get("occupation", ""),
            date_from=data.get("date_from") if "__all__" not in self.errors else None,
            date_to=data.get("date_to") if "__all__" not in self.errors else None,
            sort=data.get("sort") or "recent",
        )
