"""The few SQL expressions the report queries need that SQLite and PostgreSQL spell differently.

The report engine writes its counting queries in SQL (see ``docs/reports.md`` for why); everything
vendor-specific is here, so the queries themselves read the same on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction


class Dialect:
    """SQL fragments for the database in use. Fragments take SQL expressions and return one."""

    def __init__(self, vendor: str | None = None) -> None:
        self.vendor = vendor or connection.vendor
        self.postgres = self.vendor == "postgresql"

    def quote(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def ymd(self, date_sql: str) -> str:
        """The date as the integer YYYYMMDD (whole-year age is a difference of these, divided by 10,000)."""
        if self.postgres:
            return f"CAST(to_char({date_sql}, 'YYYYMMDD') AS integer)"
        # Doubled percent signs: the queries run with named parameters, where % is the escape character.
        return f"CAST(strftime('%%Y%%m%%d', {date_sql}) AS INTEGER)"

    def days_between(self, later_sql: str, earlier_sql: str) -> str:
        """Whole days from ``earlier`` to ``later`` (negative when ``later`` is earlier)."""
        if self.postgres:
            return f"(CAST({later_sql} AS date) - CAST({earlier_sql} AS date))"
        return f"(julianday({later_sql}) - julianday({earlier_sql}))"

    def end_of_month(self, date_sql: str) -> str:
        if self.postgres:
            return f"CAST(date_trunc('month', {date_sql}) + interval '1 month - 1 day' AS date)"
        return f"date({date_sql}, 'start of month', '+1 month', '-1 day')"

    def add_days(self, date_sql: str, days: int) -> str:
        if self.postgres:
            return f"(CAST({date_sql} AS date) + {int(days)})"
        return f"date({date_sql}, '{int(days):+d} days')"

    def desc_nulls_last(self, sql: str) -> str:
        """Descending with NULLs last: SQLite's own order (and the only one its indexes have)."""
        return f"{sql} DESC NULLS LAST" if self.postgres else f"{sql} DESC"

    def date_param(self, name: str) -> str:
        """A date parameter usable where its type cannot be inferred (inside CASE, on both sides of -)."""
        if self.postgres:
            return f"CAST(%({name})s AS date)"
        return f"%({name})s"


@contextmanager
def report_session() -> Iterator[None]:
    """Where a report's queries run. On PostgreSQL, one transaction without JIT compilation (for these wide,
    one-off aggregations compiling costs more than it saves) and with memory enough to group a few hundred
    thousand people in memory rather than on disk; ``SET LOCAL`` ends with the transaction. On SQLite,
    nothing: its transactions here begin IMMEDIATE, and a report must not hold the write lock."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def id_list(ids: Sequence[int] | set[int] | frozenset[int]) -> str:
    """An SQL list of integer ids, written inline: they come from the database, never from a user, and
    a report may filter on hundreds of places (more than some drivers take as parameters)."""
    values = sorted({int(value) for value in ids})
    return "(" + ",".join(str(value) for value in values) + ")" if values else "(NULL)"


def fetch_all(sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def as_date(value: object) -> dt.date:
    """A date read from a raw query: SQLite returns computed and historical dates as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_optional_date(value: object) -> dt.date | None:
    return None if value is None or value == "" else as_date(value)
