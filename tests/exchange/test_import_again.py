"""Importing next week's version of a list of events or figures: what is new is added, what is recorded
already is counted as unchanged, and a recorded value the file contradicts is named, never overwritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from vigil.accounts.models import User
from vigil.events.models import Event
from vigil.exchange.models import ImportMapping, ImportRow
from vigil.exchange.services import MappingSpec, mapping_save
from vigil.sources.models import ReportedFigure
from vigil.sources.selectors import citations_for

from .conftest import run_import

pytestmark = pytest.mark.django_db

WriteCsv = Callable[..., Path]
EVENT_HEADER = ["ID", "kind", "title", "start", "end", "city", "description", "link"]


def _rows(path: Path, *, dry_run: bool = False) -> dict[int, tuple[str, list[str]]]:
    rows = ImportRow.objects.filter(batch__file_name=path.name, dry_run=dry_run)
    return {row.number: (row.outcome, row.messages) for row in rows}


@pytest.fixture
def events_mapping(actor: User) -> ImportMapping:
    return mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="weekly events",
            target="events",
            columns={
                "ID": "external_id",
                "kind": "kind",
                "title": "title_en",
                "start": "started",
                "end": "ended",
                "city": "place",
                "description": "description_en",
                "link": "source_url",
            },
            values={},
        ),
    )


def test_next_weeks_events_fill_what_is_empty_and_unchanged_rows_count_as_unchanged(
    events_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """An event known by its ID gains an end date it lacked; its recorded description is kept and the row
    names it; a row that repeats what is recorded is unchanged, not skipped."""
    first = [
        ["EV-001", "protest", "March in Mashhad", "2026-01-03", "", "Mashhad", "", "https://example.org/1"],
        ["EV-002", "strike", "Bazaar strike", "2026-01-05", "", "Tehran", "Shops closed.", "https://example.org/2"],
    ]  # fmt: skip
    assert (
        run_import(events_mapping, write_csv(first, header=EVENT_HEADER, name="events_w1.csv"), actor)[
            "created"
        ]
        == 2
    )
    second = [
        first[0],
        ["EV-002", "strike", "Bazaar strike", "2026-01-05", "2026-01-09", "Tehran",
         "Shops closed for five days.", "https://example.org/2"],
    ]  # fmt: skip
    path = write_csv(second, header=EVENT_HEADER, name="events_w2.csv")
    counts = run_import(events_mapping, path, actor)
    assert (counts["unchanged"], counts["updated"], counts["skipped"], counts["created"]) == (1, 1, 0, 0)
    strike = Event.objects.get(title_en="Bazaar strike")
    assert str(strike.ended) == "2026-01-09" and strike.description_en == "Shops closed."
    assert _rows(path)[3] == (
        "updated",
        [
            f"Row 3: The row differs from event #{strike.pk} as recorded in description (English): the recorded "
            "values are kept; correct the event if the row is right."
        ],
    )
    assert Event.objects.count() == 2


def test_a_second_row_with_the_same_event_id_adds_to_the_event_of_the_first(
    events_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """Within one file, a later row with an event's ID adds to the event the earlier row recorded and names
    what it contradicts; the dry run says so too (nothing was imported before it)."""
    rows = [
        ["EV-007", "protest", "Night march", "2026-01-08", "", "Tehran", "", "https://example.org/7"],
        ["EV-007", "protest", "Night march in Karaj", "2026-01-08", "2026-01-09", "Tehran", "", "https://example.org/8"],
    ]  # fmt: skip
    path = write_csv(rows, header=EVENT_HEADER, name="events.csv")
    for dry_run in (True, False):
        counts = run_import(events_mapping, path, actor, dry_run=dry_run)
        assert (counts["created"], counts["updated"], counts["skipped"]) == (1, 1, 0)
        outcome, messages = _rows(path, dry_run=dry_run)[3]
        assert outcome == "updated"
        assert (
            messages[0]
            == "Row 3: The same ID “EV-007” as row 2: the row adds to the event that row recorded."
        )
        assert "in title (English): the recorded values are kept" in messages[1]
    march = Event.objects.get()
    assert march.title_en == "Night march" and str(march.ended) == "2026-01-09"
    assert citations_for(march).count() == 2


FIGURE_HEADER = ["metric", "value", "date", "source", "city"]


@pytest.fixture
def figures_mapping(actor: User) -> ImportMapping:
    return mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="weekly figures",
            target="figures",
            columns={
                "metric": "metric",
                "value": "value",
                "date": "published_on",
                "source": "source_title",
                "city": "place",
            },
            values={},
            defaults={"qualifier": "at_least", "source_kind": "ngo_report"},
        ),
    )


def test_next_weeks_figures_that_are_recorded_already_are_unchanged(
    figures_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The same figure imported again is unchanged; only a different number for the same source, metric,
    period and place is refused, as a correction of the recorded figure."""
    first = [
        ["killed", "120", "2026-01-10", "HRANA daily report", "Mashhad"],
        ["arrested", "2,300", "2026-01-10", "HRANA daily report", "Tehran"],
    ]
    assert (
        run_import(figures_mapping, write_csv(first, header=FIGURE_HEADER, name="figures_w1.csv"), actor)[
            "created"
        ]
        == 2
    )
    second = [first[0], ["arrested", "2,400", "2026-01-10", "HRANA daily report", "Tehran"],
              ["injured", "dozens", "2026-01-17", "HRANA daily report", "Tehran"]]  # fmt: skip
    path = write_csv(second, header=FIGURE_HEADER, name="figures_w2.csv")
    counts = run_import(figures_mapping, path, actor)
    assert (counts["unchanged"], counts["rejected"], counts["created"]) == (1, 1, 1)
    rows = _rows(path)
    assert rows[2] == ("unchanged", [])
    assert (
        rows[3][0] == "rejected"
        and "(2300); correct that record instead of adding a second." in rows[3][1][0]
    )
    assert ReportedFigure.objects.count() == 3


