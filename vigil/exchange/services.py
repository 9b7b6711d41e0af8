"""Importing a file: save a mapping, open a batch for a file, scan it, rehearse it (dry run), import it.

How an import holds together (see docs/import-export.md):

- **Scan first.** The whole file is read and every row parsed before anything is written. A file that
  cannot be read faithfully (encoding, separators, duplicated columns, binary, too large, a fault found on
  the last line) is refused whole, and rows that contradict each other are found here.
- **Resumable, never twice.** Rows are written in chunks; each chunk is one transaction that also records
  the outcome of its rows and advances the batch. A batch is keyed by the file's SHA-256 and the mapping:
  running the same file again resumes after the last chunk committed and never writes a row twice.
- **One row, one savepoint.** A row is written whole (person, names, facts, citations) or not at all, with
  its reasons: "Row 14, column “Date of Death”: ...".
- **Dry run = rehearsal.** The dry run writes every chunk through the same services and rolls it back, so
  what it reports (created, updated, possible duplicate, rejected and why) is what the import will do.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, require
from vigil.audit.models import AuditEntry
from vigil.core.bulk import insert_records
from vigil.core.dates import Calendar
from vigil.exchange.bulk import bulk_eligible, known_external_ids, write_new_people
from vigil.exchange.duplicates import duplicate_finder
from vigil.exchange.fields import DATASET_DEFAULTS, SOURCE_DEFAULTS, fields_for
from vigil.exchange.lookups import Lookups
from vigil.exchange.mapped import Cells, error_text
from vigil.exchange.models import ImportBatch, ImportMapping, ImportRow, OnDuplicate, RowOutcome, Target
from vigil.exchange.other_rows import read_event_row, read_figure_row, write_event_row, write_figure_row
from vigil.exchange.people_rows import PersonPlan, read_person_row, write_person_row
from vigil.exchange.readers import FileRefused, Table, open_table
from vigil.exchange.rowkit import RowContext, RowResult
from vigil.exchange.scan import IdentityIndex
from vigil.people.models import Person
from vigil.reports.summary import summary_batch

DEFAULT_CHUNK_ROWS = 1000
# A chunk is one transaction, which holds SQLite's write lock: chunks are sized (at most ``chunk_rows``) to
# last about this long at the pace of the chunks before, so that a documenter saving, or signing in, while a
# long file imports waits a few seconds, not until the import ends, nor longer than SQLite waits (20 s). At
# the usual pace a chunk is its full 1,000 rows; smaller chunks cost each one's queries and commit again.
CHUNK_SECONDS = 3.0
_FIRST_CHUNK_ROWS, _FEWEST_CHUNK_ROWS = 200, 20
# The scan keeps the rows it parsed for the write pass that follows it, up to this many (about 2 kB a row)
# and this much text (a file of long notes: 10,000 rows of 18 kB took a gigabyte), so that a file's rows are
# parsed once; rows beyond are parsed again when they are written.
KEPT_READS = 25_000
KEPT_CHARS = 20 * 1024 * 1024
_HASH_CHUNK = 1024 * 1024
_IMPORT_PAGE_CACHE_KIB = 256 * 1024
_IMPORT_CHECKPOINT_PAGES = 20_000
# PostgreSQL's statistics are gathered again when an import has added this many people, or as many as were
# recorded when they were last gathered (``_Statistics``).
_ANALYZE_AFTER_ROWS = 2_000
_SCAN_PROGRESS_EVERY = 1000

Progress = Callable[[str, int, int | None], None]
# A row parsed: its plan, and the faults and warnings of its cells.
_Parsed = tuple[Any, list[str], list[str]]

_HANDLERS: dict[str, tuple[Callable[..., Any], Callable[..., RowResult]]] = {
    Target.PEOPLE: (read_person_row, write_person_row),
    Target.DETENTIONS: (read_person_row, write_person_row),
    Target.STATUSES: (read_person_row, write_person_row),
    Target.CASUALTIES: (read_person_row, write_person_row),
    Target.EVENTS: (read_event_row, write_event_row),
    Target.FIGURES: (read_figure_row, write_figure_row),
}
# Which mapped fields a service's field error belongs to, to name the column in the message.
_SERVICE_FIELDS = {
    "arrested_on": ("arrested_on", "date"),
    "occurred_on": ("date",),
    "executed_on": ("date",),
    "issued_on": ("date",),
    "released_on": ("released_on",),
    "started_on": ("status_since", "started", "date"),
    "ended_on": ("status_until", "ended"),
    "birth_on": ("birth",),
    "reported_age": ("age",),
    "age_reported": ("age",),
    "age_reported_on": ("age_reported_on", "age"),
    "names": ("name",),
    "text": ("name",),
    "url": ("source_url",),
    "published_on": ("published_on", "source_published_on"),
    "period_end": ("period_end", "published_on"),
    "period_start": ("period_start",),
    "value": ("value",),
}


class BatchBusy(Exception):
    """Another process is importing the same batch."""


@dataclass
class MappingSpec:
    name: str
    target: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    calendar: str = ""
    defaults: dict[str, Any] | None = None
    external_namespace: str = ""
    on_duplicate: str = OnDuplicate.CREATE


def _namespace_for(mapping: ImportMapping) -> str:
    """The namespace of a mapping that reads the file's own IDs and names none: its name, which next week's
    file reuses (without one the IDs would be read and forgotten, and the next file could not find its
    people by them); none when no column holds IDs."""
    if "external_id" not in mapping.columns.values():
        return ""
    limit = ImportMapping._meta.get_field("external_namespace").max_length or 50
    # A name with no Latin letters to slug (a Persian one) gets its own: two such mappings must not share.
    digest = hashlib.sha256(mapping.name.encode()).hexdigest()[:8]
    return slugify(mapping.name)[:limit].strip("-") or f"import-{digest}"


@transaction.atomic
def mapping_save(*, actor: User | None, spec: MappingSpec, reason: str = "") -> ImportMapping:
    """Create or replace the mapping of this name, refusing fields the target does not have. Whoever may
    add people may save a mapping (it writes no record by itself; the import's rows are checked one by one)."""
    require(actor, Action.ADD, Person)
    if spec.target not in Target.values:
        raise ValidationError(
            _("“%(target)s” is not an import target; choose one of %(known)s."),
            params={"target": spec.target, "known": ", ".join(Target.values)},
        )
    known = fields_for(spec.target)
    for column, field in spec.columns.items():
        if field and field not in known:
            raise ValidationError(
                _(
                    "Column “%(column)s” is mapped to “%(field)s”, which %(target)s do not have. Fields: %(known)s."
                ),
                params={"column": column, "field": field, "target": spec.target, "known": ", ".join(known)},
            )
    for field in [*(spec.values or {}), *(spec.defaults or {})]:
        if field not in known and field not in DATASET_DEFAULTS and field not in SOURCE_DEFAULTS:
            raise ValidationError(
                _("“%(field)s” in the values or defaults is not a field of %(target)s."),
                params={"field": field, "target": spec.target},
            )
    mapping = ImportMapping.objects.filter(name=spec.name).first() or ImportMapping(name=spec.name)
    mapping.target = spec.target
    mapping.columns = {str(column): str(field) for column, field in spec.columns.items() if field}
    mapping.values = spec.values or {}
    mapping.calendar = spec.calendar or ""
    mapping.defaults = spec.defaults or {}
    mapping.external_namespace = spec.external_namespace or _namespace_for(mapping)
    mapping.on_duplicate = spec.on_duplicate or OnDuplicate.CREATE
    # A mapping is configuration, not a documented record: history (author, reason) without the record
    # permissions and audit of ``save_with_history``.
    mapping.full_clean()
    mapping._history_user = actor  # type: ignore[attr-defined]
    mapping._change_reason = reason or _("Import mapping saved")  # type: ignore[attr-defined]
    mapping.save()
    return mapping


def mapping_spec_from_json(text: str) -> MappingSpec:
    """A mapping as written in a file (see docs/import-export.md for the format)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The mapping file is not valid JSON: %(error)s"), params={"error": error}
        ) from error
    missing = [key for key in ("name", "target", "columns") if key not in data]
    if missing:
        raise ValidationError(_("The mapping file lacks %(keys)s."), params={"keys": ", ".join(missing)})
    calendar = data.get("calendar", "")
    if calendar and calendar not in Calendar.values:
        raise ValidationError(
            _("Calendar “%(calendar)s” is not jalali or gregorian."), params={"calendar": calendar}
        )
    return MappingSpec(
        name=data["name"],
        target=data["target"],
        columns=data["columns"],
        values=data.get("values", {}),
        calendar=calendar,
        defaults=data.get("defaults", {}),
        external_namespace=data.get("external_namespace", ""),
        on_duplicate=data.get("on_duplicate", OnDuplicate.CREATE),
    )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def batch_open(
    *, mapping: ImportMapping, path: Path, actor: User | None, file_name: str | None = None
) -> ImportBatch:
    """The batch of this file with this mapping: the earlier one when the same file was imported (or
    started) before, so that running it again resumes instead of duplicating."""
    digest = file_digest(path)
    batch, created = ImportBatch.objects.get_or_create(
        file_sha256=digest,
        mapping=mapping,
        defaults={
            "file_name": file_name or path.name,
            "file_path": str(path),
            "file_size": path.stat().st_size,
            "created_by": actor,
        },
    )
    if not created and batch.file_path != str(path) and not _holds(Path(batch.file_path), digest):
        # The file first given has gone or changed since; this one is the same file as it was then.
        batch.file_path, batch.file_name = str(path), file_name or path.name
        batch.save(update_fields=["file_path", "file_name"])
    return batch


def _holds(path: Path, digest: str) -> bool:
    return path.exists() and file_digest(path) == digest


def _set_state(batch: ImportBatch, state: str, **fields: Any) -> None:
    batch.state = state
    batch.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["state", "heartbeat_at", *fields])


def _open(batch: ImportBatch) -> Table:
    path = Path(batch.file_path)
    if not path.exists():
        raise FileRefused(_("The file of this import is no longer at %(path)s."), params={"path": path})
    if file_digest(path) != batch.file_sha256:
        raise FileRefused(_("The file at %(path)s has changed since it was uploaded."), params={"path": path})
    return open_table(path, file_name=batch.file_name)


def batch_scan(
    batch: ImportBatch,
    *,
    progress: Progress | None = None,
    lookups: Lookups | None = None,
    keep: dict[int, _Parsed] | None = None,
    start_after: int = 0,
) -> ImportBatch:
    """Read the whole file, parse every row and compare rows with each other; write nothing but the
    batch's own state. Raises ``FileRefused`` (and marks the batch refused) for a file that cannot be
    imported faithfully. ``keep`` receives the rows parsed after ``start_after`` (up to ``KEPT_READS`` rows
    and ``KEPT_CHARS`` of their text), for the write pass."""
    _set_state(batch, ImportBatch.State.SCANNING, error="", rows_scanned=0)
    try:
        table = _open(batch)
        notices = list(table.notices)
        mapping = batch.mapping
        missing = [column for column in mapping.columns if column not in table.header]
        if missing:
            raise FileRefused(
                _(
                    "The mapping “%(mapping)s” expects the columns %(missing)s, which “%(file)s” does not "
                    "have. Its columns are: %(columns)s."
                ),
                code="missing_columns",
                params={
                    "mapping": mapping.name,
                    "missing": ", ".join(f"“{column}”" for column in missing),
                    "file": batch.file_name,
                    "columns": ", ".join(f"“{column}”" for column in table.header if column),
                },
            )
        unmapped = [column for column in table.header if column and column not in mapping.columns]
        if unmapped:
            notices.append(
                _("These columns are not mapped and are not imported: %(columns)s.")
                % {"columns": ", ".join(f"“{column}”" for column in unmapped)}
            )
        index = IdentityIndex()
        rows = kept = 0
        context = _context(batch, None, dry_run=True, lookups=lookups)
        read, _write = _HANDLERS[mapping.target]
        by_field = Cells.columns_by_field(mapping)
        for number, row in table.rows():
            rows += 1
            cells = Cells(mapping, row, by_field=by_field)
            plan = read(cells, number, mapping.target, context)
            if keep is not None and number > start_after and len(keep) < KEPT_READS and kept < KEPT_CHARS:
                keep[number] = (plan, cells.errors, cells.warnings)
                kept += sum(map(len, row.values()))
            if isinstance(plan, PersonPlan) and not cells.errors:
                index.add(
                    number=number,
                    external_id=plan.external_id,
                    display_name=plan.names[0] if plan.names else plan.external_id,
                    **plan.identity(),
                )
            if rows % _SCAN_PROGRESS_EVERY == 0:
                ImportBatch.objects.filter(pk=batch.pk).update(rows_scanned=rows, heartbeat_at=timezone.now())
                if progress:
                    progress("scan", rows, None)
    except FileRefused as refusal:
        _set_state(batch, ImportBatch.State.REFUSED, error=" ".join(error_text(refusal)))
        raise
    _set_state(
        batch,
        ImportBatch.State.CHECKED if batch.rows_done == 0 else batch.state,
        total_rows=rows,
        rows_scanned=rows,
        conflicts=index.findings,
        notice="\n".join(notices),
    )
    if progress:
        progress("scan", rows, rows)
    return batch


def _context(
    batch: ImportBatch, actor: User | None, *, dry_run: bool, lookups: Lookups | None = None
) -> RowContext:
    """The context rows are written in. The scan and the write pass of one run share ``lookups``: places
    and terms are read-only, and the sources it caches are only those already committed."""
    return RowContext(
        batch=batch, actor=actor, lookups=lookups or Lookups(), finder=duplicate_finder(), dry_run=dry_run
    )


def batch_dry_run(
    batch: ImportBatch,
    *,
    actor: User | None,
    progress: Progress | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> dict[str, int]:
    """Scan, then rehearse every row through the services and roll each chunk back. The outcome of every
    row is kept (as dry-run rows of the batch) for the staff screen and the command line."""
    with _tuned_for_importing():
        return _dry_run(batch, actor=actor, progress=progress, chunk_rows=chunk_rows)


def _dry_run(
    batch: ImportBatch, *, actor: User | None, progress: Progress | None, chunk_rows: int
) -> dict[str, int]:
    lookups = Lookups()
    reads: dict[int, _Parsed] = {}
    batch_scan(batch, progress=progress, lookups=lookups, keep=reads)
    ImportRow.objects.filter(batch=batch, dry_run=True).delete()
    _set_state(batch, ImportBatch.State.REHEARSING)
    _write_pass(
        batch,
        actor=actor,
        dry_run=True,
        progress=progress,
        chunk_rows=chunk_rows,
        lookups=lookups,
        reads=reads,
    )
    _set_state(batch, ImportBatch.State.CHECKED if batch.rows_done == 0 else batch.state)
    return batch_counts(batch, dry_run=True)


def batch_import(
    batch: ImportBatch,
    *,
    actor: User | None,
    progress: Progress | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    stop_after_rows: int | None = None,
) -> dict[str, int]:
    """Scan, then import the rows not yet done, a chunk per transaction. ``stop_after_rows`` ends the run
    early (at a chunk boundary): the staff screen and tests use it; running again resumes."""
    with _tuned_for_importing():
        return _import(
            batch, actor=actor, progress=progress, chunk_rows=chunk_rows, stop_after_rows=stop_after_rows
        )


def _import(
    batch: ImportBatch,
    *,
    actor: User | None,
    progress: Progress | None,
    chunk_rows: int,
    stop_after_rows: int | None,
) -> dict[str, int]:
    reads: dict[int, _Parsed] = {}
    batch_scan(batch, progress=progress, keep=reads, start_after=batch.rows_done)
    _set_state(batch, ImportBatch.State.IMPORTING)
    finished = _write_pass(
        batch,
        actor=actor,
        dry_run=False,
        progress=progress,
        chunk_rows=chunk_rows,
        stop_after_rows=stop_after_rows,
        reads=reads,
    )
    if finished:
        _set_state(batch, ImportBatch.State.DONE, finished_at=timezone.now())
    return batch_counts(batch, dry_run=False)


@contextmanager
def _tuned_for_importing() -> Iterator[None]:
    """For an import's length: Python's garbage collector runs every 10,000 new objects, not every 700 (an
    import makes and drops millions of small objects, very few of them in cycles, and collecting them cost
    it a tenth of its time; memory grows by a few megabytes at most); SQLite keeps up to 256 MB of pages
    in memory, not 2 MB (taken as needed: the indexes an import adds to outgrow a small cache, and every
    insert then reads pages back), and copies its write-ahead log into the database every 20,000 pages,
    not 1,000 (each chunk rewrites pages of indexes with random keys; copied less often, a page rewritten
    by several chunks is copied once: 7 % of the time at 40,000 rows)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 10_000), *thresholds[1:])
    pages = checkpoint = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")  # pages, or KiB when negative
            pages = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA page_size")
            kib = -pages if pages < 0 else pages * int(cursor.fetchone()[0]) // 1024
            if kib < _IMPORT_PAGE_CACHE_KIB:
                cursor.execute(f"PRAGMA cache_size = -{_IMPORT_PAGE_CACHE_KIB}")
            cursor.execute("PRAGMA wal_autocheckpoint")
            checkpoint = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA wal_autocheckpoint = {max(checkpoint, _IMPORT_CHECKPOINT_PAGES)}")
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if pages is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {pages}")
                cursor.execute(f"PRAGMA wal_autocheckpoint = {checkpoint}")


