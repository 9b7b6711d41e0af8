"""Rows that create new people are written together (one insert per table). Whichever way a row is written,
together or one by one through the services, it must leave the same records, names, facts, citations,
history, audit entries, search and matching index, and the same refusals: the tests below run both ways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError

from tests.factories import staff
from tests.reports.test_summary import assert_summary_is_what_a_rebuild_makes, summary_rows
from vigil.accounts.models import User
from vigil.accounts.permissions import Refused
from vigil.accounts.roles import Role
from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_verify
from vigil.core.services import create_many_with_history
from vigil.custody.models import Detention, StatusObservation
from vigil.exchange import services as import_services
from vigil.exchange.models import ImportMapping, ImportRow
from vigil.exchange.services import MappingSpec, batch_import, batch_open, mapping_save
from vigil.matching.selectors import match_candidates_for
from vigil.people.models import NameVariant, Person
from vigil.search.selectors import search_person_ids
from vigil.sources.models import Citation, Source

pytestmark = pytest.mark.django_db

WriteCsv = Callable[..., Path]

COLUMNS = {
    "id": "external_id",
    "name_fa": "name",
    "name_en": "name",
    "arrested": "arrested_on",
    "prison": "facility",
    "status": "status",
    "since": "status_since",
    "link": "source_url",
}
ROWS = [
    ["1", "نرگس محمدی", "Narges Mohammadi", "2026-01-02", "Evin", "incommunicado", "2026-01-03", "https://t.me/a/1"],
    ["2", "رضا کریمی", "Reza Karimi", "1404/10/12", "Evin", "hunger_strike", "1404/10/14", "https://t.me/a/1"],
    # A status observed before the arrest: refused by the status's own check, for this row alone.
    ["3", "سارا احمدی", "Sara Ahmadi", "2026-01-05", "Evin", "solitary_confinement", "2026-01-01", "https://t.me/a/2"],
    ["4", "مهدی رحیمی", "Mehdi Rahimi", "2026-01-06", "", "whereabouts_unknown", "", "https://t.me/a/3"],
    # The same file ID again: the second row adds a name and a source to the first row's person.
    ["1", "نرگس محمدي", "Narges Mohamadi", "2026-01-02", "Evin", "", "", "https://t.me/a/4"],
]  # fmt: skip
BOTH_WAYS = pytest.mark.parametrize("together", [True, False], ids=["together", "one-by-one"])


@pytest.fixture
def detentions_mapping(actor: User) -> ImportMapping:
    return mapping_save(
        actor=actor,
        spec=MappingSpec(
            name="weekly", target="detentions", columns=COLUMNS, values={}, external_namespace="weekly"
        ),
    )


def _import(mapping: ImportMapping, write_csv: WriteCsv, actor: User, rows: list[list[str]] = ROWS) -> Path:
    path = write_csv(rows, header=list(COLUMNS))
    batch_import(batch_open(mapping=mapping, path=path, actor=actor), actor=actor)
    return path


def _outcomes(path: Path) -> list[tuple[int, str]]:
    rows = ImportRow.objects.filter(batch__file_name=path.name, dry_run=False).order_by("number")
    return [(row.number, row.outcome) for row in rows]


@BOTH_WAYS
def test_rows_are_created_refused_and_updated_the_same_either_way(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """Four new people, one refused with its reason, and a repeated file ID updating the first person."""
    settings.VIGIL_IMPORT_BULK = together
    path = _import(detentions_mapping, write_csv, actor)
    assert _outcomes(path) == [
        (2, "created"),
        (3, "created"),
        (4, "rejected"),
        (5, "created"),
        (6, "updated"),
    ]
    refusal = ImportRow.objects.get(number=4).messages
    assert (
        refusal
        == [
            "Row 4, column “since”: Status “Solitary confinement” starting 2026-01-01 is before the arrest date "
            "2026-01-05."
        ]
        or "before the arrest date" in refusal[0]
    )
    narges = Person.objects.get(names__text="Narges Mohammadi")
    assert set(narges.names.values_list("text", flat=True)) == {
        "Narges Mohammadi", "نرگس محمدی", "Narges Mohamadi", "نرگس محمدي",
    }  # fmt: skip
    detention = Detention.objects.get(person=narges)
    assert detention.facility is not None and detention.facility.name_en.startswith("Evin")
    assert list(detention.statuses.values_list("status__code", flat=True)) == ["incommunicado"]
    mehdi = Person.objects.get(names__text="Mehdi Rahimi")
    assert StatusObservation.objects.get(detention__person=mehdi).status.code == "whereabouts_unknown"
    assert not Person.objects.filter(names__text="Sara Ahmadi").exists()
    assert Person.objects.count() == 3 and Source.objects.count() == 3


@BOTH_WAYS
def test_every_record_has_its_history_audit_entry_and_citations(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """Each created record has one history row with the importing user and the row's reason, one audit
    entry, and (for facts) a citation of the row's link; the audit chain stays intact."""
    settings.VIGIL_IMPORT_BULK = together
    _import(detentions_mapping, write_csv, actor, ROWS[:2])
    for model in (Person, NameVariant, Detention, StatusObservation, Citation, Source):
        for record in model.objects.all():
            history = record.history.get()
            assert history.history_user == actor and history.history_type == "+"
            assert history.history_change_reason.startswith("Imported from “file.csv”, row ")
            entry = AuditEntry.objects.get(object_type=model._meta.label_lower, object_id=str(record.pk))
            assert entry.action == "create" and entry.actor_id == actor.pk
    for fact in (*Person.objects.all(), *Detention.objects.all(), *StatusObservation.objects.all()):
        cited = Citation.objects.filter(object_id=fact.pk, content_type__model=fact._meta.model_name)
        assert [citation.source.url for citation in cited] == ["https://t.me/a/1"]
    assert audit_verify().intact


