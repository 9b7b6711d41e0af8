"""The audit log is append-only and hash-chained; ``vigil audit verify`` finds any altered, deleted or
reordered entry, and says which."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import staff
from vigil.audit.models import AppendOnlyError, AuditAction, AuditEntry
from vigil.audit.selectors import audit_verify
from vigil.audit.services import audit_append

pytestmark = pytest.mark.django_db


def _entries(count: int) -> list[AuditEntry]:
    actor = staff()
    return [
        audit_append(
            action=AuditAction.EXPORT, actor=actor, reason=f"Export {n}", detail={"kind": "public-csv"}
        )
        for n in range(count)
    ]


@contextmanager
def _as_attacker() -> Iterator[None]:
    """Raw SQL as someone who got past the application, and past the PostgreSQL trigger too (a superuser
    can disable it); on SQLite there is no trigger to get past."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    else:
        yield


def _raw(sql: str, params: list[str | int]) -> None:
    with _as_attacker(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _messages() -> list[str]:
    return [problem.message for problem in audit_verify().problems]


def test_each_entry_names_the_hash_of_the_one_before():
    """Entries are numbered in order and each carries the previous entry's hash."""
    first, second = _entries(2)[-2:]
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    assert audit_verify().intact


def test_an_altered_entry_is_found_and_named():
    """Changing one row's reason in the database is detected, naming the entry."""
    entries = _entries(3)
    _raw(
        "UPDATE audit_auditentry SET reason = %s WHERE sequence = %s", ["nothing to see", entries[1].sequence]
    )
    assert _messages() == [
        f"Entry #{entries[1].sequence} was altered: its content no longer matches its hash."
    ]


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link():
    """Rewriting an entry and its own hash still leaves the next entry pointing at the old hash."""
    entries = _entries(3)
    target = AuditEntry.objects.get(pk=entries[1].pk)
    target.reason = "rewritten"
    _raw(
        "UPDATE audit_auditentry SET reason = %s, hash = %s WHERE id = %s",
        ["rewritten", target.compute_hash(), target.pk],
    )
    assert _messages() == [
        f"Entry #{entries[2].sequence} does not follow the entry before it: an entry before it was deleted, "
        "altered or moved."
    ]


def test_a_deleted_entry_is_found_and_named():
    """Deleting a row leaves a gap the check reports."""
    entries = _entries(3)
    _raw("DELETE FROM audit_auditentry WHERE sequence = %s", [entries[1].sequence])
    messages = _messages()
    assert f"Entry #{entries[1].sequence} is missing (deleted)." in messages
    assert any(f"Entry #{entries[2].sequence} does not follow" in message for message in messages)


def test_reordered_entries_are_found():
    """Swapping two entries' places (their sequence numbers) is detected for both."""
    entries = _entries(3)
    a, b = entries[0], entries[1]
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [10**9, a.pk])
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [a.sequence, b.pk])
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [b.sequence, a.pk])
    messages = _messages()
    assert f"Entry #{a.sequence} was altered: its content no longer matches its hash." in messages
    assert f"Entry #{b.sequence} was altered: its content no longer matches its hash." in messages


def test_entries_cut_from_the_end_are_found_against_an_anchor():
    """An anchor noted earlier (``vigil audit head``) reveals a log cut back."""
    entries = _entries(3)
    head = (entries[-1].sequence, entries[-1].hash)
    _raw("DELETE FROM audit_auditentry WHERE sequence = %s", [entries[-1].sequence])
    assert audit_verify().intact  # nothing in the chain itself shows it ...
    report = audit_verify(anchors=[head])
    assert [p.message for p in report.problems] == [
        f"The anchored entry #{head[0]} is gone: the log was cut back to #{entries[-2].sequence}."
    ]


def test_the_verify_command_reports_an_intact_log(capsys):
    """`vigil audit verify` says the log is intact and prints its head."""
    entries = _entries(2)
    call_command("audit", "verify")
    assert f"head {entries[-1].sequence}:{entries[-1].hash}" in capsys.readouterr().out


def test_the_verify_command_fails_on_a_tampered_log(capsys):
    """`vigil audit verify` exits with an error and names the tampered entry."""
    entries = _entries(2)
    _raw(
        "UPDATE audit_auditentry SET actor_name = %s WHERE sequence = %s",
        ["someone else", entries[0].sequence],
    )
    with pytest.raises(CommandError, match="NOT intact: 1 problem"):
        call_command("audit", "verify")
    assert f"Entry #{entries[0].sequence} was altered" in capsys.readouterr().err


def test_the_head_command_prints_an_anchor_that_verify_accepts(capsys):
    """`vigil audit head` prints SEQUENCE:HASH; `verify --anchor` checks it."""
    _entries(1)
    call_command("audit", "head")
    anchor = capsys.readouterr().out.strip()
    call_command("audit", "verify", "--anchor", anchor)
    with pytest.raises(CommandError, match="SEQUENCE:HASH"):
        call_command("audit", "verify", "--anchor", "not-an-anchor")


def test_the_model_refuses_to_change_or_delete_an_entry():
    """Through the ORM an entry can be neither saved again nor deleted, singly or in bulk."""
    entry = _entries(1)[0]
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_whoever_sends_them():
    """On PostgreSQL a trigger refuses raw UPDATE and DELETE on the log."""
    entry = _entries(1)[0]
    for sql in (
        "UPDATE audit_auditentry SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
