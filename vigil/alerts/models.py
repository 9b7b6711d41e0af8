"""Prisoners at risk: the rules that say what "at risk" means, the watchlist campaigners follow, the alerts
raised when a person enters or leaves a risk state (with who acknowledged them), and the outboxes that carry
alerts out by e-mail and webhook without losing any when a server is down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import FuzzyDate, Precision
from vigil.core.models import PlainCharField, PlainTextField


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")


# Lower is more urgent: the watchlist sorts on it and subscriptions filter on it.
SEVERITY_RANK: dict[str, int] = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2}


class RiskKind(models.TextChoices):
    """The conditions Vigil knows how to detect in the record. Rules choose among them; the code that
    detects each one lives in ``vigil.alerts.risks``."""

    INCOMMUNICADO = (
        "incommunicado_or_whereabouts_unknown_over_days",
        _("Held incommunicado or whereabouts unknown"),
    )
    HUNGER_STRIKE = "hunger_strike_over_days", _("On hunger strike")
    DEATH_SENTENCE = "death_sentence", _("Death sentence issued or upheld")
    EXECUTION_FACILITY = "transfer_to_execution_facility", _("Held where executions are carried out")
    NO_LAWYER = "no_lawyer", _("No access to a lawyer")
    MINOR_HELD = "minor_held", _("A child held")
    WATCHLISTED_REARRESTED = "watchlisted_rearrested", _("Re-arrested while on the watchlist")
    HEALTH_EMERGENCY = "health_emergency", _("Health emergency")


class RiskRule(models.Model):
    """One rule administrators configure: a kind of condition, how many days it must have lasted, and how
    severe it is. Several rules of one kind may stand side by side (30 days: high; 60 days: critical)."""

    kind = models.CharField(_("condition"), max_length=48, choices=RiskKind.choices)
    threshold_days = models.PositiveIntegerField(
        _("after days"),
        default=0,
        help_text=_(
            "The condition must have lasted at least this many days, counted from the last day its start "
            "may stand for (a start known only as “Dey 1404” counts from the end of Dey). 0: at once."
        ),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    active = models.BooleanField(_("active"), default=True)
    note = PlainTextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "threshold_days"]
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "threshold_days"], name="risk_rule_unique_threshold"),
        ]

    def __str__(self) -> str:
        label = RiskKind(self.kind).label
        if self.threshold_days:
            return f"{label} ≥ {self.threshold_days} d"
        return str(label)


class WatchlistEntry(models.Model):
    """A person campaigners follow closely, with the campaign's own demands for the urgent-action sheet."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="watchlist_entry"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    note = PlainTextField(_("internal note"), blank=True)
    demands_en = PlainTextField(_("campaign demands (English)"), blank=True)
    demands_fa = PlainTextField(_("campaign demands (Persian)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-added_at"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist")

    def __str__(self) -> str:
        return str(self.person)


class Alert(models.Model):
    """A person entered or left the state a rule describes. Rows are only ever added: the n-th change of a
    person under a rule has the key ``person/rule/n/change``, so a second run of the same day finds its
    alert already there and sends nothing twice."""

    class Change(models.TextChoices):
        ENTERED = "entered", _("entered")
        LEFT = "left", _("left")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="risk_alerts"
    )
    rule = models.ForeignKey(
        RiskRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="alerts"
    )
    change = models.CharField(_("change"), max_length=8, choices=Change.choices)
    sequence = models.PositiveIntegerField(_("change number"))
    idempotency_key = models.CharField(_("key"), max_length=100, unique=True, editable=False)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    detected_on = models.DateField(_("detected on"))
    since_on = models.DateField(_("condition since"), null=True, blank=True)
    days_since = models.PositiveIntegerField(_("days since"), null=True, blank=True)
    # What the record said when the alert was raised: labels, dates and cited sources of each fact.
    facts = models.JSONField(_("facts"), default=list, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["person", "rule", "sequence"], name="alert_unique_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="alert_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_change_display()} {self.rule}"

    def facts_as_recorded(self) -> list[dict[str, Any]]:
        """The facts, each ``since`` read back from its ISO text and precision into a ``FuzzyDate`` (unknown
        when none was recorded), so that pages show it in the reader's calendars."""
        return [
            {
                **fact,
                "since": FuzzyDate(
                    dt.date.fromisoformat(fact["since"]), fact.get("since_precision", Precision.DAY)
                )
                if fact.get("since")
                else FuzzyDate.unknown(),
            }
            for fact in self.facts
        ]

    @staticmethod
    def key_for(*, person_id: int, rule_id: int, sequence: int, change: str) -> str:
        return f"person-{person_id}/rule-{rule_id}/{sequence}/{change}"


class AlertAcknowledgement(models.Model):
    """One entry of an alert's acknowledgement trail: who saw it, when, and what they did about it."""

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="acknowledgements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = PlainTextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"{self.by} — {self.at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """What a channel receives: alerts of at least this severity, of everyone or of watchlisted people."""

    active = models.BooleanField(_("active"), default=True)
    minimum_severity = models.CharField(
        _("minimum severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    watchlist_only = models.BooleanField(_("watchlisted people only"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def wants(self, *, severity: str, watchlisted: bool) -> bool:
        return (
            self.active
            and SEVERITY_RANK[severity] <= SEVERITY_RANK[self.minimum_severity]
            and (watchlisted or not self.watchlist_only)
        )


class EmailSubscription(Subscription):
    address = models.EmailField(_("e-mail address"), unique=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")

    def __str__(self) -> str:
        return self.address


class WebhookEndpoint(Subscription):
    """A partner tool that receives alerts as signed JSON (see ``vigil.alerts.webhooks``)."""

    name = PlainCharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("shared secret"), max_length=128, help_text=_("Used to sign each delivery (HMAC-SHA256).")
    )
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return str(self.name)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up after repeated failures")


class OutboxMessage(models.Model):
    """A message written in the same transaction as its alert and sent later, so a server that is down
    loses nothing: failures are retried with growing delays until ``MAX_ATTEMPTS``."""

    idempotency_key = models.CharField(_("key"), max_length=200, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        abstract = True


class OutgoingEmail(OutboxMessage):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="emails")
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_outbox_due")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class WebhookDelivery(OutboxMessage):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="webhook_deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The exact bytes that are signed and sent, so every retry sends the same body.
    body = models.TextField(_("body"))
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_outbox_due")]

    def __str__(self) -> str:
        return f"{self.endpoint}: {self.idempotency_key}"
