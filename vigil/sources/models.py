"""Sources, the citations that tie each fact to them, and reported (aggregate) figures.

Principle 1: every fact has a source. A citation says which source supports which fact, with the quote in
its original language, its translation and how it was translated, and how the source knows (HURIDOCS).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.encryption import EncryptedCharField
from vigil.core.models import Confidentiality, PlainCharField, PlainTextField, Record, Vocabulary


class Reliability(models.TextChoices):
    """Admiralty code, source reliability."""

    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")


class Credibility(models.TextChoices):
    """Admiralty code, credibility of the information."""

    ONE = "1", _("1: confirmed by other sources")
    TWO = "2", _("2: probably true")
    THREE = "3", _("3: possibly true")
    FOUR = "4", _("4: doubtful")
    FIVE = "5", _("5: improbable")
    SIX = "6", _("6: truth cannot be judged")


class Source(Record):
    kind = models.ForeignKey(
        "core.Term",
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.SOURCE_KIND},
    )
    title = PlainCharField(_("title or description"), max_length=500)
    publisher = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )
    # Restricted (a witness's name, an activist's account) and encrypted at rest.
    author = EncryptedCharField(_("author or account"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, default="fa", help_text=_("ISO 639-1, e.g. fa, en")
    )
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices, default="F")
    credibility = models.CharField(_("credibility"), max_length=1, choices=Credibility.choices, default="6")
    archived_file = models.FileField(_("archived copy"), upload_to="evidence/%Y/%m/", blank=True)
    archived_sha256 = models.CharField(
        _("SHA-256 of archived copy"), max_length=64, blank=True, editable=False
    )
    archived_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    notes = PlainTextField(_("internal notes"), blank=True)
    history = HistoricalRecords()

    sensitive_fields: ClassVar[dict[str, str]] = {"author": Confidentiality.RESTRICTED}

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(archived_file="") | ~Q(archived_sha256=""), name="source_archive_has_hash"
            ),
        ]

    def __str__(self) -> str:
        publisher = f"{self.publisher}, " if self.publisher_id else ""
        date = self.published_on.isoformat() if self.published_on else ""
        return f"{publisher}{self.title} {date}".strip()

    @property
    def grade(self) -> str:
        """The Admiralty grade, e.g. ``B2``."""
        return f"{self.reliability}{self.credibility}"


class Citation(models.Model):
    """Ties one fact (any record) to a source."""

    class Translation(models.TextChoices):
        NONE = "none", _("Not translated")
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")
        POST_EDITED = "post_edited", _("Machine translation, post-edited")

    class Relation(models.TextChoices):
        """How the source knows what it says (HURIDOCS 'information' records)."""

        UNKNOWN = "unknown", _("Unknown")
        VICTIM = "victim", _("The person concerned")
        RELATIVE = "relative", _("Relative")
        WITNESS = "witness", _("Eyewitness")
        LAWYER = "lawyer", _("Lawyer")
        FELLOW_PRISONER = "fellow_prisoner", _("Fellow prisoner")
        OFFICIAL = "official", _("Official")
        MONITOR = "monitor", _("Monitoring organization")
        MEDIA = "media", _("Media")

    # No index of their own: the unique (source, content type, object, locator) index serves lookups by
    # source, the (content type, object) index those by kind of fact (three citations a row of an import).
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations", db_index=False
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.PositiveBigIntegerField()
    fact = GenericForeignKey("content_type", "object_id")
    quote = PlainTextField(_("quote (original language)"), blank=True)
    quote_language = models.CharField(_("quote language"), max_length=8, blank=True)
    translation = PlainTextField(_("translation"), blank=True)
    translation_method = models.CharField(
        _("translated by"), max_length=12, choices=Translation.choices, default=Translation.NONE
    )
    relation = models.CharField(
        _("how the source knows"), max_length=16, choices=Relation.choices, default=Relation.UNKNOWN
    )
    locator = PlainCharField(_("page, timestamp or paragraph"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id", "locator"], name="citation_unique_per_fact"
            ),
            models.CheckConstraint(
                condition=Q(translation="") | ~Q(translation_method="none"),
                name="citation_translation_has_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.content_type.name} #{self.object_id}"

    def clean(self) -> None:
        # Field-keyed errors: they name the field to fix, and stand in for the constraint's generic message.
        errors: dict[str, ValidationError] = {}
        if self.translation and self.translation_method == self.Translation.NONE:
            errors["translation_method"] = ValidationError(
                _(
                    "Say how the quote was translated: by a person, by machine, or by machine and post-edited."
                ),
                code="translation_without_method",
            )
        if not self.translation and self.translation_method != self.Translation.NONE:
            errors["translation"] = ValidationError(
                _(
                    "A translation method is given but no translation; enter the translation or choose “%(none)s”."
                ),
                code="method_without_translation",
                params={"none": self.Translation.NONE.label},
            )
        if self.translation and not self.quote:
            errors["quote"] = ValidationError(
                _("A translation needs the original quote it translates."), code="translation_without_quote"
            )
        if errors:
            raise ValidationError(errors)


# The largest reported figure accepted: more than any count of people or events a source reports.
MAX_FIGURE = 1_000_000_000


class ReportedFigure(Record):
    """An aggregate claim by a source ("HRANA, 9 Jan: at least 2,300 arrested"). Never added to counts of
    named individuals; reports show the two side by side."""

    class Qualifier(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")
        UP_TO = "up_to", _("up to")
        EXACTLY = "exactly", _("exactly")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="figures"
    )
    metric = models.ForeignKey(
        "core.Term",
        verbose_name=_("metric"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.METRIC},
    )
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices)
    value = models.PositiveIntegerField(_("value"))
    value_text = PlainCharField(_("as worded by the source"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"))
    place = models.ForeignKey(
        "places.Place", verbose_name=_("scope: place"), null=True, blank=True, on_delete=models.PROTECT
    )
    facility = models.ForeignKey(
        "places.Facility", verbose_name=_("scope: facility"), null=True, blank=True, on_delete=models.PROTECT
    )
    university = models.ForeignKey(
        "places.University",
        verbose_name=_("scope: university"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "metric"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=models.F("period_end")),
                name="figure_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(period_end__lte=models.F("published_on")),
                name="figure_period_not_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_qualifier_display()} {self.value} {self.metric} ({self.source})"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_start"] = ValidationError(
                _("The period starts on %(start)s, after it ends on %(end)s."),
                code="period_reversed",
                params={"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            )
        if self.period_end and self.published_on and self.period_end > self.published_on:
            errors["period_end"] = ValidationError(
                _("The period ends on %(end)s, after the figure was published on %(published)s."),
                code="period_after_publication",
                params={"end": self.period_end.isoformat(), "published": self.published_on.isoformat()},
            )
        if self.value is not None and self.value > MAX_FIGURE:
            # Caught here, not by the database: SQLite would store it, PostgreSQL refuse it past 2,147,483,647.
            errors["value"] = ValidationError(
                _("%(value)s is more than any count a source reports (at most %(max)s): check the number."),
                code="value_too_large",
                params={"value": self.value, "max": MAX_FIGURE},
            )
        scopes = [self.place_id, self.facility_id, self.university_id]
        if sum(scope is not None for scope in scopes) > 1:
            errors["place"] = ValidationError(
                _("A figure has one scope: a place, a facility or a university, not several."),
                code="several_scopes",
            )
        if errors:
            raise ValidationError(errors)
