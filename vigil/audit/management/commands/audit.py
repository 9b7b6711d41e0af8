"""``vigil audit verify`` checks the audit log's hash chain; ``vigil audit head`` prints its last entry's
sequence and hash, to note down outside Vigil as an anchor."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.audit.selectors import audit_verify


def _anchor(value: str) -> tuple[int, str]:
    sequence, _, digest = value.partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise CommandError(f"An anchor is SEQUENCE:HASH as printed by `vigil audit head`, not “{value}”.")
    return int(sequence), digest.lower()


class Command(BaseCommand):
    help = "Check the audit log (verify) or print its head (head)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify", help="Detect any altered, deleted or reordered entry, and say which."
        )
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            help="SEQUENCE:HASH noted earlier with `vigil audit head`; detects entries cut from the end.",
        )
        commands.add_parser("head", help="Print the last entry as SEQUENCE:HASH, to keep elsewhere.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            report = audit_verify()
            self.stdout.write(f"{report.head_sequence}:{report.head_hash}")
            return
        report = audit_verify(anchors=[_anchor(value) for value in options["anchor"]])
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem.message)
            raise CommandError(
                f"The audit log is NOT intact: {len(report.problems)} problem(s) in {report.entries} entries."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit log is intact: {report.entries} entries, head {report.head_sequence}:{report.head_hash}."
            )
        )