def _write_pass(
    batch: ImportBatch,
    *,
    actor: User | None,
    dry_run: bool,
    progress: Progress | None,
    chunk_rows: int,
    stop_after_rows: int | None = None,
    lookups: Lookups | None = None,
    reads: dict[int, _Parsed] | None = None,
) -> bool:
    """Write (or rehearse) the rows after ``rows_done``; True when the end of the file was reached.
    ``reads``: rows the scan parsed, taken from it instead of parsed again."""
    table = _open(batch)
    context = _context(batch, actor, dry_run=dry_run, lookups=lookups)
    start_after = 0 if dry_run else batch.rows_done
    done = ImportRow.objects.filter(batch=batch, dry_run=dry_run).count()
    written = 0
    reads = reads if reads is not None else {}
    sizes = _ChunkSizes(chunk_rows)
    statistics = _Statistics(on=not dry_run)
    for chunk in _chunks(table.rows(), sizes, start_after):
        started = time.perf_counter()
        if dry_run:
            _rehearse_chunk(batch, context, chunk, reads)
        else:
            _import_chunk(batch, context, chunk, reads)
        sizes.took(len(chunk), time.perf_counter() - started)
        statistics.grew(len(chunk))
        done += len(chunk)
        written += len(chunk)
        if progress:
            progress("dry-run" if dry_run else "import", done, batch.total_rows)
        if stop_after_rows is not None and written >= stop_after_rows:
            return False
    return True


