"""The search index: one row per searchable record (a person, an event) holding its names as match keys.

The rows hold no confidentiality of their own: every search joins the live record and asks
``vigil.core.visibility`` which of them the reader may see, so a record made internal leaves the results
at once, whatever the index holds. The full-text structures over these rows are database-specific and made
by the migration: an FTS5 table (and a trigram one, for typos) on SQLite, GIN indexes for full-text search
and ``pg_trgm`` on PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        EVENT = "event", _("Event")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    event = models.OneToOneField(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    # One line per name: the folded words (``fold_name``) and, word for word, their cross-script skeletons.
    folded = models.TextField(_("names, folded"))
    skeleton = models.TextField(_("names, as skeletons"))
    updated_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="person", person__isnull=False, event__isnull=True)
                | Q(kind="event", event__isnull=False, person__isnull=True),
                name="search_entry_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.person_id or self.event_id}: {self.folded.splitlines()[:1]}"
