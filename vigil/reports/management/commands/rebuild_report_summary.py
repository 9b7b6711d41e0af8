"""``vigil rebuild_report_summary``: rebuild the named-individual summary and the event tally from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vigil.reports.summary import summary_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the summary that national reports of the live record read (after restoring a backup, a bulk "
        "load outside the services, or a changed vocabulary code). Reports count the facts meanwhile."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = summary_rebuild()
        self.stdout.write(
            f"Rebuilt the report summary: {rows} rows in {time.perf_counter() - started:.1f} s."
        )
