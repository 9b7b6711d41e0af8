"""Importing rows through a mapping: dry run, per-row errors, duplicates, contradictions, resuming."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.factories import PersonFactory, staff
from vigil.accounts.models import User
from vigil.accounts.roles import Role
from vigil.audit.models import AuditEntry
from vigil.custody.models import Case, Detention, Execution, Sentence, StatusObservation
from vigil.events.models import Casualty, Event
from vigil.exchange.models import ImportBatch, ImportMapping, ImportRow
from vigil.exchange.readers import FileRefused
from vigil.exchange.services import MappingSpec, _Statistics, batch_open, mapping_save
from vigil.matching.models import MatchPair, MatchStatus
from vigil.matching.selectors import MatchQuery
from vigil.matching.services import person_merge
from vigil.people.models import Person
from vigil.sources.models import ReportedFigure, Source

from .conftest import run_import, victim

pytestmark = pytest.mark.django_db

WriteCsv = Callable[..., Path]


def _messages(path: Path, *, dry_run: bool) -> list[str]:
    rows = ImportRow.objects.filter(batch__file_name=path.name, dry_run=dry_run).order_by("number")
    return [message for row in rows for message in row.messages]


def test_dry_run_reports_what_would_be_created_and_writes_nothing(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The dry run counts rows to create and writes no person, casualty or source."""
    path = write_csv(
        [
            victim(
                "1",
                "Ali Heydari",
                "علی حیدری",
                "20",
                "Mashhad",
                "2026-01-08",
                urls="https://x.com/a/status/1",
            ),
            victim("2", "Sara Ahmadi", "سارا احمدی", "۱۷ ساله", "Tehran", "1404/10/19", "injured"),
        ]
    )
    counts = run_import(victims_mapping, path, actor, dry_run=True)
    assert counts["created"] == 2 and counts["rows"] == 2
    assert not Person.objects.exists() and not Casualty.objects.exists() and not Source.objects.exists()


