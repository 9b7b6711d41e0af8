"""Inserting many rows at once: records whose primary keys are needed back (``insert_records``), and rows
whose keys nobody needs (history rows, audit entries, index rows: ``insert_values``), with one
``executemany`` or a few multi-row statements (SQLite) or one ``COPY`` (PostgreSQL). Django's
``bulk_create`` builds its SQL value by value and model by model, which costs more than the database's own
work for an import's tens of thousands of rows. Values still pass through each field's
``get_db_prep_save``, so encrypted fields are encrypted and dates converted exactly as on a save."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

from vigil.core.models import PlainCharField, PlainTextField

# Fields whose Python values (str, int, bool, None) every database driver takes as they are: their exact
# classes, so that a subclass (an encrypted text field) still converts its values.
_AS_THEY_ARE = frozenset(
    {
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
        models.ForeignKey,
        models.OneToOneField,
        PlainCharField,
        PlainTextField,
    }
)
# Fields whose conversion depends on the value alone and whose values repeat within an insert.
_REPEATING = frozenset({models.DateField, models.DateTimeField, models.JSONField})
_EMPTY_OBJECT = object()
_PLAIN = (str, int, bool)
_PLAIN_TYPES = frozenset({str, int, bool, type(None)})


@dataclass(frozen=True)
class Written:
    """Records as ``insert_records`` wrote them: each one's values as the database took them, by field
    (for their history rows, which copy them)."""

    position: dict[str, int]  # a field's attname: its place in a row
    rows: list[list[Any]]


def insert_values(
    model: type[models.Model],
    fields: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    ready: Collection[int] = (),
) -> None:
    """Insert ``rows`` (one value per field of ``fields``, in order) into ``model``'s table. ``ready``: the
    places of fields whose values are already as the database takes them."""
    prepared = _prepared(fields, rows, ready)
    if not prepared:
        return
    table, columns = _names(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream for every row, no SQL to build or parse per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        # In-process SQLite: one prepared statement run for every row is the fastest there is.
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608


def insert_records(instances: Sequence[models.Model]) -> Written | None:
    """Insert new records of one model and give each its primary key, as ``bulk_create`` does (no signals,
    no ``save()``) without building its SQL value by value. The timestamps a record gets when it is
    created (``auto_now``, ``auto_now_add``) are one time for all: the records are one write. Anything
    unusual (a model with parents, a key already set, an expression as a value) goes to ``bulk_create``.

    SQLite: multi-row inserts returning the new keys. PostgreSQL: the keys are drawn from the table's
    sequence first, then every row goes in with one ``COPY``. Returns what was written (None when
    ``bulk_create`` wrote it)."""
    if not instances:
        return None
    model = type(instances[0])
    opts = model._meta
    pk = opts.pk
    fields = [field for field in opts.concrete_fields if field is not pk and not field.generated]
    sequence = _sequence(model) if connection.vendor == "postgresql" else None
    if (
        opts.parents
        or not isinstance(pk, AutoFieldMixin)
        or not fields
        or any(instance.pk is not None for instance in instances)
        or (connection.vendor == "postgresql" and sequence is None)
        or (connection.vendor == "sqlite" and not connection.features.can_return_rows_from_bulk_insert)
        or connection.vendor not in ("postgresql", "sqlite")
    ):
        model._default_manager.bulk_create(instances)
        return None
    stamps: dict[str, Any] = {}
    fill: list[Any] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamps[field.attname] = field.pre_save(instances[0], True)
        elif type(field).pre_save is not models.Field.pre_save:
            fill.append(field)
    for instance in instances:
        instance._prepare_related_fields_for_save(operation_name="bulk_create")
        for attname, stamp in stamps.items():
            setattr(instance, attname, stamp)
        for field in fill:
            field.pre_save(instance, True)
    attnames = [field.attname for field in fields]
    try:
        prepared = _prepared(
            fields, ([getattr(instance, name) for name in attnames] for instance in instances)
        )
    except _Expression:
        model._default_manager.bulk_create(instances)
        return None
    table, columns = _names(model, fields)
    with connection.cursor() as cursor:
        if sequence is not None:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(prepared)])
            keys = sorted(row[0] for row in cursor.fetchall())
            quoted_pk = connection.ops.quote_name(pk.column)
            with cursor.cursor.copy(f"COPY {table} ({quoted_pk}, {columns}) FROM STDIN") as copy:
                for key, row in zip(keys, prepared, strict=True):
                    copy.write_row([key, *row])
        else:
            keys = _insert_returning(cursor, table, columns, pk, prepared)
    for instance, key in zip(instances, keys, strict=True):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = connection.alias
    return Written({name: place for place, name in enumerate(attnames)}, prepared)


def _insert_returning(cursor: Any, table: str, columns: str, pk: Any, prepared: list[list[Any]]) -> list[int]:
    """SQLite: rows in as few statements as its limit on parameters allows, their new keys in row order
    (keys are handed out in the order rows are inserted; the order RETURNING gives them in is not promised)."""
    width = len(prepared[0])
    per_statement = max(1, connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width)
    row_placeholders = "(" + ", ".join(["%s"] * width) + ")"
    keys: list[int] = []
    for start in range(0, len(prepared), per_statement):
        batch = prepared[start : start + per_statement]
        values = ", ".join([row_placeholders] * len(batch))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {connection.ops.quote_name(pk.column)}",  # noqa: S608
            [value for row in batch for value in row],
        )
        keys += sorted(row[0] for row in cursor.fetchall())
    return keys


_sequences: dict[str, str | None] = {}


def _sequence(model: type[models.Model]) -> str | None:
    """PostgreSQL: the sequence that numbers ``model``'s rows (an identity column's), asked once."""
    table = model._meta.db_table
    if table not in _sequences:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            _sequences[table] = cursor.fetchone()[0]
    return _sequences[table]


class _Expression(Exception):
    """A value is an SQL expression, which only Django's own insert compiles."""


