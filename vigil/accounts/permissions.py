"""What an actor may write, decided in one place and enforced in the services (not only in the views).

The rules, in the order they are checked:

1. Nobody anonymous writes: no user, an anonymous user, or an inactive account is refused. Loaders and
   scheduled tasks act as the system account (``system_actor()``), which may do everything.
2. A write needs the model permission of the actor's role (``add_``, ``change_``, ``delete_``): viewers
   hold only ``view_``, documenters ``add_``/``change_``, reviewers also ``delete_``, administrators all.
3. Nobody changes or deletes a record they may not see (``vigil.core.visibility``), nor changes a field
   above their clearance on an existing record (a documenter may enter a family contact when creating a
   person, but not overwrite one they cannot read).
4. Publishing and verifying are the reviewers' (``accounts.review_records``): making a record public,
   changing its verification (a new record starts "reported"), and changing a record that is already
   public (or a name or citation shown on it). Making a record *more* confidential is open to anyone who
   may edit it, so a record that endangers someone can be taken down at once.
5. A new record proposed by someone who may not publish is never public: if it would be (asked for, or
   inherited from its parent), it is saved as internal, a proposal that a reviewer publishes.

A refusal raises ``Refused`` (a ``PermissionDenied``) with a message saying what to do, and is written to
the audit log. Services are wrapped in ``refusals_audited`` so that the entry survives the rollback of the
service's own transaction; the web middleware does the same for requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import DatabaseError, models
from django.utils.translation import gettext as _

from vigil.accounts.actors import is_signed_in, is_system, system_actor
from vigil.accounts.roles import REVIEW_PERMISSION
from vigil.core.models import Confidentiality, Verification
from vigil.core.visibility import clearance, field_visible, may_see

__all__ = [
    "Action",
    "Refused",
    "allowed",
    "propose",
    "refusals_audited",
    "require",
    "require_delete",
    "require_write",
    "system_actor",
]

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

# Records that are not ``Record``s themselves but are shown as part of one: changing them changes what the
# parent shows (a public person's names, the sources cited for a public fact).
SHOWN_ON: dict[str, str] = {"people.namevariant": "person", "sources.citation": "fact"}
# Bookkeeping fields that change on every save and say nothing about the content.
_BOOKKEEPING = frozenset({"created_at", "updated_at"})


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    REVIEW = "review"
    PUBLISH = "publish"
    EXPORT = "export"


class Refused(PermissionDenied):
    """A refused attempt. ``audit()`` writes it to the audit log (once, however often it is called)."""

    def __init__(self, message: str, *, actor: Any, action: str, target: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.actor = actor
        self.action = action
        self.target = target
        self._entry_pk: int | None = None

    def __str__(self) -> str:
        return self.message

    def audit(self) -> None:
        """Make sure the refusal is in the log: written now, or again if the transaction it was written in
        has since been rolled back with the service that raised it."""
        from vigil.audit.models import AuditAction, AuditEntry
        from vigil.audit.services import audit_append

        try:
            if self._entry_pk is not None and AuditEntry.objects.filter(pk=self._entry_pk).exists():
                return
            fields: dict[str, Any] = {}
            if isinstance(self.target, models.Model):
                fields["target"] = self.target
            elif isinstance(self.target, type) and issubclass(self.target, models.Model):
                fields["object_type"] = self.target._meta.label_lower
            entry = audit_append(
                action=AuditAction.REFUSED,
                actor=self.actor,
                reason=self.message,
                detail={"attempted": self.action},
                **fields,
            )
            self._entry_pk = entry.pk
        except DatabaseError:
            # The refusal stands even when it cannot be logged (a broken transaction); say so loudly.
            logger.exception("Could not write a refused attempt to the audit log: %s", self.message)


def refusals_audited(service: Callable[P, R]) -> Callable[P, R]:
    """Wrap a service (outside its ``transaction.atomic``) so a refusal inside it is audited after the
    service's transaction has been rolled back."""

    @wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return service(*args, **kwargs)
        except Refused as refusal:
            refusal.audit()
            raise

    return wrapper


