"""The named-individual summary: each person's standing in each category of a report, worked out when their
facts change rather than when a report is asked for (see ``summary.py`` and ``docs/reports.md``).

It is derived data, like the search index: rebuilt from the records at any time by ``vigil
rebuild_report_summary``, kept in step with every save by ``signals``, never backed up. Reports read it
only for what it answers exactly (the live record, the whole country, no period start) and only while it is
known to be complete (``SummaryState.ready``); otherwise they count the facts themselves.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NamedSummary(models.Model):
    """On every as-of date from ``valid_from`` (inclusive) to ``valid_until`` (exclusive), the person
    ``person_key`` (a merged person counts as the one merged into) stands in ``category`` at verification
    ``rank`` (3 verified … 0 disputed), and as a minor at ``minor_rank`` (None: not a minor), for readers
    cleared up to ``audience`` (0 public, 1 internal, 2 restricted).

    The row with an empty ``category`` is the person as a whole, while any established fact puts them in a
    category: how serious their situation is (``severity``) and their latest fact (``day``), the order of the
    people a report lists."""

    person_key = models.IntegerField(_("person"))
    audience = models.PositiveSmallIntegerField(_("audience"))
    category = models.CharField(_("category"), max_length=80, blank=True)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    rank = models.PositiveSmallIntegerField(_("verification rank"), null=True)
    minor_rank = models.PositiveSmallIntegerField(_("verification rank as a minor"), null=True)
    severity = models.PositiveSmallIntegerField(_("severity"), null=True)
    day = models.DateField(_("latest fact"), null=True)

    class Meta:
        verbose_name = _("named-individual summary row")
        verbose_name_plural = _("named-individual summary rows")
        indexes = [
            # Covering: the counts read this index alone, in GROUP BY order.
            models.Index(
                fields=["audience", "category", "rank", "minor_rank", "valid_from", "valid_until"],
                name="reports_summary_counts",
            ),
            models.Index(fields=["person_key"], name="reports_summary_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_from__lt=models.F("valid_until")), name="summary_span")
        ]

    def __str__(self) -> str:
        return f"#{self.person_key} {self.category or '*'} {self.valid_from}–{self.valid_until}"


class SummaryChange(models.Model):
    """The summary's stretches as changes: on ``day``, ``change`` more (or, negative, fewer) people stand in
    ``category`` at ``rank`` and ``minor_rank`` (-1 for none) for readers cleared up to ``audience``. A count
    on any day is the sum of the changes up to that day: a few thousand rows, where the stretches are
    millions. Kept with the stretches (``summary_refresh``, ``summary_rebuild``)."""

    audience = models.PositiveSmallIntegerField(_("audience"))
    category = models.CharField(_("category"), max_length=80, blank=True)
    rank = models.SmallIntegerField(_("verification rank"))
    minor_rank = models.SmallIntegerField(_("verification rank as a minor"))
    day = models.DateField(_("day"))
    change = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("summary change")
        verbose_name_plural = _("summary changes")
        constraints = [
            # Also the index the counts read, in GROUP BY order.
            models.UniqueConstraint(
                fields=["audience", "category", "rank", "minor_rank", "day"], name="summary_change_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category or '*'} {self.change:+d}"


class SummaryState(models.Model):
    """Whether the summary holds every record (one row). Writes the signals cannot follow (a restore, a
    fixture, a renamed vocabulary code) mark it not ready; ``vigil rebuild_report_summary`` makes it ready."""

    ready = models.BooleanField(_("ready"), default=False)
    rebuilt_at = models.DateTimeField(_("rebuilt at"), null=True)

    class Meta:
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"summary {'ready' if self.ready else 'not ready'}"


class EventTally(models.Model):
    """``events`` established events (reported, corroborated or verified) share these values: the columns
    of ``events_event`` that reports count by, under the same names, so the same conditions read either
    table. About 190,000 rows hold the benchmark's million events. Kept with the summary (``event_tally``);
    rows of one key may be split over several rows (reports add them up)."""

    kind_id = models.IntegerField(_("kind"))
    place_id = models.IntegerField(_("place"), null=True)
    facility_id = models.IntegerField(_("facility"), null=True)
    university_id = models.IntegerField(_("university"), null=True)
    confidentiality = models.CharField(_("confidentiality"), max_length=16)
    started_on = models.DateField(_("started on"), null=True)
    started_precision = models.CharField(_("precision"), max_length=8)
    events = models.IntegerField(_("events"))

    class Meta:
        verbose_name = _("event tally")
        verbose_name_plural = _("event tallies")
        indexes = [
            models.Index(fields=["kind_id", "place_id", "started_on"], name="reports_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_id} {self.place_id} {self.started_on}: {self.events}"
