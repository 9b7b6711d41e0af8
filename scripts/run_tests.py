"""The whole test suite, as `make test` runs it.

Steps: ruff (lint and format), mypy, `makemigrations --check`, pytest on SQLite, then the same pytest run on
PostgreSQL. PostgreSQL is taken from ``DATABASE_URL`` when it is set, otherwise from a local server at
``postgres://postgres@127.0.0.1:5432/vigil`` if one answers. The summary says which databases ran. With
``VIGIL_REQUIRE_POSTGRES=1`` (set by CI) a missing PostgreSQL run is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/vigil"


def run(title: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"\n=== {title}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
    print(f"=== {title}: {'ok' if result.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.1f}s")
    return result.returncode == 0


def postgres_url() -> tuple[str | None, str]:
    """The PostgreSQL URL to test against, or None with the reason."""
    url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    import psycopg

    try:
        dsn = url.replace("postgres://", "postgresql://", 1)
        # Ask the server, not the database: the suite creates its own test database (test_<name>).
        with psycopg.connect(dsn, dbname="postgres", connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return None, f"no PostgreSQL at {url} ({str(error).strip().splitlines()[0]})"
    return url, url


def main() -> int:
    sqlite_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    results: dict[str, bool] = {}
    results["ruff check"] = run("ruff check", [str(BIN / "ruff"), "check", "."])
    results["ruff format"] = run("ruff format", [str(BIN / "ruff"), "format", "--check", "."])
    results["mypy"] = run("mypy", [str(BIN / "mypy"), "vigil", "tests", "benchmarks"])
    results["migrations"] = run(
        "migrations up to date",
        [str(BIN / "python"), "manage.py", "makemigrations", "--check", "--dry-run"],
        env={**sqlite_env, "DJANGO_SETTINGS_MODULE": "vigil.settings.test"},
    )
    results["pytest on SQLite"] = run(
        "pytest on SQLite", [str(BIN / "pytest"), "-p", "no:cacheprovider"], sqlite_env
    )

    url, detail = postgres_url()
    if url is None:
        print(f"\n=== PostgreSQL run SKIPPED: {detail}")
        if os.environ.get("VIGIL_REQUIRE_POSTGRES") == "1":
            results["pytest on PostgreSQL (required)"] = False
    else:
        results["pytest on PostgreSQL"] = run(
            f"pytest on PostgreSQL ({detail})",
            [str(BIN / "pytest"), "-p", "no:cacheprovider", "--create-db"],
            {**os.environ, "DATABASE_URL": url},
        )

    print("\n=== Summary")
    for name, passed in results.items():
        print(f"  {'PASS' if passed else 'FAIL'}  {name}")
    if url is None:
        print("  SKIP  pytest on PostgreSQL: " + detail)
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
