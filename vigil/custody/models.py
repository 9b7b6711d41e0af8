"""Custody: detentions (one custody episode each), transfers, status observations over time, cases,
sentences and executions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import FuzzyDate, date_label
from vigil.core.models import PlainCharField, PlainTextField, Record, Vocabulary, fuzzy
from vigil.events.models import _ordered


class Detention(Record):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="detentions"
    )
    arrested_on = models.DateField(_("arrested on"), null=True, blank=True)
    arrested_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    arrest_place = models.ForeignKey(
        "places.Place", verbose_name=_("arrested at"), null=True, blank=True, on_delete=models.PROTECT
    )
    arresting_body = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("arrested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrests",
    )
    event = models.ForeignKey(
        "events.Event", verbose_name=_("during event"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="detentions",
    )  # fmt: skip
    facility = models.ForeignKey(
        "places.Facility",
        verbose_name=_("first held at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    release_kind = models.ForeignKey(
        "core.Term",
        verbose_name=_("release or outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.RELEASE_KIND},
    )
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrested_on"]
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        constraints = [
            _ordered(
                "arrested_on",
                "released_on",
                "detention_release_not_before_arrest",
                _("The release date is before the arrest date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {date_label(self.arrested)}"

    @property
    def arrested(self) -> FuzzyDate:
        return fuzzy(self, "arrested")

    @property
    def released(self) -> FuzzyDate:
        return fuzzy(self, "released")

    @property
    def current_facility(self) -> object:
        last = self.transfers.order_by("-transferred_on", "-id").first()
        return last.to_facility if last else self.facility


class Transfer(Record):
    detention = models.ForeignKey(
        Detention, verbose_name=_("detention"), on_delete=models.CASCADE, related_name="transfers"
    )
    to_facility = models.ForeignKey(
        "places.Facility", verbose_name=_("to facility"), on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    transferred_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["transferred_on", "id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"→ {self.to_facility} ({date_label(self.transferred)})"

    @property
    def transferred(self) -> FuzzyDate:
        return fuzzy(self, "transferred")


class StatusObservation(Record):
    """A condition of custody over a span of time: incommunicado, hunger strike, solitary ... An open end
    means it is still the case as far as we know."""

    detention = models.ForeignKey(
        Detention, verbose_name=_("detention"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.ForeignKey(
        "core.Term",
        verbose_name=_("status"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.CUSTODY_STATUS},
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    started_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    ended_on = models.DateField(_("until"), null=True, blank=True)
    ended_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("status observation")
        verbose_name_plural = _("status observations")
        indexes = [
            models.Index(
                fields=[
                    "status",
                    "detention",
                    "ended_on",
                    "started_on",
                    "started_precision",
                    "verification",
                    "confidentiality",
                ],
                name="status_report_by_status",
            )
        ]
        constraints = [
            _ordered(
                "started_on",
                "ended_on",
                "status_end_not_before_start",
                _("The status ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return str(_("%(status)s since %(date)s") % {"status": self.status, "date": date_label(self.started)})

    @property
    def started(self) -> FuzzyDate:
        return fuzzy(self, "started")

    @property
    def ended(self) -> FuzzyDate:
        return fuzzy(self, "ended")


class Case(Record):
    class Stage(models.TextChoices):
        INVESTIGATION = "investigation", _("Investigation")
        INDICTMENT = "indictment", _("Indictment")
        TRIAL = "trial", _("Trial")
        VERDICT = "verdict", _("Verdict")
        APPEAL = "appeal", _("Appeal")
        FINAL = "final", _("Final verdict")
        RETRIAL = "retrial", _("Retrial")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="cases"
    )
    detention = models.ForeignKey(
        Detention,
        verbose_name=_("detention"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    court = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    branch = PlainCharField(_("branch"), max_length=50, blank=True)
    judge = PlainCharField(_("judge"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.INVESTIGATION)
    charges = models.ManyToManyField(
        "core.Term",
        verbose_name=_("charges"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.CHARGE},
    )
    activities = models.ManyToManyField(
        "core.Term",
        verbose_name=_("activities persecuted for"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.ACTIVITY},
    )
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords(m2m_fields=[charges, activities])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"{self.person} — {self.court or ''} {self.branch}".strip()


class CaseStage(Record):
    """One dated step of a case: indictment on a day, a trial session, a verdict, an appeal ruling."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=14, choices=Case.Stage.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    occurred_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("case stage")
        verbose_name_plural = _("case stages")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({date_label(self.occurred)})"

    @property
    def occurred(self) -> FuzzyDate:
        return fuzzy(self, "occurred")


class Sentence(Record):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sentences")
    kind = models.ForeignKey(
        "core.Term",
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.SENTENCE_KIND},
    )
    stage = models.CharField(
        _("issued at stage"), max_length=14, choices=Case.Stage.choices, default="verdict"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    prison_months = models.PositiveIntegerField(_("prison term (months)"), null=True, blank=True)
    lashes = models.PositiveSmallIntegerField(_("lashes"), null=True, blank=True)
    fine = PlainCharField(_("fine"), max_length=100, blank=True)
    text = PlainTextField(_("wording of the sentence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")

    def __str__(self) -> str:
        return f"{self.kind} ({date_label(self.issued)})"

    @property
    def issued(self) -> FuzzyDate:
        return fuzzy(self, "issued")


class Execution(Record):
    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="execution")
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="executions",
    )
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    executed_precision = models.CharField(_("precision"), max_length=8, blank=True, default="unknown")
    facility = models.ForeignKey(
        "places.Facility", verbose_name=_("facility"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")

    def __str__(self) -> str:
        return f"{self.person} ({date_label(self.executed)})"

    @property
    def executed(self) -> FuzzyDate:
        return fuzzy(self, "executed")
