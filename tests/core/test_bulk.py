"""Records written together (``create_many_with_history``, an import's runs) are what saves would have
written: keys, timestamps, history rows with every value, restricted fields encrypted in both tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from vigil.accounts.actors import system_actor
from vigil.core.bulk import insert_values
from vigil.core.services import create_many_with_history
from vigil.people.models import NameVariant, Person

pytestmark = pytest.mark.django_db

CONTACT = "Brother: +98 912 345 6789"


def _raw(table: str, column: str, pk: int, key: str = "id") -> Any:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(key)} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_records_written_together_get_keys_timestamps_and_full_history() -> None:
    """Each record gets its key and creation times; its history row holds the same values (the restricted
    ones encrypted there too, never in clear)."""
    people = [
        Person(gender="female", family_contact=CONTACT, reported_age=17, age_reported_on=dt.date(2026, 1, 9)),
        Person(gender="male"),
    ]
    create_many_with_history(people, actor=system_actor(), reasons=["first", "second"])
    assert [person.pk is not None and not person._state.adding for person in people] == [True, True]
    first = Person.objects.get(pk=people[0].pk)
    assert first.family_contact == CONTACT and first.created_at is not None
    history = first.history.get()
    tracked = [field.attname for field in type(history).tracked_fields]
    assert {name: getattr(history, name) for name in tracked} == {
        name: getattr(first, name) for name in tracked
    }
    assert history.history_change_reason == "first"
    for table in ("people_person", "people_historicalperson"):
        key = "id" if table == "people_person" else "history_id"
        stored = _raw(table, "family_contact", history.pk if key == "history_id" else first.pk, key)
        assert stored.startswith("gAAAAA") and "+98" not in stored


def test_names_written_together_get_their_parents_keys() -> None:
    """A name built with a person not yet written gets the person's key once the person is written."""
    person = Person(gender="female")
    name = NameVariant(person=person, text="Narges  Mohammadi")
    actor = system_actor()
    create_many_with_history([person], actor=actor, reasons=["test"])
    create_many_with_history([name], actor=actor, reasons=["test"])
    stored = NameVariant.objects.get(pk=name.pk)
    assert stored.person_id == person.pk and stored.text == "Narges Mohammadi" and stored.script == "latn"


def test_inserted_values_are_converted_as_a_save_converts_them() -> None:
    """Plain inserts convert times and JSON as a save would; equal values of different types (True and 1)
    are not confused."""
    from vigil.audit.models import AuditEntry

    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    first = AuditEntry.objects.order_by("-sequence").first()
    base = first.sequence if first is not None else 0
    when = Person(gender="male")  # a timestamp as saves make them
    create_many_with_history([when], actor=system_actor(), reasons=["test"])
    details: dict[str, Any] = {"a": True, "b": 1, "c": {}, "d": {"flag": True}}
    rows = []
    for offset, (name, detail) in enumerate(details.items()):
        values = {
            "sequence": base + 10 + offset, "at": when.created_at, "actor_id": None, "actor_name": name,
            "action": "create", "object_type": "", "object_id": "", "object_repr": "", "reason": "",
            "detail": detail, "previous_hash": name * 64, "hash": str(offset) * 64,
        }  # fmt: skip
        rows.append([values[field.attname] for field in fields])
    insert_values(AuditEntry, fields, rows)
    stored = {entry.actor_name: entry for entry in AuditEntry.objects.filter(actor_name__in=details)}
    assert stored["a"].detail is True and stored["b"].detail == 1 and stored["b"].detail is not True
    assert stored["c"].detail == {} and stored["d"].detail == {"flag": True}
    assert stored["c"].at == when.created_at


def test_a_record_whose_key_is_given_is_written_all_the_same() -> None:
    """A record given its own key (which the fast insert does not handle) is written by Django's own bulk
    insert, with its history row."""
    person = Person(pk=10**9, gender="male")
    create_many_with_history([person], actor=system_actor(), reasons=["test"])
    assert Person.objects.get(pk=10**9).history.get().history_change_reason == "test"
