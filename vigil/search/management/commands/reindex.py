"""``vigil reindex``: rebuild the search index from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.search.services import search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index (names of people, titles of events) from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = search_reindex()
        self.stdout.write(f"Indexed {counts['people']} people and {counts['events']} events.")
