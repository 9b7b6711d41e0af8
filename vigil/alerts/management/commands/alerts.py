"""``vigil alerts``: evaluate the risk rules as of today and send what is due. Run it daily (cron or the task
queue); running it again sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vigil.alerts.notifications import deliver_due_emails, deliver_due_webhooks
from vigil.alerts.services import alerts_raise_due
from vigil.core.dates import Precision, parse_fuzzy_date


class Command(BaseCommand):
    help = (
        "Evaluate the risk rules as of today (or --today), raise an alert for everyone who entered or left a "
        "risk state, and send due e-mails and webhooks (including earlier failures whose retry time has come)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="Evaluate as of this day instead of today: 2026-01-11, 1404/10/21 or 21 Dey 1404.",
        )
        parser.add_argument(
            "--no-send", action="store_true", help="Raise alerts and queue messages, but send nothing now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                chosen = parse_fuzzy_date(options["today"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            if chosen.precision != Precision.DAY or chosen.value is None:
                raise CommandError(f"--today needs a day, not “{options['today']}”.")
            today = chosen.value
        run = alerts_raise_due(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {len(run.entered)} entered a risk state, {len(run.left)} left one; "
            f"queued {run.emails_queued} e-mail(s), {run.webhooks_queued} webhook(s)."
        )
        if options["no_send"]:
            return
        self.stdout.write(f"E-mail: {deliver_due_emails()}.")
        self.stdout.write(f"Webhooks: {deliver_due_webhooks()}.")