def test_a_figure_with_an_unknown_place_is_rejected_saying_it_is_not_imported(
    figures_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """A figure counts its place: one the gazetteer does not know rejects the row, and the message says so
    (not "recorded without a place")."""
    rows = [["killed", "12", "2026-01-10", "HRANA daily report", "Nowhereabad"]]
    path = write_csv(rows, header=FIGURE_HEADER, name="figures.csv")
    assert run_import(figures_mapping, path, actor)["rejected"] == 1
    assert _rows(path)[2] == (
        "rejected",
        [
            "Row 2, column “city”: “Nowhereabad” is not in the gazetteer, and a figure without its place would "
            "count the whole country: the row is not imported. Write a place the gazetteer knows, or add it there."
        ],
    )
    assert not ReportedFigure.objects.exists()


def test_the_import_command_prints_a_row_once_with_its_messages_and_warnings(
    events_mapping: ImportMapping, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row with a message and a place warning is printed once: its outcome and first message, then the
    warning on the next line, not the row again under the same outcome."""
    rows = [
        ["EV-009", "protest", "Vigil", "2026-01-08", "", "Tehran", "", "https://example.org/9"],
        ["EV-009", "protest", "Vigil in Nowhereabad", "2026-01-08", "", "Nowhereabad", "", "https://example.org/9"],
    ]  # fmt: skip
    call_command(
        "import", str(write_csv(rows, header=EVENT_HEADER, name="events.csv")), "--mapping", "weekly events"
    )
    out, _err = capsys.readouterr()
    lines = out.splitlines()
    first = lines.index(
        "  [updated] Row 3: The same ID “EV-009” as row 2: the row adds to the event that row recorded."
    )
    assert lines[first + 1].startswith("              The row differs from event")
    assert lines[first + 2] == (
        "              column “city”: “Nowhereabad” is not in the gazetteer; recorded without a place."
    )
    assert out.count("Row 3") == 1 and out.count("[updated]") == 1
