"""Keeping ``NameKey`` rows in step with people's names: derived index data, written directly (like
``NameVariant.match_key``), never edited by anyone. A person's keys are those of all their names, each
stored once; whenever a name is created, saved or deleted, its person's keys are built again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigil.core.bulk import insert_values
from vigil.matching.models import NameKey
from vigil.matching.normalise import analyse_name, blocking_keys, token_keys
from vigil.people.models import NameVariant, Person

_KEY_LENGTH = NameKey._meta.get_field("key").max_length or 255


def keys_for_text(text: str) -> set[str]:
    """Every key stored for a name with this text."""
    form = analyse_name(text)
    return {key[:_KEY_LENGTH] for key in blocking_keys(form) | token_keys(form)}


def person_keys_refresh(person_ids: Iterable[int | None]) -> None:
    """Build the keys of these people again from all their names. An import writes some fourteen keys a
    row: they go in with one plain multi-row statement, not one ORM object each."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    NameKey.objects.filter(person__any_of=ids).delete()
    names = NameVariant.objects.filter(person__any_of=ids).values_list("person_id", "text")
    fields = [NameKey._meta.get_field("person"), NameKey._meta.get_field("key")]
    insert_values(NameKey, fields, sorted({(pk, key) for pk, text in names for key in keys_for_text(text)}))


def name_keys_rebuild(*, batch: int = 2000) -> None:
    """Build every person's keys again (a restore: keys are derived, never backed up)."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        person_keys_refresh(ids[start : start + batch])


def name_about_to_save(sender: Any, instance: NameVariant, raw: bool = False, **kwargs: Any) -> None:
    """Remember whose name this was: a name moved to another person (a merge, its undoing) takes its keys
    away from the one it leaves."""
    if not raw and instance.pk is not None:
        instance._keys_person_before = (  # type: ignore[attr-defined]
            NameVariant.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        )


def name_saved(sender: Any, instance: NameVariant, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        person_keys_refresh([instance.person_id, getattr(instance, "_keys_person_before", None)])


def name_deleted(sender: Any, instance: NameVariant, **kwargs: Any) -> None:
    person_keys_refresh([instance.person_id])


def names_created(sender: Any, instances: list[NameVariant], **kwargs: Any) -> None:
    person_keys_refresh(name.person_id for name in instances)
