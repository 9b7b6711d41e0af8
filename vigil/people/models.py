"""People and their names. A name is a row, never first/last columns: one person has many variants, in
Persian/Arabic script and in Latin transliterations, each from a source."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import FuzzyDate
from vigil.core.encryption import EncryptedTextField
from vigil.core.models import Confidentiality, PlainCharField, PlainTextField, Record, Vocabulary, fuzzy
from vigil.core.text import Script, detect_script, fold_name, to_persian_digits
from vigil.people.photos import photo_validate

ADULT_AGE = 18
DAYS_PER_YEAR = 365.25  # ages reported on a date, counted in days (``reports.ages`` does the same in SQL)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Person(Record):
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_on = models.DateField(_("date of birth"), null=True, blank=True)
    birth_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    # Sources usually give an age, not a birth date: "a 17-year-old" in a post of 9 January 2026.
    reported_age = models.PositiveSmallIntegerField(_("age as reported"), null=True, blank=True)
    age_reported_on = models.DateField(_("age reported on"), null=True, blank=True)
    ethnicity = models.ForeignKey(
        "core.Term",
        verbose_name=_("ethnicity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.ETHNICITY},
    )
    religion = models.ForeignKey(
        "core.Term",
        verbose_name=_("religion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.RELIGION},
    )
    occupations = models.ManyToManyField(
        "core.Term",
        verbose_name=_("occupations and roles"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.OCCUPATION},
    )
    residence = models.ForeignKey(
        "places.Place", verbose_name=_("place of residence"), null=True, blank=True, on_delete=models.PROTECT
    )
    photo = models.FileField(
        _("photo"),
        upload_to="photos/",
        blank=True,
        validators=[photo_validate],
        help_text=_("JPEG, PNG or WebP. Stored without its metadata (location, camera, file name)."),
    )
    photo_thumbnail = models.FileField(
        _("photo thumbnail"), upload_to="photos/thumbnails/", blank=True, editable=False
    )
    summary_en = PlainTextField(_("public summary (English)"), blank=True)
    summary_fa = PlainTextField(_("public summary (Persian)"), blank=True)
    family_contact = EncryptedTextField(
        _("family contact"),
        blank=True,
        help_text=_("Restricted: never shown outside the named groups; encrypted at rest."),
    )
    notes = PlainTextField(_("internal notes"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    history = HistoricalRecords(m2m_fields=[occupations])

    sensitive_fields: ClassVar[dict[str, str]] = {
        "family_contact": Confidentiality.RESTRICTED,
        "notes": Confidentiality.INTERNAL,
    }

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_age__isnull=True) | Q(reported_age__lte=130), name="person_age_plausible"
            ),
            models.CheckConstraint(
                condition=Q(reported_age__isnull=True) | Q(age_reported_on__isnull=False),
                name="person_age_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    @property
    def birth(self) -> FuzzyDate:
        return fuzzy(self, "birth")

    def display_name(self, language: str | None = None) -> str:
        """The primary name in the reader's script: Persian script for ``fa``, Latin otherwise; with no name
        (none the reader may see), the person's number, in Persian digits for ``fa``."""
        language = language or get_language() or "en"
        number = to_persian_digits(str(self.pk)) if language == "fa" else str(self.pk)
        wanted = Script.PERSIAN_ARABIC if language == "fa" else Script.LATIN
        names = list(self.names.all())
        for candidates in (
            [n for n in names if n.script == wanted and n.is_primary],
            [n for n in names if n.script == wanted],
            [n for n in names if n.is_primary],
            names,
        ):
            if candidates:
                return str(candidates[0].text)
        if self.merged_into_id is not None and self.merged_into_id != self.pk:
            # A merge moved every name to the person kept: name the person by theirs.
            return _("#%(pk)s (merged into %(kept)s)") % {
                "pk": number,
                "kept": Person.objects.get(pk=self.merged_into_id).display_name(language),
            }
        return f"#{number}"

    def age_on(self, day: dt.date) -> int | None:
        """Age on ``day`` as shown with the person: exact from a day-precise birth date, else the youngest age
        consistent with what was reported. Whether they count as a minor is ``is_minor_on``'s stricter rule."""
        birth = self.birth
        if birth.is_known and birth.latest is not None:
            return _years(birth.latest, day)
        if self.reported_age is not None and self.age_reported_on is not None:
            elapsed = day - self.age_reported_on
            return max(0, self.reported_age + int(elapsed.days // DAYS_PER_YEAR))
        return None

    def is_minor_on(self, day: dt.date) -> bool | None:
        """Under 18 on ``day``: True when certainly (from the first day a birth date may stand for, or the
        oldest age consistent with the age reported), False when certainly not, None when nothing says or
        either may be ("18" reported a month after ``day`` may have been 17 then). Counts of minors say "at
        least": they count only True."""
        birth = self.birth
        if birth.is_known and birth.earliest is not None and birth.latest is not None:
            if _years(birth.earliest, day) < ADULT_AGE:
                return True
            return False if _years(birth.latest, day) >= ADULT_AGE else None
        if self.reported_age is not None and self.age_reported_on is not None:
            days = (day - self.age_reported_on).days
            if days <= (ADULT_AGE - 1 - self.reported_age) * DAYS_PER_YEAR:
                return True
            return False if days >= (ADULT_AGE - self.reported_age) * DAYS_PER_YEAR else None
        return None


def _years(born: dt.date, day: dt.date) -> int:
    """Whole years from ``born`` to ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class NameVariant(models.Model):
    class Kind(models.TextChoices):
        BIRTH = "birth", _("Birth name")
        ALIAS = "alias", _("Alias or nickname")
        TRANSLITERATION = "transliteration", _("Transliteration")
        MISSPELLING = "misspelling", _("Spelling found in a source")

    class ScriptChoice(models.TextChoices):
        PERSIAN_ARABIC = Script.PERSIAN_ARABIC, _("Persian/Arabic script")
        LATIN = Script.LATIN, _("Latin script")
        MIXED = Script.MIXED, _("Mixed scripts")
        OTHER = Script.OTHER, _("Other script")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="names"
    )
    text = PlainCharField(_("name"), max_length=200)
    script = models.CharField(_("script"), max_length=5, choices=ScriptChoice.choices, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BIRTH)
    is_primary = models.BooleanField(_("primary in its script"), default=False)
    match_key = models.CharField(max_length=200, editable=False)
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("name")
        verbose_name_plural = _("names")
        # An index rather than ``db_index=True``: names are looked up by the whole key, and the field's own
        # index would add one for LIKE queries on PostgreSQL, and both again on every name's history table.
        indexes = [models.Index(fields=["match_key"], name="name_match_key")]
        constraints = [
            models.UniqueConstraint(fields=["person", "text"], name="name_unique_per_person"),
            models.CheckConstraint(condition=~Q(text=""), name="name_not_empty"),
            # The primary name is what pages and sheets show; two in one script would make that a coin toss.
            models.UniqueConstraint(
                fields=["person", "script"],
                condition=Q(is_primary=True),
                name="name_one_primary_per_script",
                violation_error_message=_("This person already has a primary name in this script."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.text)

    def save(self, *args: object, **kwargs: object) -> None:
        # The script and match key are derived from the text, so no path can store them out of step.
        self._derive()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        # Derived before validation too, so the constraints are checked against what will be stored.
        self._derive()

    def _derive(self) -> None:
        self.text = " ".join((self.text or "").split())
        self.script = detect_script(self.text)
        self.match_key = fold_name(self.text)[:200]
