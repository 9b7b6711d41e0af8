"""Serving speed of the public site and API: gunicorn on loopback, 10,000 public profiles, ``wrk``.

    nice python benchmarks/serve.py [--people 10000] [--duration 30] [--connections 32] [--workers 3]

Builds a fresh SQLite database in a temporary directory (reference data, then the people in bulk: the data
is the setting, not what is measured), starts gunicorn with ``benchmarks.serve_wsgi``, and runs ``wrk`` for
``--duration`` seconds at fixed concurrency against each target:

- the floor: a static file answered by the same server without entering Django;
- a profile page, cached (one profile, as when a campaign sends readers to one prisoner), and uncached
  (every request a different profile out of the 10,000);
- the directory, cached (first page) and uncached (a different page of 50 each time);
- the search API (``/api/v1/search``, never cached), with names from the data in either script.

Prints a Markdown table (requests/s, p50, p99, errors) for ``benchmarks/serve.md``. Needs ``wrk`` (Debian
package ``wrk``) and gunicorn (``pip install -e .[bench]``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS, TARGET_P99_MS = 500, 50.0


@dataclass(frozen=True)
class Result:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _setup_django(data_dir: Path) -> None:
    os.environ["VIGIL_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.serve_settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_data(people: int, seed: int = 7) -> list[int]:
    """Migrate, load the reference data, and add ``people`` public people in bulk: names in both scripts,
    most detained (some incommunicado), some released, each citing one public source. Returns their ids."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    from benchmarks.matching.names import FAMILY, FEMALE, MALE
    from vigil.accounts.actors import system_actor
    from vigil.core.models import Term
    from vigil.custody.models import Detention, StatusObservation
    from vigil.people.models import NameVariant, Person
    from vigil.places.models import Facility, Place
    from vigil.search.keys import index_lines
    from vigil.search.models import SearchEntry
    from vigil.sources.models import Citation
    from vigil.sources.services import source_create

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    rng = random.Random(seed)
    facilities = list(Facility.objects.exclude(kind=Facility.Kind.WARD))
    cities = list(Place.objects.filter(kind=Place.Kind.CITY))
    incommunicado = Term.objects.get(vocabulary="custody_status", code="incommunicado")
    bail = Term.objects.get(vocabulary="release_kind", code="bail")
    start = dt.date(2025, 12, 28)
    with transaction.atomic():
        source = source_create(
            actor=system_actor(),
            reason="Benchmark",
            kind="ngo_report",
            title="Benchmark source",
            confidentiality="public",
        )
        persons = Person.objects.bulk_create(
            Person(
                confidentiality="public",
                gender=rng.choice(["female", "male"]),
                summary_en="Arrested during the protests.",
                summary_fa="در جریان اعتراض‌ها بازداشت شد.",
            )
            for _ in range(people)
        )
        names: list[NameVariant] = []
        entries: list[SearchEntry] = []
        detentions: list[Detention] = []
        for person in persons:
            given = rng.choice(FEMALE if person.gender == "female" else MALE)
            family = rng.choice(FAMILY)
            texts = [f"{given.persian[0]} {family.persian[0]}", f"{given.latin[0]} {family.latin[0]}"]
            for text in texts:
                variant = NameVariant(person=person, text=text, is_primary=True)
                variant.clean()  # derives the script and match key, as a save would
                names.append(variant)
            folded, skeleton = index_lines(texts)
            entries.append(SearchEntry(kind="person", person=person, folded=folded, skeleton=skeleton))
            arrested = start + dt.timedelta(days=rng.randrange(12))
            released = rng.random() < 0.2
            detentions.append(
                Detention(
                    person=person,
                    confidentiality="public",
                    arrested_on=arrested,
                    arrested_precision="day",
                    arrest_place=rng.choice(cities),
                    facility=rng.choice(facilities),
                    released_on=arrested + dt.timedelta(days=5) if released else None,
                    released_precision="day" if released else "unknown",
                    release_kind=bail if released else None,
                )
            )
        NameVariant.objects.bulk_create(names, batch_size=2000)
        SearchEntry.objects.bulk_create(entries, batch_size=2000)
        Detention.objects.bulk_create(detentions, batch_size=2000)
        StatusObservation.objects.bulk_create(
            (
                StatusObservation(
                    detention=d,
                    status=incommunicado,
                    confidentiality="public",
                    started_on=d.arrested_on,
                    started_precision="day",
                )
                for d in detentions
                if d.released_on is None and rng.random() < 0.3
            ),
            batch_size=2000,
        )
        person_type = ContentType.objects.get_for_model(Person)
        Citation.objects.bulk_create(
            (Citation(source=source, content_type=person_type, object_id=p.pk) for p in persons),
            batch_size=2000,
        )
    return [p.pk for p in persons]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer {url} within {seconds} s.")


