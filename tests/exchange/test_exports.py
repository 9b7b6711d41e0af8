"""Exports: the full backup round trip, public CSV/JSON of public data only, Popolo, ACLED-style events."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from vigil.accounts.models import User
from vigil.core.dates import parse_fuzzy_date
from vigil.custody.models import Execution
from vigil.events.models import Casualty, Event
from vigil.events.services import event_record
from vigil.exchange.backup import backup_models, backup_restore, backup_write, unseal
from vigil.exchange.exports import (
    ACLED_COLUMNS,
    PEOPLE_CSV_COLUMNS,
    PERSON_PUBLIC_FIELDS,
    acled_csv,
    popolo_json,
    public_people_csv,
    public_people_json,
    spreadsheet_safe,
)
from vigil.exchange.models import ImportMapping
from vigil.exchange.services import batch_import, batch_open
from vigil.matching.models import NameKey
from vigil.people.models import Person
from vigil.people.services import person_update
from vigil.places.selectors import place_by_name
from vigil.search.models import SearchEntry
from vigil.search.selectors import search_person_ids
from vigil.sources.models import Citation, Source
from vigil.sources.services import CitationInput, source_create

from .conftest import victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(victims_mapping: ImportMapping, write_csv: Callable[..., Path], actor: User) -> dict[str, Any]:
    """Two people imported (one made public, one internal with a family contact), and a public event."""
    path = write_csv(
        [
            victim("1", "Ali Heydari", "علی حیدری", "20", "Mashhad", "2026-01-08", urls="https://x.com/a/status/1",
                   notes="=cmd| internal note"[1:]),
            victim("2", "Sara Ahmadi", "سارا احمدی", "30", "Tehran", "2026-01-09"),
        ]
    )  # fmt: skip
    batch_import(batch_open(mapping=victims_mapping, path=path, actor=actor), actor=actor)
    Source.objects.update(confidentiality="public")
    ali = Person.objects.get(names__text="Ali Heydari")
    person_update(
        person=ali, actor=actor, reason="Reviewed", confidentiality="public", summary_en="-killed in Mashhad"
    )
    Casualty.objects.filter(person=ali).update(confidentiality="public")
    sara = Person.objects.get(names__text="Sara Ahmadi")
    person_update(person=sara, actor=actor, reason="Family", family_contact="0912 000 0000")
    source = source_create(
        actor=actor, reason="t", kind="news", title="Report on Malekshahi", confidentiality="public"
    )
    event = event_record(
        actor=actor,
        reason="t",
        kind="protest",
        title_en="Marchers fired on, Malekshahi",
        citations=[CitationInput(source=source)],
        started=parse_fuzzy_date("2026-01-03"),
        place=place_by_name("Malekshahi"),
        tactics=["live_fire", "tear_gas"],
    )
    Casualty.objects.filter(person=ali).update(event=event)
    return {"ali": ali, "sara": sara, "event": event}


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every backed-up object, as the backup writes it (passwords aside), keyed by model."""
    stream = io.StringIO()
    backup_write(stream)
    objects = json.loads(stream.getvalue())["objects"]
    by_model: dict[str, list[dict[str, Any]]] = {}
    for data in objects:
        data["fields"].pop("password", None)
        by_model.setdefault(data["model"], []).append(unseal(data))
    return by_model