def test_import_creates_people_with_their_facts_and_sources(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """A killed row becomes a person with both names, an age at the death date, a casualty and citations."""
    path = write_csv(
        [
            victim(
                "1",
                "Ali Heydari",
                "علی حیدری",
                "۲۰",
                "Mashhad",
                "1404/10/18",
                urls="https://x.com/a/status/1",
            )
        ]
    )
    assert run_import(victims_mapping, path, actor)["created"] == 1
    person = Person.objects.get()
    assert set(person.names.values_list("text", flat=True)) == {"Ali Heydari", "علی حیدری"}
    assert person.reported_age == 20 and str(person.age_reported_on) == "2026-01-08"
    casualty = Casualty.objects.get(person=person)
    assert casualty.kind == "killed" and casualty.age_reported == 20 and casualty.place is not None
    assert set(Source.objects.values_list("url", flat=True)) == {"https://x.com/a/status/1", ""}


def test_row_error_names_the_row_the_column_and_the_reason(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """An impossible Jalali date is refused as "Row 3, column “Date of Death”: 30 Esfand 1404 does not exist"."""
    path = write_csv(
        [victim("1", "Ali Heydari", date="2026-01-08"), victim("2", "Reza Karimi", date="1404/12/30")]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["created"] == 1 and counts["rejected"] == 1
    assert _messages(path, dry_run=False) == [
        "Row 3, column “Date of Death”: 30 Esfand 1404 does not exist (1404 is not a leap year)."
    ]
    assert not Person.objects.filter(names__text="Reza Karimi").exists()


def test_a_row_with_values_beyond_the_header_is_refused_for_that_alone(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """A row that cannot be read says so once, not also "The row gives no name" for the cells it lost."""
    path = write_csv([victim("1", "Ali Heydari", date="2026-01-08"), [*victim("2", "Reza Karimi"), "extra"]])
    counts = run_import(victims_mapping, path, actor)
    assert counts["created"] == 1 and counts["rejected"] == 1
    assert _messages(path, dry_run=False) == ["Row 3: This row has 10 values but the header has 9 columns."]


def test_ages_in_words_and_persian_digits_are_read(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """ "17", "۱۷", "17 years" and "۱۷ ساله" are all 17; "seventeen" is refused with the accepted forms."""
    ages = ["17", "۱۷", "17 years", "۱۷ ساله", "seventeen"]
    path = write_csv(
        [victim(str(n), f"Person {n}", age=age, date="2026-01-08") for n, age in enumerate(ages)]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["created"] == 4
    assert set(Person.objects.values_list("reported_age", flat=True)) == {17}
    assert "write 17, ۱۷, 17 years or ۱۷ ساله" in _messages(path, dry_run=False)[0]


def test_formula_cells_are_refused(victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User) -> None:
    """A cell holding a spreadsheet formula rejects its row; a phone-like "+98" or a "- " bullet does not."""
    path = write_csv(
        [
            victim("1", '=HYPERLINK("http://evil","Ali")'),
            victim("2", "Reza", notes="-2+3+cmd|' /C calc'!A0"),
            victim("3", "Sara", notes="+98 21 555 - called the family"),
        ]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["rejected"] == 2 and counts["created"] == 1
    assert all("spreadsheet formula" in message for message in _messages(path, dry_run=False))


def test_unknown_place_is_a_warning_and_is_kept_in_the_notes(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """A place missing from the gazetteer does not reject the row; its text is kept on the person."""
    path = write_csv([victim("1", "Ali Heydari", place="Nowhere-abad", date="2026-01-08")])
    assert run_import(victims_mapping, path, actor)["created"] == 1
    assert "Nowhere-abad" in Person.objects.get().notes
    assert "not in the gazetteer" in _messages(path, dry_run=False)[0]


def test_same_person_killed_twice_with_different_dates_imports_neither_row(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """Two rows that contradict each other are both rejected, each naming the other."""
    path = write_csv(
        [
            victim("1", "Ali Heydari", "علی حیدری", "20", "Mashhad", "2026-01-08"),
            victim("2", "Sara Ahmadi", date="2026-01-09"),
            victim("3", "Ali Heydari", "", "20", "", "2026-01-20"),
        ]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["rejected"] == 2 and counts["created"] == 1
    assert not Person.objects.filter(names__text="Ali Heydari").exists()
    assert any(
        "Rows 2 and 4 describe the same person" in message for message in _messages(path, dry_run=False)
    )


def test_repeated_person_in_the_file_is_flagged_as_possible_duplicate(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The same name twice without a contradiction is created and flagged, naming the earlier row."""
    path = write_csv([victim("1", "Ali Heydari", date="2026-01-08"), victim("2", "Ali Heydari", date="")])
    counts = run_import(victims_mapping, path, actor, dry_run=True)
    assert counts["flagged"] == 1
    assert _messages(path, dry_run=True) == ["Row 3: Possible duplicate of row 2."]


def test_a_row_with_markup_or_control_characters_is_refused_by_the_scan(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """Refused only when written, the row was first taken as the person of a later row of the same name,
    which was flagged "Possible duplicate of row 2", a row not imported."""
    path = write_csv(
        [
            victim("1", "Ali Heydari\u202e", date="2026-01-08"),
            victim("2", "Ali Heydari", date="2026-01-08"),
            victim("3", "Reza <b>Karimi</b>", date="2026-01-08"),
        ]
    )
    counts = run_import(victims_mapping, path, actor)
    assert (counts["created"], counts["flagged"], counts["rejected"]) == (1, 0, 2)
    messages = _messages(path, dry_run=False)
    assert len(messages) == 2 and "Possible duplicate" not in " ".join(messages)
    assert messages[0].startswith("Row 2, column “English Name”: Text contains invisible control characters")
    assert messages[1].startswith("Row 4, column “English Name”:")


def test_rows_with_one_id_and_two_ages_import_neither(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The second row with ID 1 gave another age (and place and date): it was counted "updated" and added
    an injury at 58 to the 22-year-old of the first row, silently."""
    path = write_csv(
        [
            victim("1", "Kamran Sohrabi", age="22", place="Tehran", date="2026-01-09", status="arrested"),
            victim("1", "Kamran Sohrabi", age="58", place="Zahedan", date="2026-01-11", status="injured"),
            victim("2", "Reza Karimi", date="2026-01-08"),
        ]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["rejected"] == 2 and counts["created"] == 1 and counts["updated"] == 0
    message = (
        "Rows 2 and 3 describe the same person (“Kamran Sohrabi”: the same ID “1”) but differ (aged 22 and "
        "58); neither row is imported. Correct the file: give each person their own ID, or the one person "
        "the same details."
    )
    assert _messages(path, dry_run=False) == [message, message]
    assert not Person.objects.filter(names__text="Kamran Sohrabi").exists()


def test_rows_with_one_id_years_apart_agree_on_the_year_of_birth(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """20 when arrested in 2022 and 23 when killed in 2026 is one person, a year of birth apart at most."""
    path = write_csv(
        [
            victim("1", "Kamran Sohrabi", age="20", date="2022-09-20", status="arrested"),
            victim("1", "Kamran Sohrabi", age="23", date="2026-01-09", status="killed"),
        ]
    )
    counts = run_import(victims_mapping, path, actor)
    assert counts["created"] == 1 and counts["updated"] == 1 and counts["rejected"] == 0


@pytest.mark.parametrize("finder", ["matching", "match_key"])
def test_person_already_recorded_is_flagged_by_name(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any, finder: str
) -> None:
    """A row naming someone recorded before (by any import) is flagged with that person's number, by the
    matching app's selector or by the exact folded name."""
    settings.VIGIL_IMPORT_DUPLICATE_FINDER = finder
    run_import(
        victims_mapping, write_csv([victim("1", "Ali Heydari", date="2026-01-08")], name="first.csv"), actor
    )
    other = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="other",
            target="people",
            columns={"English Name": "name", "Status": "outcome"},
            values={},
            defaults={"dataset_title": "Another list"},
        ),
    )
    path = write_csv([victim("9", "ali  HEYDARI", status="arrested")], name="second.csv")
    counts = run_import(other, path, actor)
    assert counts["flagged"] == 1
    first = Person.objects.order_by("pk").first()
    assert first is not None
    assert f"Possible duplicate of #{first.pk} Ali Heydari." in _messages(path, dry_run=False)[0]
    # The pair waits on the reviewers' queue (it was left for `vigil match` to find), saying why.
    second = Person.objects.order_by("pk").last()
    pair = MatchPair.objects.get()
    assert (pair.person_a, pair.person_b, pair.status) == (first, second, MatchStatus.PROPOSED)
    entry = AuditEntry.objects.get(object_type="matching.matchpair", object_id=str(pair.pk))
    assert entry.reason == "Flagged as a possible duplicate on import from “second.csv”, row 2"


def test_a_person_flagged_as_a_repeat_of_an_earlier_row_is_queued_with_its_person(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """A row flagged as repeating an earlier row of the file is queued for review with that row's person;
    a dry run queues nothing, and importing the file again queues nothing twice."""
    path = write_csv([victim("1", "Ali Heydari", date="2026-01-08"), victim("2", "Ali Heydari", date="")])
    run_import(victims_mapping, path, actor, dry_run=True)
    assert not MatchPair.objects.exists()
    assert run_import(victims_mapping, path, actor)["flagged"] == 1
    rows = dict(ImportRow.objects.filter(dry_run=False).values_list("number", "person_id"))
    pair = MatchPair.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (rows[2], rows[3])


@pytest.mark.parametrize(("died", "flagged"), [("2026-01-09", 1), ("2026-06-20", 0)])
def test_a_recorded_namesake_killed_on_another_day_is_not_flagged(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User, died: str, flagged: int
) -> None:
    """The duplicate check weighs the row's day of death against the one recorded, not the name alone:
    "Ali Heydari" killed a day apart is flagged, one killed five months later is someone else."""
    run_import(
        victims_mapping, write_csv([victim("1", "Ali Heydari", date="2026-01-08")], name="first.csv"), actor
    )
    path = write_csv([victim("2", "Ali Heydari", date=died)], name="second.csv")
    assert run_import(victims_mapping, path, actor)["flagged"] == flagged


def test_the_duplicate_check_reads_the_rows_places_days_and_the_sources_date(
    write_csv: WriteCsv, actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the matcher is given of a row: residence, place of arrest and of death, the days of arrest
    and death, the source's publication date, and the day the age was reported for (the death's)."""
    from vigil.exchange import duplicates, services

    asked: list[MatchQuery] = []

    def finder(queries: Sequence[MatchQuery], viewer: Any = None) -> list[list[int]]:
        asked.extend(queries)
        return duplicates.by_matching(queries, viewer)

    monkeypatch.setattr(services, "duplicate_finder", lambda: finder)
    header = ["name", "age", "home", "arrested", "arrested in", "died", "died in", "outcome", "published"]
    columns = dict(zip(header, ["name", "age", "residence", "arrested_on", "arrest_place", "date", "place",
                                "outcome", "source_published_on"], strict=True))  # fmt: skip
    mapping = mapping_save(
        actor=actor, spec=MappingSpec(name="m", target="people", columns=columns, values={})
    )
    row = [
        "Ali Heydari",
        "30",
        "Karaj",
        "1404/10/18",
        "Tehran",
        "2026-01-12",
        "Mashhad",
        "killed",
        "2026-01-15",
    ]
    run_import(mapping, write_csv([row], header=header), actor, dry_run=True)

    [query] = asked
    assert [place.name_en for place in query.places] == ["Karaj", "Tehran", "Mashhad"]
    assert ([str(day) for day in query.arrested], [str(day) for day in query.killed_or_injured]) == (
        ["2026-01-08"],
        ["2026-01-12"],
    )
    assert (str(query.reported_on), str(query.age_on)) == ("2026-01-15", "2026-01-12")


def test_later_version_of_the_file_updates_by_its_own_ids(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """Rows whose ID was imported before add what is new to that person instead of a second record."""
    run_import(
        victims_mapping, write_csv([victim("7", "Ali Heydari", date="2026-01-08")], name="week1.csv"), actor
    )
    path = write_csv([victim("7", "Ali Heydari", "علی حیدری", "20", date="2026-01-08")], name="week2.csv")
    counts = run_import(victims_mapping, path, actor)
    assert counts["updated"] == 1
    person = Person.objects.get()
    assert person.reported_age == 20 and person.names.count() == 2
    assert Casualty.objects.filter(person=person).count() == 1


def test_import_resumes_after_an_interruption_without_duplicates(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """An import stopped after its first chunk continues where it stopped when run again."""
    path = write_csv([victim(str(n), f"Person {n}", date="2026-01-08") for n in range(7)])
    first = run_import(victims_mapping, path, actor, chunk_rows=3, stop_after_rows=3)
    assert first["rows"] == 3 and Person.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.IMPORTING and batch.rows_done == 4
    second = run_import(victims_mapping, path, actor, chunk_rows=3)
    assert second["created"] == 7 and Person.objects.count() == 7
    assert ImportBatch.objects.get().state == ImportBatch.State.DONE
    assert run_import(victims_mapping, path, actor)["rows"] == 7 and Person.objects.count() == 7


def test_a_file_refused_late_imports_nothing(
    victims_mapping: ImportMapping, tmp_path: Path, actor: User
) -> None:
    """A fault found at the end of the file (here an encoding change) refuses it before any row is written."""
    path = tmp_path / "late.csv"
    good = ",".join(victim("1", "Ali Heydari", date="2026-01-08")) + "\n"
    header = ",".join(["Card ID", "English Name", "Persian Name", "Age", "Location of Death", "Date of Death",
                       "Status", "Source URLs", "Notes"]) + "\n"  # fmt: skip
    persian = ",".join(victim("2", "علی حیدری", date="2026-01-08")) + "\n"
    path.write_bytes((header + persian + good * 3000).encode() + "9,علي,,,,,killed,,\n".encode("cp1256"))
    with pytest.raises(FileRefused, match="mixes encodings"):
        run_import(victims_mapping, path, actor)
    assert not Person.objects.exists()
    assert ImportBatch.objects.get().state == ImportBatch.State.REFUSED


def test_mapping_naming_a_column_the_file_lacks_refuses_the_file(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The scan says which mapped columns are missing and which columns the file has."""
    path = write_csv([["1", "Ali"]], header=["Card ID", "English Name"])
    with pytest.raises(FileRefused, match=r"expects the columns .*“Age”"):
        run_import(victims_mapping, path, actor)


def test_detention_rows_record_arrest_and_status(write_csv: WriteCsv, actor: User) -> None:
    """A detentions mapping records the arrest with its date, place and facility, and the custody status."""
    mapping = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="detainees",
            target="detentions",
            columns={
                "name": "name",
                "arrested": "arrested_on",
                "city": "arrest_place",
                "prison": "facility",
                "status": "status",
                "since": "status_since",
                "link": "source_url",
            },
            values={"status": {"بی‌خبری": "incommunicado"}},
        ),
    )
    path = write_csv(
        [["نرگس محمدی", "۱۴۰۴/۰۹/۲۱", "Mashhad", "Evin", "بی‌خبری", "1404/09/21", "https://t.me/x/1"]],
        header=["name", "arrested", "city", "prison", "status", "since", "link"],
    )
    assert run_import(mapping, path, actor)["created"] == 1
    detention = Person.objects.get().detentions.get()
    assert str(detention.arrested_on) == "2025-12-12" and detention.facility is not None
    assert detention.statuses.get().status.code == "incommunicado"


def _ages_mapping(actor: User) -> ImportMapping:
    """A detentions list with a name, an age, a date of arrest and a link."""
    return mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="ages",
            target="detentions",
            columns={"name": "name", "age": "age", "arrested": "arrested_on", "link": "source_url"},
            values={},
        ),
    )


def test_an_age_is_dated_by_the_row_and_only_as_a_last_resort_by_the_import(
    write_csv: WriteCsv, actor: User
) -> None:
    """An age on a detentions list is the age at the arrest (it was dated to the day of the import, a year
    off for a list imported a year later); a row with no date at all says that it took the import's day."""
    mapping = _ages_mapping(actor)
    path = write_csv(
        [
            ["Sara Ahmadi", "۱۷", "۱۴۰۴/۱۰/۱۹", "https://t.me/x/1"],
            ["Reza Karimi", "40", "", "https://t.me/x/2"],
        ],
        header=["name", "age", "arrested", "link"],
    )
    assert run_import(mapping, path, actor)["created"] == 2
    sara, reza = (Person.objects.get(names__text=name) for name in ("Sara Ahmadi", "Reza Karimi"))
    assert sara.reported_age == 17 and str(sara.age_reported_on) == "2026-01-09"
    assert reza.reported_age == 40 and reza.age_reported_on == timezone.localdate()
    assert _messages(path, dry_run=False) == [
        "Row 3: The row gives no date for its age: it is recorded as the age on the day of the import."
    ]


def test_a_rejected_row_carries_only_the_reasons_it_was_rejected(write_csv: WriteCsv, actor: User) -> None:
    """A row refused for a date that does not exist says so, and not also that its age was dated by the
    import: nothing of the row was recorded, so the notes on how it would have been are not true."""
    mapping = _ages_mapping(actor)
    path = write_csv(
        [["Reza Karimi", "40", "2026-02-30", "https://t.me/x/2"]], header=["name", "age", "arrested", "link"]
    )
    assert run_import(mapping, path, actor)["rejected"] == 1
    assert _messages(path, dry_run=False) == [
        "Row 2, column “arrested”: 30 February 2026 does not exist (February 2026 has 28 days)."
    ]


def test_event_and_figure_rows_are_imported(write_csv: WriteCsv, actor: User) -> None:
    """Events and reported figures import through their own mappings, with vague quantities coded."""
    events = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="events",
            target="events",
            columns={
                "kind": "kind",
                "title": "title_en",
                "date": "started",
                "place": "place",
                "link": "source_url",
            },
            values={},
        ),
    )
    path = write_csv(
        [["protest", "Marchers fired on in Malekshahi", "2026-01-03", "Malekshahi", "https://example.org/1"]],
        header=["kind", "title", "date", "place", "link"],
        name="events.csv",
    )
    assert run_import(events, path, actor)["created"] == 1
    assert Event.objects.get().place is not None
    figures = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="figures",
            target="figures",
            columns={"metric": "metric", "value": "value", "date": "published_on", "source": "source_title"},
            values={},
            defaults={"qualifier": "at_least", "source_kind": "ngo_report"},
        ),
    )
    path = write_csv([["injured", "dozens", "2026-01-03", "HRANA daily report"]], header=["metric", "value", "date", "source"],
                     name="figures.csv")  # fmt: skip
    assert run_import(figures, path, actor)["created"] == 1
    figure = ReportedFigure.objects.get()
    assert figure.value == 12 and figure.value_text == "dozens"


def test_import_command_dry_run_prints_counts(
    victims_mapping: ImportMapping, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    """`vigil import FILE --mapping NAME --dry-run` prints the counts and a progress bar on stderr."""
    path = write_csv([victim("1", "Ali Heydari", date="2026-01-08")])
    call_command("import", str(path), "--mapping", "victims", "--dry-run")
    out, err = capsys.readouterr()
    assert "Dry run (nothing written) of file.csv: 1 of 1 rows: 1 created" in out
    assert "dry-run" in err and "1/1 rows" in err
    assert not Person.objects.exists()


def test_import_command_says_how_many_rows_with_messages_it_did_not_print(
    victims_mapping: ImportMapping, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [victim(str(n), f"Person Number{n}", age="x") for n in range(3)]
    call_command("import", str(write_csv(rows)), "--mapping", "victims", "--dry-run", "--show", "1")
    out, _err = capsys.readouterr()
    assert out.count("is not an age") == 1
    assert "... and 2 more rows with messages: --show 3 prints them all" in out


def test_importing_a_file_again_records_no_fact_twice(write_csv: WriteCsv, actor: User) -> None:
    """Next week's version of a file (the same rows and one more) adds the new row and nothing twice: no
    second death, injury, execution, death sentence, disappearance or release of the same day."""
    mapping = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="weekly",
            target="people",
            columns={
                "id": "external_id", "name": "name", "outcome": "outcome", "date": "date", "city": "place",
                "released": "released_on", "link": "source_url",
            },
            values={},
            external_namespace="weekly",
        ),
    )  # fmt: skip
    header = ["id", "name", "outcome", "date", "city", "released", "link"]
    rows = [
        ["1", "Ali Heydari", "killed", "2026-01-08", "Mashhad", "", "https://t.me/w/1"],
        ["2", "Sara Ahmadi", "injured", "", "Tehran", "", "https://t.me/w/2"],
        ["3", "Reza Karimi", "executed", "2026-01-20", "", "", "https://t.me/w/3"],
        ["4", "Mehdi Rahimi", "sentenced_to_death", "2026-01-15", "Tehran", "", "https://t.me/w/4"],
        ["5", "Narges Ahmadi", "disappeared", "2026-01-10", "Zahedan", "", "https://t.me/w/5"],
        ["6", "Hossein Rezaei", "arrested", "2026-01-05", "Shiraz", "2026-01-12", "https://t.me/w/6"],
        [
            "7",
            "Amir Hosseini",
            "arrested",
            "",
            "Karaj",
            "2026-01-14",
            "https://t.me/w/7",
        ],  # arrest day unknown
    ]

    def recorded() -> dict[str, int]:
        return {
            "casualties": Casualty.objects.count(),
            "executions": Execution.objects.count(),
            "cases": Case.objects.count(),
            "sentences": Sentence.objects.count(),
            "statuses": StatusObservation.objects.count(),
            "detentions": Detention.objects.count(),
            "released": Detention.objects.exclude(released_on=None).count(),
        }

    first = run_import(mapping, write_csv(rows, header=header, name="week1.csv"), actor)
    assert first["created"] == 7 and first["rejected"] == 0
    before = recorded()
    assert before == {
        "casualties": 2, "executions": 1, "cases": 1, "sentences": 1, "statuses": 1, "detentions": 4,
        "released": 2,
    }  # fmt: skip

    week2 = write_csv(
        [*rows, ["8", "Zahra Karimi", "killed", "2026-01-09", "Tabriz", "", "https://t.me/w/8"]],
        header=header,
    )
    second = run_import(mapping, week2, actor)
    assert (second["created"], second["updated"], second["unchanged"], second["rejected"]) == (1, 0, 7, 0)
    assert recorded() == before | {"casualties": 3}
    notes = " ".join(_messages(week2, dry_run=False))
    for note in ("death", "injury", "execution", "death sentence", "release"):
        assert f"The {note} was already recorded." in notes


def test_the_same_file_given_again_elsewhere_is_read_from_there(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User, tmp_path: Path
) -> None:
    """A file tried once (a dry run), then given again from another folder while the first copy was
    overwritten: the same import, read from where it is now, not refused as "changed"."""
    first = write_csv([victim("1", "Ali Heydari", "علی حیدری", urls="https://x.com/a/status/1")])
    content = first.read_bytes()
    assert run_import(victims_mapping, first, actor, dry_run=True)["created"] == 1
    first.write_text("something else entirely\n", encoding="utf-8")
    again = tmp_path / "elsewhere" / "file-again.csv"
    again.parent.mkdir()
    again.write_bytes(content)
    assert run_import(victims_mapping, again, actor)["created"] == 1
    batch = ImportBatch.objects.get()
    assert (batch.file_path, batch.file_name) == (str(again), "file-again.csv")


def test_a_row_about_a_person_merged_since_goes_to_the_person_kept(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """Two rows of one file made two people; a reviewer merged them. Next week's file still names both
    card IDs: both rows update the person kept, saying so, and nothing is rejected or recorded twice."""
    rows = [
        victim("1", "Mohammad Khan Mohammadi", "", "67", "Tehran", "2026-01-09", urls="https://x.com/a/1"),
        victim("2", "", "محمد خان‌محمدی", "67", "Tehran", "2026-01-09", urls="https://x.com/a/2"),
    ]
    assert run_import(victims_mapping, write_csv(rows, name="week1.csv"), actor)["created"] == 2
    keep, merged = Person.objects.order_by("pk")
    person_merge(keep=keep, merge=merged, actor=staff(Role.REVIEWER), reason="One man listed twice")

    week2 = write_csv([*rows, victim("3", "Sara Ahmadi", urls="https://x.com/a/3")], name="week2.csv")
    counts = run_import(victims_mapping, week2, actor)
    assert (counts["created"], counts["updated"] + counts["unchanged"], counts["rejected"]) == (1, 2, 0)
    assert Casualty.objects.filter(person=keep).count() == 1 and not Casualty.objects.filter(person=merged)
    note = f"Row 3: #{merged.pk} was merged into #{keep.pk}: recorded on #{keep.pk}."
    assert note in _messages(week2, dry_run=False)


def test_an_import_leaves_the_connection_and_collector_as_it_found_them(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """The settings an import raises for its length (garbage collection, SQLite's page cache and
    write-ahead log) are put back afterwards, for the requests the process serves next."""

    def settings_now() -> tuple[Any, ...]:
        if connection.vendor != "sqlite":
            return (gc.get_threshold(),)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint")
            return gc.get_threshold(), cache, cursor.fetchone()[0]

    before = settings_now()
    assert (
        run_import(victims_mapping, write_csv([victim("1", "Ali Heydari", urls="https://x.com/a/1")]), actor)[
            "created"
        ]
        == 1
    )
    assert settings_now() == before


def test_an_import_gathers_postgresqls_statistics_as_the_tables_it_reads_grow() -> None:
    """Planned from no statistics (or a table's size of minutes before), each chunk's lookups of a thousand
    people read whole tables: on PostgreSQL an import gathers them again each time it has doubled the
    people recorded (at least every 2,000 rows); SQLite plans from its indexes alone and is left as it is."""
    statistics = _Statistics(on=True)
    assert statistics.on == (connection.vendor == "postgresql")
    if not statistics.on:
        statistics.grew(10_000)
        assert statistics.added == 0
        return

    def estimated_people() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Person._meta.db_table])
            return float(cursor.fetchone()[0])

    PersonFactory.create_batch(3)
    before = estimated_people()
    statistics.grew(1_999)
    assert estimated_people() == before and statistics.added == 1_999
    statistics.grew(1)
    assert estimated_people() == Person.objects.count() == 3
    assert (statistics.people, statistics.added) == (2_000, 0)
    statistics.grew(1_999)
    assert statistics.added == 1_999


def test_a_mapping_that_reads_the_files_own_ids_keeps_them_under_its_name_when_given_no_namespace(
    actor: User,
) -> None:
    """Card IDs mapped with no namespace would be read and forgotten (next week's file could not find its
    people by them): the mapping's own name, which the next file reuses, is their namespace."""
    spec = MappingSpec(
        name="Weekly list 2026", target="people", columns={"Card ID": "external_id"}, values={}
    )
    assert mapping_save(actor=actor, spec=spec).external_namespace == "weekly-list-2026"
    persian = [
        mapping_save(actor=actor, spec=MappingSpec(name=name, target="people", columns={"Card ID": "external_id"}, values={})).external_namespace
        for name in ("فهرست هفتگی", "فهرست ماهانه")
    ]  # fmt: skip
    assert all(namespace.startswith("import-") for namespace in persian) and persian[0] != persian[1]
    spec = MappingSpec(name="Names only", target="people", columns={"Name": "name"}, values={})
    assert mapping_save(actor=actor, spec=spec).external_namespace == ""
    spec = MappingSpec(
        name="Given", target="people", columns={"Card ID": "external_id"}, values={}, external_namespace="ivc"
    )
    assert mapping_save(actor=actor, spec=spec).external_namespace == "ivc"


def test_a_name_in_two_columns_is_one_name(write_csv: WriteCsv, actor: User) -> None:
    """A sheet with the given name and the family name in columns of their own (نام, نام خانوادگی) gives
    each person one name, "علی حیدری", not "علی" and "حیدری"; a third column adds another spelling."""
    mapping = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="two columns", target="people", values={},
            columns={"نام": "given_name", "نام خانوادگی": "family_name", "Latin": "name", "link": "source_url"},
        ),
    )  # fmt: skip
    header = ["نام", "نام خانوادگی", "Latin", "link"]
    rows = [["علی", "حیدری", "Ali Heydari", "https://x.com/a/1"], ["", "رضایی", "", "https://x.com/a/2"]]
    assert run_import(mapping, write_csv(rows, header=header), actor)["created"] == 2
    names = [sorted(p.names.values_list("text", flat=True)) for p in Person.objects.order_by("pk")]
    assert names == [["Ali Heydari", "علی حیدری"], ["رضایی"]]


def test_chunks_are_sized_to_hold_the_write_lock_a_few_seconds() -> None:
    """200 rows first; then as many as the pace measured fits in ``CHUNK_SECONDS``, within the bounds given."""
    from vigil.exchange.services import CHUNK_SECONDS, _ChunkSizes

    sizes = _ChunkSizes(1000)
    assert sizes.next == 200
    sizes.took(200, 4.0)  # 50 rows a second, as on a loaded machine with many new places and sources
    assert sizes.next == int(50 * CHUNK_SECONDS)
    sizes.took(100, 0.05)  # 2,000 rows a second
    assert sizes.next == 1000
    sizes.took(1000, 500.0)
    assert sizes.next == 20
    assert _ChunkSizes(3).next == 3


def test_choices_and_terms_are_read_from_their_names_in_english_or_persian(
    actor: User, write_csv: WriteCsv
) -> None:
    """A list written in Persian says "بازداشت شده", "زن" and a custody status's Persian name, not the codes
    (every row was refused: "بازداشت is not one of killed, injured ..."); what is neither a code nor a name
    is still refused, saying what is known."""
    mapping = mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="persian list",
            target="detentions",
            columns={
                "نام": "name",
                "جنسیت": "gender",
                "وضعیت": "status",
                "پیامد": "outcome",
                "منبع": "source_url",
            },
            values={},
        ),
    )
    header = ["نام", "جنسیت", "وضعیت", "پیامد", "منبع"]
    rows = [
        ["سپیده قلیان", "زن", "بازداشت بدون حق ارتباط", "بازداشت‌شده", "https://t.me/example/1"],
        ["Reza Valizadeh", "Male", "held incommunicado", "Arrested", "https://t.me/example/2"],
        ["علی حیدری", "مرد", "گمشده", "بازداشت", "https://t.me/example/3"],
    ]
    counts = run_import(mapping, write_csv(rows, header=header), actor)
    assert (counts["created"], counts["rejected"]) == (2, 1)
    statuses = StatusObservation.objects.select_related("status", "detention__person")
    assert {(s.detention.person.gender, s.status.code) for s in statuses} == {
        ("female", "incommunicado"),
        ("male", "incommunicado"),
    }
    (refused,) = ImportRow.objects.filter(outcome="rejected").values_list("messages", flat=True)
    assert "“گمشده”" in refused[0] and "incommunicado" in refused[0]


