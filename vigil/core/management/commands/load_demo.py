from typing import Any

from django.core.management.base import BaseCommand

from vigil.accounts.actors import system_actor
from vigil.demo.seed import demo_load


class Command(BaseCommand):
    help = "Load the seed case (the situation of 9 January 2026) as demo data. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_load(actor=system_actor())
        if not created:
            self.stdout.write("Demo data: already loaded.")
            return
        self.stdout.write("Demo data: " + ", ".join(f"{count} {name}" for name, count in created.items()))