def _label(target: Any) -> str:
    model: Any = target if isinstance(target, type) else type(target)
    name = str(model._meta.verbose_name)
    if isinstance(target, models.Model) and target.pk is not None:
        return f"{name} #{target.pk}"
    return name


def _may_review(actor: Any) -> bool:
    return is_system(actor) or (is_signed_in(actor) and actor.has_perm(REVIEW_PERMISSION))


def allowed(actor: Any, action: str, record: Any = None) -> bool:
    """Whether ``require`` would let ``actor`` do ``action`` (for interfaces that hide what is refused).
    Nothing is logged."""
    try:
        _check(actor, action, record)
    except Refused:
        return False
    return True


def require(actor: Any, action: str, record: Any = None) -> None:
    """Refuse (``Refused``, audited) unless ``actor`` may do ``action`` to ``record`` (a model instance, a
    model class, or None for actions on no record such as an export)."""
    try:
        _check(actor, action, record)
    except Refused as refusal:
        refusal.audit()
        raise


def _check(actor: Any, action: str, record: Any) -> None:
    if is_system(actor):
        return
    target = record if record is not None else "Vigil"
    if not is_signed_in(actor):
        raise Refused(
            _("Sign in first: anonymous users cannot %(action)s anything in Vigil.") % {"action": action},
            actor=actor,
            action=action,
            target=record,
        )
    if action == Action.EXPORT:
        return
    if action in (Action.REVIEW, Action.PUBLISH):
        if not _may_review(actor):
            raise Refused(
                _(
                    "Only a reviewer may verify or publish %(record)s; save it as a proposal and ask a reviewer."
                )
                % {"record": _label(target) if record is not None else _("records")},
                actor=actor,
                action=action,
                target=record,
            )
        return
    if record is not None:
        model: Any = record if isinstance(record, type) else type(record)
        if action != Action.VIEW and not actor.has_perm(
            f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        ):
            raise Refused(
                _(
                    "Your role does not allow you to %(action)s %(record)s; ask an administrator for the right role."
                )
                % {"action": action, "record": _label(record)},
                actor=actor,
                action=action,
                target=record,
            )
        existing = isinstance(record, models.Model) and (action == Action.VIEW or record.pk is not None)
        if existing and not may_see(record, actor):
            raise Refused(
                _("%(record)s is %(level)s; you cannot see it, so you cannot %(action)s it.")
                % {"record": _label(record), "level": record.confidentiality, "action": action},
                actor=actor,
                action=action,
                target=record,
            )


def _is_record(instance: models.Model) -> bool:
    try:
        instance._meta.get_field("confidentiality")
        instance._meta.get_field("verification")
    except FieldDoesNotExist:
        return False
    return True


def _fetch_before(instance: models.Model) -> models.Model | None:
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def changed_fields(instance: models.Model, before: models.Model | None) -> list[str]:
    """The concrete fields of ``instance`` that differ from ``before`` (bookkeeping timestamps left out)."""
    if before is None:
        return []
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.name not in _BOOKKEEPING
        and getattr(before, field.attname) != getattr(instance, field.attname)
    ]


def _shown_on(instance: models.Model) -> models.Model | None:
    path = SHOWN_ON.get(instance._meta.label_lower)
    parent = getattr(instance, path, None) if path else None
    return parent if isinstance(parent, models.Model) else None


def propose(actor: Any, instance: models.Model) -> bool:
    """Rule 5: a new record from someone who may not publish is saved as internal rather than public.
    Returns whether it was held back."""
    if (
        instance._state.adding
        and _is_record(instance)
        and instance.confidentiality == Confidentiality.PUBLIC  # type: ignore[attr-defined]
        and is_signed_in(actor)
        and not _may_review(actor)
    ):
        instance.confidentiality = Confidentiality.INTERNAL  # type: ignore[attr-defined]
        return True
    return False


def require_write(actor: Any, instance: models.Model) -> list[str]:
    """Refuse (audited) a save of ``instance`` that ``actor`` may not make; return the fields it changes
    (empty for a new record), which the audit entry of the write lists."""
    before = _fetch_before(instance)
    try:
        _check(actor, Action.ADD if before is None else Action.CHANGE, before or instance)
        changed = changed_fields(instance, before)
        if not is_system(actor):
            _check_links(actor, instance, before, changed)
            _check_review(actor, instance, before, changed)
            _check_sensitive(actor, instance, before, changed)
    except Refused as refusal:
        refusal.audit()
        raise
    return changed