class _Statistics:
    """On PostgreSQL, the planner's statistics of the tables an import fills and reads again chunk after
    chunk, gathered again (``ANALYZE``) whenever the import has doubled the people recorded since they were
    last gathered, as PostgreSQL's guide advises after loading data. Autovacuum gathers them on its own
    schedule, which an import outruns (and some servers run without it): planned from a table's size of
    minutes before, or from no statistics at all, each chunk's lookups of a thousand people read whole
    tables instead of their indexes (100,000 rows into an empty database read the name keys 219 times,
    155 million rows, the report summary 113 million, the names 22 million)."""

    TABLES = ("people.Person", "people.NameVariant", "matching.NameKey", "custody.Detention",
              "custody.StatusObservation", "events.Casualty", "sources.Citation", "reports.NamedSummary",
              "search.SearchEntry", "exchange.ExternalId", "exchange.ImportRow")  # fmt: skip

    def __init__(self, *, on: bool) -> None:
        self.on = on and connection.vendor == "postgresql"
        self.people = Person.objects.count() if self.on else 0
        self.added = 0

    def grew(self, rows: int) -> None:
        if not self.on:
            return
        self.added += rows
        if self.added < max(_ANALYZE_AFTER_ROWS, self.people):
            return
        tables = [apps.get_model(label)._meta.db_table for label in self.TABLES]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
        self.people += self.added
        self.added = 0


