"""``vigil api_token issue USERNAME --name NAME``: issue an API token (the key is printed once);
``vigil api_token revoke PREFIX``: revoke one. Run as an administrator's maintenance task."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.models import User
from vigil.api.models import ApiToken
from vigil.api.services import token_issue, token_revoke


class Command(BaseCommand):
    help = "Issue or revoke HTTP API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="Issue a token acting as USERNAME; the key is printed once.")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="What the token is for, e.g. 'HRANA import script'.")
        revoke = actions.add_parser("revoke", help="Revoke the token whose key starts with PREFIX.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        # Whoever can run commands on the server administers it; the token is issued as its own user's act.
        try:
            if options["action"] == "issue":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user called {options['username']!r}.")
                token, key = token_issue(
                    user=user, name=options["name"], actor=user, reason="vigil api_token"
                )
                self.stdout.write(f"Token {token.prefix}… for {user}: {key}")
                self.stdout.write("Keep the key now: it is not stored and cannot be shown again.")
            else:
                tokens = list(
                    ApiToken.objects.filter(
                        prefix__startswith=options["prefix"][:12], revoked_at__isnull=True
                    )
                )
                if len(tokens) != 1:
                    raise CommandError(
                        f"{len(tokens)} active tokens start with {options['prefix']!r}; give more of the key."
                    )
                token_revoke(token=tokens[0], actor=tokens[0].user, reason="vigil api_token revoke")
                self.stdout.write(f"Revoked {tokens[0]}.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