def _names(model: type[models.Model], fields: Sequence[Any]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)


def _prepared(
    fields: Sequence[Any], rows: Iterable[Sequence[Any]], ready: Collection[int] = ()
) -> list[list[Any]]:
    """The rows' values as the database takes them (those of the fields at ``ready`` are already)."""
    prepared = [list(row) for row in rows]
    if any(len(row) != len(fields) for row in prepared):
        raise ValueError("Every row needs one value per field.")
    for place, field in enumerate(fields):
        if place in ready:
            continue
        plain = type(field) in _AS_THEY_ARE
        if plain and _PLAIN_TYPES.issuperset(map(type, [row[place] for row in prepared])):
            continue  # the common case, checked at C speed: nothing in the column to convert
        convert = _converter(field)
        if plain:
            for row in prepared:
                value = row[place]
                if value is not None and type(value) not in _PLAIN:
                    row[place] = convert(value)
        else:
            for row in prepared:
                value = row[place]
                if value is not None:
                    row[place] = convert(value)
    return prepared


def _converter(field: Any) -> Callable[[Any], Any]:
    """How ``field``'s values are prepared for the database. Dates, times, JSON and choices repeat (an
    import's timestamps, its rows' days, its empty details, a vocabulary's members), so their conversions
    are remembered for the call; an encrypted field's never are (the same text must not give the same token
    twice)."""
    prepare = field.get_db_prep_save

    def prepared(value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            raise _Expression
        return prepare(value, connection)

    if type(field) not in _REPEATING and type(field) not in _AS_THEY_ARE:
        return prepared
    known: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        # Keyed by type too: True and 1 are equal, their JSON is not. An empty JSON object (most audit
        # entries' detail) is the one unhashable value worth remembering.
        key = _EMPTY_OBJECT if type(value) is dict and not value else (type(value), value)
        try:
            return known[key]
        except KeyError:
            known[key] = converted = prepared(value)
            return converted
        except TypeError:  # unhashable: a JSON object or list with content
            return prepared(value)

    return remembered


def history_insert(
    instances: Sequence[models.Model],
    *,
    user_id: int | None,
    reasons: Sequence[str],
    when: Any,
    written: Written | None = None,
) -> None:
    """The history row of each new record ("+", created), as django-simple-history writes it on a save.
    ``written``: the records as ``insert_records`` wrote them, whose values the history rows copy as they
    are (a history field is its record's field, without its keys and constraints)."""
    if not instances:
        return
    history_model = type(instances[0]).history.model  # type: ignore[attr-defined]
    tracked = {field.attname for field in history_model.tracked_fields}
    fields = [field for field in history_model._meta.concrete_fields if field.attname != "history_id"]
    extra = {"history_date": when, "history_type": "+", "history_user_id": user_id}
    copied = written.position if written is not None else {}
    ready = [place for place, field in enumerate(fields) if field.attname in copied]

    def value(instance: models.Model, record: list[Any] | None, reason: str, attname: str) -> Any:
        if record is not None and attname in copied:
            return record[copied[attname]]
        if attname in tracked:
            return getattr(instance, attname)
        return reason if attname == "history_change_reason" else extra[attname]

    records: Iterable[list[Any] | None] = written.rows if written is not None else [None] * len(instances)
    insert_values(
        history_model,
        fields,
        (
            [value(instance, record, reason, field.attname) for field in fields]
            for instance, record, reason in zip(instances, records, reasons, strict=True)
        ),
        ready=ready,
    )
