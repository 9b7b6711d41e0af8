"""Carrying alerts out: the outboxes for e-mail and webhooks.

A message is written to its outbox in the same transaction as its alert (so an alert never exists without
its messages, nor a message without its alert), then sent by ``deliver_due_*``. Sending first *claims* a
message with a conditional update that pushes its next attempt a lease into the future, so two runs at once
never both send it; a crash during sending leaves it to be retried when the lease ends. Failures are retried
with doubling delays (1 minute, 2, 4 ... at most 6 hours) and given up after ``MAX_ATTEMPTS``, visible in the
staff workspace. Receivers get a stable id with each message (``Message-ID``, ``X-Vigil-Delivery``) to drop
the rare duplicate a crash can cause.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from vigil.alerts.models import (
    Alert,
    DeliveryStatus,
    EmailSubscription,
    OutboxMessage,
    OutgoingEmail,
    RiskKind,
    WebhookDelivery,
    WebhookEndpoint,
)
from vigil.alerts.webhooks import WebhookError, post_signed
from vigil.core.dates import Calendar, FuzzyDate, format_fuzzy_date
from vigil.core.models import Confidentiality

MAX_ATTEMPTS = 12
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_CAP = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=5)
SMTP_TIMEOUT_SECONDS = 30


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure."""
    delay: dt.timedelta = BACKOFF_BASE * 2 ** max(0, attempts - 1)
    return min(delay, BACKOFF_CAP)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.gave_up} given up"


def _absolute(path: str) -> str:
    return getattr(settings, "VIGIL_BASE_URL", "").rstrip("/") + path


def _both_calendars(value: FuzzyDate) -> str:
    return (
        f"{format_fuzzy_date(value)} / {format_fuzzy_date(value, calendar_name=Calendar.JALALI)}"
        f" / {format_fuzzy_date(value, calendar_name=Calendar.JALALI, language='fa')}"
    )


def render_email(alert: Alert) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail for ``alert`` (in the site's language)."""
    since = FuzzyDate(alert.since_on) if alert.since_on else FuzzyDate.unknown()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "alert": alert,
            "name_en": alert.person.display_name("en"),
            "name_fa": alert.person.display_name("fa"),
            "rule_label": RiskKind(alert.rule.kind).label,
            "since": _both_calendars(since),
            "detected": _both_calendars(FuzzyDate(alert.detected_on)),
            "url": _absolute(reverse("alerts:alert-detail", args=[alert.pk])),
        }
        subject = render_to_string("alerts/email/alert_subject.txt", context)
        body = render_to_string("alerts/email/alert_body.txt", context)
    return " ".join(subject.split())[:255], body


def webhook_payload(alert: Alert) -> dict[str, Any]:
    """What partners receive. They are outside the organisation: a name only for a public person, and only
    sources whose own confidentiality is public."""
    person = alert.person
    public = person.confidentiality == Confidentiality.PUBLIC
    sources: dict[int, dict[str, Any]] = {}
    for fact in alert.facts:
        for source in fact.get("sources", []):
            if source.get("confidentiality") == Confidentiality.PUBLIC:
                sources.setdefault(
                    source["id"],
                    {key: source.get(key) for key in ("title", "publisher", "published_on", "url")},
                )
    return {
        "id": alert.idempotency_key,
        "type": f"risk.{alert.change}",
        "person": {
            "id": person.pk,
            "name_en": person.display_name("en") if public else None,
            "name_fa": person.display_name("fa") if public else None,
        },
        "rule": {
            "id": alert.rule.pk,
            "kind": alert.rule.kind,
            "threshold_days": alert.rule.threshold_days,
        },
        "severity": alert.severity,
        "detected_on": alert.detected_on.isoformat(),
        "since": alert.since_on.isoformat() if alert.since_on else None,
        "days_since": alert.days_since,
        "sources": list(sources.values()),
    }


