"""The audit log: one append-only, hash-chained row per write, sign-in, failed sign-in, export, refusal and
permission change.

Append-only at three levels: the model refuses to update or delete a saved entry (and its queryset refuses
bulk updates and deletes); on PostgreSQL a trigger refuses UPDATE and DELETE whoever sends them (migration
0002); and each entry's hash covers its content and the previous entry's hash, so ``vigil audit verify``
finds any entry altered, deleted or moved by someone who got past the first two.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    TWO_FACTOR = "two_factor", _("Two-factor device change")
    EXPORT = "export", _("Export")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    REFUSED = "refused", _("Refused attempt")
    KEYS_ROTATED = "keys_rotated", _("Encryption keys rotated")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which object, when and why.

    The actor is kept by id and name rather than as a foreign key: the log must outlive the users table's
    rows and never be rewritten by a cascade.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, editable=False)
    actor_name = models.CharField(_("actor"), max_length=150, editable=False)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("object"), max_length=200, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    # No index: a hash is verified along the chain (``vigil audit verify``), never looked up, and the unique
    # sequence already refuses a second entry chained to the same one. Indexes of random keys like this one
    # cost every write most (an import writes eight entries a row).
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["action", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def content(self) -> dict[str, Any]:
        """What the hash covers: every field but the hash itself."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "reason": self.reason,
            "detail": self.detail,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self) -> str:
        return content_hash(self.content())


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an entry's ``content()`` (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