def _flush_backed_up_tables() -> None:
    tables = {model._meta.db_table for model in backup_models()}
    for model in backup_models():
        tables.update(field.m2m_db_table() for field in model._meta.local_many_to_many)
    statements = connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_backup_restored_into_an_empty_database_reproduces_every_record(
    recorded: dict[str, Any], tmp_path: Path
) -> None:
    """Export, empty the database, restore: the same objects (records, history, citations, users in their
    roles) come back. A user's roles restored wrote new audit entries over the backup's own (refused on
    PostgreSQL, whose audit log is append-only: no backup with a role could be restored there)."""
    from tests.factories import staff
    from vigil.accounts.roles import Role
    from vigil.audit.models import AuditEntry

    staff(Role.DOCUMENTER)
    before = _snapshot()
    entries = AuditEntry.objects.count()
    keys = set(NameKey.objects.values_list("person_id", "key"))
    path = tmp_path / "backup.json"
    with path.open("w", encoding="utf-8") as stream:
        backup_write(stream)
    _flush_backed_up_tables()
    SearchEntry.objects.all().delete()  # a new database has no index either
    NameKey.objects.all().delete()
    assert not Person.objects.exists() and not Citation.objects.exists()
    counts = backup_restore(path=path)
    after = _snapshot()
    assert {model: len(objects) for model, objects in after.items()} == {
        model: len(objects) for model, objects in before.items()
    }
    for model in before:
        assert after[model] == before[model], model
    assert counts["people.person"] == 2 and counts["people.historicalperson"] >= 3
    assert AuditEntry.objects.count() == entries
    ali = Person.objects.get(names__text="Ali Heydari")
    assert ali.casualties.get().event == recorded["event"]
    # The search index is derived, not backed up: the restore rebuilds it (no name was found after one).
    assert search_person_ids(viewer=staff(Role.ADMINISTRATOR), query="علی حیدری") == [ali.pk]
    # So are the name keys, by which duplicates are found.
    assert "matching.namekey" not in before
    assert keys and set(NameKey.objects.values_list("person_id", "key")) == keys


def test_a_backup_written_when_name_keys_were_kept_by_name_is_restored(
    recorded: dict[str, Any], tmp_path: Path
) -> None:
    """Backups written before matching 0007 hold the name keys of each name (a field the keys no longer
    have): restoring one must not fail on them; the keys are built again from the names."""
    stream = io.StringIO()
    backup_write(stream)
    document = json.loads(stream.getvalue())
    name = Person.objects.get(names__text="Ali Heydari").names.get(text="Ali Heydari")
    document["objects"].append(
        {"model": "matching.namekey", "pk": 1, "fields": {"name": name.pk, "key": "p:old"}}
    )
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    keys = set(NameKey.objects.values_list("person_id", "key"))
    _flush_backed_up_tables()
    SearchEntry.objects.all().delete()
    NameKey.objects.all().delete()
    counts = backup_restore(path=path)
    assert "matching.namekey" not in counts and counts["people.person"] == 2
    assert set(NameKey.objects.values_list("person_id", "key")) == keys


def test_backup_keeps_restricted_fields_encrypted(recorded: dict[str, Any]) -> None:
    """A lost backup file reveals no family contact: encrypted fields stay encrypted in it."""
    stream = io.StringIO()
    backup_write(stream)
    assert "0912 000 0000" not in stream.getvalue()
    assert '"family_contact": {"sealed": ' in stream.getvalue()


def test_restoring_into_a_database_with_records_is_refused(recorded: dict[str, Any], tmp_path: Path) -> None:
    """A backup is never mixed into existing records."""
    path = tmp_path / "backup.json"
    with path.open("w", encoding="utf-8") as stream:
        backup_write(stream)
    with pytest.raises(Exception, match="empty database"):
        backup_restore(path=path)


