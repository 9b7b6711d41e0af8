"""The full backup: every record of Vigil's apps, their history and citations, and the staff accounts
that history names, as one JSON document written and read as a stream.

Restoring needs an empty database (freshly migrated, before ``load_reference``): primary keys are kept, so
citations, history and links point where they did. Derived data (search index, name keys) and secrets (API
tokens) are not backed up: the restore builds the index and keys again, tokens are issued again. Password hashes are not exported: a backup is read by
more people than should hold them; restored accounts set a new password. Encrypted fields (family
contacts, source identities, medical details) stay encrypted in the file under the field keys, so a lost
backup reveals no more than a lost database file; restoring needs the same keys.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.signals import restoring as audit_restoring
from vigil.core.encryption import EncryptedTextField, decrypt, encrypt, key_file_path
from vigil.matching.keys import name_keys_rebuild
from vigil.search.services import search_reindex

FORMAT = "vigil-backup"
VERSION = 1
# The apps whose every model (histories included) is backed up, in an order where each one's references
# come before it (constraint checks are deferred while restoring anyway).
BACKUP_APPS = (
    "accounts",
    "audit",
    "core",
    "places",
    "organizations",
    "sources",
    "people",
    "events",
    "custody",
    "alerts",
    "matching",
    "reports",
    "exchange",
)
# Derived from the names, never backed up; a restore builds them again, and passes over an older backup's
# copies (their shape has changed since: keys were kept by name until matching 0007).
_DERIVED_MODELS = {"matching.namekey"}
_SKIPPED_MODELS = {"exchange.importrow", "exchange.importbatch", *_DERIVED_MODELS}


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps them exact (history is ordered
    by them, and a round trip must give back the same record)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    chosen: list[type[models.Model]] = []
    for label in BACKUP_APPS:
        if not apps.is_installed(f"vigil.{label}"):
            continue
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower not in _SKIPPED_MODELS and not model._meta.proxy:
                chosen.append(model)
    return chosen


SEALED = "sealed"


def _seal(model: type[models.Model], data: dict[str, Any]) -> None:
    for field in model._meta.concrete_fields:
        if isinstance(field, EncryptedTextField) and data["fields"].get(field.name):
            data["fields"][field.name] = {SEALED: encrypt(data["fields"][field.name])}


def unseal(data: dict[str, Any]) -> dict[str, Any]:
    """The backed-up object with its encrypted fields decrypted (needs the field keys)."""
    for name, value in data["fields"].items():
        if isinstance(value, dict) and set(value) == {SEALED}:
            data["fields"][name] = decrypt(value[SEALED])
    return data


def _objects(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    serializer = PythonSerializer()
    queryset = model._default_manager.order_by("pk")
    for instance in queryset.iterator(chunk_size=2000):
        data: dict[str, Any] = serializer.serialize([instance], use_natural_foreign_keys=True)[0]
        if model._meta.label_lower == "accounts.user":
            data["fields"]["password"] = make_password(None)  # unusable: see the module docstring
        _seal(model, data)
        yield data


def backup_write(stream: IO[str]) -> dict[str, int]:
    """Write the backup to ``stream``, object by object; returns how many objects of each model."""
    counts: dict[str, int] = {}
    header = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat()}
    stream.write(json.dumps(header)[:-1] + ', "objects": [\n')
    first = True
    for model in backup_models():
        label = model._meta.label_lower
        for data in _objects(model):
            stream.write(("" if first else ",\n") + json.dumps(data, cls=_ExactEncoder, ensure_ascii=False))
            first = False
            counts[label] = counts.get(label, 0) + 1
    stream.write("\n]}\n")
    return counts


def _stream_objects(path: Path) -> Iterator[dict[str, Any]]:
    import ijson

    with path.open("rb") as handle:
        header = _header(handle)
        if header.get("format") != FORMAT:
            raise ValidationError(_("“%(file)s” is not a Vigil backup."), params={"file": path.name})
        if header.get("version") != VERSION:
            raise ValidationError(
                _("“%(file)s” is a backup of version %(version)s; this Vigil reads version %(supported)s."),
                params={"file": path.name, "version": header.get("version"), "supported": VERSION},
            )
        handle.seek(0)
        try:
            yield from ijson.items(handle, "objects.item", use_float=True)
        except ijson.JSONError as error:
            # Raised inside the restore's transaction, so nothing read before the damage is kept.
            raise ValidationError(
                _("“%(file)s” is cut short or damaged and cannot be read to its end: nothing was restored."),
                params={"file": path.name},
            ) from error


def _header(handle: IO[bytes]) -> dict[str, Any]:
    """The scalar keys written before the list of objects (without reading the list)."""
    import ijson

    header: dict[str, Any] = {}
    key = ""
    try:
        for prefix, event, value in ijson.parse(handle):
            if prefix == "" and event == "map_key":
                key = str(value)
                if key == "objects":
                    break
            elif prefix == key and event in ("string", "number", "boolean"):
                header[key] = value
    except ijson.JSONError:
        pass
    return header


# A database holding any of these is not empty: restoring into it would mix two records. Rows that
# migrations create (the system account, shipped risk rules) are overwritten by their backed-up versions.
_DOCUMENTED_APPS = ("people", "sources", "events", "custody")


def backup_restore(*, path: Path) -> dict[str, int]:
    """Restore a backup into an empty database, in one transaction; refuses a database with records."""
    populated = [
        model._meta.label
        for model in backup_models()
        if model._meta.app_label in _DOCUMENTED_APPS and model._default_manager.exists()
    ]
    if populated:
        raise ValidationError(
            _(
                "Restore a backup into an empty database (run `vigil migrate` on a new one, before "
                "`vigil load_reference`); this one already holds %(models)s."
            ),
            params={"models": ", ".join(populated[:5])},
        )
    counts: dict[str, int] = {}
    restored: set[type[models.Model]] = set()
    with transaction.atomic(), connection.constraint_checks_disabled(), audit_restoring():
        for item in serializers.deserialize(
            "python",
            _normalised(data for data in _stream_objects(path) if data.get("model") not in _DERIVED_MODELS),
            handle_forward_references=True,
        ):
            # History is restored from the backup itself; saving must not add to it (m2m changes would).
            item.object.skip_history_when_saving = True  # type: ignore[attr-defined]
            item.save()
            model = type(item.object)
            restored.add(model)
            counts[model._meta.label_lower] = counts.get(model._meta.label_lower, 0) + 1
        connection.check_constraints(table_names=[model._meta.db_table for model in restored])
        _reset_sequences(restored)
        search_reindex()  # derived, not backed up: without it no name is found
        name_keys_rebuild()  # the same: without them no duplicate is found
    return counts


def _normalised(objects: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """ijson reads numbers as Decimal or float; the python deserializer wants what json.loads gives."""
    for data in objects:
        try:
            yield unseal(json.loads(json.dumps(data, cls=_ExactEncoder)))
        except ImproperlyConfigured as error:
            # The encryption module's own advice (run `vigil setup`) would make a new key, which cannot read
            # this backup either: only the keys it was written under can.
            raise ValidationError(
                _(
                    "The backup's encrypted fields cannot be read with the field keys in force: copy the "
                    "field-keys file it was written under to %(path)s (or set VIGIL_FIELD_KEYS to its keys) "
                    "and restore again; nothing was restored."
                ),
                params={"path": key_file_path()},
            ) from error


def _reset_sequences(restored: set[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(_no_style(), list(restored))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _no_style() -> Any:
    from django.core.management.color import no_style

    return no_style()


def backup_file_name() -> str:
    return f"vigil-backup-{dt.datetime.now(tz=dt.UTC):%Y%m%dT%H%M%SZ}.json"
