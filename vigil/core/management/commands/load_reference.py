from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.actors import system_actor
from vigil.core.reference import vocabularies_load
from vigil.organizations.reference import organizations_load
from vigil.places.reference import gazetteer_load

# Order matters: facilities in the gazetteer name their operator by organization code.
LOADERS: tuple[tuple[str, Callable[..., dict[str, int]]], ...] = (
    ("vocabularies", vocabularies_load),
    ("organizations", organizations_load),
    ("gazetteer", gazetteer_load),
)


class Command(BaseCommand):
    help = "Load or update the reference data shipped with Vigil: vocabularies, organizations, gazetteer."

    def handle(self, *args: Any, **options: Any) -> None:
        # Shipped data is written by the system account: it has no author to sign in as.
        actor = system_actor()
        for name, loader in LOADERS:
            try:
                counts = loader(actor=actor)
            except ValidationError as error:
                # The message already names the file and entry; a traceback would only bury it.
                raise CommandError(f"{name}: {'; '.join(error.messages)}") from error
            self.stdout.write(
                f"{name}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            )
