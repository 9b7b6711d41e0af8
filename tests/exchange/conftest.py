"""Fixtures for import and export tests: the acting account, mappings, and small files written on the fly
(no test reads a committed data file or ../shared)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vigil.accounts.actors import system_actor
from vigil.accounts.models import User
from vigil.exchange.models import ImportMapping
from vigil.exchange.services import MappingSpec, batch_dry_run, batch_import, batch_open, mapping_save

VICTIM_COLUMNS = {
    "Card ID": "external_id",
    "English Name": "name",
    "Persian Name": "name",
    "Age": "age",
    "Location of Death": "place",
    "Date of Death": "date",
    "Status": "outcome",
    "Source URLs": "source_url",
    "Notes": "notes",
}
VICTIM_HEADER = list(VICTIM_COLUMNS)


def run_import(
    mapping: ImportMapping, path: Path, actor: User, *, dry_run: bool = False, **options: object
) -> dict[str, int]:
    """Open ``path`` with ``mapping`` and import it (or dry-run it); the counts."""
    batch = batch_open(mapping=mapping, path=path, actor=actor)
    if dry_run:
        return batch_dry_run(batch, actor=actor, **options)  # type: ignore[arg-type]
    return batch_import(batch, actor=actor, **options)  # type: ignore[arg-type]


@pytest.fixture
def actor(db: Any) -> User:
    return system_actor()


@pytest.fixture
def victims_mapping(actor: User) -> ImportMapping:
    """A mapping shaped like the community database's export (the layout documented in the docs)."""
    return mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="victims",
            target="people",
            columns=VICTIM_COLUMNS,
            values={"outcome": {"unknown": ""}},
            defaults={
                "dataset_title": "Community database of victims (test)",
                "dataset_kind": "campaign_report",
            },
            external_namespace="victims",
        ),
    )


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(
        rows: list[list[str]],
        *,
        header: list[str] | None = None,
        name: str = "file.csv",
        encoding: str = "utf-8",
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header or VICTIM_HEADER)
            writer.writerows(rows)
        return path

    return write


def victim(
    card: str,
    english: str,
    persian: str = "",
    age: str = "",
    place: str = "",
    date: str = "",
    status: str = "killed",
    urls: str = "",
    notes: str = "",
) -> list[str]:
    return [card, english, persian, age, place, date, status, urls, notes]
