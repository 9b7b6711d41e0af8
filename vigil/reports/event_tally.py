"""The event tally: established events counted by what reports count them by, kept when events change.

A report counts protests and strikes by place and by day among a million events; the tally
(``models.EventTally``) holds the same events as one row per kind, place, facility, university,
confidentiality and start date with their number, about a fifth as many rows, under the column names of
``events_event``. ``event_counts`` runs its conditions on either table: on the tally for a report of the
live record (any scope, period or reader), on the events when read as known on a past day. Only established
events are tallied (disputed and retracted ones never count).

Kept with the named-individual summary and ready with it (``SummaryState``): rebuilt by ``summary_rebuild``,
changed in the writer's transaction by ``signals`` on every save and deletion of an event.
"""

# ruff: noqa: S608
# The SQL here is composed from the model's own column names; values are bound as parameters.

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection

from vigil.core.models import Verification
from vigil.events.models import Event
from vigil.reports.models import EventTally

KEY = (
    "kind_id",
    "place_id",
    "facility_id",
    "university_id",
    "confidentiality",
    "started_on",
    "started_precision",
)
NOT_ESTABLISHED = (Verification.DISPUTED, Verification.RETRACTED)
Key = tuple[Any, ...]


def _table(model: type[Event] | type[EventTally]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def tally_table() -> str:
    """The tally's table, quoted, for the reports that count it."""
    return _table(EventTally)


def tally_rebuild() -> int:
    """Tally every established event afresh (inside ``summary_rebuild``'s transaction); returns the rows."""
    columns = ", ".join(KEY)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(EventTally)}")
        cursor.execute(
            f"INSERT INTO {_table(EventTally)} ({columns}, events) SELECT {columns}, COUNT(*) "
            f"FROM {_table(Event)} WHERE verification NOT IN (%s, %s) GROUP BY {columns}",
            list(NOT_ESTABLISHED),
        )
        return int(cursor.rowcount)


def tally_keys(event_ids: Iterable[int]) -> list[Key]:
    """The tally keys of the given events as the database holds them now (established ones only)."""
    ids = sorted({int(pk) for pk in event_ids})
    if not ids:
        return []
    return list(
        Event.objects.filter(pk__in=ids)
        .exclude(verification__in=NOT_ESTABLISHED)
        .values_list(*KEY)
        .order_by()
    )


def tally_change(changes: Counter[Key]) -> bool:
    """Add ``changes`` (key → more or fewer events) to the tally. False when an event to take away was not
    there: the tally disagrees with the events and must be rebuilt (the caller marks it not ready)."""
    table = _table(EventTally)
    # A NULL place, facility, university or date matches a NULL one.
    same = " IS NOT DISTINCT FROM " if connection.vendor == "postgresql" else " IS "
    match = " AND ".join(f"{column}{same}%s" for column in KEY)
    consistent = True
    with connection.cursor() as cursor:
        for key, number in sorted(changes.items(), key=lambda item: repr(item[0])):
            if not number:
                continue
            values = _prepared(key)
            cursor.execute(f"SELECT id, events FROM {table} WHERE {match} LIMIT 1", values)
            found = cursor.fetchone()
            if (0 if found is None else found[1]) + number < 0:
                consistent = False
                continue
            if found is None:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(KEY)}, events) VALUES ({', '.join(['%s'] * len(KEY))}, %s)",
                    [*values, number],
                )
                continue
            cursor.execute(f"UPDATE {table} SET events = events + %s WHERE id = %s", [number, found[0]])
            if number < 0:
                cursor.execute(f"DELETE FROM {table} WHERE id = %s AND events <= 0", [found[0]])
    return consistent


def _prepared(key: Key) -> list[Any]:
    values = list(key)
    started_on = KEY.index("started_on")
    values[started_on] = connection.ops.adapt_datefield_value(values[started_on])
    return values
