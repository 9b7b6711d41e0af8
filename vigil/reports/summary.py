"""The named-individual summary: kept when facts change, read by reports of the live record.

Counting the named individuals means grouping every fact per person (about 400,000 facts for 200,000
people in the benchmark), which no index makes cheap. The summary does that grouping when a fact, a person
or a merge changes (``signals``), one person at a time: for each person, audience and category, the
intervals of as-of dates on which the person counts and at which level (``spans``). A report of the whole
country, as of any date, as known now, then counts rows instead of grouping facts. Reports of a place, a
facility or a university, of a period, or as known on a past day count the facts themselves (``named.py``),
as does any report while the summary is not ready.

``summary_rebuild`` (``vigil rebuild_report_summary``, and ``migrate`` when the summary is not ready) builds
it from scratch; ``summary_refresh`` recomputes the people given, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import pairwise
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from vigil.core.bulk import insert_values
from vigil.core.dates import Precision
from vigil.core.models import Confidentiality, Term, Vocabulary
from vigil.core.visibility import levels_up_to
from vigil.custody.models import Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty
from vigil.people.models import Person
from vigil.reports.dialect import Dialect, fetch_all
from vigil.reports.event_tally import tally_rebuild
from vigil.reports.models import NamedSummary, SummaryChange, SummaryState
from vigil.reports.named import (
    LEVELS,
    NOT_RELEASES,
    STATUS_CATEGORIES,
    NamedOverview,
    NamedQueries,
    Tally,
    category_codes,
    in_report_order,
    sentence_kinds,
)
from vigil.reports.spans import (
    EARLIEST,
    LATEST,
    Born,
    FactSpans,
    certain_from,
    counted,
    level,
    minor_until,
    person_standing,
    rank,
)
from vigil.reports.visibility import Visibility

_BATCH = 5_000
_COLUMNS = (
    "person_key",
    "audience",
    "category",
    "valid_from",
    "valid_until",
    "rank",
    "minor_rank",
    "severity",
    "day",
)
_RANK_OF_LEVEL = {str(value): rank(value) for value in LEVELS}
_NONE = -1  # a rank "none" in SummaryChange (a unique constraint treats NULLs as all different)
# The daily timeline's categories: the person was arrested (killed) on that very day, by a fact dated to the
# day; a stretch of one day each, so the changes up to a day count the people arrested (killed) on it.
DAY_ARRESTED, DAY_KILLED = "day:arrested", "day:killed"
_ONE_DAY = dt.timedelta(days=1)


# Reading --------------------------------------------------------------------------------------------------


def summary_audience(visibility: Visibility) -> int | None:
    """The audience of the summary a reader's visibility is (None: a set of levels no reader has)."""
    for audience, ceiling in enumerate(Confidentiality.values):
        if set(visibility.levels) == set(levels_up_to(ceiling)):
            return audience
    return None


def summary_ready() -> bool:
    return SummaryState.objects.filter(ready=True).exists()


def summary_answers(queries: NamedQueries) -> bool:
    """Whether the summary holds exactly this report's counts: the live record, the whole country, no
    period start, a reader's visibility, and a complete summary."""
    frame = queries.frame
    return (
        frame.known_at is None
        and frame.period_start is None
        and queries.scope.is_country
        and summary_audience(queries.visibility) is not None
        and summary_ready()
    )


def _audience(queries: NamedQueries) -> int:
    audience = summary_audience(queries.visibility)
    if audience is None:
        raise ValueError("The summary holds the levels a reader may see, not these: count the facts.")
    return audience


