"""Import mappings (saved, since a group sends the same layout every week), import batches (one file read
with one mapping, resumable) and the outcome of each of their rows; external identifiers that let a later
version of the same spreadsheet update what an earlier one created."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import Calendar
from vigil.core.models import PlainCharField


class Target(models.TextChoices):
    """What one row of a file describes."""

    PEOPLE = "people", _("People (with what happened to them)")
    DETENTIONS = "detentions", _("Detentions")
    STATUSES = "statuses", _("Custody statuses")
    CASUALTIES = "casualties", _("Casualties (killed or injured)")
    EVENTS = "events", _("Events")
    FIGURES = "figures", _("Reported figures")


class OnDuplicate(models.TextChoices):
    CREATE = "create", _("Create it and flag it for review")
    SKIP = "skip", _("Skip the row")


class ImportMapping(models.Model):
    """Which column of a file goes to which field, how to read its dates and values, and defaults."""

    name = PlainCharField(_("name"), max_length=200, unique=True)
    target = models.CharField(_("each row is"), max_length=12, choices=Target.choices)
    columns = models.JSONField(_("columns"), default=dict, help_text=_("Column name → field code."))
    values = models.JSONField(
        _("value translations"),
        default=dict,
        blank=True,
        help_text=_("Field code → {value in the file → Vigil code}, e.g. {'gender': {'M': 'male'}}."),
    )
    calendar = models.CharField(
        _("calendar of numeric dates"),
        max_length=10,
        choices=Calendar.choices,
        blank=True,
        help_text=_("Empty: years below 1700 are Jalali, the others Gregorian."),
    )
    defaults = models.JSONField(
        _("defaults"), default=dict, blank=True, help_text=_("Field code → value used when a cell is empty.")
    )
    external_namespace = models.SlugField(
        _("identifier namespace"),
        max_length=64,
        blank=True,
        help_text=_(
            "Names the file's own IDs (e.g. iranvictims) so a later version updates, not duplicates."
        ),
    )
    on_duplicate = models.CharField(
        _("possible duplicates"), max_length=8, choices=OnDuplicate.choices, default=OnDuplicate.CREATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping")

    def __str__(self) -> str:
        return str(self.name)


class ImportBatch(models.Model):
    """One file imported with one mapping. Keyed by the file's SHA-256 and the mapping: running the same
    file again resumes after the last row done instead of importing anything twice."""

    class State(models.TextChoices):
        NEW = "new", _("Uploaded")
        SCANNING = "scanning", _("Reading the file")
        REHEARSING = "rehearsing", _("Dry run")
        CHECKED = "checked", _("Dry run done")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("File refused")

    mapping = models.ForeignKey(ImportMapping, on_delete=models.PROTECT, related_name="batches")
    file_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(_("stored at"), max_length=1000)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    error = models.TextField(_("why the file was refused"), blank=True)
    notice = models.TextField(_("notice about the file"), blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_scanned = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(_("last row done"), default=0)
    # Rows that contradict each other (same person, two dates of death): row number → reason. Found while
    # scanning, before anything is written, so neither row of a contradiction is imported.
    conflicts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.UniqueConstraint(
                fields=["file_sha256", "mapping"], name="import_batch_one_per_file_mapping"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.mapping})"


class RowOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Already recorded, nothing new")
    FLAGGED = "flagged", _("Created, flagged as a possible duplicate")
    SKIPPED = "skipped", _("Skipped")
    REJECTED = "rejected", _("Rejected")


class ImportRow(models.Model):
    """What happened to one row of a batch, in the dry run or the import, with the reasons."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    dry_run = models.BooleanField(default=False)
    number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=RowOutcome.choices)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    records = models.JSONField(_("records written"), default=dict, blank=True)

    class Meta:
        ordering = ["batch", "dry_run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "dry_run", "number"], name="import_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} row {self.number}: {self.outcome}"


class ExternalId(models.Model):
    """A record's identifier in someone else's data (the "Card ID" of a spreadsheet)."""

    namespace = models.SlugField(max_length=64)
    value = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("external identifier")
        constraints = [
            models.UniqueConstraint(
                fields=["namespace", "value", "content_type"], name="external_id_unique_in_namespace"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.value}"