class _ChunkSizes:
    """How many rows the next chunk takes: about ``CHUNK_SECONDS`` of work at the pace measured so far."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.next = min(most, _FIRST_CHUNK_ROWS)

    def took(self, rows: int, seconds: float) -> None:
        paced = int(rows / max(seconds, 1e-3) * CHUNK_SECONDS)
        self.next = min(self.most, max(_FEWEST_CHUNK_ROWS, paced))


def _chunks(
    rows: Iterator[tuple[int, dict[str, str]]], sizes: _ChunkSizes, start_after: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for number, row in rows:
        if number <= start_after:
            continue
        chunk.append((number, row))
        if len(chunk) >= sizes.next:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rehearse_chunk(
    batch: ImportBatch,
    context: RowContext,
    chunk: list[tuple[int, dict[str, str]]],
    reads: dict[int, _Parsed],
) -> None:
    with transaction.atomic():
        with summary_batch():
            results = _write_rows(batch, context, chunk, reads)
        transaction.set_rollback(True)
    context.lookups.forget_written()
    ImportRow.objects.bulk_create([result.as_row(batch, dry_run=True) for result in results])
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())


def _import_chunk(
    batch: ImportBatch,
    context: RowContext,
    chunk: list[tuple[int, dict[str, str]]],
    reads: dict[int, _Parsed],
) -> None:
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.rows_done != batch.rows_done:
            raise BatchBusy(
                _("Another process is importing “%(file)s” (now after row %(row)s); this one stops.")
                % {"file": batch.file_name, "row": locked.rows_done}
            )
        with summary_batch():  # the report summary: each person recounted once a chunk, not once a fact
            results = _write_rows(batch, context, chunk, reads)
        insert_records([result.as_row(batch, dry_run=False) for result in results])
        context.queue_flagged(results)
        batch.rows_done = chunk[-1][0]
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["rows_done", "heartbeat_at"])


@dataclass
class _Read:
    """A row read and parsed: its plan, or the result that rejects it before anything is written."""

    number: int
    plan: Any
    warnings: list[str]
    rejected: RowResult | None


def _read_row(
    batch: ImportBatch, context: RowContext, number: int, row: dict[str, str], reads: dict[int, _Parsed]
) -> _Read:
    parsed = reads.pop(number, None)
    if parsed is None:
        mapping = batch.mapping
        read, _write = _HANDLERS[mapping.target]
        cells = Cells(mapping, row, by_field=Cells.columns_by_field(mapping))
        parsed = (read(cells, number, mapping.target, context), cells.errors, cells.warnings)
    plan, errors, cell_warnings = parsed
    warnings = [_row_message(number, warning) for warning in cell_warnings]
    rejected = None
    if errors:
        rejected = RowResult(
            number, messages=[_row_message(number, error) for error in errors], warnings=warnings
        )
    elif (finding := (batch.conflicts or {}).get(str(number))) and finding["kind"] == "contradiction":
        rejected = RowResult(number, messages=[finding["message"]], warnings=warnings)
    return _Read(number, plan, warnings, rejected)


def _write_rows(
    batch: ImportBatch,
    context: RowContext,
    chunk: list[tuple[int, dict[str, str]]],
    reads: dict[int, _Parsed],
) -> list[RowResult]:
    """Write a chunk's rows in file order: runs of rows that only create new people together
    (``vigil.exchange.bulk``; the setting ``VIGIL_IMPORT_BULK = False`` turns this off), every other row
    through the services one by one."""
    target = batch.mapping.target
    rows = [_read_row(batch, context, number, row, reads) for number, row in chunk]
    plans = [row.plan for row in rows if row.rejected is None and isinstance(row.plan, PersonPlan)]
    known = known_external_ids(plans, context)
    together = getattr(settings, "VIGIL_IMPORT_BULK", True)
    results: list[RowResult] = []
    run: list[_Read] = []
    for row in rows:
        if row.rejected is not None:
            results.append(row.rejected)
        elif together and isinstance(row.plan, PersonPlan) and bulk_eligible(row.plan, target, known):
            run.append(row)
            continue
        else:
            results += _write_run(batch, context, run)
            run = []
            results.append(_write_row(batch, context, row))
    return results + _write_run(batch, context, run)


def _write_run(batch: ImportBatch, context: RowContext, run: list[_Read]) -> list[RowResult]:
    """A run of new people in one go; should the database refuse it, row by row, to say which and why."""
    if not run:
        return []
    by_field = Cells.columns_by_field(batch.mapping)
    try:
        with transaction.atomic():
            answers = write_new_people([row.plan for row in run], batch.mapping.target, context)
    except (IntegrityError, ValidationError, PermissionDenied):
        context.drop_row()
        return [_write_row(batch, context, row) for row in run]
    context.keep_row()
    results = []
    for row, answer in zip(run, answers, strict=True):
        if isinstance(answer, ValidationError):
            answer = RowResult(row.number, messages=_service_messages(row.number, answer, by_field))
        answer.messages = [_row_message(row.number, message) for message in answer.messages]
        answer.warnings = row.warnings
        results.append(answer)
    return results


def _write_row(batch: ImportBatch, context: RowContext, row: _Read) -> RowResult:
    """One row through the services, in a savepoint: written whole or not at all."""
    number, warnings = row.number, row.warnings
    _read, write = _HANDLERS[batch.mapping.target]
    audited = _last_audit_entry()
    try:
        with transaction.atomic():
            result = write(row.plan, batch.mapping.target, context)
            # Every change a service makes is in the audit log: none, and the row only repeated what
            # Vigil had (next week's version of a list).
            if result.outcome == RowOutcome.UPDATED and _last_audit_entry() == audited:
                result.outcome = RowOutcome.UNCHANGED
    except ValidationError as error:
        context.drop_row()
        by_field = Cells.columns_by_field(batch.mapping)
        return RowResult(number, messages=_service_messages(number, error, by_field), warnings=warnings)
    except PermissionDenied as refusal:
        context.drop_row()
        return RowResult(number, messages=[_row_message(number, str(refusal))], warnings=warnings)
    context.keep_row()
    result.messages = [_row_message(number, message) for message in result.messages]
    result.warnings = warnings
    return result


def batch_rows_with_messages(batch: ImportBatch, *, dry_run: bool) -> QuerySet[ImportRow]:
    """The rows of a batch (or of its dry run) that carry a message, in the file's order."""
    return ImportRow.objects.filter(batch=batch, dry_run=dry_run).exclude(messages=[]).order_by("number")


