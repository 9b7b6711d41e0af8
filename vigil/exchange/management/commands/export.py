"""``vigil export --kind backup|public-csv|public-json|popolo|acled [--output FILE]``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.exchange.backup import backup_write
from vigil.exchange.exports import acled_csv, popolo_json, public_people_csv, public_people_json

KINDS: dict[str, Callable[[IO[str]], int | dict[str, int]]] = {
    "backup": backup_write,
    "public-csv": public_people_csv,
    "public-json": public_people_json,
    "popolo": popolo_json,
    "acled": acled_csv,
}
CSV_KINDS = frozenset({"public-csv", "acled"})


class Command(BaseCommand):
    help = (
        "Export: a full backup (every record, history and citation; restricted data, keep it safe), public "
        "people as CSV or JSON, Popolo JSON of people and organizations, or events as ACLED-style CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        writer = KINDS[options["kind"]]
        output: Path | None = options["output"]
        if output is None:
            result = writer(sys.stdout)
        else:
            # CSV files begin with a byte-order mark: Excel then reads them as UTF-8, Persian intact.
            encoding = "utf-8-sig" if options["kind"] in CSV_KINDS else "utf-8"
            # A backup holds every record and the audit log: readable by its owner only.
            mode = 0o600 if options["kind"] == "backup" else 0o644
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(descriptor, "w", encoding=encoding, newline="") as stream:
                result = writer(stream)
        summary = result if isinstance(result, int) else sum(result.values())
        sys.stderr.write(f"{options['kind']}: {summary} records written\n")