def _milliseconds(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _lua_rotating(paths: list[str], directory: Path, name: str) -> Path:
    """A wrk script requesting ``paths`` in turn (so that no two requests in a row hit the same cache key)."""
    script = directory / f"{name}.lua"
    quoted = ",\n".join(f'  "{quote(path, safe="/?=&")}"' for path in paths)
    script.write_text(
        "local paths = {\n" + quoted + "\n}\nlocal i = 0\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def run_wrk(
    base: str, name: str, path: str, *, duration: int, connections: int, script: Path | None = None
) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _milliseconds(re.search(r"50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _milliseconds(re.search(r"99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    if socket := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(n) for n in socket.groups())
    return Result(name, path, rps, p50, p99, total, errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=30, help="Seconds of wrk per target.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
    parser.add_argument(
        "--threads", type=int, default=1, help="Threads per worker (more than 1: gthread workers)."
    )
    parser.add_argument("--port", type=int, default=8923)
    parser.add_argument(
        "--only", default="", help="Run only the targets whose names start with one of these (;-separated)."
    )
    args = parser.parse_args()
    for tool in ("wrk", "gunicorn"):
        if shutil.which(tool) is None and not (Path(sys.executable).parent / tool).exists():
            sys.exit(f"{tool} is missing: apt-get install wrk; pip install -e .[bench]")

    work = Path(tempfile.mkdtemp(prefix="vigil-serve-bench-"))
    _setup_django(work)
    started = time.monotonic()
    ids = build_data(args.people)
    print(f"Built {len(ids)} public profiles in {time.monotonic() - started:.0f} s ({work}).", flush=True)
    floor = work / "floor.txt"
    floor.write_text("Vigil floor: a static file answered by gunicorn without Django.\n" * 40)

    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    env = {**os.environ, "VIGIL_BENCH_FLOOR": str(floor), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(  # noqa: S603
        [
            gunicorn,
            "benchmarks.serve_wsgi:application",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--access-logfile",
            "-" if os.environ.get("VIGIL_BENCH_LOG") else "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        _wait_for(base + "/floor.txt")
        rng = random.Random(11)
        one = ids[len(ids) // 2]
        for _ in range(args.workers * 4):  # warm every worker's cache
            urllib.request.urlopen(f"{base}/en/people/{one}/").read()  # noqa: S310 - loopback only
            urllib.request.urlopen(f"{base}/en/people/").read()  # noqa: S310 - loopback only
        profiles = _lua_rotating(
            [f"/en/people/{pk}/" for pk in rng.sample(ids, min(len(ids), 5000))], work, "profiles"
        )
        pages = _lua_rotating([f"/en/people/?page={n}" for n in range(2, len(ids) // 50)], work, "pages")
        searches = _lua_rotating(
            [
                f"/api/v1/search?q={q}"
                for q in (
                    "Mohammadi",
                    "محمدي",
                    "Hosseini",
                    "Rezaei",
                    "Ahmadi",
                    "Karimi",
                    "Zahra",
                    "Ali Moradi",
                )
            ],
            work,
            "search",
        )
        # Cached targets first: the uncached runs fill the caches with thousands of pages.
        runs = [
            ("Static file (floor)", "/floor.txt", None),
            ("Profile page, cached", f"/en/people/{one}/", None),
            ("Directory, cached", "/en/people/", None),
            ("Search API (8 names in turn)", "/api/v1/search", searches),
            ("Profile page, uncached (5,000 profiles in turn)", "/en/people/N/", profiles),
            ("Directory, uncached (200 pages in turn)", "/en/people/?page=N", pages),
        ]
        results = []
        for name, path, script in runs:
            if args.only and not any(name.startswith(prefix) for prefix in args.only.split(";")):
                continue
            result = run_wrk(
                base, name, path, duration=args.duration, connections=args.connections, script=script
            )
            results.append(result)
            print(
                f"{name}: {result.requests_per_second:.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
                f"{result.errors} errors",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    kind = "sync" if args.threads == 1 else f"gthread ({args.threads} threads)"
    print(
        f"\n{args.people:,} public profiles · gunicorn {args.workers} {kind} workers · wrk 2 threads, "
        f"{args.connections} connections, {args.duration} s per row · loopback\n"
    )
    print("| Target | Requests/s | p50 (ms) | p99 (ms) | Requests | Errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {r.requests_per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.requests:,} | {r.errors} |"
        )
    cached = next((r for r in results if r.name == "Profile page, cached"), None)
    if cached is None:
        return
    met = cached.requests_per_second >= TARGET_RPS and cached.p99_ms < TARGET_P99_MS and cached.errors == 0
    print(
        f"\nTarget (cached profile ≥ {TARGET_RPS} req/s, p99 < {TARGET_P99_MS:.0f} ms, no errors): {'met' if met else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
