"""Import throughput: generated rows (a person with a detention and a status each) imported from CSV with
validation and duplicate checking, against the floor of bulk-inserting the same rows with no checks.

    nice .venv/bin/python benchmarks/import.py                     # 100,000 rows, SQLite then PostgreSQL
    nice .venv/bin/python benchmarks/import.py --rows 2000 --database sqlite

SQLite runs in a temporary file; PostgreSQL in the database ``vigil_bench_import`` (or
``BENCH_IMPORT_DATABASE``; dropped and created again), at ``BENCH_POSTGRES_URL`` or
postgres://postgres@127.0.0.1:5432. Both with the development settings, DEBUG off. Each database runs in its own
process (settings are read once per process). Prints rows/s of both paths and their ratio.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_IMPORT_DATABASE", "vigil_bench_import")
FIRST = [
    "Ali",
    "Reza",
    "Sara",
    "Maryam",
    "Hossein",
    "Zahra",
    "Mohammad",
    "Fatemeh",
    "Amir",
    "Narges",
    "Mehdi",
]
FIRST_FA = ["علی", "رضا", "سارا", "مریم", "حسین", "زهرا", "محمد", "فاطمه", "امیر", "نرگس", "مهدی"]
CITIES = [
    "Tehran",
    "Mashhad",
    "Isfahan",
    "Karaj",
    "Shiraz",
    "Tabriz",
    "Rasht",
    "Kermanshah",
    "Zahedan",
    "Sanandaj",
]
PRISONS = ["Evin", "Qezel Hesar", "Vakilabad", "Dastgerd", "Adelabad"]
STATUSES = ["incommunicado", "no_lawyer", "solitary_confinement", "hunger_strike", "whereabouts_unknown"]
HEADER = [
    "id",
    "name_fa",
    "name_en",
    "gender",
    "age",
    "arrested",
    "city",
    "prison",
    "status",
    "since",
    "link",
]
MAPPING = {
    "id": "external_id", "name_fa": "name", "name_en": "name", "gender": "gender", "age": "age",
    "arrested": "arrested_on", "city": "arrest_place", "prison": "facility", "status": "status",
    "since": "status_since", "link": "source_url",
}  # fmt: skip


# Synthetic family names: syllables whose consonants are written alike in both scripts, taken in turn from
# two sets (so no consonant is doubled, which the matcher would read as one). A name's syllables spell a
# number in base 9 with a check syllable, so two family names differ in at least two consonants: distinct
# people, as the matcher sees them (it ignores digits, so "Ali Number12" and "Ali Number13" would be one).
SYLLABLES = (
    [("ba", "ب"), ("pa", "پ"), ("ta", "ت"), ("ja", "ج"), ("cha", "چ"), ("kha", "خ"), ("da", "د"), ("ra", "ر"), ("za", "ز")],
    [("sa", "س"), ("sha", "ش"), ("fa", "ف"), ("gha", "ق"), ("ka", "ک"), ("ga", "گ"), ("la", "ل"), ("ma", "م"), ("na", "ن")],
)  # fmt: skip
FAMILY_NAMES = 9**5


def family_name(number: int) -> tuple[str, str]:
    """The ``number``-th synthetic family name (of ``FAMILY_NAMES``), in Latin and Persian script."""
    digits = []
    for _place in range(5):
        number, digit = divmod(number, 9)
        digits.append(digit)
    digits.append(sum(digits) % 9)
    syllables = [SYLLABLES[place % 2][digit] for place, digit in enumerate(digits)]
    return "".join(latin for latin, _fa in syllables).capitalize(), "".join(fa for _latin, fa in syllables)


def generate(path: Path, rows: int, seed: int = 1404) -> None:
    """Distinct people (each with a family name of their own), dates in both calendars and both digits."""
    rng = random.Random(seed)
    start = dt.date(2025, 12, 28)
    people = rng.sample(range(len(FIRST) * FAMILY_NAMES), rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            first, family = divmod(people[n], FAMILY_NAMES)
            family_en, family_fa = family_name(family)
            arrested = start + dt.timedelta(days=rng.randrange(40))
            since = arrested + dt.timedelta(days=rng.randrange(3))
            writer.writerow(
                [
                    n, f"{FIRST_FA[first]} {family_fa}", f"{FIRST[first]} {family_en}", rng.choice(["male", "female"]),
                    rng.choice([str(rng.randrange(14, 70)), f"{rng.randrange(14, 70)} years", ""]),
                    arrested.isoformat(), rng.choice(CITIES), rng.choice(PRISONS), rng.choice(STATUSES),
                    since.isoformat(), f"https://t.me/bench/{n // 10}",
                ]
            )  # fmt: skip


def worker(database_url: str, csv_path: Path, rows: int) -> None:
    """Run in a process of its own: migrate, load reference data, import, then the bulk floor."""
    if database_url.startswith("sqlite:"):
        # The project's own SQLite settings (WAL, immediate transactions), in a temporary folder.
        os.environ["VIGIL_DATA_DIR"] = database_url.removeprefix("sqlite:")
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As deployed, without DEBUG: with it, Django logs every query, and on SQLite quotes every parameter
    # of it with one more query (a development server's cost, which the floor's inserts paid most).
    settings.DEBUG = False

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    from vigil.accounts.actors import system_actor
    from vigil.exchange.services import MappingSpec, batch_import, batch_open, mapping_save

    actor = system_actor()
    mapping = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="bench", target="detentions", columns=MAPPING, values={}, external_namespace="bench",
            defaults={"source_kind": "social_post"},
        ),
    )  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    counts = batch_import(batch_open(mapping=mapping, path=csv_path, actor=actor), actor=actor)
    checked, cpu = time.perf_counter() - started, time.process_time() - cpu
    floor = bulk_floor(csv_path)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"{engine}: {rows} rows")
    print(
        f"  import (scan, validation, duplicates, services): {checked:8.1f} s  {rows / checked:10,.0f} rows/s  {counts}"
    )
    # This process's own CPU time: on SQLite, all of the import's work; on PostgreSQL, all but the server's.
    print(f"  import CPU time of this process: {cpu:8.1f} s  {rows / cpu:10,.0f} rows per CPU-second")
    print(f"  floor (bulk inserts, no checks):                 {floor:8.1f} s  {rows / floor:10,.0f} rows/s")
    print(f"  ratio import/floor: {checked / floor:,.1f}x (target: within 5x; >= 2,000 rows/s on SQLite)")


def bulk_floor(csv_path: Path) -> float:
    """The same rows as a person, two names, a detention and a status each, bulk-inserted unchecked."""
    from vigil.core.models import Term
    from vigil.core.text import detect_script, fold_name
    from vigil.custody.models import Detention, StatusObservation
    from vigil.people.models import NameVariant, Person

    statuses = {term.code: term for term in Term.objects.filter(vocabulary="custody_status")}

    def insert(rows: list[dict[str, str]]) -> None:
        people = Person.objects.bulk_create([Person(gender=row["gender"]) for row in rows])
        NameVariant.objects.bulk_create(
            [
                NameVariant(person=person, text=text, script=detect_script(text), match_key=fold_name(text))
                for person, row in zip(people, rows, strict=True)
                for text in (row["name_fa"], row["name_en"])
            ]
        )
        detentions = Detention.objects.bulk_create(
            [
                Detention(
                    person=person,
                    arrested_on=dt.date.fromisoformat(row["arrested"]),
                    arrested_precision="day",
                )
                for person, row in zip(people, rows, strict=True)
            ]
        )
        StatusObservation.objects.bulk_create(
            [
                StatusObservation(
                    detention=detention,
                    status=statuses[row["status"]],
                    started_on=dt.date.fromisoformat(row["since"]),
                    started_precision="day",
                )
                for detention, row in zip(detentions, rows, strict=True)
            ]
        )

    started = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        batch: list[dict[str, str]] = []
        for row in csv.DictReader(handle):
            batch.append(row)
            if len(batch) == 1000:
                insert(batch)
                batch = []
        if batch:
            insert(batch)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.csv, args.rows)
        return
    with tempfile.TemporaryDirectory(prefix="vigil-bench-import-") as folder:
        csv_path = Path(folder) / "people.csv"
        generate(csv_path, args.rows)
        print(f"Generated {args.rows} rows ({csv_path.stat().st_size / 1e6:.1f} MB)")
        urls = []
        if args.database in ("sqlite", "both"):
            urls.append(f"sqlite:{folder}")
        if args.database in ("postgres", "both"):
            import psycopg

            with psycopg.connect(
                f"{POSTGRES.replace('postgres://', 'postgresql://', 1)}/postgres", autocommit=True
            ) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
                conn.execute(f"CREATE DATABASE {DATABASE}")
            urls.append(f"{POSTGRES}/{DATABASE}")
        for url in urls:
            command = [
                sys.executable,
                __file__,
                "--worker",
                url,
                "--csv",
                str(csv_path),
                "--rows",
                str(args.rows),
            ]
            subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603


if __name__ == "__main__":
    main()