def enqueue_alert(alert: Alert, *, watchlisted: bool) -> tuple[int, int]:
    """Write the messages ``alert`` is due to the outboxes; returns (e-mails, webhook deliveries) queued.
    Called inside the transaction that creates the alert."""
    emails = webhooks = 0
    subject = body = ""
    for subscription in EmailSubscription.objects.filter(active=True):
        if not subscription.wants(severity=alert.severity, watchlisted=watchlisted):
            continue
        if not subject:
            subject, body = render_email(alert)
        _, created = OutgoingEmail.objects.get_or_create(
            idempotency_key=f"{alert.idempotency_key}/email/{subscription.address}",
            defaults={"alert": alert, "recipient": subscription.address, "subject": subject, "body": body},
        )
        emails += created
    payload = ""
    for endpoint in WebhookEndpoint.objects.filter(active=True):
        if not endpoint.wants(severity=alert.severity, watchlisted=watchlisted):
            continue
        payload = payload or json.dumps(webhook_payload(alert), ensure_ascii=False, sort_keys=True)
        _, created = WebhookDelivery.objects.get_or_create(
            idempotency_key=f"{alert.idempotency_key}/webhook/{endpoint.pk}",
            defaults={"alert": alert, "endpoint": endpoint, "body": payload},
        )
        webhooks += created
    return emails, webhooks


def _due(model: type[OutboxMessage], now: dt.datetime) -> list[int]:
    return list(
        model._default_manager.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )


def _claim(model: type[OutboxMessage], pk: int, now: dt.datetime) -> bool:
    """Take ``pk`` for this run, or learn that another run has it (or already sent it)."""
    claimed = model._default_manager.filter(
        pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return claimed == 1


def _settle(
    message: OutboxMessage, *, now: dt.datetime, error: str | None, report: DeliveryReport, **fields: Any
) -> None:
    """Record the outcome of one attempt (``message.attempts`` already counts it)."""
    model: type[models.Model] = type(message)
    if error is None:
        fields.update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
        report.sent += 1
    elif message.attempts >= MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, last_error=error[:2000])
        report.gave_up += 1
    else:
        fields.update(next_attempt_at=now + retry_delay(message.attempts), last_error=error[:2000])
        report.retrying += 1
    model._default_manager.filter(pk=message.pk).update(**fields)


def _message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "vigil.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def deliver_due_emails(*, now: dt.datetime | None = None) -> DeliveryReport:
    """Send every e-mail whose turn has come, through Django's configured mail backend."""
    now = now or timezone.now()
    report = DeliveryReport()
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS)
    try:
        for pk in _due(OutgoingEmail, now):
            if not _claim(OutgoingEmail, pk, now):
                continue
            email = OutgoingEmail.objects.get(pk=pk)
            message = EmailMessage(
                subject=email.subject,
                body=email.body,
                to=[email.recipient],
                headers={"Message-ID": _message_id(email.idempotency_key)},
                connection=connection,
            )
            error: str | None = None
            try:
                if message.send() != 1:
                    error = "The mail server did not accept the message."
            except (smtplib.SMTPException, OSError) as failure:
                error = f"{type(failure).__name__}: {failure}"
                connection.close()  # a broken connection must not be reused for the next message
            _settle(email, now=now, error=error, report=report)
    finally:
        connection.close()
    return report


def deliver_due_webhooks(*, now: dt.datetime | None = None) -> DeliveryReport:
    """POST every signed webhook delivery whose turn has come."""
    now = now or timezone.now()
    report = DeliveryReport()
    for pk in _due(WebhookDelivery, now):
        if not _claim(WebhookDelivery, pk, now):
            continue
        delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=pk)
        try:
            status = post_signed(
                url=delivery.endpoint.url,
                secret=delivery.endpoint.secret,
                body=delivery.body.encode("utf-8"),
                delivery_id=delivery.idempotency_key,
            )
        except WebhookError as failure:
            _settle(delivery, now=now, error=str(failure), report=report, last_status_code=failure.status)
        else:
            _settle(delivery, now=now, error=None, report=report, last_status_code=status)
    return report
