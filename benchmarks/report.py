"""Time the situation report on a large synthetic record, against hand-written SQL of the same counts.

    nice .venv/bin/python -m benchmarks.report [--database sqlite|postgresql|both] [--scale 1.0]
                                               [--regenerate] [--runs 3]

The record is clearly synthetic ("Synthetic person 123", "Synthetic event 456"): 200,000 people,
300,000 detentions with about 450,000 status observations, 1,000,000 events, 20,000 casualties, 15,000
cases with sentences, 300 executions and 300 reported figures, each with one history row, bulk-inserted
(minutes, once; kept for later runs). It lives in its own database, never the development one: a SQLite
file in ``$TMPDIR/vigil-bench-report/`` and the PostgreSQL database ``vigil_bench_report`` (server from
``BENCH_POSTGRES_URL``, default ``postgres://postgres@127.0.0.1:5432``).

Measured (median of ``--runs`` after one warm-up): the full national report (``report_as_of`` as an
administrator: every count, the events, the figures, the timeline and the first 50 named individuals),
the same for the public, a province report (Tehran), the national report as known on a past day (read
from the history tables), and the floor: hand-written SQL computing the same counts (named individuals by
category, minors and verification level; events by province and by day; universities), whose numbers
are checked against the report's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATABASE_NAME = "vigil_bench_report"
SEED = 20260109
START, END = dt.date(2025, 12, 28), dt.date(2026, 3, 31)
AS_OF = END
SIZES = {
    "people": 200_000,
    "detentions": 300_000,
    "events": 1_000_000,
    "casualties": 20_000,
    "cases": 15_000,
    "executions": 300,
    "figures": 300,
}
BATCH = 10_000


# Parent: one child process per database ---------------------------------------------------------------


def _child_environment(database: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="vigil.settings.dev")
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        env["DATABASE_URL"] = f"{server.rstrip('/')}/{DATABASE_NAME}"
    else:
        env["VIGIL_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "vigil-bench-report")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Multiply every size (0.01 for a quick try)."
    )
    parser.add_argument("--regenerate", action="store_true", help="Drop and rebuild the synthetic record.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_child(args)
        return
    results = []
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        command = [sys.executable, "-m", "benchmarks.report", "--child", "--database", database]
        command += ["--scale", str(args.scale), "--runs", str(args.runs)] + (
            ["--regenerate"] if args.regenerate else []
        )
        output = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            command, env=_child_environment(database), cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    _print_table(results)


def _print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(f"{'database':<11} {'measure':<42} {'wall s':>8} {'CPU s':>8}")
    for result in results:
        for name, (wall, cpu) in result["timings"].items():
            print(f"{result['database']:<11} {name:<42} {wall:>8.3f} {cpu:>8.3f}")
        full, floor = result["timings"]["full national report"], result["timings"]["floor: hand-written SQL"]
        print(
            f"{result['database']:<11} {'ratio full report / floor':<42} {full[0] / floor[0]:>8.2f} {full[1] / floor[1]:>8.2f}"
        )
        print(f"{'':<11} load average while measuring: {result['load']}; rows: {result['rows']}")


# Child: generate if needed, then measure ---------------------------------------------------------------


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    server, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _run_child(args: argparse.Namespace) -> None:
    if args.database == "postgresql":
        _ensure_postgres_database(os.environ["DATABASE_URL"])
    else:
        Path(os.environ["VIGIL_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    sizes = {name: max(1, int(size * args.scale)) for name, size in SIZES.items()}
    if args.regenerate:
        _drop_everything()
    call_command("migrate", verbosity=0)
    from vigil.people.models import Person

    if Person.objects.count() != sizes["people"]:
        _drop_everything()
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        started = time.perf_counter()
        _generate(sizes)
        _log(f"generated in {time.perf_counter() - started:.0f} s")
    _prepare_indexes()
    rebuild = _rebuild_summary()
    _analyze()
    timings = {"rebuild of the summary and event tally": rebuild, **_measure(args.runs)}
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    result = {"database": args.database, "rows": _row_counts(), "timings": timings, "load": load}
    print(json.dumps(result))


def _rebuild_summary() -> list[float]:
    """The record was bulk-inserted past the signals that keep the summary: build it, as an operator would
    after a restore (``vigil rebuild_report_summary``), and time that."""
    from vigil.reports.summary import summary_rebuild

    clock = _Clock()
    wall, cpu = time.perf_counter(), clock.cpu()
    rows = summary_rebuild()
    timing = [time.perf_counter() - wall, clock.cpu() - cpu]
    _log(f"summary rebuilt: {rows} rows in {timing[0]:.1f} s")
    return timing


def _drop_everything() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            tables = connection.introspection.table_names(cursor)
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _prepare_indexes() -> None:
    """The report's covering indexes come with the migrations (events 0007, custody 0006); drop the copies
    that earlier runs of this benchmark created under other names, so each index exists once."""
    from django.db import connection

    superseded = (
        "bench_detention_arrested", "bench_status_status_open", "bench_event_kind_started",
        "bench_event_by_place", "bench_event_by_day", "bench_status_by_kind",
    )  # fmt: skip
    with connection.cursor() as cursor:
        for name in superseded:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _row_counts() -> dict[str, int]:
    from django.db import connection

    tables = [
        "people_person",
        "custody_detention",
        "custody_statusobservation",
        "events_event",
        "events_casualty",
        "custody_sentence",
        "custody_execution",
    ]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table.split("_", 1)[1]] = int(cursor.fetchone()[0])
    return counts


# Generation ------------------------------------------------------------------------------------------


class _Inserter:
    """Bulk inserts of plain tuples, with every column the model has (defaults for the ones not given)."""

    def __init__(self) -> None:
        from django.db import connection
        from django.utils import timezone

        self.connection = connection
        self.now = timezone.now()
        self.adapt_day = connection.ops.adapt_datefield_value
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)

    def day(self, value: dt.date | None) -> Any:
        return None if value is None else self.adapt_day(value)

    def insert(
        self, model: Any, columns: Sequence[str], rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]
    ) -> int:
        fields = [
            field
            for field in model._meta.concrete_fields
            if not (field.primary_key and field.column not in columns)
        ]
        given = {column: index for index, column in enumerate(columns)}
        defaults: list[Any] = []
        for field in fields:
            if field.column in given:
                defaults.append(None)
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults.append(self.stamp)
            else:
                defaults.append(field.get_db_prep_save(field.get_default(), self.connection))
        names = ", ".join(self.connection.ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})"
        order = [given.get(field.column) for field in fields]
        total = 0
        batch: list[tuple[Any, ...]] = []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(
                    tuple(
                        default if index is None else row[index]
                        for index, default in zip(order, defaults, strict=True)
                    )
                )
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    total += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                total += len(batch)
        return total

    def history(self, model: Any) -> None:
        """One history row ("+") per record, as if each had been created through a service."""
        live = {field.column for field in model._meta.concrete_fields}
        historical = model.history.model
        copied = [field.column for field in historical._meta.concrete_fields if field.column in live]
        names = ", ".join(copied)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {historical._meta.db_table} ({names}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {names}, %s, %s, '+', NULL FROM {model._meta.db_table}",
                [self.stamp, "Synthetic benchmark data"],
            )

    def reset_sequences(self, *models: Any) -> None:
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model in models:
                for table in (model._meta.db_table, model.history.model._meta.db_table):
                    pk = "history_id" if table != model._meta.db_table else "id"
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), COALESCE(MAX({pk}), 1)) FROM {table}"
                    )


def _weighted(rng: random.Random, choices: dict[Any, float]) -> Callable[[], Any]:
    values, cumulative = list(choices), list(itertools.accumulate(choices.values()))
    return lambda: rng.choices(values, cum_weights=cumulative)[0]


def _generate(sizes: dict[str, int]) -> None:
    from django.db import transaction

    from vigil.core.models import Term
    from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
    from vigil.events.models import Casualty, Event
    from vigil.organizations.models import Organization
    from vigil.people.models import NameVariant, Person
    from vigil.places.models import Facility, Place, University
    from vigil.sources.models import ReportedFigure, Source

    rng = random.Random(SEED)
    out = _Inserter()
    terms = {
        (vocabulary, code): pk
        for pk, vocabulary, code in Term.objects.values_list("id", "vocabulary", "code")
    }
    cities = list(Place.objects.filter(kind="city").values_list("id", flat=True))
    provinces = list(Place.objects.filter(kind="province").values_list("id", flat=True))
    country = Place.objects.get(kind="country").pk
    facilities = list(Facility.objects.values_list("id", flat=True))
    universities = list(University.objects.values_list("id", "place_id"))
    span = (END - START).days
    days = [START + dt.timedelta(days=offset) for offset in range(span + 1)]
    confidentiality = _weighted(rng, {"public": 70, "internal": 25, "restricted": 5})
    verification = _weighted(
        rng, {"reported": 55, "corroborated": 20, "verified": 18, "disputed": 5, "retracted": 2}
    )

    def fuzzy_day(base: dt.date | None = None, after: int = 0, within: int = span) -> tuple[Any, str]:
        """A date in the period (or after ``base``): mostly to the day, some to the month, some unknown."""
        roll = rng.random()
        if base is None:
            day = days[rng.randrange(len(days))]
        else:
            day = min(base + dt.timedelta(days=after + rng.randrange(max(within, 1))), END)
        if roll < 0.9:
            return out.day(day), "day"
        if roll < 0.95:
            return out.day(day.replace(day=1)), "month"
        return None, "unknown"

    with transaction.atomic():
        _log("people")
        people = sizes["people"]
        person_rows = []
        merged_into: dict[int, int] = {}
        for pk in range(1, people + 1):
            birth_on, birth_precision, age, age_on = None, "unknown", None, None
            roll = rng.random()
            if roll < 0.10:
                birth_on, birth_precision = (
                    out.day(dt.date(rng.randint(1950, 2011), rng.randint(1, 12), rng.randint(1, 28))),
                    "day",
                )
            elif roll < 0.12:
                birth_on, birth_precision = out.day(dt.date(rng.randint(1950, 2011), 1, 1)), "year"
            elif roll < 0.65:
                age, age_on = (
                    rng.choice([13, 14, 15, 16, 17, *range(18, 70)]),
                    out.day(days[rng.randrange(len(days))]),
                )
            if pk > 1000 and rng.random() < 0.01:
                target = rng.randrange(1, 1000)
                merged_into[pk] = target
            person_rows.append(
                (
                    pk,
                    confidentiality(),
                    verification(),
                    rng.choice(["female", "male", "unknown"]),
                    birth_on,
                    birth_precision,
                    age,
                    age_on,
                    merged_into.get(pk),
                )
            )
        out.insert(
            Person,
            [
                "id",
                "confidentiality",
                "verification",
                "gender",
                "birth_on",
                "birth_precision",
                "reported_age",
                "age_reported_on",
                "merged_into_id",
            ],
            person_rows,
        )
        out.insert(
            NameVariant,
            ["person_id", "text", "script", "kind", "is_primary", "match_key"],
            (
                (pk, f"Synthetic person {pk}", "latn", "birth", True, f"synthetic person {pk}")
                for pk in range(1, people + 1)
            ),
        )

        _log("detentions and status observations")
        release_kind = _weighted(
            rng,
            {
                terms[("release_kind", code)]: weight
                for code, weight in {
                    "bail": 50,
                    "released_without_charge": 20,
                    "pardon": 10,
                    "sentence_served": 10,
                    "released_unknown": 8,
                    "died_in_custody": 2,
                }.items()
            },
        )
        status = _weighted(
            rng,
            {
                terms[("custody_status", code)]: weight
                for code, weight in {
                    "incommunicado": 20,
                    "whereabouts_unknown": 15,
                    "solitary_confinement": 15,
                    "hunger_strike": 8,
                    "no_lawyer": 15,
                    "no_family_contact": 10,
                    "held_in_facility": 10,
                    "torture_reported": 4,
                    "denied_medical_care": 3,
                }.items()
            },
        )
        detention_rows, status_rows, arrests = [], [], {}
        for pk in range(1, sizes["detentions"] + 1):
            person = pk if pk <= people else rng.randrange(1, people + 1)
            arrested_on, arrested_precision = fuzzy_day()
            roll = rng.random()
            place = rng.choice(cities) if roll < 0.75 else rng.choice(provinces) if roll < 0.85 else None
            facility = rng.choice(facilities) if place is None or rng.random() < 0.5 else None
            released_on, released_precision, kind = None, "unknown", None
            base = (
                dt.date.fromisoformat(str(arrested_on))
                if arrested_on and arrested_precision == "day"
                else None
            )
            if rng.random() < 0.45:
                kind = release_kind()
                if base is not None:
                    released_on, released_precision = (
                        out.day(min(base + dt.timedelta(days=rng.randint(1, 40)), END)),
                        "day",
                    )
            arrests[pk] = (person, base)
            detention_rows.append(
                (
                    pk,
                    confidentiality(),
                    verification(),
                    person,
                    arrested_on,
                    arrested_precision,
                    place,
                    facility,
                    released_on,
                    released_precision,
                    kind,
                )
            )
            for _n in range(rng.choice([0, 1, 1, 2, 2, 3])):
                started = base + dt.timedelta(days=rng.randint(0, 10)) if base else None
                ended = (
                    started + dt.timedelta(days=rng.randint(1, 30))
                    if started and rng.random() < 0.5
                    else None
                )
                status_rows.append(
                    (
                        confidentiality(),
                        verification(),
                        pk,
                        status(),
                        out.day(min(started, END)) if started else None,
                        "day" if started else "unknown",
                        out.day(min(ended, END)) if ended else None,
                        "day" if ended else "unknown",
                    )
                )
        out.insert(
            Detention,
            [
                "id",
                "confidentiality",
                "verification",
                "person_id",
                "arrested_on",
                "arrested_precision",
                "arrest_place_id",
                "facility_id",
                "released_on",
                "released_precision",
                "release_kind_id",
            ],
            detention_rows,
        )
        out.insert(
            StatusObservation,
            [
                "confidentiality",
                "verification",
                "detention_id",
                "status_id",
                "started_on",
                "started_precision",
                "ended_on",
                "ended_precision",
            ],
            status_rows,
        )
        del detention_rows, status_rows

        _log("cases, sentences, executions")
        sentence_kind = _weighted(
            rng,
            {
                terms[("sentence_kind", code)]: weight
                for code, weight in {
                    "prison": 60,
                    "lashes": 10,
                    "fine": 8,
                    "travel_ban": 7,
                    "exile": 5,
                    "death": 5,
                    "suspended": 5,
                }.items()
            },
        )
        death = terms[("sentence_kind", "death")]
        case_rows, sentence_rows, condemned = [], [], []
        for pk in range(1, sizes["cases"] + 1):
            detention = rng.randrange(1, sizes["detentions"] + 1)
            person, base = arrests[detention]
            case_rows.append((pk, confidentiality(), verification(), person, detention, "verdict"))
            for _n in range(rng.choice([1, 1, 2])):
                kind = sentence_kind()
                issued = min(base + dt.timedelta(days=rng.randint(20, 80)), END) if base else None
                sentence_rows.append(
                    (
                        confidentiality(),
                        verification(),
                        pk,
                        kind,
                        "verdict",
                        out.day(issued),
                        "day" if issued else "unknown",
                        rng.randint(6, 120) if kind == terms[("sentence_kind", "prison")] else None,
                    )
                )
                if kind == death and issued is not None:
                    condemned.append((person, pk, issued))
        out.insert(
            Case, ["id", "confidentiality", "verification", "person_id", "detention_id", "stage"], case_rows
        )
        out.insert(
            Sentence,
            [
                "confidentiality",
                "verification",
                "case_id",
                "kind_id",
                "stage",
                "issued_on",
                "issued_precision",
                "prison_months",
            ],
            sentence_rows,
        )
        executed: set[int] = set()
        execution_rows: list[tuple[object, ...]] = []
        for person, case, issued in condemned:
            if person in executed or len(execution_rows) >= sizes["executions"]:
                continue
            executed.add(person)
            execution_rows.append(
                (
                    confidentiality(),
                    verification(),
                    person,
                    case,
                    out.day(min(issued + dt.timedelta(days=30), END)),
                    "day",
                    rng.choice(facilities),
                )
            )
        out.insert(
            Execution,
            [
                "confidentiality",
                "verification",
                "person_id",
                "case_id",
                "executed_on",
                "executed_precision",
                "facility_id",
            ],
            execution_rows,
        )

        _log("casualties")
        killed = rng.sample(
            [pk for pk in range(1, people + 1) if pk not in executed], sizes["casualties"] * 3 // 10
        )
        casualty_rows = []
        for index in range(sizes["casualties"]):
            kind = "killed" if index < len(killed) else "injured"
            person = killed[index] if kind == "killed" else rng.randrange(1, people + 1)
            occurred_on, occurred_precision = fuzzy_day()
            casualty_rows.append(
                (
                    confidentiality(),
                    verification(),
                    person,
                    kind,
                    occurred_on,
                    occurred_precision,
                    rng.choice(cities) if rng.random() < 0.9 else None,
                    False,
                    rng.randint(9, 60) if rng.random() < 0.2 else None,
                )
            )
        out.insert(
            Casualty,
            [
                "confidentiality",
                "verification",
                "person_id",
                "kind",
                "occurred_on",
                "occurred_precision",
                "place_id",
                "in_custody",
                "age_reported",
            ],
            casualty_rows,
        )

        _log("events")
        kind = _weighted(
            rng,
            {
                terms[("event_kind", code)]: weight
                for code, weight in {
                    "protest": 55,
                    "strike": 15,
                    "general_strike": 3,
                    "student_protest": 10,
                    "funeral": 5,
                    "memorial": 4,
                    "raid": 3,
                    "mass_arrest": 3,
                    "attack": 2,
                }.items()
            },
        )
        student = terms[("event_kind", "student_protest")]
        # Big cities see more: weight each city by a fixed random size.
        city_weights = list(itertools.accumulate(rng.paretovariate(1.2) for _city in cities))

        def events() -> Iterator[tuple[Any, ...]]:
            for pk in range(1, sizes["events"] + 1):
                event_kind = kind()
                started_on, started_precision = fuzzy_day()
                university, place = None, rng.choices(cities, cum_weights=city_weights)[0]
                if event_kind == student and universities:
                    university, place = rng.choice(universities)
                yield (
                    pk,
                    confidentiality(),
                    verification(),
                    event_kind,
                    f"Synthetic event {pk}",
                    started_on,
                    started_precision,
                    place,
                    university,
                )

        out.insert(
            Event,
            [
                "id",
                "confidentiality",
                "verification",
                "kind_id",
                "title_en",
                "started_on",
                "started_precision",
                "place_id",
                "university_id",
            ],
            events(),
        )

        _log("sources and reported figures")
        hrana = Organization.objects.filter(acronym="HRANA").values_list("id", flat=True).first()
        source_rows = [
            (
                pk,
                "public",
                "reported",
                terms[("source_kind", "ngo_report")],
                f"Synthetic source {pk}",
                hrana,
                out.day(END),
                "fa",
                reliability,
                "2",
            )
            for pk, reliability in enumerate(["A", "B", "B", "C", "F"], start=1)
        ]
        out.insert(
            Source,
            [
                "id",
                "confidentiality",
                "verification",
                "kind_id",
                "title",
                "publisher_id",
                "published_on",
                "language",
                "reliability",
                "credibility",
            ],
            source_rows,
        )
        metrics = [pk for (vocabulary, _code), pk in terms.items() if vocabulary == "metric"]
        figure_rows = []
        for _n in range(sizes["figures"]):
            period_end = days[rng.randrange(len(days))]
            figure_rows.append(
                (
                    "public",
                    "reported",
                    rng.randint(1, 5),
                    rng.choice(metrics),
                    "at_least",
                    rng.randint(10, 30000),
                    out.day(period_end),
                    out.day(START),
                    out.day(period_end),
                    country if rng.random() < 0.3 else rng.choice(provinces),
                )
            )
        out.insert(
            ReportedFigure,
            [
                "confidentiality",
                "verification",
                "source_id",
                "metric_id",
                "qualifier",
                "value",
                "published_on",
                "period_start",
                "period_end",
                "place_id",
            ],
            figure_rows,
        )

        _log("history rows")
        models = [
            Person,
            NameVariant,
            Detention,
            StatusObservation,
            Case,
            Sentence,
            Execution,
            Casualty,
            Event,
            Source,
            ReportedFigure,
        ]
        for model in models:
            out.history(model)
        out.reset_sequences(*models)


# Measuring ---------------------------------------------------------------------------------------------


class _Clock:
    """Wall time, and the CPU time of the work itself (SQLite: this process; PostgreSQL: the server process
    of this connection and this process, parallel workers left out), which the load of other programs on a
    shared machine does not inflate."""

    def __init__(self) -> None:
        from django.db import connection

        self.backend: int | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = int(cursor.fetchone()[0])

    def cpu(self) -> float:
        used = time.process_time()
        if self.backend is not None:
            fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def median(self, function: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
        """Median wall and CPU seconds of ``runs`` calls, after one warm-up call (caches, plans)."""
        result = function()
        walls, cpus = [], []
        for _run in range(runs):
            wall, cpu = time.perf_counter(), self.cpu()
            result = function()
            walls.append(time.perf_counter() - wall)
            cpus.append(self.cpu() - cpu)
        return [statistics.median(walls), statistics.median(cpus)], result


def _measure(runs: int) -> dict[str, list[float]]:
    from vigil.accounts.models import User
    from vigil.reports.dialect import report_session
    from vigil.reports.scope import scope_resolve
    from vigil.reports.selectors import report_as_of

    administrator = User(username="benchmark", is_staff=True, is_superuser=True, is_active=True)
    tehran = scope_resolve("ir-tehran")
    clock = _Clock()
    timings: dict[str, list[float]] = {}
    _log("measuring")
    timings["full national report"], report = clock.median(
        lambda: report_as_of(as_of=AS_OF, viewer=administrator), runs
    )

    def floor() -> dict[str, Any]:
        with report_session():  # the same session settings as the report's
            return _floor()

    timings["floor: hand-written SQL"], counts = clock.median(floor, runs)
    _check_floor(report, counts)
    timings["named counts from the facts (no summary)"], from_facts = clock.median(
        lambda: _named_from_facts(administrator), 1
    )
    _check_summary(report, from_facts, administrator)
    timings["province report (Tehran)"], _report = clock.median(
        lambda: report_as_of(as_of=AS_OF, viewer=administrator, scope=tehran), runs
    )
    timings["public national report"], public = clock.median(
        lambda: report_as_of(as_of=AS_OF, viewer=None), runs
    )
    _check_summary(public, _named_from_facts(None), None)
    timings["national report as known on a past day"], _report = clock.median(
        lambda: report_as_of(as_of=AS_OF, viewer=administrator, known_at=_recorded_moment()), 1
    )
    return timings


def _recorded_moment() -> dt.datetime:
    """A moment after the synthetic record was written, so that the history tables are what is read."""
    from django.utils import timezone

    return timezone.now() - dt.timedelta(seconds=1)


# The floor: hand-written SQL for the national counts of this record (live tables, no confidentiality
# filter: an administrator's report). Dates are compared with precomputed bounds, as a person writing the
# query for this one date would.


def _floor() -> dict[str, Any]:
    from django.db import connection

    from vigil.core.models import Term
    from vigil.reports.ages import minor_on
    from vigil.reports.dialect import Dialect
    from vigil.reports.timeframe import certainly_by_bound

    dialect = Dialect()
    ids = {(v, c): pk for pk, v, c in Term.objects.values_list("id", "vocabulary", "code")}
    adapt = connection.ops.adapt_datefield_value
    params = {
        "as_of": adapt(AS_OF),
        "next": adapt(AS_OF + dt.timedelta(days=1)),
        "days_from": adapt(AS_OF - dt.timedelta(days=59)),
    }
    for precision in ("month", "year", "jmonth", "jyear"):
        params[precision] = adapt(certainly_by_bound(AS_OF, precision))
    as_of = dialect.date_param("as_of")

    def by(alias: str, prefix: str) -> str:
        on = f"{alias}.{prefix}_on"
        return (
            f"({on} IS NULL OR {on} < CASE {alias}.{prefix}_precision WHEN 'month' THEN {dialect.date_param('month')} "
            f"WHEN 'year' THEN {dialect.date_param('year')} WHEN 'jmonth' THEN {dialect.date_param('jmonth')} "
            f"WHEN 'jyear' THEN {dialect.date_param('jyear')} ELSE {dialect.date_param('next')} END)"
        )

    rank = "CASE {a}.verification WHEN 'verified' THEN 3 WHEN 'corroborated' THEN 2 WHEN 'reported' THEN 1 ELSE 0 END"
    key = "COALESCE(pm.merged_into_id, p.merged_into_id, p.id)"
    people = "JOIN people_person p ON p.id = {col} LEFT JOIN people_person pm ON pm.id = p.merged_into_id"
    ended = f"((d.released_on IS NULL AND d.release_kind_id IS NOT NULL) OR (d.released_on IS NOT NULL AND d.released_on <= {as_of}))"
    not_release = f"({ids[('release_kind', 'executed')]}, {ids[('release_kind', 'died_in_custody')]})"
    arrest_minor = minor_on(dialect, "p", f"COALESCE(d.arrested_on, {as_of})")

    def tallies(
        source: str, where: str, alias: str, columns: list[tuple[str, str, str]]
    ) -> dict[str, list[int]]:
        inner = ", ".join(
            f"MAX(CASE WHEN {cond} THEN {rank.format(a=alias)} END) c{i}, "
            f"MAX(CASE WHEN ({cond}) AND {minor} THEN {rank.format(a=alias)} END) m{i}"
            for i, (_code, cond, minor) in enumerate(columns)
        )
        outer = ", ".join(
            f"COUNT(CASE WHEN {c}{i} >= 1 THEN 1 END), COUNT(CASE WHEN {c}{i} = 3 THEN 1 END), "
            f"COUNT(CASE WHEN {c}{i} = 2 THEN 1 END), COUNT(CASE WHEN {c}{i} = 1 THEN 1 END), "
            f"COUNT(CASE WHEN {c}{i} = 0 THEN 1 END)"
            for i in range(len(columns))
            for c in ("c", "m")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {outer} FROM (SELECT {inner} FROM {source} WHERE {where} GROUP BY {key}) x", params
            )
            row = cursor.fetchone()
        return {code: [int(v) for v in row[i * 10 : i * 10 + 10]] for i, (code, _c, _m) in enumerate(columns)}

    alive = "{a}.verification <> 'retracted' AND p.verification <> 'retracted'"
    counts: dict[str, list[int]] = {}
    counts |= tallies(
        f"custody_detention d {people.format(col='d.person_id')}",
        alive.format(a="d"),
        "d",
        [
            ("arrested", by("d", "arrested"), arrest_minor),
            ("detained", f"{by('d', 'arrested')} AND NOT {ended}", arrest_minor),
            (
                "released",
                f"((d.released_on IS NULL AND d.release_kind_id IS NOT NULL) OR (d.released_on IS NOT NULL AND {by('d', 'released')})) "
                f"AND (d.release_kind_id IS NULL OR d.release_kind_id NOT IN {not_release})",
                arrest_minor,
            ),
        ],
    )
    statuses = {
        code: ids[("custody_status", code)]
        for code in ("whereabouts_unknown", "incommunicado", "solitary_confinement", "hunger_strike")
    }
    counts |= tallies(
        f"custody_statusobservation s JOIN custody_detention d ON d.id = s.detention_id {people.format(col='d.person_id')}",
        f"s.verification <> 'retracted' AND {alive.format(a='d')} AND s.status_id IN ({','.join(map(str, statuses.values()))}) "
        f"AND {by('d', 'arrested')} AND NOT {ended} AND {by('s', 'started')} AND NOT (s.ended_on IS NOT NULL AND s.ended_on <= {as_of})",
        "s",
        [(code, f"s.status_id = {pk}", arrest_minor) for code, pk in statuses.items()],
    )
    sentence_minor = minor_on(dialect, "p", f"COALESCE(d.arrested_on, sn.issued_on, {as_of})")
    kinds = list(Term.objects.filter(vocabulary="sentence_kind").order_by("id").values_list("code", "id"))
    counts |= tallies(
        f"custody_sentence sn JOIN custody_case cs ON cs.id = sn.case_id {people.format(col='cs.person_id')} "
        "LEFT JOIN custody_detention d ON d.id = cs.detention_id",
        f"sn.verification <> 'retracted' AND cs.verification <> 'retracted' AND p.verification <> 'retracted' AND {by('sn', 'issued')}",
        "sn",
        [
            ("sentenced", "TRUE", sentence_minor),
            ("sentenced_to_death", f"sn.kind_id = {ids[('sentence_kind', 'death')]}", sentence_minor),
        ]
        + [(f"sentence:{code}", f"sn.kind_id = {pk}", sentence_minor) for code, pk in kinds],
    )
    counts |= tallies(
        f"custody_execution x {people.format(col='x.person_id')} LEFT JOIN custody_case cs ON cs.id = x.case_id "
        "LEFT JOIN custody_detention d ON d.id = cs.detention_id",
        f"{alive.format(a='x')} AND {by('x', 'executed')}",
        "x",
        [("executed", "TRUE", minor_on(dialect, "p", f"COALESCE(d.arrested_on, x.executed_on, {as_of})"))],
    )
    casualty_minor = f"(CASE WHEN c.age_reported IS NOT NULL THEN c.age_reported < 18 ELSE {minor_on(dialect, 'p', f'COALESCE(c.occurred_on, {as_of})')} END)"
    counts |= tallies(
        f"events_casualty c {people.format(col='c.person_id')}",
        f"{alive.format(a='c')} AND {by('c', 'occurred')}",
        "c",
        [("killed", "c.kind = 'killed'", casualty_minor), ("injured", "c.kind = 'injured'", casualty_minor)],
    )

    groups = {
        ids[("event_kind", "protest")]: "protests",
        ids[("event_kind", "student_protest")]: "protests",
        ids[("event_kind", "strike")]: "strikes",
        ids[("event_kind", "general_strike")]: "strikes",
    }
    event_where = f"e.kind_id IN ({','.join(map(str, groups))}) AND e.verification NOT IN ('retracted', 'disputed') AND {by('e', 'started')}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.kind_id, CASE WHEN pl.kind = 'province' THEN pl.id ELSE pl.parent_id END, COUNT(*), "
            "COUNT(DISTINCT CASE WHEN pl.kind = 'city' THEN pl.id END), COUNT(DISTINCT e.university_id) "
            f"FROM events_event e LEFT JOIN places_place pl ON pl.id = e.place_id WHERE {event_where} "
            "GROUP BY e.kind_id, CASE WHEN pl.kind = 'province' THEN pl.id ELSE pl.parent_id END",
            params,
        )
        by_province = cursor.fetchall()
        cursor.execute(
            f"SELECT e.started_on, e.kind_id, COUNT(*) FROM events_event e WHERE {event_where} "
            "AND e.started_precision = 'day' AND e.started_on >= %(days_from)s GROUP BY e.started_on, e.kind_id",
            params,
        )
        by_day = cursor.fetchall()
    events = {"protests": 0, "strikes": 0}
    provinces: set[int] = set()
    for kind_id, province, count, _cities, _universities in by_province:
        events[groups[kind_id]] += count
        if province is not None:
            provinces.add(province)
    return {
        "counts": counts,
        "events": events,
        "provinces": len(provinces),
        "days": len({row[0] for row in by_day}),
    }


def _named_from_facts(viewer: Any) -> Any:
    """The national named counts and list counted from the facts, as the report does without a summary."""
    from vigil.reports.dialect import report_session
    from vigil.reports.named import NamedQueries, named_overview
    from vigil.reports.scope import scope_country
    from vigil.reports.timeframe import Frame
    from vigil.reports.visibility import visibility_for

    with report_session():
        queries = NamedQueries(Frame(as_of=AS_OF), scope_country(), visibility_for(viewer))
        return named_overview(queries, list_limit=50)


def _timeline_from_facts(viewer: Any, days_from: dt.date) -> dict[str, dict[dt.date, int]]:
    """The people arrested and killed per day counted from the facts, as the report does without a summary."""
    from vigil.reports.dialect import report_session
    from vigil.reports.named import NamedQueries
    from vigil.reports.scope import scope_country
    from vigil.reports.timeframe import Frame
    from vigil.reports.timeline import people_per_day
    from vigil.reports.visibility import visibility_for

    with report_session():
        queries = NamedQueries(Frame(as_of=AS_OF), scope_country(), visibility_for(viewer))
        return people_per_day(queries, days_from=days_from)


def _check_summary(report: Any, from_facts: Any, viewer: Any) -> None:
    """The summary the report read gives what counting the facts gives: every count, the list's order, the
    people arrested and killed per day."""
    from vigil.reports.summary import DAY_ARRESTED, DAY_KILLED

    per_day = _timeline_from_facts(viewer, report.timeline[0].day if report.timeline else AS_OF)
    for category, series in ((DAY_ARRESTED, "arrests"), (DAY_KILLED, "killings")):
        read = {day.day: getattr(day, series) for day in report.timeline if getattr(day, series)}
        if read != per_day[category]:
            raise SystemExit(f"the summary and the facts disagree on the {series} per day")
    if report.named != from_facts.counts:
        raise SystemExit("the summary and the facts disagree on the named counts")
    if [
        entry.id for entry in report.people.entries
    ] != from_facts.listed or report.people.total != from_facts.people:
        raise SystemExit("the summary and the facts disagree on the people listed")


def _check_floor(report: Any, floor: dict[str, Any]) -> None:
    """The floor computes the same numbers as the report, or the comparison means nothing."""
    for count in report.named:
        people, minors = count.people, count.minors
        expected = floor["counts"][count.code]
        got = [people.total, *people.by_level.values(), minors.total, *minors.by_level.values()]
        if got != expected:
            raise SystemExit(f"floor and report disagree on {count.code}: {expected} != {got}")
    events = report.events
    if (events.protests, events.strikes, events.provinces_reached) != (
        floor["events"]["protests"], floor["events"]["strikes"], floor["provinces"]
    ):  # fmt: skip
        raise SystemExit(f"floor and report disagree on events: {floor['events']} {floor['provinces']}")


if __name__ == "__main__":
    main()
