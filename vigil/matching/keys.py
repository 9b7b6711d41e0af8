"""Keeping ``NameKey`` rows in step with names: derived index data, written directly (like
``NameVariant.match_key``), never edited by anyone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigil.core.bulk import insert_values
from vigil.matching.models import NameKey
from vigil.matching.normalise import analyse_name, blocking_keys, token_keys
from vigil.people.models import NameVariant

_KEY_LENGTH = NameKey._meta.get_field("key").max_length or 255


def keys_for_text(text: str) -> set[str]:
    """Every key stored for a name with this text."""
    form = analyse_name(text)
    return {key[:_KEY_LENGTH] for key in blocking_keys(form) | token_keys(form)}


def name_keys_refresh(names: Iterable[NameVariant], *, new: bool = False) -> None:
    """Rebuild the keys of ``names`` (``new``: names just created, which have none yet). An import writes
    about twenty keys a name: they go in with one plain multi-row statement, not one ORM object each."""
    names = list(names)
    if not new:
        NameKey.objects.filter(name__in=names).delete()
    fields = [NameKey._meta.get_field("name"), NameKey._meta.get_field("key")]
    insert_values(
        NameKey, fields, ((name.pk, key) for name in names for key in sorted(keys_for_text(str(name.text))))
    )


def name_saved(sender: Any, instance: NameVariant, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        name_keys_refresh([instance])


def names_created(sender: Any, instances: list[NameVariant], **kwargs: Any) -> None:
    name_keys_refresh(instances, new=True)
