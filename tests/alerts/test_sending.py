"""`vigil alerts`: raising alerts once, e-mail through a real SMTP server, signed webhooks to a real receiver."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.alerts.conftest import HttpReceiver, SmtpSink
from tests.alerts.records import cite, incommunicado, observe, system
from tests.factories import REASON, day
from vigil.alerts import notifications
from vigil.alerts.models import (
    Alert,
    DeliveryStatus,
    EmailSubscription,
    OutgoingEmail,
    RiskKind,
    Severity,
    WebhookDelivery,
    WebhookEndpoint,
)
from vigil.alerts.notifications import MAX_ATTEMPTS, deliver_due_emails, deliver_due_webhooks
from vigil.alerts.services import alerts_raise_due
from vigil.alerts.webhooks import verify
from vigil.custody.services import status_end

pytestmark = pytest.mark.django_db

SECRET = "shared-secret-for-partner"


def run_alerts(today: str) -> str:
    out = io.StringIO()
    call_command("alerts", today=today, stdout=out)
    return out.getvalue()


def subject_of(envelope: object) -> str:
    message = message_from_bytes(envelope.original_content)  # type: ignore[attr-defined]
    return str(make_header(decode_header(message["Subject"])))


def test_running_the_command_twice_sends_each_email_once(smtp_sink: SmtpSink):
    """Two runs on the day Narges Mohammadi crosses 30 days incommunicado: one alert, one e-mail."""
    EmailSubscription.objects.create(address="campaign@example.org")
    incommunicado(since=day(2025, 12, 12))

    first = run_alerts("2026-01-11")
    second = run_alerts("2026-01-11")

    assert "1 entered a risk state" in first
    assert "0 entered a risk state" in second
    assert Alert.objects.count() == 1
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].rcpt_tos == ["campaign@example.org"]
    assert "نرگس محمدی" in subject_of(smtp_sink.messages[0])


def test_no_alert_the_day_before_the_threshold(smtp_sink: SmtpSink):
    """On day 29 nothing is raised or sent; on day 30, with the date given in Jalali, it is."""
    EmailSubscription.objects.create(address="campaign@example.org")
    incommunicado(since=day(2025, 12, 12))

    run_alerts("1404/10/20")
    assert smtp_sink.messages == []

    run_alerts("۱۴۰۴/۱۰/۲۱")
    assert len(smtp_sink.messages) == 1
    assert Alert.objects.get().detected_on == dt.date(2026, 1, 11)


def test_leaving_the_risk_state_raises_one_left_alert(smtp_sink: SmtpSink):
    """When contact is restored, the next run raises a "left" alert once, and e-mails it once."""
    EmailSubscription.objects.create(address="campaign@example.org")
    _person, status = incommunicado(since=day(2025, 12, 12))
    run_alerts("2026-01-11")
    status_end(observation=status, ended=day(2026, 1, 15), citations=[cite()], actor=system(), reason=REASON)

    run_alerts("2026-01-16")
    run_alerts("2026-01-17")

    changes = list(Alert.objects.order_by("sequence").values_list("change", "sequence"))
    assert changes == [("entered", 1), ("left", 2)]
    assert len(smtp_sink.messages) == 2


def test_a_second_entry_after_leaving_is_a_new_alert():
    """Entered, left, entered again: three alerts with three distinct keys."""
    person, status = incommunicado(since=day(2025, 11, 1))
    alerts_raise_due(today=dt.date(2025, 12, 5))
    status_end(observation=status, ended=day(2025, 12, 10), citations=[cite()], actor=system(), reason=REASON)
    alerts_raise_due(today=dt.date(2025, 12, 11))
    observe(status.detention, "incommunicado", day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    alerts_raise_due(today=dt.date(2026, 1, 12))

    keys = list(
        Alert.objects.filter(person=person).order_by("sequence").values_list("idempotency_key", flat=True)
    )
    assert len(keys) == len(set(keys)) == 3
    assert keys[2].endswith("/3/entered")


def test_smtp_down_then_retry_succeeds(smtp_port: int):
    """The mail server is down: the e-mail waits in the outbox; when it is back and the retry is due, it is
    sent exactly once."""
    EmailSubscription.objects.create(address="campaign@example.org")
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    now = timezone.now()

    failed = deliver_due_emails(now=now)
    email = OutgoingEmail.objects.get()
    assert (failed.sent, failed.retrying) == (0, 1)
    assert email.status == DeliveryStatus.PENDING
    assert email.attempts == 1
    assert "Connection" in email.last_error
    assert email.next_attempt_at == now + notifications.retry_delay(1)

    sink = SmtpSink(port=smtp_port)
    sink.start()
    try:
        assert deliver_due_emails(now=now + dt.timedelta(seconds=30)).sent == 0  # not due yet: backing off
        assert deliver_due_emails(now=email.next_attempt_at).sent == 1
        assert deliver_due_emails(now=email.next_attempt_at + dt.timedelta(hours=1)).sent == 0
    finally:
        sink.stop()

    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT
    assert email.attempts == 2
    assert len(sink.messages) == 1


def test_the_outbox_gives_up_after_the_last_attempt(smtp_port: int):
    """After MAX_ATTEMPTS failures the message is marked failed and no longer retried."""
    EmailSubscription.objects.create(address="campaign@example.org")
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    OutgoingEmail.objects.update(attempts=MAX_ATTEMPTS - 1)

    report = deliver_due_emails(now=timezone.now())

    assert report.gave_up == 1
    assert OutgoingEmail.objects.get().status == DeliveryStatus.FAILED


def test_retry_delays_double_up_to_six_hours():
    """1, 2, 4 ... minutes, never more than six hours."""
    assert [notifications.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert notifications.retry_delay(20) == dt.timedelta(hours=6)


def test_subscriptions_filter_by_severity_and_watchlist(smtp_sink: SmtpSink):
    """A critical-only address and a watchlist-only address receive nothing for a high alert about an
    unwatched person; an address for everything does."""
    EmailSubscription.objects.create(address="critical@example.org", minimum_severity=Severity.CRITICAL)
    EmailSubscription.objects.create(address="watch@example.org", watchlist_only=True)
    EmailSubscription.objects.create(address="all@example.org")
    incommunicado(since=day(2025, 12, 12))

    run_alerts("2026-01-11")

    assert [m.rcpt_tos for m in smtp_sink.messages] == [["all@example.org"]]


def test_webhook_signature_verifies_with_the_shared_secret(http_receiver: HttpReceiver):
    """The receiver gets the JSON body with a timestamp and an HMAC-SHA256 of "timestamp.body" under the
    shared secret; a different secret does not verify."""
    WebhookEndpoint.objects.create(name="Partner", url=http_receiver.url, secret=SECRET)
    incommunicado(since=day(2025, 12, 12))

    run_alerts("2026-01-11")

    [received] = http_receiver.requests
    timestamp = received.headers["X-Vigil-Timestamp"]
    signature = received.headers["X-Vigil-Signature"]
    expected = hmac.new(
        SECRET.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256
    ).hexdigest()
    assert signature == f"sha256={expected}"
    assert verify(secret=SECRET, body=received.body, timestamp=timestamp, signature=signature)
    assert not verify(secret="another secret", body=received.body, timestamp=timestamp, signature=signature)
    assert not verify(secret=SECRET, body=received.body + b" ", timestamp=timestamp, signature=signature)

    payload = json.loads(received.body)
    assert payload["type"] == "risk.entered"
    assert payload["rule"]["kind"] == RiskKind.INCOMMUNICADO
    assert payload["days_since"] == 30
    assert payload["person"]["name_fa"] == "نرگس محمدی"
    assert received.headers["X-Vigil-Delivery"] == WebhookDelivery.objects.get().idempotency_key


def test_an_old_signature_is_refused():
    """A delivery replayed ten minutes later fails verification (5 minutes of tolerance)."""
    body = b'{"id": "x"}'
    signed_at = timezone.now() - dt.timedelta(minutes=10)
    timestamp = str(int(signed_at.timestamp()))
    signature = (
        "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )

    assert verify(secret=SECRET, body=body, timestamp=timestamp, signature=signature, now=signed_at)
    assert not verify(secret=SECRET, body=body, timestamp=timestamp, signature=signature)


def test_webhook_refused_by_the_partner_is_retried_and_sent_once(http_receiver: HttpReceiver):
    """A 500 answer leaves the delivery waiting; the retry (same body, same delivery id) succeeds once."""
    WebhookEndpoint.objects.create(name="Partner", url=http_receiver.url, secret=SECRET)
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    http_receiver.status[0] = 500
    now = timezone.now()

    assert deliver_due_webhooks(now=now).retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code == 500

    http_receiver.status[0] = 204
    assert deliver_due_webhooks(now=delivery.next_attempt_at).sent == 1
    assert deliver_due_webhooks(now=delivery.next_attempt_at + dt.timedelta(days=1)).sent == 0

    first, second = http_receiver.requests
    assert first.body == second.body
    assert first.headers["X-Vigil-Delivery"] == second.headers["X-Vigil-Delivery"]


def test_partners_get_no_name_of_a_person_who_is_not_public(http_receiver: HttpReceiver):
    """An internal person's webhook carries the number and the rule, but no name."""
    WebhookEndpoint.objects.create(name="Partner", url=http_receiver.url, secret=SECRET)
    incommunicado(since=day(2025, 12, 12), confidentiality="internal")

    run_alerts("2026-01-11")

    payload = json.loads(http_receiver.requests[0].body)
    assert payload["person"]["name_en"] is None
    assert "نرگس" not in http_receiver.requests[0].body.decode()


def test_a_message_claimed_by_one_run_is_not_sent_by_another():
    """Claiming is a conditional update: the second claim of the same due message fails."""
    EmailSubscription.objects.create(address="campaign@example.org")
    incommunicado(since=day(2025, 12, 12))
    alerts_raise_due(today=dt.date(2026, 1, 11))
    pk = OutgoingEmail.objects.get().pk
    now = timezone.now()

    assert notifications._claim(OutgoingEmail, pk, now)
    assert not notifications._claim(OutgoingEmail, pk, now)


def test_command_refuses_a_month_as_today():
    """`--today 1404/10` names a month, not a day: the command says so."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs a day"):
        run_alerts("1404/10")