def _last_audit_entry() -> int | None:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()


def _row_message(number: int, message: str) -> str:
    """A message about a cell (it starts with where it is, in lower case) reads "Row 3, column “Age”: …",
    one about the row as a whole (a sentence) "Row 3: …"."""
    if message.startswith(_("Row")):
        return message
    column = (_("column “%(column)s”") % {"column": ""})[:-1]
    if message.startswith(column) or message[:1].islower():
        return _("Row %(row)s, %(message)s") % {"row": number, "message": message}
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def _service_messages(number: int, error: ValidationError, by_field: dict[str, list[str]]) -> list[str]:
    """A service's refusal, naming the column it is about when the mapping tells which."""
    if not hasattr(error, "error_dict"):
        return [_row_message(number, message) for message in error_text(error)]
    messages = []
    for field, errors in error.error_dict.items():
        columns = [column for code in _SERVICE_FIELDS.get(field, ()) for column in by_field.get(code, [])]
        where = _("column “%(column)s”") % {"column": columns[0]} if columns else ""
        for message in error_text(ValidationError(errors)):
            messages.append(_row_message(number, f"{where}: {message}" if where else message))
    return messages


def batch_counts(batch: ImportBatch, *, dry_run: bool) -> dict[str, int]:
    """How many rows ended each way (created, updated, flagged, skipped, rejected), and in all."""
    counts = dict.fromkeys(RowOutcome.values, 0)
    for entry in (
        ImportRow.objects.filter(batch=batch, dry_run=dry_run).values("outcome").annotate(n=Count("id"))
    ):
        counts[entry["outcome"]] = entry["n"]
    counts["rows"] = sum(counts[outcome] for outcome in RowOutcome.values)
    return counts
