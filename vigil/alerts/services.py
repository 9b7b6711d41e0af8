"""Every write of the alerts app: the watchlist, acknowledgements, and raising alerts from the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.accounts.permissions import refusals_audited
from vigil.alerts.models import (
    Alert,
    AlertAcknowledgement,
    DeliveryStatus,
    OutgoingEmail,
    RiskRule,
    WatchlistEntry,
    WebhookDelivery,
)
from vigil.alerts.notifications import enqueue_alert
from vigil.alerts.risks import RiskState, evaluate_risks
from vigil.core.services import delete_with_history, save_with_history
from vigil.people.models import Person


@refusals_audited
def watchlist_add(
    *, person: Person, actor: User, reason: str, note: str = "", demands_en: str = "", demands_fa: str = ""
) -> WatchlistEntry:
    """Follow ``person``. Adding someone already followed is refused, naming when and by whom."""
    with transaction.atomic():
        existing = WatchlistEntry.objects.filter(person=person).select_related("added_by").first()
        if existing is not None:
            raise ValidationError(
                _("%(person)s is already on the watchlist (added %(date)s by %(user)s)."),
                code="already_watched",
                params={
                    "person": person,
                    "date": existing.added_at.date().isoformat(),
                    "user": existing.added_by or _("an unknown user"),
                },
            )
        entry = WatchlistEntry(
            person=person, added_by=actor, note=note, demands_en=demands_en, demands_fa=demands_fa
        )
        return save_with_history(entry, actor=actor, reason=reason)


@refusals_audited
def watchlist_update(
    *, entry: WatchlistEntry, actor: User, reason: str, note: str, demands_en: str, demands_fa: str
) -> WatchlistEntry:
    with transaction.atomic():
        entry.note, entry.demands_en, entry.demands_fa = note, demands_en, demands_fa
        return save_with_history(entry, actor=actor, reason=reason)


@refusals_audited
def watchlist_remove(*, entry: WatchlistEntry, actor: User, reason: str) -> None:
    with transaction.atomic():
        delete_with_history(entry, actor=actor, reason=reason)


@refusals_audited
def alert_acknowledge(*, alert: Alert, actor: User, note: str = "") -> AlertAcknowledgement:
    """Add to ``alert``'s trail that ``actor`` has seen it (and what they did). Every acknowledgement is
    kept: a second colleague acknowledging adds a line, it does not replace the first."""
    with transaction.atomic():
        acknowledgement = AlertAcknowledgement(alert=alert, by=actor, at=timezone.now(), note=note.strip())
        return save_with_history(acknowledgement, actor=actor, reason=note.strip() or _("Alert acknowledged"))


@dataclass
class AlertRun:
    """What one evaluation raised and queued."""

    entered: list[Alert] = field(default_factory=list)
    left: list[Alert] = field(default_factory=list)
    emails_queued: int = 0
    webhooks_queued: int = 0


def _last_alerts(rules: list[RiskRule]) -> dict[tuple[int, int], Alert]:
    """The latest alert of each (person, rule) pair under ``rules``: it says which state we last announced."""
    latest = (
        Alert.objects.filter(rule__in=rules).values("person_id", "rule_id").annotate(last=Max("sequence"))
    )
    wanted = {(row["person_id"], row["rule_id"], row["last"]) for row in latest}
    alerts = Alert.objects.filter(rule__in=rules, sequence__in={last for *_, last in wanted}).select_related(
        "person", "rule"
    )
    return {(a.person_id, a.rule_id): a for a in alerts if (a.person_id, a.rule_id, a.sequence) in wanted}


def _raise(
    run: AlertRun,
    *,
    actor: User,
    person: Person,
    rule: RiskRule,
    change: str,
    sequence: int,
    today: dt.date,
    state: RiskState | None,
    previous: Alert | None,
    watchlisted: bool,
) -> None:
    key = Alert.key_for(person_id=person.pk, rule_id=rule.pk, sequence=sequence, change=change)
    if Alert.objects.filter(idempotency_key=key).exists():
        return
    if state is not None:
        since_on, days, facts = state.since.value, state.days_since, [f.as_json() for f in state.facts]
    else:
        since_on = previous.since_on if previous else None
        days = (today - since_on).days if since_on else None
        facts = []
    try:
        # A savepoint per alert: if a concurrent run raised the same change first, its key is taken and
        # this one is skipped without undoing the rest of the run.
        with transaction.atomic():
            alert = Alert(
                person=person,
                rule=rule,
                change=change,
                sequence=sequence,
                idempotency_key=key,
                severity=rule.severity,
                detected_on=today,
                since_on=since_on,
                days_since=days,
                facts=facts,
            )
            save_with_history(
                alert,
                actor=actor,
                reason=_("Risk rules evaluated as of %(day)s") % {"day": today.isoformat()},
            )
            emails, webhooks = enqueue_alert(alert, watchlisted=watchlisted)
    except IntegrityError:
        return
    (run.entered if change == Alert.Change.ENTERED else run.left).append(alert)
    run.emails_queued += emails
    run.webhooks_queued += webhooks


def alerts_raise_due(*, today: dt.date) -> AlertRun:
    """Evaluate the active rules as of ``today`` and raise an alert for each person who entered or left a
    risk state since the last alert about them under that rule, queueing its e-mails and webhooks.

    Running it again (the same day or later, with nothing changed) raises nothing: each (person, rule) pair
    alternates entered → left → entered, and each change has its own idempotency key."""
    rules = list(RiskRule.objects.filter(active=True))
    current = {
        (risk.person.pk, state.rule.pk): (risk.person, state)
        for risk in evaluate_risks(today=today, rules=rules)
        for state in risk.states
    }
    watchlisted = set(WatchlistEntry.objects.values_list("person_id", flat=True))
    run = AlertRun()
    actor = system_actor()
    with transaction.atomic():
        last = _last_alerts(rules)
        for (person_id, rule_id), (person, state) in current.items():
            previous = last.get((person_id, rule_id))
            if previous is not None and previous.change == Alert.Change.ENTERED:
                continue
            _raise(
                run,
                actor=actor,
                person=person,
                rule=state.rule,
                change=Alert.Change.ENTERED,
                sequence=previous.sequence + 1 if previous else 1,
                today=today,
                state=state,
                previous=previous,
                watchlisted=person_id in watchlisted,
            )
        for (person_id, rule_id), previous in last.items():
            if previous.change != Alert.Change.ENTERED or (person_id, rule_id) in current:
                continue
            _raise(
                run,
                actor=actor,
                person=previous.person,
                rule=previous.rule,
                change=Alert.Change.LEFT,
                sequence=previous.sequence + 1,
                today=today,
                state=None,
                previous=previous,
                watchlisted=person_id in watchlisted,
            )
    return run


def outbox_retry_now(*, queryset: QuerySet[OutgoingEmail] | QuerySet[WebhookDelivery]) -> int:
    """Put waiting or given-up outbox messages back at the front of the queue (an administrator's action
    after fixing the mail server or a partner's URL). Sent messages stay sent."""
    with transaction.atomic():
        return queryset.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
