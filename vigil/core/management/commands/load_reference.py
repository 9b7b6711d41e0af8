from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.reference import vocabularies_load


class Command(BaseCommand):
    help = "Load or update the reference data shipped with Vigil: vocabularies, gazetteer, organizations."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, loader in (("vocabularies", vocabularies_load),):
            counts = loader()
            self.stdout.write(
                f"{name}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            )