def test_a_backup_cut_short_is_refused_with_a_message_and_nothing_restored(
    recorded: dict[str, Any], tmp_path: Path
) -> None:
    """A backup file cut short (a full disk, an interrupted copy) is refused by name, not with a parser's
    traceback, and not one of the objects read before the cut is kept."""
    path = tmp_path / "backup.json"
    with path.open("w", encoding="utf-8") as stream:
        backup_write(stream)
    text = path.read_bytes()
    path.write_bytes(text[: len(text) * 2 // 3])
    _flush_backed_up_tables()
    with pytest.raises(ValidationError, match=r"cut short or damaged.*nothing was restored"):
        backup_restore(path=path)
    assert not User.objects.exists() and not Person.objects.exists()


def test_a_backup_restored_under_another_field_key_is_refused_with_what_to_do(
    recorded: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    """Restoring without the keys the backup was written under names the key file to copy back (not
    `vigil setup`, which would make a new key that cannot read it either) and restores nothing."""
    path = tmp_path / "backup.json"
    with path.open("w", encoding="utf-8") as stream:
        backup_write(stream)
    _flush_backed_up_tables()
    settings.VIGIL_FIELD_KEYS = [Fernet.generate_key().decode("ascii")]
    with pytest.raises(ValidationError, match="copy the field-keys file it was written under") as refused:
        backup_restore(path=path)
    assert "vigil setup" not in str(refused.value)
    assert not Person.objects.exists()


def test_a_restore_walks_the_audit_log_it_restored(
    recorded: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`vigil import --backup` says at once whether the restored audit log is intact; a backup whose log was
    altered is restored as it is, and the restore ends in an error naming the first altered entry (it was
    left to the operator to run `vigil audit verify`)."""
    path = tmp_path / "backup.json"
    with path.open("w", encoding="utf-8") as stream:
        backup_write(stream)
    document = json.loads(path.read_text(encoding="utf-8"))
    _flush_backed_up_tables()
    call_command("import", str(path), "--backup")
    assert "entries, intact" in capsys.readouterr().out

    entries = [item for item in document["objects"] if item["model"] == "audit.auditentry"]
    assert entries
    entries[0]["fields"]["reason"] = "Nothing happened here"
    path.write_text(json.dumps(document), encoding="utf-8")
    _flush_backed_up_tables()
    with pytest.raises(CommandError, match=r"NOT intact: 1 problem\(s\).*first at entry 1:"):
        call_command("import", str(path), "--backup")
    assert Person.objects.filter(names__text="Ali Heydari").exists()


def test_public_json_holds_public_people_only_without_sensitive_fields(recorded: dict[str, Any]) -> None:
    """The internal person is absent; the public one has no notes, family contact or medical details."""
    stream = io.StringIO()
    assert public_people_json(stream) == 1
    people = json.loads(stream.getvalue())
    assert [person["name_en"] for person in people] == ["Ali Heydari"]
    text = stream.getvalue()
    assert "internal note" not in text and "0912" not in text and "Sara" not in text
    assert people[0]["facts"][0]["kind"] == "killed" and people[0]["sources"]


def test_public_field_lists_name_no_sensitive_field() -> None:
    """The allow-list of public person fields and the models' sensitive fields never meet."""
    assert not set(PERSON_PUBLIC_FIELDS) & set(Person.sensitive_fields)
    assert not set(PEOPLE_CSV_COLUMNS) & {"notes", "family_contact", "medical_details", "author"}


def test_public_csv_neutralises_formulas(recorded: dict[str, Any]) -> None:
    """A text starting with "-" (or =, +, @) is exported with a leading apostrophe."""
    stream = io.StringIO()
    public_people_csv(stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert len(rows) == 1 and rows[0]["summary_en"] == "'-killed in Mashhad"
    assert rows[0]["killed_on"] == "2026-01-08" and rows[0]["name_fa"] == "علی حیدری"
    assert spreadsheet_safe("=SUM(A1)") == "'=SUM(A1)" and spreadsheet_safe("Tehran") == "Tehran"


def test_public_exports_say_what_happened_even_without_a_date() -> None:
    """A person killed on an unknown day, one sentenced to death and then executed: the CSV's
    ``what_happened`` names each, with the sentence and the execution in their own columns and in the JSON."""
    from tests.factories import PersonFactory, cite, staff
    from vigil.core.dates import FuzzyDate
    from vigil.custody.services import case_open, execution_record, sentence_record
    from vigil.events.services import casualty_record

    actor = staff()
    killed = PersonFactory(names=["Abbas Kalaher"], confidentiality="public")
    casualty_record(
        person=killed,
        kind="killed",
        occurred=FuzzyDate.unknown(),
        citations=[cite()],
        actor=actor,
        reason="List",
    )
    sentenced = PersonFactory(names=["Reza Rasaei"], confidentiality="public")
    case = case_open(person=sentenced, citations=[cite()], actor=actor, reason="Court", stage="verdict")
    sentence_record(
        case=case,
        kind="death",
        issued=parse_fuzzy_date("2026-01-20"),
        citations=[cite()],
        actor=actor,
        reason="Court",
    )
    sentence_record(
        case=case,
        kind="prison",
        issued=parse_fuzzy_date("2026-01-25"),
        prison_months=60,
        citations=[cite()],
        actor=actor,
        reason="Court",
    )
    execution_record(
        person=sentenced,
        executed=FuzzyDate.unknown(),
        case=case,
        citations=[cite()],
        actor=actor,
        reason="News",
    )

    stream = io.StringIO()
    public_people_csv(stream)
    rows = {row["name_en"]: row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert (rows["Abbas Kalaher"]["what_happened"], rows["Abbas Kalaher"]["killed_on"]) == ("killed", "")
    assert rows["Reza Rasaei"]["what_happened"] == "sentence:death; sentence:prison; executed"
    # The term of a prison sentence is part of it (it read "prison 2026-01-25").
    assert rows["Reza Rasaei"]["sentences"] == "death 2026-01-20; prison 60 months 2026-01-25"
    facts = next(person for person in _json_people() if person["name_en"] == "Reza Rasaei")["facts"]
    assert {
        "kind": "sentence",
        "sentence": "death",
        "date": "2026-01-20",
        "prison_months": None,
        "lashes": None,
    } in facts
    assert {
        "kind": "sentence",
        "sentence": "prison",
        "date": "2026-01-25",
        "prison_months": 60,
        "lashes": None,
    } in facts


def _json_people() -> list[dict[str, Any]]:
    stream = io.StringIO()
    public_people_json(stream)
    people: list[dict[str, Any]] = json.loads(stream.getvalue())
    return people


def test_popolo_export_has_people_and_organizations_with_partial_dates(recorded: dict[str, Any]) -> None:
    """Popolo persons carry other names, a death date and sources; organizations carry their Persian name."""
    stream = io.StringIO()
    counts = popolo_json(stream)
    data = json.loads(stream.getvalue())
    assert counts["persons"] == 1 and counts["organizations"] > 0
    person = data["persons"][0]
    assert person["name"] == "Ali Heydari" and person["death_date"] == "2026-01-08"
    assert {"name": "علی حیدری", "note": "Birth name", "lang": "fa"} in person["other_names"]
    assert all(org["id"].startswith("organization/") for org in data["organizations"])
    assert all(source["url"] for source in person.get("sources", []))  # a Popolo link has its address


@pytest.mark.parametrize(
    ("typed", "popolo"),
    [
        ("2026-01-08", "2026-01-08"),
        ("Dey 1404", None),
        ("Bahman 1404", "2026"),
        ("1404", None),
        ("2026-02", "2026-02"),
    ],
)
def test_popolo_dates_are_partial_gregorian_dates(typed: str, popolo: str | None) -> None:
    """A Jalali month was written as an interval ("2025-12-22/2026-01-20"); Popolo takes YYYY[-MM[-DD]]:
    the part both ends share, or nothing."""
    from vigil.exchange.exports import _popolo_date

    assert _popolo_date(parse_fuzzy_date(typed)) == popolo


def test_acled_fatalities_count_only_people_the_public_may_see(recorded: dict[str, Any]) -> None:
    """A public death of a restricted person added to the event's fatalities, while the public site and
    statistics show nobody killed there: the difference told of the hidden victim."""
    Event.objects.update(confidentiality="public")

    def fatalities() -> str:
        stream = io.StringIO()
        acled_csv(stream)
        return str(next(csv.DictReader(io.StringIO(stream.getvalue())))["fatalities"])

    assert fatalities() == "1"
    Person.objects.filter(casualties__kind="killed").update(confidentiality="restricted")
    assert fatalities() == "0"


def test_acled_csv_codes_a_protest_met_with_live_fire(recorded: dict[str, Any]) -> None:
    """The event becomes an ACLED row: Protests / Excessive force, the province, the fatalities."""
    Event.objects.update(confidentiality="public")
    stream = io.StringIO()
    assert acled_csv(stream) == 1
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    row = rows[0]
    assert (row["event_date"], row["event_type"], row["sub_event_type"]) == (
        "2026-01-03", "Protests", "Excessive force against protesters"
    )  # fmt: skip
    assert row["admin1"] == "Ilam" and row["location"] == "Malekshahi" and row["fatalities"] == "1"
    assert row["source"] == "Report on Malekshahi"
    # Force against protesters: the state's forces are the second actor, named or not; the interaction is
    # the two actors' codes, lower first (it was "6", protesters alone, with no second actor).
    assert (row["actor1"], row["inter1"], row["actor2"], row["inter2"], row["interaction"]) == (
        "Protesters (Iran)", "6", "Security forces (Iran)", "1", "16"
    )  # fmt: skip


@pytest.mark.parametrize(("inter1", "inter2", "code"), [("6", "", "60"), ("6", "1", "16"), ("1", "7", "17")])
def test_acled_interaction_codes(inter1: str, inter2: str, code: str) -> None:
    from vigil.exchange.exports import _interaction

    assert _interaction(inter1, inter2) == code


def test_export_command_writes_each_kind(recorded: dict[str, Any], tmp_path: Path) -> None:
    """`vigil export --kind K --output F` writes every kind."""
    for kind in ("backup", "public-csv", "public-json", "popolo", "acled"):
        output = tmp_path / f"{kind}.out"
        call_command("export", "--kind", kind, "--output", str(output))
        assert output.stat().st_size > 0
        # CSV files open in Excel as UTF-8 (a byte-order mark first); JSON files have none.
        assert output.read_bytes().startswith(b"\xef\xbb\xbf") == (kind in ("public-csv", "acled")), kind


def test_a_backup_file_is_readable_by_its_owner_only(recorded: dict[str, Any], tmp_path: Path) -> None:
    """It holds every record and the audit log; it was written readable by every local user (0644)."""
    import os
    import stat

    from django.core.management import call_command

    path = tmp_path / "backup.json"
    old = os.umask(0o022)
    try:
        call_command("export", "--kind", "backup", "--output", str(path))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size > 1000


def test_popolo_gives_an_executed_persons_death_date(recorded: dict[str, Any], actor: User) -> None:
    """Only killings gave a death date: an executed person had none."""
    from tests.factories import PersonFactory
    from vigil.custody.services import execution_record

    reza = PersonFactory(names=["Reza Valizadeh"], confidentiality="public")
    execution = execution_record(
        person=reza, executed=parse_fuzzy_date("2026-03-01"), actor=actor, reason="t",
        citations=[CitationInput(source=Source.objects.get(url="https://x.com/a/status/1"))],
    )  # fmt: skip
    Execution.objects.filter(pk=execution.pk).update(confidentiality="public")
    stream = io.StringIO()
    popolo_json(stream)
    persons = {person["name"]: person for person in json.loads(stream.getvalue())["persons"]}
    assert persons["Reza Valizadeh"]["death_date"] == "2026-03-01"


def test_public_exports_leave_out_what_was_retracted(recorded: dict[str, Any]) -> None:
    """A retracted fact is shown as a fact nowhere public: a death, a source, an event or a person found
    false stayed in the public CSV, JSON, Popolo and ACLED files while the public site had dropped them."""
    Event.objects.update(confidentiality="public")
    ali = recorded["ali"]

    def exported() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        csv_stream, popolo_stream, acled_stream = io.StringIO(), io.StringIO(), io.StringIO()
        public_people_csv(csv_stream)
        popolo_json(popolo_stream)
        acled_csv(acled_stream)
        people = {row["name_en"]: row for row in csv.DictReader(io.StringIO(csv_stream.getvalue()))}
        persons = {person["name"]: person for person in json.loads(popolo_stream.getvalue())["persons"]}
        events = {row["event_id_cnty"]: row for row in csv.DictReader(io.StringIO(acled_stream.getvalue()))}
        return people, persons, events

    people, persons, events = exported()
    assert people["Ali Heydari"]["what_happened"] == "killed" and people["Ali Heydari"]["sources"]
    assert persons["Ali Heydari"]["death_date"] == "2026-01-08"
    assert events[f"VIGIL{recorded['event'].pk}"]["fatalities"] == "1"

    Casualty.objects.filter(person=ali).update(verification="retracted")
    Source.objects.update(verification="retracted")
    people, persons, events = exported()
    assert people["Ali Heydari"]["what_happened"] == "" and people["Ali Heydari"]["killed_on"] == ""
    assert people["Ali Heydari"]["sources"] == "" and "sources" not in persons["Ali Heydari"]
    assert "death_date" not in persons["Ali Heydari"]
    assert _json_people()[0]["facts"] == [] and _json_people()[0]["sources"] == []
    assert events[f"VIGIL{recorded['event'].pk}"]["fatalities"] == "0"

    Casualty.objects.filter(person=ali).update(verification="reported")
    Person.objects.filter(pk=ali.pk).update(verification="retracted")
    Event.objects.update(verification="retracted")
    people, persons, events = exported()
    assert people == {} and persons == {} and events == {} and _json_people() == []
