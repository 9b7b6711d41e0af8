"""Inserting many rows whose primary keys nobody needs back (history rows, audit entries, index rows) with
one ``executemany`` (SQLite) or one ``COPY`` (PostgreSQL): Django's ``bulk_create`` builds SQL value by value and model by model, which costs more
than the database's own work for an import's tens of thousands of rows. Values still pass through each
field's ``get_db_prep_save``, so encrypted fields are encrypted and dates converted exactly as on a save."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

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
    }
)


def insert_values(model: type[models.Model], fields: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (one value per field of ``fields``, in order) into ``model``'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    plain = [type(field) in _AS_THEY_ARE for field in fields]
    prepared = [
        [
            value
            if value is None or (is_plain and type(value) in (str, int, bool))
            else field.get_db_prep_save(value, connection)
            for field, is_plain, value in zip(fields, plain, row, strict=True)
        ]
        for row in rows
    ]
    if not prepared:
        return
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream for every row, no SQL to build or parse per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        # In-process SQLite: one prepared statement run for every row is the fastest there is.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)  # noqa: S608


def history_insert(
    instances: Sequence[models.Model], *, user_id: int | None, reasons: Sequence[str], when: Any
) -> None:
    """The history row of each new record ("+", created), as django-simple-history writes it on a save."""
    if not instances:
        return
    history_model = type(instances[0]).history.model  # type: ignore[attr-defined]
    tracked = {field.attname for field in history_model.tracked_fields}
    fields = [field for field in history_model._meta.concrete_fields if field.attname != "history_id"]
    extra = {"history_date": when, "history_type": "+", "history_user_id": user_id}
    insert_values(
        history_model,
        fields,
        (
            [
                getattr(instance, field.attname)
                if field.attname in tracked
                else reason
                if field.attname == "history_change_reason"
                else extra[field.attname]
                for field in fields
            ]
            for instance, reason in zip(instances, reasons, strict=True)
        ),
    )
