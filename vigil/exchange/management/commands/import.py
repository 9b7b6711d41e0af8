"""``vigil import FILE --mapping M [--dry-run]``: import a spreadsheet with a saved mapping (or a mapping
file), with a progress bar on stderr; ``vigil import BACKUP --backup`` restores a full backup.

(``import`` is a Python keyword, but Django loads commands by module name with importlib, so a command
module may be called ``import.py``.)"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.audit.selectors import audit_verify
from vigil.exchange.backup import backup_restore
from vigil.exchange.mapped import error_text
from vigil.exchange.models import ImportMapping, RowOutcome
from vigil.exchange.readers import FileRefused
from vigil.exchange.services import (
    DEFAULT_CHUNK_ROWS,
    BatchBusy,
    batch_dry_run,
    batch_import,
    batch_open,
    batch_rows_with_messages,
    mapping_save,
    mapping_spec_from_json,
)


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done != total:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        if total:
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            line = f"\r{phase:8} [{bar}] {done}/{total} rows  {rate:,.0f} rows/s"
        else:
            line = f"\r{phase:8} {done} rows  {rate:,.0f} rows/s"
        self.stream.write(line)
        if done == total:
            self.stream.write("\n")
            self.started = time.monotonic()
        self.stream.flush()


class Command(BaseCommand):
    help = "Import a CSV, XLSX or JSON file with a column mapping (or restore a backup with --backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mapping", help="Name of a saved mapping, or a mapping file (.json) to save and use."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")
        parser.add_argument("--backup", action="store_true", help="The file is a full backup to restore.")
        parser.add_argument(
            "--actor", help="Username the import is recorded under (default: the system account)."
        )
        parser.add_argument("--show", type=int, default=50, help="Rows with messages to print (default 50).")
        parser.add_argument(
            "--chunk",
            type=int,
            default=DEFAULT_CHUNK_ROWS,
            help=f"At most this many rows per transaction (default {DEFAULT_CHUNK_ROWS}; fewer when rows are slow: about 3 s of work each).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if options["backup"]:
            # Before anything else is read or written: the database must be as empty as the restore wants it.
            try:
                counts = backup_restore(path=path)
            except ValidationError as error:
                raise CommandError(" ".join(error_text(error))) from error
            self.stdout.write(f"Restored {sum(counts.values())} objects from {path}.")
            self._audit_checked()
            return
        actor = system_actor()
        if options["actor"]:
            named = User.objects.filter(username=options["actor"]).first()
            if named is None:
                raise CommandError(f"No user called {options['actor']!r}.")
            actor = named
        try:
            mapping = self._mapping(options["mapping"], actor)
            batch = batch_open(mapping=mapping, path=path, actor=actor)
            progress = ProgressBar(sys.stderr)
            if options["dry_run"]:
                counts = batch_dry_run(batch, actor=actor, progress=progress, chunk_rows=options["chunk"])
            else:
                counts = batch_import(batch, actor=actor, progress=progress, chunk_rows=options["chunk"])
        except (ValidationError, FileRefused) as error:
            raise CommandError(" ".join(error_text(error))) from error
        except BatchBusy as busy:
            raise CommandError(str(busy)) from busy
        self._report(batch, counts, dry_run=options["dry_run"], show=options["show"])

    def _audit_checked(self) -> None:
        """The restored audit log walked at once: a backup whose log was altered before it was written (or
        after) is restored, as it was, but the operator is told now, not at the next verification."""
        report = audit_verify()
        if not report.intact:
            first = report.problems[0]
            raise CommandError(
                f"The restored audit log is NOT intact: {len(report.problems)} problem(s) in {report.entries} "
                f"entries, the first at entry {first.sequence}: {first.message} The records are restored as the "
                "backup holds them; `vigil audit verify` lists every problem."
            )
        self.stdout.write(
            f"Audit log: {report.entries} entries, intact (head {report.head_sequence}:{report.head_hash}). "
            "That nothing was cut from its end, `vigil audit verify --anchor SEQUENCE:HASH` tells with the head "
            "`vigil audit head` printed before the backup."
        )

    def _mapping(self, given: str | None, actor: User | None) -> ImportMapping:
        if not given:
            raise CommandError("Say which mapping to use: --mapping NAME or --mapping FILE.json.")
        if given.endswith(".json") and Path(given).is_file():
            spec = mapping_spec_from_json(Path(given).read_text(encoding="utf-8"))
            return mapping_save(actor=actor, spec=spec, reason=f"Mapping file {given}")
        found = ImportMapping.objects.filter(name=given).first()
        if found is None:
            known = ", ".join(ImportMapping.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No mapping called {given!r}. Saved mappings: {known}.")
        return found

    def _report(self, batch: Any, counts: dict[str, int], *, dry_run: bool, show: int) -> None:
        for notice in filter(None, batch.notice.splitlines()):
            self.stdout.write(f"Note: {notice}")
        rows = batch_rows_with_messages(batch, dry_run=dry_run)
        for row in rows[:show] if show else []:
            self.stdout.write(_row_text(row.number, row.outcome, row.messages))
        if (left := rows.count() - show) > 0:
            self.stdout.write(
                f"  ... and {left} more rows with messages: --show {show + left} prints them all; the "
                f"import's staff page lists them by outcome and downloads them as CSV."
            )
        heading = "Dry run (nothing written)" if dry_run else f"Import #{batch.pk}"
        labels = [(outcome, RowOutcome(outcome).label) for outcome in RowOutcome.values]
        summary = ", ".join(f"{counts[code]} {str(label).lower()}" for code, label in labels)
        self.stdout.write(
            f"{heading} of {batch.file_name}: {counts['rows']} of {batch.total_rows} rows: {summary}."
        )


def _row_text(number: int, outcome: str, messages: list[str]) -> str:
    """A row once, with all its messages (the outcome's reasons, then the warnings of its cells): the first
    after the outcome, each other on a line of its own below it, without "Row N" again."""
    label = f"  [{outcome}] "
    prefixes = [_("Row %(row)s, %(message)s") % {"row": number, "message": ""}]
    prefixes.append(_("Row %(row)s: %(message)s") % {"row": number, "message": ""})
    lines = [label + messages[0]]
    for message in messages[1:]:
        bare = next((message[len(p) :] for p in prefixes if message.startswith(p)), message)
        lines.append(" " * len(label) + "  " + bare)
    return "\n".join(lines)