def summary_overview(queries: NamedQueries, *, list_limit: int = 0) -> NamedOverview:
    """``named.named_overview`` read from the summary (``summary_answers`` must hold)."""
    audience = _audience(queries)
    as_of = queries.frame.as_of
    people_levels: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    minor_levels: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    listed_total = 0
    kinds = sentence_kinds()
    codes = category_codes(queries, kinds)
    for category, found_rank, found_minor, number in (
        SummaryChange.objects.filter(audience=audience, category__in=["", *codes], day__lte=as_of)
        .values_list("category", "rank", "minor_rank")
        .annotate(number=Sum("change"))
        .order_by()
    ):
        if not category:
            listed_total += number
            continue
        people_levels[category][found_rank] += number
        if found_minor != _NONE:
            minor_levels[category][found_minor] += number
    found: dict[str, tuple[Tally, Tally]] = {}
    for code in codes:
        tallies = []
        for by_rank in (people_levels[code], minor_levels[code]):
            by_level: dict[str, int] = {value: by_rank.get(_RANK_OF_LEVEL[value], 0) for value in LEVELS}
            tallies.append(Tally(sum(n for found_rank, n in by_rank.items() if found_rank >= 1), by_level))
        found[code] = (tallies[0], tallies[1])
    listed: list[int] = []
    if list_limit > 0:
        # Written out for the index ``reports_summary_list`` (migration 0003), which holds the rows of
        # ``category = ''`` in this order.
        listed = [
            int(row[0])
            for row in fetch_all(
                f"SELECT person_key FROM {connection.ops.quote_name(NamedSummary._meta.db_table)} "  # noqa: S608
                "WHERE audience = %(audience)s AND category = '' AND valid_from <= %(as_of)s "
                f"AND valid_until > %(as_of)s ORDER BY severity DESC, {Dialect().desc_nulls_last('day')}, "
                "person_key LIMIT %(limit)s",
                {
                    "audience": audience,
                    "as_of": connection.ops.adapt_datefield_value(as_of),
                    "limit": list_limit,
                },
            )
        ]
    return NamedOverview(in_report_order(found, kinds), listed_total, listed)


def summary_timeline(queries: NamedQueries, *, days_from: dt.date) -> dict[str, dict[dt.date, int]]:
    """The people arrested and killed on each day from ``days_from`` to the as-of date (days with none left
    out), by timeline category (``DAY_ARRESTED``, ``DAY_KILLED``), read from the summary's changes
    (``summary_answers`` must hold). As ``timeline.timeline`` counts the facts: established facts only."""
    audience = _audience(queries)
    as_of = queries.frame.as_of
    changes: dict[str, list[tuple[dt.date, int]]] = {DAY_ARRESTED: [], DAY_KILLED: []}
    for category, day, number in (
        SummaryChange.objects.filter(
            audience=audience, category__in=list(changes), rank__gte=1, day__lte=as_of
        )
        .values_list("category", "day")
        .annotate(number=Sum("change"))
        .order_by("category", "day")
    ):
        changes[category].append((_as_day(day), number))
    found: dict[str, dict[dt.date, int]] = {}
    for category, steps in changes.items():
        per_day: dict[dt.date, int] = {}
        running = 0
        for (day, number), (following, _number) in pairwise([*steps, (as_of + _ONE_DAY, 0)]):
            running += number
            if running:
                on = max(day, days_from)
                while on < following:
                    per_day[on] = running
                    on += _ONE_DAY
        found[category] = per_day
    return found


# Facts, person by person -----------------------------------------------------------------------------------


def _person_key() -> Coalesce:
    # As ``NamedQueries.person_key``: two levels of merging.
    return Coalesce(F("merged_into__merged_into_id"), F("merged_into_id"), F("id"))


def _the_day(category: str, on: dt.date | None, precision: str) -> list[tuple[str, dt.date, dt.date]]:
    """The one-day stretch of a timeline category, for a fact dated to the day."""
    if precision != Precision.DAY or on is None or on >= LATEST:
        return []
    return [(category, on, on + _ONE_DAY)]


