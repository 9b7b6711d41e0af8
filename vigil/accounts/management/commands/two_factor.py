"""``vigil two_factor status|reset|code USER``: an administrator's tools for authenticators.

``code`` prints the code an authenticator would show now, once its user has begun enrolling, and records
that it did in the audit log. It reads the database and the key file, so it gives nothing to someone who
does not already hold the machine; it exists for a laptop's own administrator without a phone at hand (the
demo) and for support.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.actors import requires_two_factor, system_actor
from vigil.accounts.models import User
from vigil.accounts.two_factor import current_code, device_of, two_factor_reset
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_append


class Command(BaseCommand):
    help = "Show, reset or read a user's two-factor authenticator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "reset", "code"])
        parser.add_argument("username")
        parser.add_argument(
            "--reason", default="", help="Why the authenticator is reset (required for reset)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user “{options['username']}”.")
        action = options["action"]
        if action == "reset":
            try:
                two_factor_reset(actor=system_actor(), user=user, reason=options["reason"])
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self.stdout.write(f"{user}: authenticator removed; they enrol again at their next sign-in.")
            return
        device = device_of(user)
        if action == "status":
            required = "required" if requires_two_factor(user) else "not required"
            state = "none" if device is None else ("enrolled" if device.confirmed_at else "enrolment begun")
            self.stdout.write(f"{user}: two-factor {required}; authenticator: {state}.")
            return
        if device is None:
            # Beginning the enrolment here would hand whoever runs this a secret the account keeps.
            raise CommandError(
                f"{user} has no authenticator yet: the code exists once they begin enrolling, at their next "
                "sign-in."
            )
        audit_append(
            action=AuditAction.TWO_FACTOR,
            actor=system_actor(),
            target=user,
            detail={"code_read": True, "by": getpass.getuser()},
        )
        self.stdout.write(current_code(device))