def test_a_date_whose_day_and_month_could_be_swapped_is_imported_with_a_warning(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User
) -> None:
    """ "01/08/2026" is read day first (1 August), as before, but no longer silently: a file from American
    Excel means 8 January. "13/01/2026" cannot be read two ways and says nothing."""
    path = write_csv(
        [victim("1", "Ali Heydari", date="01/08/2026"), victim("2", "Reza Valizadeh", date="13/01/2026")]
    )
    assert run_import(victims_mapping, path, actor)["created"] == 2
    messages = _messages(path, dry_run=False)
    assert len(messages) == 1 and "“01/08/2026” was read day first, as 1 August 2026" in messages[0]
    assert Casualty.objects.filter(occurred_on=dt.date(2026, 8, 1)).exists()


def test_the_scan_keeps_parsed_rows_up_to_a_budget_of_text(
    victims_mapping: ImportMapping, write_csv: WriteCsv, actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows kept for the write pass are bounded by their text as well as their number (10,000 rows of long
    notes took a gigabyte); rows past the budget are parsed again and imported all the same."""
    from vigil.exchange import services

    monkeypatch.setattr(services, "KEPT_CHARS", 1000)
    note = "Arrested at home; family not told. " * 10  # 350 characters
    path = write_csv([victim(str(n), f"Person {chr(65 + n)}", notes=note) for n in range(10)])
    kept: dict[int, Any] = {}
    services.batch_scan(batch_open(mapping=victims_mapping, path=path, actor=actor), keep=kept)
    assert 1 <= len(kept) <= 3
    assert run_import(victims_mapping, path, actor)["created"] == 10
