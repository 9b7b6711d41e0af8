"""``vigil rotate_keys``: encrypt every restricted field under a new key.

With the key file (the default): a new key is put first in the file, every stored value (history tables
included) is re-encrypted under it in one transaction, and only then are the old keys dropped from the file
(``--keep-old`` keeps them, e.g. until backups made with them have expired). With ``VIGIL_FIELD_KEYS``
Vigil cannot edit the environment: run ``vigil rotate_keys --generate``, put the printed key first in
``VIGIL_FIELD_KEYS`` (old keys after it), restart, run ``vigil rotate_keys``, then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vigil.accounts.actors import system_actor
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_append
from vigil.core.encryption import configured_keys, key_file_path, read_key_file, reencrypt_all, write_key_file


class Command(BaseCommand):
    help = "Re-encrypt every restricted field under a new key (history included) and retire the old keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--generate", action="store_true", help="Only print a new key (for VIGIL_FIELD_KEYS)."
        )
        parser.add_argument("--keep-old", action="store_true", help="Keep the old keys in the key file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.stdout.write(Fernet.generate_key().decode("ascii"))
            return
        from_environment = bool(getattr(settings, "VIGIL_FIELD_KEYS", []))
        path = key_file_path()
        if not from_environment:
            if not path.exists():
                raise CommandError(
                    f"No key file at {path}: run `vigil setup` first, or set VIGIL_FIELD_KEYS."
                )
            old_keys = read_key_file(path)
            write_key_file(path, [Fernet.generate_key().decode("ascii"), *old_keys])
        keys, _ = configured_keys()
        with transaction.atomic():
            counts = reencrypt_all()
            audit_append(
                action=AuditAction.KEYS_ROTATED,
                actor=system_actor(),
                reason="vigil rotate_keys",
                detail={"values": sum(counts.values()), "keys_in_force": len(keys)},
            )
        if not from_environment and not options["keep_old"]:
            write_key_file(path, keys[:1])
        total = sum(counts.values())
        where = "VIGIL_FIELD_KEYS (first key)" if from_environment else str(path)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values under the newest key in {where}."))
        for column, count in sorted(counts.items()):
            self.stdout.write(f"  {column}: {count}")
        if not from_environment and options["keep_old"]:
            self.stdout.write("Old keys kept in the file; run again without --keep-old to retire them.")
