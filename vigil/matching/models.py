"""Identity resolution: the keys names are found under, pairs of people proposed as one, reviewers'
decisions on them, and merges (recorded so that each can be undone exactly)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import PlainTextField


class NameKey(models.Model):
    """A key under which a person is found by one of their names (``normalise.blocking_keys`` and
    ``token_keys``). Derived from the person's names whenever one of them is saved or deleted, like
    ``NameVariant.match_key``; never edited. Kept by person, not by name: a name in Persian script and its
    Latin spelling mostly give the same keys, stored once (an import writes half as many)."""

    # No index of its own: the unique (person, key) index serves lookups by person. No foreign key in the
    # database either (about fourteen keys a row of an import): Django deletes them with their person.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="match_keys",
        db_index=False,
        db_constraint=False,
    )
    key = models.CharField(_("key"), max_length=255)

    class Meta:
        verbose_name = _("name key")
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="namekey_person_key")]
        indexes = [models.Index(fields=["key"], name="namekey_key")]

    def __str__(self) -> str:
        return str(self.key)


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed for review")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")
    UNSURE = "unsure", _("Not sure")


class MatchPair(models.Model):
    """Two people the matcher found may be one, with the evidence, and the reviewers' verdict. A pair found
    "different" is never proposed again (nor any pair of the people merged into either)."""

    person_a = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        "people.Person", verbose_name=_("other person"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED, db_index=True
    )
    score = models.FloatField(_("probability they are one person"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = PlainTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="matchpair_unique"),
            # Stored once, lower id first, so (a, b) and (b, a) cannot both exist.
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="matchpair_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="matchpair_probability"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} ↔ {self.person_b}"


class MatchDecision(models.Model):
    """One verdict on a pair, kept in order: the pair shows the latest, this keeps them all."""

    pair = models.ForeignKey(MatchPair, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(_("verdict"), max_length=10, choices=MatchStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    note = PlainTextField(_("note"), blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("match decision")

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_status_display()}"


class Merge(models.Model):
    """``merged`` was found to be ``keep``: everything recorded on it was moved to ``keep`` and it now
    redirects there (``Person.merged_into``). ``moved`` lists exactly what was moved or folded, so that the
    merge can be undone."""

    keep = models.ForeignKey(
        "people.Person", verbose_name=_("kept person"), on_delete=models.PROTECT, related_name="+"
    )
    merged = models.ForeignKey(
        "people.Person", verbose_name=_("merged person"), on_delete=models.PROTECT, related_name="merges"
    )
    pair = models.ForeignKey(
        MatchPair, verbose_name=_("pair"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = PlainTextField(_("reason"))
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    moved = models.JSONField(_("what was moved"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undo_reason = PlainTextField(_("reason for undoing"), blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="merge_one_active_per_person"
            ),
            models.CheckConstraint(condition=~Q(keep=F("merged")), name="merge_not_into_self"),
        ]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.keep_id}"