@BOTH_WAYS
def test_audit_entries_describe_records_as_they_read_back(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """Each imported record's audit entry describes it as it reads back from the database (a detention by
    its person's name and date; a person, written before their names, by number), whichever way it was
    written."""
    settings.VIGIL_IMPORT_BULK = together
    _import(detentions_mapping, write_csv, actor, ROWS[:2])
    for model in (Person, NameVariant, Detention, StatusObservation, Citation, Source):
        for record in model.objects.all():
            entry = AuditEntry.objects.get(object_type=model._meta.label_lower, object_id=str(record.pk))
            assert entry.object_repr == (f"#{record.pk}" if model is Person else str(record)[:200])


@BOTH_WAYS
def test_imported_people_are_found_by_search_and_by_the_matcher(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """The search index and the matcher's name keys follow rows written together as they follow saves."""
    settings.VIGIL_IMPORT_BULK = together
    _import(detentions_mapping, write_csv, actor, ROWS[:2])
    reza = Person.objects.get(names__text="Reza Karimi")
    assert reza.pk in search_person_ids(viewer=actor, query="رضا کریمی")
    candidates = match_candidates_for(names=["Reza Kareemi"], viewer=actor)
    assert [candidate.person for candidate in candidates[:1]] == [reza]


@BOTH_WAYS
def test_a_second_import_flags_people_already_recorded(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """A later file naming someone already recorded (another spelling, another file ID) is flagged."""
    settings.VIGIL_IMPORT_BULK = together
    _import(detentions_mapping, write_csv, actor, ROWS[:1])
    again = [["9", "", "Narges Mohamadi", "2026-01-02", "Evin", "", "", "https://t.me/a/9"]]
    path = write_csv(again, header=list(COLUMNS), name="later.csv")
    counts = batch_import(batch_open(mapping=detentions_mapping, path=path, actor=actor), actor=actor)
    assert counts["flagged"] == 1
    message = ImportRow.objects.get(batch__file_name="later.csv").messages[0]
    assert message.startswith("Row 2: Possible duplicate of #") and "Narges Mohammadi" in message


def test_a_run_the_database_refuses_is_written_row_by_row(
    detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the database refuse rows written together (a constraint no builder checks), the run is rolled
    back and its rows written one by one, so each is imported or refused with its own reason."""
    calls: list[int] = []

    def refuse_once(plans: Any, target: str, context: Any) -> Any:
        calls.append(len(plans))
        raise IntegrityError("UNIQUE constraint failed (as a database would say)")

    monkeypatch.setattr(import_services, "write_new_people", refuse_once)
    path = _import(detentions_mapping, write_csv, actor, ROWS[:3])
    assert calls == [3]
    assert _outcomes(path) == [(2, "created"), (3, "created"), (4, "rejected")]
    assert Person.objects.count() == 2


def test_bulk_creation_checks_the_permission_of_each_record(db: Any) -> None:
    """A viewer may add nothing: records written together are refused (and the refusal audited) as a save
    would be, and nothing is written."""
    viewer = staff(Role.VIEWER, restricted=False)
    with pytest.raises(Refused):
        create_many_with_history([Person(gender="female")], actor=viewer, reasons=["test"])
    assert not Person.objects.exists()
    assert AuditEntry.objects.filter(action="refused", actor_id=viewer.pk).exists()


def test_bulk_creation_needs_a_reason_for_every_record(actor: User) -> None:
    """Every record needs a reason, as with ``save_with_history``."""
    with pytest.raises(Exception, match="Every change needs a reason"):
        create_many_with_history([Person(), Person()], actor=actor, reasons=["one", " "])
    assert not Person.objects.exists()


@BOTH_WAYS
def test_the_report_summary_counts_imported_people_as_a_rebuild_would(
    together: bool, detentions_mapping: ImportMapping, write_csv: WriteCsv, actor: User, settings: Any
) -> None:
    """The named-individual summary behind the situation report follows rows written either way."""
    settings.VIGIL_IMPORT_BULK = together
    _import(detentions_mapping, write_csv, actor)
    kept = summary_rows()
    assert {row[0] for row in kept} == set(Person.objects.values_list("pk", flat=True))
    assert_summary_is_what_a_rebuild_makes()
