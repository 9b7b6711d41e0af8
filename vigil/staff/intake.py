"""“Add a detainee”: one screen for what a post or report says about one arrest — the person's names in both
scripts, the arrest, the place they are held, whether they are cut off, and the source it all comes from.

Everything is written by ``detainee_intake`` (and ``source_create`` for a new source) in one transaction:
either the whole record is saved, or nothing is and the form shows why.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.forms.boundfield import BoundField
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from vigil.accounts.models import User
from vigil.accounts.permissions import Refused
from vigil.core.dates import Precision
from vigil.core.models import Confidentiality, Term, Vocabulary
from vigil.core.text import Script, detect_script, validate_plain_text
from vigil.custody.models import Detention
from vigil.custody.services import detainee_intake
from vigil.matching.selectors import Candidate, match_candidates_for, person_summary
from vigil.matching.services import match_pairs_queue
from vigil.organizations.models import Organization
from vigil.people.models import Gender, NameVariant, Person
from vigil.people.services import NameInput
from vigil.places.models import Facility, Place
from vigil.sources.models import Citation, Source
from vigil.sources.services import CitationInput, source_create
from vigil.staff.access import acting_user, can_review, preferred_calendar
from vigil.staff.forms import (
    DayFormField,
    FuzzyDateFormField,
    LanguageField,
    WholeNumberField,
    error_messages_by_field,
    limit_confidentiality,
)
from vigil.staff.views import AdminPageMixin

NEW_SOURCE_FIELDS = ("new_source_kind", "new_source_title", "new_source_url", "new_source_publisher")

# Where a service's error about one of its arguments is shown on this form.
_INTAKE_ERROR_FIELDS = {
    "names": "name_fa",
    "text": "name_fa",
    "gender": "gender",
    "reported_age": "reported_age",
    "age_reported_on": "reported_age",
    "arrested": "arrested",
    "arrested_on": "arrested",
    "arrested_precision": "arrested",
    "arrest_place": "arrest_place",
    "arresting_body": "arresting_body",
    "facility": "facility",
    "incommunicado_since": "incommunicado_since",
    "started_on": "incommunicado_since",
    "occupations": "occupations",
    "note": "note",
    "confidentiality": "confidentiality",
    "source": "source",
    "citations": "source",
    "quote": "quote",
    "quote_language": "quote_language",
    "translation": "translation",
    "translation_method": "translation_method",
    "relation": "relation",
    "locator": "locator",
}
_SOURCE_ERROR_FIELDS = {
    "kind": "new_source_kind",
    "title": "new_source_title",
    "url": "new_source_url",
    "publisher": "new_source_publisher",
    "published_on": "new_source_published_on",
    "language": "new_source_language",
    "confidentiality": "confidentiality",
}


def _text(label: Any, *, rows: int = 0, direction: str = "auto", **kwargs: Any) -> forms.CharField:
    widget = (
        forms.Textarea(attrs={"rows": rows, "dir": direction})
        if rows
        else forms.TextInput(attrs={"dir": direction})
    )
    return forms.CharField(
        label=label, required=False, validators=[validate_plain_text], widget=widget, **kwargs
    )


class IntakeForm(forms.Form):
    """What the documenter reads off the source. Choices of places, facilities, bodies and sources are
    searched as one types (the admin's autocomplete), in either script."""

    name_fa = _text(gettext_lazy("Name in Persian script"), direction="rtl", max_length=200)
    name_latin = _text(gettext_lazy("Name in Latin script"), direction="ltr", max_length=200)
    other_names = _text(
        gettext_lazy("Other spellings"),
        rows=2,
        help_text=gettext_lazy("One per line, as sources write them (they help find the person later)."),
    )
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    reported_age = WholeNumberField(
        label=gettext_lazy("Age as reported"), required=False, min_value=0, max_value=130
    )
    occupations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Occupations and roles"), queryset=Term.objects.none(), required=False
    )

    arrested = FuzzyDateFormField(label=gettext_lazy("Arrested on"), required=False)
    arrest_place = forms.ModelChoiceField(
        label=gettext_lazy("Arrested at (city or province)"), queryset=Place.objects.all(), required=False
    )
    arresting_body = forms.ModelChoiceField(
        label=gettext_lazy("Arrested by"), queryset=Organization.objects.all(), required=False
    )
    facility = forms.ModelChoiceField(
        label=gettext_lazy("Held at"), queryset=Facility.objects.all(), required=False
    )
    incommunicado_since = FuzzyDateFormField(
        label=gettext_lazy("Held incommunicado since"),
        required=False,
        help_text=gettext_lazy(
            "Fill in only if the source says the family and lawyer have had no contact. "
            "Jalali or Gregorian; 1404-10 for a month."
        ),
    )
    note = _text(gettext_lazy("Note"), rows=2)
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL,
    )

    source = forms.ModelChoiceField(
        label=gettext_lazy("Existing source"),
        queryset=Source.objects.all(),
        required=False,
        help_text=gettext_lazy("Search by title or URL; or describe a new source below."),
    )
    new_source_kind = forms.ModelChoiceField(
        label=gettext_lazy("Kind of source"), queryset=Term.objects.none(), required=False
    )
    new_source_title = _text(gettext_lazy("Title or description"), max_length=500)
    new_source_url = forms.URLField(
        label=gettext_lazy("URL"), required=False, max_length=1000, assume_scheme="https"
    )
    new_source_publisher = forms.ModelChoiceField(
        label=gettext_lazy("Publisher"), queryset=Organization.objects.all(), required=False
    )
    new_source_published_on = DayFormField(label=gettext_lazy("Published on"), required=False)
    new_source_language = LanguageField(label=gettext_lazy("Language of the source"), initial="fa")

    quote = _text(gettext_lazy("Quote (original language)"), rows=3)
    quote_language = LanguageField(label=gettext_lazy("Quote language"), initial="fa")
    translation = _text(gettext_lazy("Translation"), rows=3)
    translation_method = forms.ChoiceField(
        label=gettext_lazy("Translated by"),
        choices=Citation.Translation.choices,
        initial=Citation.Translation.NONE,
    )
    relation = forms.ChoiceField(
        label=gettext_lazy("How the source knows"),
        choices=Citation.Relation.choices,
        initial=Citation.Relation.UNKNOWN,
    )

    # The people shown as possible matches whom the documenter said this is not (their numbers): a
    # confirmation holds for them only, not for whoever a changed name brings up.
    new_person_confirmed = forms.CharField(
        label=gettext_lazy("None of the people listed above is this person: record a new one"),
        required=False,
        max_length=2000,
        widget=forms.HiddenInput,
    )
    change_reason = forms.CharField(
        label=gettext_lazy("Reason for this change"),
        max_length=500,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"dir": "auto", "class": "vigil-reason"}),
        help_text=gettext_lazy("Kept with the record's history, e.g. “HRANA daily report, 9 January 2026”."),
    )

    sections = (
        (
            gettext_lazy("Person"),
            ("name_fa", "name_latin", "other_names", "gender", "reported_age", "occupations"),
        ),
        (
            gettext_lazy("Arrest and custody"),
            (
                "arrested",
                "arrest_place",
                "arresting_body",
                "facility",
                "incommunicado_since",
                "note",
                "confidentiality",
            ),
        ),
        (
            gettext_lazy("Source"),
            ("source", *NEW_SOURCE_FIELDS, "new_source_published_on", "new_source_language"),
        ),
        (
            gettext_lazy("What the source says"),
            ("quote", "quote_language", "translation", "translation_method", "relation"),
        ),
        (gettext_lazy("Why"), ("change_reason",)),
    )

    def __init__(
        self, *args: Any, admin_site: AdminSite, user_can_review: bool, calendar_name: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        occupations = cast("forms.ModelMultipleChoiceField[Term]", self.fields["occupations"])
        occupations.widget = AutocompleteSelectMultiple(Person._meta.get_field("occupations"), admin_site)
        # Set after the widget: the queryset setter hands the choices to the current widget.
        occupations.queryset = Term.objects.filter(vocabulary=Vocabulary.OCCUPATION, active=True)
        cast("forms.ModelChoiceField[Term]", self.fields["new_source_kind"]).queryset = Term.objects.filter(
            vocabulary=Vocabulary.SOURCE_KIND, active=True
        )
        # The admin's autocomplete finds choices through the model field that points at them.
        for name, model_field in (
            ("arrest_place", Detention._meta.get_field("arrest_place")),
            ("arresting_body", Detention._meta.get_field("arresting_body")),
            ("facility", Detention._meta.get_field("facility")),
            ("source", Citation._meta.get_field("source")),
            ("new_source_publisher", Source._meta.get_field("publisher")),
        ):
            chooser = cast("forms.ModelChoiceField[Any]", self.fields[name])
            chooser.widget = AutocompleteSelect(model_field, admin_site)
            chooser.widget.choices = chooser.choices
        confidentiality = cast(forms.ChoiceField, self.fields["confidentiality"])
        confidentiality.choices = limit_confidentiality(can_review=user_can_review)
        for field in self.fields.values():
            if isinstance(field, FuzzyDateFormField):
                field.calendar_name = calendar_name

    def grouped(self) -> list[tuple[str, list[BoundField]]]:
        """The form's fields in its sections, for the template."""
        return [(str(title), [self[name] for name in names]) for title, names in self.sections]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name_fa, name_latin = data.get("name_fa", ""), data.get("name_latin", "")
        if name_fa and detect_script(name_fa) not in (Script.PERSIAN_ARABIC, Script.MIXED):
            self.add_error(
                "name_fa",
                _not_a_name(name_fa)
                or _("“%(name)s” is not in Persian script; enter it as the name in Latin script.")
                % {"name": name_fa},
            )
        if name_latin and detect_script(name_latin) != Script.LATIN:
            self.add_error(
                "name_latin",
                _not_a_name(name_latin)
                or _("“%(name)s” is not in Latin script; enter it as the name in Persian script.")
                % {"name": name_latin},
            )
        if not (name_fa or name_latin or data.get("other_names")) and "name_fa" not in self.errors:
            self.add_error("name_fa", _("Enter the person's name, in Persian script, Latin script or both."))
        describes_new = any(data.get(name) for name in NEW_SOURCE_FIELDS)
        if data.get("source") and describes_new:
            self.add_error("source", _("Pick an existing source or describe a new one, not both."))
        elif not data.get("source") and not describes_new and "source" not in self.errors:
            self.add_error(
                "source",
                _("Every fact needs a source: pick an existing one, or describe the new one below."),
            )
        elif describes_new:
            for name, message in (
                ("new_source_kind", _("Say what kind of source this is.")),
                ("new_source_title", _("Give the new source a title or short description.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def names(self, source: Source) -> list[NameInput]:
        """The names to record: each script's name as primary, the other spellings as found in sources."""
        data = self.cleaned_data
        names: list[NameInput] = []
        if data["name_fa"]:
            names.append(
                NameInput(data["name_fa"], kind=NameVariant.Kind.BIRTH, is_primary=True, source=source)
            )
        if data["name_latin"]:
            # A Latin name given beside the Persian one is its transliteration; alone, it is the name we have.
            kind = NameVariant.Kind.TRANSLITERATION if data["name_fa"] else NameVariant.Kind.BIRTH
            names.append(NameInput(data["name_latin"], kind=kind, is_primary=True, source=source))
        for line in data["other_names"].splitlines():
            if line.strip():
                names.append(NameInput(line.strip(), kind=NameVariant.Kind.MISSPELLING, source=source))
        return names

    def attach_errors(self, error: ValidationError, fields: dict[str, str]) -> None:
        """Show a service's errors next to the fields they are about, the rest above the form."""
        for key, problems in error_messages_by_field(error).items():
            field = fields.get(key)
            for problem in problems:
                if field is not None and field in self.fields:
                    self.add_error(field, problem)
                elif key == NON_FIELD_ERRORS:
                    self.add_error(None, problem)
                else:
                    self.add_error(None, f"{key}: {problem}")


class IntakeError(Exception):
    """A service refused the intake; carries which form fields its error keys stand for."""

    def __init__(self, error: ValidationError, fields: dict[str, str]) -> None:
        super().__init__(error)
        self.error = error
        self.fields = fields


def record_intake(form: IntakeForm, *, actor: User) -> Detention:
    """Create the new source if one was described, then the person, detention, statuses and citations.
    Runs inside the caller's transaction; errors name which step's fields they concern."""
    data = form.cleaned_data
    reason = data["change_reason"]
    source = data["source"]
    if source is None:
        try:
            source = source_create(
                actor=actor,
                reason=reason,
                kind=data["new_source_kind"].code,
                title=data["new_source_title"],
                url=data["new_source_url"],
                publisher=data["new_source_publisher"],
                published_on=data["new_source_published_on"],
                language=data["new_source_language"],
                confidentiality=data["confidentiality"],
            )
        except ValidationError as error:
            raise IntakeError(error, _SOURCE_ERROR_FIELDS) from error
    citation = CitationInput(
        source=source,
        quote=data["quote"],
        quote_language=data["quote_language"] if data["quote"] else "",
        translation=data["translation"],
        translation_method=data["translation_method"],
        relation=data["relation"],
    )
    incommunicado = data["incommunicado_since"]
    try:
        return detainee_intake(
            actor=actor,
            reason=reason,
            names=form.names(source),
            citation=citation,
            arrested=data["arrested"],
            gender=data["gender"],
            reported_age=data["reported_age"],
            arrest_place=data["arrest_place"],
            arresting_body=data["arresting_body"],
            facility=data["facility"],
            incommunicado_since=incommunicado if incommunicado.is_known else None,
            occupations=[occupation.code for occupation in data["occupations"]],
            note=data["note"],
            confidentiality=data["confidentiality"],
        )
    except ValidationError as error:
        raise IntakeError(error, _INTAKE_ERROR_FIELDS) from error


def possible_matches(form: IntakeForm, *, viewer: Any) -> list[Candidate]:
    """People already recorded who may be the one entered (none when the names cannot be compared)."""
    data = form.cleaned_data
    texts = [data["name_fa"], data["name_latin"], *data["other_names"].splitlines()]
    arrested = data.get("arrested")
    arrested_on = arrested.value if arrested and arrested.precision == Precision.DAY else None
    source = data.get("source")
    published_on = source.published_on if source is not None else data.get("new_source_published_on")
    try:
        return match_candidates_for(
            names=[text.strip() for text in texts if text and text.strip()],
            reported_age=data.get("reported_age"),
            age_on=arrested_on or published_on,  # as the intake records it (``detainee_intake``)
            gender=data.get("gender") or None,
            place=data.get("arrest_place"),
            arrested_on=arrested_on,
            reported_on=published_on,
            viewer=viewer,
            limit=5,
        )
    except ValidationError:
        return []  # the intake service refuses such names with the specific reason


def _numbers(text: str) -> set[int]:
    return {int(part) for part in text.split() if part.isdigit()}


class DetaineeIntakeView(AdminPageMixin, FormView):  # type: ignore[type-arg]
    form_class = IntakeForm
    template_name = "staff/intake.html"
    title = gettext_lazy("Add a detainee")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perms(["people.add_person", "custody.add_detention", "sources.add_citation"]):
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            admin_site=self.admin_site,
            user_can_review=can_review(self.request),
            calendar_name=preferred_calendar(self.request),
        )
        return kwargs

    def form_valid(self, form: IntakeForm) -> HttpResponse:
        # Counting one prisoner twice is the error that destroys credibility: show who may already be
        # recorded before anything is saved, and save only once the documenter says it is someone new.
        confirmed = _numbers(form.cleaned_data.get("new_person_confirmed", ""))
        candidates = possible_matches(form, viewer=self.request.user)
        if {candidate.person.pk for candidate in candidates} - confirmed:
            data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict from the POST
            data["new_person_confirmed"] = " ".join(str(candidate.person.pk) for candidate in candidates)
            form.data = data
            # What tells two namesakes apart, beside each name: age, places, arrests, deaths.
            shown = [(c, person_summary(c.person, viewer=self.request.user)) for c in candidates]
            context = self.get_context_data(form=form, candidates=candidates, matches=shown)
            return self.render_to_response(context)
        actor = acting_user(self.request)
        try:
            with transaction.atomic():
                detention = record_intake(form, actor=actor)
                if candidates:
                    # Said to be someone new, but a reviewer decides: the pairs wait on the review queue.
                    match_pairs_queue(
                        person=detention.person,
                        named={candidate.person.pk for candidate in candidates},
                        actor=actor,
                        reason=_("Added at intake although possibly recorded already"),
                    )
        except IntakeError as refused:
            form.attach_errors(refused.error, refused.fields)
            return self.form_invalid(form)
        except Refused as refusal:
            refusal.audit()  # its log entry went with the rolled-back transaction
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Recorded the detention of %(person)s. Add transfers, statuses or a case below.")
            % {"person": detention.person},
        )
        return HttpResponseRedirect(reverse("admin:custody_detention_change", args=[detention.pk]))


def _not_a_name(text: str) -> str | None:
    """Why a name box's text is no name in either script, if it is none: no letters at all (digits, a
    ZWNJ), or letters of another script; a name in the other script gets the message sending it there."""
    if detect_script(text) != Script.OTHER:
        return None
    if not any(char.isalpha() for char in text):
        return _("“%(name)s” has no letters; enter the person's name.") % {"name": text}
    return _(
        "“%(name)s” is in neither Persian nor Latin script; enter the name as written in one of them."
    ) % {"name": text}