def require_delete(actor: Any, instance: models.Model) -> None:
    """Refuse (audited) a deletion that ``actor`` may not make; deleting a public record unpublishes it, a
    reviewer's act."""
    try:
        _check(actor, Action.DELETE, instance)
        public = _is_record(instance) and instance.confidentiality == Confidentiality.PUBLIC  # type: ignore[attr-defined]
        parent = _shown_on(instance)
        if (public or (parent is not None and _public(parent))) and not _may_review(actor):
            raise _review_refusal(actor, instance, _("it is public"))
    except Refused as refusal:
        refusal.audit()
        raise


def _public(instance: models.Model) -> bool:
    return getattr(instance, "confidentiality", None) == Confidentiality.PUBLIC


def _review_refusal(actor: Any, instance: models.Model, why: str) -> Refused:
    return Refused(
        _("Only a reviewer may change %(record)s: %(why)s. Ask a reviewer to make this change.")
        % {"record": _label(instance), "why": why},
        actor=actor,
        action=Action.REVIEW,
        target=instance,
    )


def _check_review(
    actor: Any, instance: models.Model, before: models.Model | None, changed: list[str]
) -> None:
    if _may_review(actor):
        return
    if _is_record(instance):
        verification = instance.verification  # type: ignore[attr-defined]
        if (before is None and verification != Verification.REPORTED) or "verification" in changed:
            raise Refused(
                _(
                    "Only a reviewer may set the verification of %(record)s (to “%(level)s”); a documented "
                    "fact starts as “reported” and a reviewer corroborates or verifies it."
                )
                % {"record": _label(instance), "level": verification},
                actor=actor,
                action=Action.REVIEW,
                target=instance,
            )
        if _public(instance) and (before is None or not _public(before)):
            raise Refused(
                _(
                    "Only a reviewer may make %(record)s public; save it as internal and ask a reviewer to publish it."
                )
                % {"record": _label(instance)},
                actor=actor,
                action=Action.PUBLISH,
                target=instance,
            )
        if before is not None and _public(before) and _public(instance) and changed:
            raise _review_refusal(actor, instance, _("it is public"))
        return
    parent = _shown_on(instance)
    if parent is not None and _public(parent) and (before is None or changed):
        raise _review_refusal(
            actor, instance, _("it is shown on %(parent)s, which is public") % {"parent": _label(parent)}
        )


def _check_links(actor: Any, instance: models.Model, before: models.Model | None, changed: list[str]) -> None:
    """Nobody ties a record to another they may not see (a detention to a restricted person, a citation
    to a restricted source): the link would be made blind, and would tell them the other exists."""
    for field in instance._meta.concrete_fields:
        if (
            not field.is_relation
            or field.related_model is None
            or (before is not None and field.name not in changed)
        ):
            continue
        if not hasattr(field.related_model, "confidentiality"):
            continue
        linked = getattr(instance, field.name, None)
        if isinstance(linked, models.Model) and not may_see(linked, actor):
            raise Refused(
                _("You cannot link to %(record)s: it is %(level)s and above your clearance.")
                % {"record": _label(linked), "level": getattr(linked, "confidentiality", "")},
                actor=actor,
                action=Action.CHANGE,
                target=instance,
            )


def _check_sensitive(
    actor: Any, instance: models.Model, before: models.Model | None, changed: list[str]
) -> None:
    if before is None:
        return
    for name in changed:
        if not field_visible(type(instance), name, actor):
            raise Refused(
                _(
                    "The %(field)s of %(record)s is above your clearance (%(clearance)s): you can enter it on a "
                    "new record but not change it. Ask someone with access to restricted data."
                )
                % {
                    "field": getattr(instance._meta.get_field(name), "verbose_name", name),
                    "record": _label(instance),
                    "clearance": clearance(actor),
                },
                actor=actor,
                action=Action.CHANGE,
                target=instance,
            )
