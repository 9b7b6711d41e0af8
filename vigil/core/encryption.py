"""Restricted fields encrypted at rest, with keys kept outside the database.

A stolen database file (or a backup of it, or a seized laptop's ``var/vigil.sqlite3``) must reveal no family
contact, no witness identity, no medical detail. Those fields are stored as Fernet tokens (AES-128-CBC with
an HMAC-SHA256, from the ``cryptography`` package); the keys live in the environment (``VIGIL_FIELD_KEYS``)
or in a key file beside the data (``VIGIL_FIELD_KEY_FILE``, by default ``var/field-keys``), never in the
database. Several keys may be in force: the first encrypts, every one decrypts, which is how keys are
rotated (``vigil rotate_keys``).

Empty values are stored empty: that a person has no family contact on record is not itself a secret, and
it keeps "has a contact" cheap to ask.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.forms import CharField as CharFormField
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _

from vigil.core.text import validate_plain_text

# Every Fernet token starts with its version byte 0x80, base64-encoded: "gAAAAA".
FERNET_PREFIX = "gAAAAA"


def configured_keys() -> tuple[list[str], Path | None]:
    """The keys in force, newest first, and the key file they came from (None when from settings/env)."""
    from_settings = [key.strip() for key in getattr(settings, "VIGIL_FIELD_KEYS", []) if key.strip()]
    if from_settings:
        return from_settings, None
    path = key_file_path()
    if not path.exists() and getattr(settings, "VIGIL_FIELD_KEY_AUTOCREATE", False):
        ensure_key_file()
    if path.exists():
        return read_key_file(path), path
    return [], path


def key_file_path() -> Path:
    return Path(getattr(settings, "VIGIL_FIELD_KEY_FILE", Path(settings.DATA_DIR) / "field-keys"))


def ensure_key_file() -> str:
    """Create the key file with one new key if it does not exist (``vigil setup`` does this); return the
    key that encrypts. The file is readable by its owner only."""
    path = key_file_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_key_file(path, [Fernet.generate_key().decode("ascii")])
    return read_key_file(path)[0]


def read_key_file(path: Path) -> list[str]:
    """The keys in ``path``, newest first (read again only when the file changes)."""
    stat = path.stat()
    return list(_read_key_file(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _read_key_file(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="ascii").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def write_key_file(path: Path, keys: list[str]) -> None:
    """Write ``keys`` (newest first) to ``path`` atomically, mode 0600."""
    header = (
        "# Vigil field-encryption keys, newest first. Keep this file OUT of database backups:\n"
        "# back it up separately. Without it the encrypted fields cannot be read.\n"
    )
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(header + "".join(f"{key}\n" for key in keys))
    os.replace(temporary, path)


def cipher() -> MultiFernet:
    """The cipher for the keys in force; refuses to run without a key rather than store plaintext."""
    keys, path = configured_keys()
    if not keys:
        raise ImproperlyConfigured(
            f"No field-encryption key: run `vigil setup` (it creates {path}) or set VIGIL_FIELD_KEYS to one or "
            "more Fernet keys (newest first, comma-separated)."
        )
    try:
        return _cipher_for(tuple(keys))
    except ValueError as error:
        source = path or "VIGIL_FIELD_KEYS"
        raise ImproperlyConfigured(
            f"A field-encryption key in {source} is not a valid Fernet key."
        ) from error


@functools.lru_cache(maxsize=8)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the keys in force: the key file or VIGIL_FIELD_KEYS does "
            "not hold the key it was written with (restore the old key, newest first, and run "
            "`vigil rotate_keys`)."
        ) from error


def reencrypt(token: str) -> str:
    """``token`` encrypted again under the newest key (for rotation)."""
    if token == "":
        return ""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


def is_token(value: str) -> bool:
    return value.startswith(FERNET_PREFIX)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Plain text (no markup, see ``validate_plain_text``) stored encrypted.

    The model sees plaintext; the database column, and the history table's copy of it (django-simple-history
    copies the field with its class), hold only tokens. An encrypted value cannot be searched or sorted by
    the database: filter in Python after reading, or keep a non-secret column beside it.
    """

    default_validators = [validate_plain_text]
    description = _("Text, encrypted at rest")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # A TextField does not check its max_length; the plaintext length is what the user controls.
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(str(value))


class EncryptedCharField(EncryptedTextField):
    """A one-line encrypted value (an author's name or account): edited in a one-line box."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": CharFormField, "widget": TextInput, **kwargs})


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    column: str
    primary_key: str


def encrypted_columns() -> Iterator[EncryptedColumn]:
    """Every encrypted column of every installed model, history tables included."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                primary_key = model._meta.pk
                if primary_key is None:
                    continue
                yield EncryptedColumn(model._meta.db_table, str(field.column), str(primary_key.column))


def encrypted_values_stored() -> bool:
    """Whether the database already holds an encrypted value (so a new key could not read it)."""
    quote = connection.ops.quote_name
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for column in encrypted_columns():
            if column.table not in tables:
                continue  # not migrated yet
            value = quote(column.column)
            cursor.execute(f"SELECT 1 FROM {quote(column.table)} WHERE {value} <> '' LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return True
    return False


def reencrypt_all(batch: int = 500) -> dict[str, int]:
    """Re-encrypt every stored value under the newest key, table by table, in SQL (no save, no history:
    the plaintext does not change). Returns the count of values rewritten per table.column. Callers run it
    in a transaction."""
    counts: dict[str, int] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for column in encrypted_columns():
            table, value, key = quote(column.table), quote(column.column), quote(column.primary_key)
            cursor.execute(f"SELECT {key}, {value} FROM {table} WHERE {value} <> ''")  # noqa: S608
            rows = cursor.fetchall()
            for start in range(0, len(rows), batch):
                updates = [(reencrypt(token), pk) for pk, token in rows[start : start + batch]]
                cursor.executemany(f"UPDATE {table} SET {value} = %s WHERE {key} = %s", updates)  # noqa: S608
            counts[f"{column.table}.{column.column}"] = len(rows)
    return counts


def migrate_column(schema_editor: Any, model: Any, field_name: str, *, encrypting: bool) -> int:
    """For data migrations: encrypt (or, going backwards, decrypt) every stored value of one column, in
    SQL, so it works whatever field class the migration state has. Values already in the wanted form are
    left alone, which makes the migration safe to re-run. Returns how many values were rewritten."""
    quote = schema_editor.connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(field_name).column)
    key = quote(model._meta.pk.column)
    rewritten = 0
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
        rows = cursor.fetchall()
        updates = []
        for pk, value in rows:
            if encrypting and not is_token(value):
                updates.append((encrypt(value), pk))
            elif not encrypting and is_token(value):
                updates.append((decrypt(value), pk))
        if updates:
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {key} = %s", updates)  # noqa: S608
            rewritten = len(updates)
    return rewritten
