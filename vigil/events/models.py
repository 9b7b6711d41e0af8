"""Events (protests, strikes, funerals, raids ...), people's involvement in them, and casualties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import FuzzyDate
from vigil.core.encryption import EncryptedTextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from vigil.core.models import PlainCharField, PlainTextField, Record, Vocabulary, fuzzy


def _ordered(start: str, end: str, name: str, message: StrOrPromise) -> models.CheckConstraint:
    """End not before start when both are known and the end is known to the day.

    An end known only to the month or year is stored as its first day, which may precede a day-precise
    start in the same month ("released in Dey 1404" after "arrested 8 January 2026"); services compare
    such dates as intervals (``FuzzyDate.certainly_before``) instead.
    """
    end_precision = end.removesuffix("_on") + "_precision"
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | ~Q(**{end_precision: "day"})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=message,
    )


class Event(Record):
    kind = models.ForeignKey(
        "core.Term",
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.EVENT_KIND},
    )
    title_en = PlainCharField(_("title (English)"), max_length=300)
    title_fa = PlainCharField(_("title (Persian)"), max_length=300, blank=True)
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    started_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facility = models.ForeignKey(
        "places.Facility", verbose_name=_("facility"), null=True, blank=True, on_delete=models.PROTECT
    )
    university = models.ForeignKey(
        "places.University", verbose_name=_("university"), null=True, blank=True, on_delete=models.PROTECT
    )
    actors = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("forces or organizations involved"), blank=True
    )
    tactics = models.ManyToManyField(
        "core.Term",
        verbose_name=_("tactics used against it"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.TACTIC},
    )
    description_en = PlainTextField(_("description (English)"), blank=True)
    description_fa = PlainTextField(_("description (Persian)"), blank=True)
    history = HistoricalRecords(m2m_fields=[actors, tactics])

    class Meta:
        ordering = ["-started_on", "title_en"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # Covering indexes for the report engine's counts by kind, scope and day (benchmarks/report.py).
        indexes = [
            models.Index(
                fields=[
                    "kind",
                    "place",
                    "university",
                    "facility",
                    "verification",
                    "confidentiality",
                    "started_precision",
                    "started_on",
                ],
                name="event_report_by_scope",
            ),
            models.Index(
                fields=[
                    "kind",
                    "started_on",
                    "started_precision",
                    "verification",
                    "confidentiality",
                    "place",
                    "facility",
                    "university",
                ],
                name="event_report_by_day",
            ),
        ]
        constraints = [
            _ordered(
                "started_on", "ended_on", "event_end_not_before_start", _("The event ends before it starts.")
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return str(self.title_fa if get_language() == "fa" and self.title_fa else self.title_en)

    @property
    def started(self) -> FuzzyDate:
        return fuzzy(self, "started")

    @property
    def ended(self) -> FuzzyDate:
        return fuzzy(self, "ended")


class Involvement(Record):
    """A person's role in an event (killed, injured, detained, participant, organiser, witness ...)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="involvements"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="involvements"
    )
    role = models.ForeignKey(
        "core.Term",
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.INVOLVEMENT_ROLE},
    )
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [
            models.UniqueConstraint(fields=["person", "event", "role"], name="involvement_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role} — {self.event}"


class Casualty(Record):
    """A person killed or injured."""

    class Kind(models.TextChoices):
        KILLED = "killed", _("Killed")
        INJURED = "injured", _("Injured")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="casualties"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    occurred_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casualties",
    )
    cause = models.ForeignKey(
        "core.Term",
        verbose_name=_("cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.CAUSE},
    )
    perpetrator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("alleged perpetrator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    in_custody = models.BooleanField(_("in custody"), default=False)
    age_reported = models.PositiveSmallIntegerField(_("age at the time, as reported"), null=True, blank=True)
    medical_details = EncryptedTextField(_("medical details"), blank=True)  # restricted, encrypted at rest
    history = HistoricalRecords()

    sensitive_fields = {"medical_details": "restricted"}

    class Meta:
        verbose_name = _("casualty")
        verbose_name_plural = _("casualties")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_reported__isnull=True) | Q(age_reported__lte=130),
                name="casualty_age_plausible",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="killed"),
                name="casualty_killed_once",
                violation_error_message=_("This person is already recorded as killed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()}"

    @property
    def occurred(self) -> FuzzyDate:
        return fuzzy(self, "occurred")
