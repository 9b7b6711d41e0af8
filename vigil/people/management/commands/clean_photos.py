"""``vigil clean_photos``: clean the photos stored before Vigil cleaned every photo (``vigil.people.photos``).

``vigil setup`` runs it after migrating; until a photo is cleaned it is served to staff only, never to the
public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigil.accounts.actors import system_actor
from vigil.people.photos import photo_clean_stored, photos_stored_as_sent

REASON = "Photo stored before Vigil removed photo metadata: written again without it (vigil clean_photos)."


class Command(BaseCommand):
    help = (
        "Write the photos stored before Vigil cleaned photos again without their metadata (GPS position, "
        "camera, file name), with a thumbnail; list those that cannot be read."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list the photos to clean.")

    def handle(self, *args: Any, **options: Any) -> None:
        people = list(photos_stored_as_sent())
        if options["dry_run"]:
            for person in people:
                self.stdout.write(f"#{person.pk}: {person.photo.name}")
            self.stdout.write(_photos(len(people), "to clean"))
            return
        actor = system_actor()
        cleaned, failed = 0, []
        for person in people:
            as_sent = f"#{person.pk} ({person.photo.name})"
            try:
                photo_clean_stored(person, actor=actor, reason=REASON)
            except ValidationError as refusal:
                failed.append(f"{as_sent}: {' '.join(refusal.messages)}")
            except OSError as error:
                failed.append(f"{as_sent}: the file cannot be read ({error}).")
            else:
                cleaned += 1
        if people or options["verbosity"] > 1:  # ``vigil setup`` runs it every time: silent when none
            self.stdout.write(_photos(cleaned, "cleaned"))
        if failed:
            raise CommandError(
                f"{len(failed)} photos could not be cleaned and are served to staff only; replace or remove "
                "them in the workspace:\n" + "\n".join(failed)
            )


def _photos(count: int, what: str) -> str:
    return f"{count} photo{'' if count == 1 else 's'} {what}."