class _Facts:
    """The counted facts of some people (all, or those counted as the given person keys), by person key."""

    def __init__(self, keys: set[int] | None = None) -> None:
        people = Person.objects.annotate(key=_person_key())
        if keys is not None:
            people = people.filter(
                Q(id__in=keys) | Q(merged_into_id__in=keys) | Q(merged_into__merged_into_id__in=keys)
            )
        self.key: dict[int, int] = {}
        self.born: dict[int, Born] = {}
        self.person: dict[int, tuple[str, str]] = {}  # id → (confidentiality, verification)
        for row in people.values_list(
            "id",
            "key",
            "birth_on",
            "birth_precision",
            "reported_age",
            "age_reported_on",
            "confidentiality",
            "verification",
        ).iterator(chunk_size=_BATCH):
            if keys is not None and row[1] not in keys:
                continue
            self.key[row[0]] = row[1]
            self.born[row[0]] = Born(row[2], row[3], row[4], row[5])
            self.person[row[0]] = (row[6], row[7])
        self.ids = None if keys is None else set(self.key)
        self.by_key: dict[int, list[FactSpans]] = defaultdict(list)
        terms: dict[str, dict[int, str]] = defaultdict(dict)
        for pk, vocabulary, code in Term.objects.filter(
            vocabulary__in=[Vocabulary.RELEASE_KIND, Vocabulary.CUSTODY_STATUS, Vocabulary.SENTENCE_KIND]
        ).values_list("id", "vocabulary", "code"):
            terms[vocabulary][pk] = code
        self.not_releases = {
            pk for pk, code in terms[Vocabulary.RELEASE_KIND].items() if code in NOT_RELEASES
        }
        self.statuses = {
            pk: code for pk, code in terms[Vocabulary.CUSTODY_STATUS].items() if code in STATUS_CATEGORIES
        }
        self.kinds = terms[Vocabulary.SENTENCE_KIND]
        self._detentions()
        self._sentences()
        self._executions()
        self._casualties()

    def _of(self, queryset: Any, field: str) -> Iterator[tuple[Any, ...]]:
        if self.ids is not None:
            queryset = queryset.filter(**{f"{field}__any_of": sorted(self.ids)})
        yield from queryset.iterator(chunk_size=_BATCH)

    def _counted(self, person_id: int, *verifications: str) -> str | None:
        """The person's confidentiality when they are among these people and a fact of theirs with these
        verifications counts (none retracted, theirs included); else None."""
        if person_id not in self.key:
            return None
        person_level, person_verification = self.person[person_id]
        return person_level if counted(*verifications, person_verification) else None

    def _add(self, person_id: int, fact: FactSpans) -> None:
        if fact.spans:
            self.by_key[self.key[person_id]].append(fact)

    def _detentions(self) -> None:
        detentions: dict[int, tuple[int, dt.date, dt.date, int, str, str, dt.date | None]] = {}
        for (
            pk,
            person_id,
            arrested_on,
            arrested_precision,
            released_on,
            released_precision,
            kind,
            conf,
            verif,
        ) in self._of(
            Detention.objects.values_list(
                "id",
                "person_id",
                "arrested_on",
                "arrested_precision",
                "released_on",
                "released_precision",
                "release_kind_id",
                "confidentiality",
                "verification",
            ),
            "person_id",
        ):
            if person_id not in self.key:
                continue
            person_level, person_verification = self.person[person_id]
            arrested = certain_from(arrested_on, arrested_precision)
            # Still detained until the release's first possible day; never when ended without a date.
            ended = EARLIEST if released_on is None and kind is not None else (released_on or LATEST)
            detentions[pk] = (person_id, arrested, ended, level(conf, person_level), conf, verif, arrested_on)
            if not counted(verif, person_verification):
                continue
            spans = [("arrested", arrested, LATEST), ("detained", arrested, ended)]
            spans += _the_day(DAY_ARRESTED, arrested_on, arrested_precision)
            if kind is None or (self.not_releases and kind not in self.not_releases):
                if released_on is None and kind is not None:
                    spans.append(("released", EARLIEST, LATEST))
                elif released_on is not None:
                    spans.append(("released", certain_from(released_on, released_precision), LATEST))
            self._add(
                person_id,
                FactSpans(
                    level(conf, person_level),
                    rank(verif),
                    arrested_on,
                    minor_until(self.born[person_id], arrested_on),
                    tuple(span for span in spans if span[1] < span[2]),
                ),
            )
        for detention_id, status_id, started_on, started_precision, ended_on, conf, verif in self._of(
            StatusObservation.objects.filter(status_id__in=list(self.statuses)).values_list(
                "detention_id",
                "status_id",
                "started_on",
                "started_precision",
                "ended_on",
                "confidentiality",
                "verification",
            ),
            "detention__person_id",
        ):
            found = detentions.get(detention_id)
            if found is None:
                continue
            person_id, arrested, ended, detention_level, _conf, detention_verification, arrested_on = found
            if not counted(verif, detention_verification, self.person[person_id][1]):
                continue
            start = max(arrested, certain_from(started_on, started_precision))
            until = min(ended, ended_on or LATEST)
            self._add(
                person_id,
                FactSpans(
                    max(level(conf), detention_level),
                    rank(verif),
                    started_on,
                    minor_until(self.born[person_id], arrested_on),
                    ((self.statuses[status_id], start, until),) if start < until else (),
                ),
            )

    def _sentences(self) -> None:
        for (
            kind_id,
            issued_on,
            precision,
            conf,
            verif,
            person_id,
            case_conf,
            case_verif,
            arrested_on,
        ) in self._of(
            Sentence.objects.values_list(
                "kind_id",
                "issued_on",
                "issued_precision",
                "confidentiality",
                "verification",
                "case__person_id",
                "case__confidentiality",
                "case__verification",
                "case__detention__arrested_on",
            ),
            "case__person_id",
        ):
            person_level = self._counted(person_id, verif, case_verif)
            if person_level is None:
                continue
            issued = certain_from(issued_on, precision)
            codes = ["sentenced"]
            code = self.kinds.get(kind_id) if kind_id is not None else None
            if code is not None:
                codes += ["sentenced_to_death"] * (code == "death") + [f"sentence:{code}"]
            self._add(
                person_id,
                FactSpans(
                    level(conf, case_conf, person_level),
                    rank(verif),
                    issued_on,
                    minor_until(self.born[person_id], arrested_on or issued_on),
                    tuple((code, issued, LATEST) for code in codes),
                ),
            )

    def _executions(self) -> None:
        for person_id, executed_on, precision, conf, verif, arrested_on in self._of(
            Execution.objects.values_list(
                "person_id",
                "executed_on",
                "executed_precision",
                "confidentiality",
                "verification",
                "case__detention__arrested_on",
            ),
            "person_id",
        ):
            person_level = self._counted(person_id, verif)
            if person_level is None:
                continue
            self._add(
                person_id,
                FactSpans(
                    level(conf, person_level),
                    rank(verif),
                    executed_on,
                    minor_until(self.born[person_id], arrested_on or executed_on),
                    (("executed", certain_from(executed_on, precision), LATEST),),
                ),
            )

    def _casualties(self) -> None:
        for person_id, kind, occurred_on, precision, age_reported, conf, verif in self._of(
            Casualty.objects.values_list(
                "person_id",
                "kind",
                "occurred_on",
                "occurred_precision",
                "age_reported",
                "confidentiality",
                "verification",
            ),
            "person_id",
        ):
            person_level = self._counted(person_id, verif)
            if person_level is None:
                continue
            if age_reported is not None:
                minor = LATEST if age_reported < 18 else EARLIEST
            else:
                minor = minor_until(self.born[person_id], occurred_on)
            category = "killed" if kind == Casualty.Kind.KILLED else "injured"
            spans = [(category, certain_from(occurred_on, precision), LATEST)]
            if category == "killed":
                spans += _the_day(DAY_KILLED, occurred_on, precision)
            self._add(
                person_id,
                FactSpans(level(conf, person_level), rank(verif), occurred_on, minor, tuple(spans)),
            )

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The summary rows of these people, as the values of an INSERT."""
        adapt = connection.ops.adapt_datefield_value
        for key, facts in self.by_key.items():
            for audience, row in person_standing(facts):
                yield (
                    key,
                    audience,
                    row.category,
                    adapt(row.valid_from),
                    adapt(row.valid_until),
                    row.rank,
                    row.minor_rank,
                    row.severity,
                    adapt(row.day),
                )


# Writing ----------------------------------------------------------------------------------------------------


def _insert(rows: Iterable[tuple[Any, ...]], changes: Counter[tuple[Any, ...]] | None = None) -> int:
    """Insert summary rows (in ``_Facts.rows`` order), a batch at a time through ``insert_values``
    (``COPY`` on PostgreSQL); ``changes`` (when given) gains their changes."""
    fields = [NamedSummary._meta.get_field(name) for name in _COLUMNS]
    total, batch = 0, []
    for row in rows:
        batch.append(row)
        if changes is not None:
            _count_stretch(changes, row[1:7], +1)
        if len(batch) >= _BATCH:
            insert_values(NamedSummary, fields, batch)
            total, batch = total + len(batch), []
    insert_values(NamedSummary, fields, batch)
    return total + len(batch)


def _count_stretch(changes: Counter[tuple[Any, ...]], stretch: tuple[Any, ...], sign: int) -> None:
    """Add (``sign`` +1) or take back (-1) one stretch (audience, category, from, until, rank, minor rank):
    a person more from its first day, one fewer from its end."""
    audience, category, valid_from, valid_until, found_rank, found_minor = stretch
    level = (
        audience,
        category,
        _NONE if found_rank is None else found_rank,
        _NONE if found_minor is None else found_minor,
    )
    changes[(*level, _as_day(valid_from))] += sign
    changes[(*level, _as_day(valid_until))] -= sign


def _as_day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _apply_changes(changes: Counter[tuple[Any, ...]]) -> None:
    """Add ``changes`` to the stored ones (one upsert statement for all)."""
    rows = [(*key[:4], connection.ops.adapt_datefield_value(key[4]), n) for key, n in changes.items() if n]
    if not rows:
        return
    table = connection.ops.quote_name(SummaryChange._meta.db_table)
    sql = (
        f"INSERT INTO {table} (audience, category, rank, minor_rank, day, change) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (audience, category, rank, minor_rank, day) "
        f"DO UPDATE SET change = {table}.change + excluded.change"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _set_ready(ready: bool) -> None:
    SummaryState.objects.update_or_create(
        pk=1, defaults={"ready": ready, **({"rebuilt_at": timezone.now()} if ready else {})}
    )


@transaction.atomic
def summary_rebuild() -> int:
    """Build the summary from every record (after a restore, a bulk load, or to check it); returns the
    number of rows written."""
    table = connection.ops.quote_name(NamedSummary._meta.db_table)
    changes_table = connection.ops.quote_name(SummaryChange._meta.db_table)
    with connection.cursor() as cursor:
        empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        for emptied in (table, changes_table):
            cursor.execute(f"{empty} {emptied}")
        written = _insert(_Facts().rows())
        tally_rebuild()
        # The changes, from the stretches just written: one statement.
        level = "audience, category, COALESCE(rank, -1), COALESCE(minor_rank, -1)"
        cursor.execute(
            f"INSERT INTO {changes_table} (audience, category, rank, minor_rank, day, change) "  # noqa: S608
            "SELECT a, c, r, m, d, SUM(n) FROM ("
            "SELECT audience AS a, category AS c, COALESCE(rank, -1) AS r, COALESCE(minor_rank, -1) AS m, "
            f"valid_from AS d, 1 AS n FROM {table} UNION ALL SELECT {level}, valid_until, -1 FROM {table}"
            ") AS stretch GROUP BY a, c, r, m, d HAVING SUM(n) <> 0"
        )
    _set_ready(True)
    return written


def summary_mark_stale() -> None:
    """A write the summary cannot follow happened: reports count the facts until the next rebuild."""
    SummaryState.objects.filter(ready=True).update(ready=False)


_pending: ContextVar[set[int] | None] = ContextVar("summary_pending", default=None)


@contextmanager
def summary_batch() -> Iterator[None]:
    """Refresh each person touched inside the block once, when it ends (for loops that write many facts of
    the same people, such as imports). Use it inside the transaction that writes."""
    if _pending.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    # Not reached when the block raised: its transaction is rolled back and there is nothing to refresh.
    summary_refresh(pending)


def person_keys(person_ids: Iterable[int]) -> set[int]:
    """The keys the people are counted under (themselves, or the person they were merged into)."""
    ids = {pk for pk in person_ids if pk is not None}
    if not ids:
        return set()
    return set(Person.objects.filter(pk__in=ids).annotate(key=_person_key()).values_list("key", flat=True))


def summary_refresh(keys: Iterable[int]) -> None:
    """Recompute the rows of the people counted under ``keys`` (a key no longer counted loses its rows)."""
    wanted = {key for key in keys if key is not None}
    if not wanted:
        return
    pending = _pending.get()
    if pending is not None:
        pending |= wanted
        return
    # The stretches going away are taken back from the changes, those written added.
    changes: Counter[tuple[Any, ...]] = Counter()
    stretch = ("audience", "category", "valid_from", "valid_until", "rank", "minor_rank")
    for old in NamedSummary.objects.filter(person_key__in=wanted).values_list(*stretch):
        _count_stretch(changes, old, -1)
    # A plain DELETE: derived rows, no history, no signals (the ORM would fetch each row to send them).
    table = connection.ops.quote_name(NamedSummary._meta.db_table)
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(wanted))
        cursor.execute(f"DELETE FROM {table} WHERE person_key IN ({marks})", sorted(wanted))  # noqa: S608
    _insert(_Facts(wanted).rows(), changes)
    _apply_changes(changes)
