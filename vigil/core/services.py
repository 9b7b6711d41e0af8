"""The one way every service saves: check the actor may, validate fully, keep history with author and
reason, and write the audit log. Every write in Vigil goes through ``save_with_history`` or
``delete_with_history``, which makes them the choke point for permissions (``vigil.accounts.permissions``)
and for the audit log (``vigil.audit``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.accounts.permissions import (
    Action,
    propose,
    refusals_audited,
    require,
    require_delete,
    require_write,
)
from vigil.audit.models import AuditAction
from vigil.audit.services import AuditItem, audit_append, audit_append_many
from vigil.core.bulk import history_insert, insert_records
from vigil.core.models import Confidentiality, Record, Term, Verification, Vocabulary
from vigil.core.signals import records_created

M = TypeVar("M", bound=models.Model)
R = TypeVar("R", bound=Record)


def save_with_history(instance: M, *, actor: User | None, reason: str) -> M:
    """Validate ``instance`` (fields, validators, ``clean()``, constraints) and save it, recording who
    changed it and why in its history and in the audit log. ``actor`` must be a user allowed to make the
    change (``None`` is refused: loaders act as ``system_actor()``). Callers wrap this in their own
    ``transaction.atomic()``."""
    adding = instance._state.adding
    held = propose(actor, instance)
    changed = require_write(actor, instance)
    if not reason or not reason.strip():
        raise ValidationError(_("Every change needs a reason (for example the source it comes from)."))
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip()  # type: ignore[attr-defined]
    previous = getattr(instance, "updated_at", None)
    instance.save()
    if changed and previous is not None and set(changed) <= set(getattr(instance, "sensitive_fields", {})):
        # Only fields more confidential than the record changed (a family contact, internal notes): its
        # "last changed" is what its readers see (the public feed, "Record last changed on"), and must not
        # tell them that something hidden was edited. The change itself is in the history and audit log.
        type(instance)._default_manager.filter(pk=instance.pk).update(updated_at=previous)
        instance.updated_at = previous  # type: ignore[attr-defined]
    audit_append(
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        actor=actor,
        target=instance,
        reason=reason.strip(),
        detail={"fields": changed} if changed else {"held_for_review": True} if held else None,
    )
    return instance


def create_many_with_history(
    instances: Sequence[M],
    *,
    actor: User | None,
    reasons: Sequence[str],
    prepare: Callable[[Sequence[M]], None] | None = None,
) -> list[M]:
    """``save_with_history`` for many new records of one model at once (an import's chunk): the same
    permission checks, field validation, history rows (author, reason) and audit entries, written with one
    insert per table. ``reasons`` gives each record's reason.

    What differs: the model's constraints and foreign keys are left to the database (checking them one by one
    costs a query each), so a violation raises ``IntegrityError`` for the whole batch; callers run the batch in
    a savepoint and fall back to ``save_with_history`` one record at a time to say which record and why.
    Related records must already be saved. ``records_created`` is sent instead of ``post_save``. ``prepare``
    is called with the records once they have their keys, before they are described (their ``__str__``, in
    the audit log): to give them, once for all, the related records describing them reads."""
    if not instances:
        return []
    if len(reasons) != len(instances) or not all(reason and reason.strip() for reason in reasons):
        raise ValidationError(_("Every change needs a reason (for example the source it comes from)."))
    model = type(instances[0])
    relations = [
        field.name for field in model._meta.concrete_fields if field.is_relation and field.many_to_one
    ]
    held = []
    for instance in instances:
        if not instance._state.adding or type(instance) is not model:
            raise TypeError("create_many_with_history() writes new records of one model.")
        held.append(propose(actor, instance))
        require_write(actor, instance)
        # A relation set from a saved instance exists (and the database checks it again on insert).
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        written = insert_records(instances)
        saved = list(instances)
        if prepare is not None:
            prepare(saved)
        if hasattr(model, "history"):
            history_insert(
                saved,
                user_id=actor.pk if actor is not None else None,
                reasons=[reason.strip() for reason in reasons],
                when=timezone.now(),
                written=written,
            )
        audit_append_many(
            [
                AuditItem(
                    action=AuditAction.CREATE,
                    actor=actor,
                    target=instance,
                    reason=reason.strip(),
                    detail={"held_for_review": True} if was_held else None,
                )
                for instance, reason, was_held in zip(saved, reasons, held, strict=True)
            ]
        )
    records_created.send(sender=model, instances=saved)
    return saved


def delete_with_history(instance: models.Model, *, actor: User | None, reason: str) -> None:
    """Delete, keeping the deleted state (author, reason) in the record's history and the audit log."""
    require_delete(actor, instance)
    if not reason or not reason.strip():
        raise ValidationError(_("Every deletion needs a reason."))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip()  # type: ignore[attr-defined]
    # Described before deleting: afterwards the row and its primary key are gone.
    audit_append(action=AuditAction.DELETE, actor=actor, target=instance, reason=reason.strip())
    instance.delete()


@refusals_audited
@transaction.atomic
def record_review(
    *,
    record: R,
    actor: User | None,
    reason: str,
    verification: str | None = None,
    confidentiality: str | None = None,
) -> R:
    """A reviewer's act on any record: set its verification (corroborated, verified, disputed, retracted)
    and/or its confidentiality (public publishes it). Refused, and audited, for anyone who is not a
    reviewer; making a record more confidential is open to every editor through the ordinary services."""
    if verification is not None:
        require(actor, Action.REVIEW, record)
        if verification not in Verification.values:
            raise ValidationError(
                {"verification": _("Unknown verification “%(value)s”.")}, params={"value": verification}
            )
        record.verification = verification
    if confidentiality is not None:
        if confidentiality == Confidentiality.PUBLIC:
            require(actor, Action.PUBLISH, record)
        record.confidentiality = confidentiality
    return save_with_history(record, actor=actor, reason=reason)


def term(vocabulary: str, code: str | Term | None, *, field: str | None = None) -> Term | None:
    """Find a vocabulary term by code, or say precisely which codes exist. A service gives ``field``, the
    argument the code came in (``status``, ``charges``), so its refusal names the input to correct."""
    if code is None or code == "":
        return None
    if isinstance(code, Term):
        if code.vocabulary != vocabulary:
            raise _on_field(
                field,
                ValidationError(
                    _("“%(code)s” is a term of %(actual)s, not of %(expected)s."),
                    params={"code": code.code, "actual": code.vocabulary, "expected": vocabulary},
                    code="wrong_vocabulary",
                ),
            )
        return code
    found = Term.objects.filter(vocabulary=vocabulary, code=code, active=True).first()
    if found is None:
        known = ", ".join(
            Term.objects.filter(vocabulary=vocabulary, active=True).values_list("code", flat=True)
        )
        raise _on_field(
            field,
            ValidationError(
                _("Unknown %(vocabulary)s “%(code)s”. Known terms: %(known)s."),
                params={
                    "vocabulary": Vocabulary(vocabulary).label,
                    "code": code,
                    "known": known or _("none"),
                },
                code="unknown_term",
            ),
        )
    return found


def terms(vocabulary: str, codes: Sequence[str | Term] | None, *, field: str | None = None) -> list[Term]:
    return [found for code in codes or [] if (found := term(vocabulary, code, field=field)) is not None]


def _on_field(field: str | None, error: ValidationError) -> ValidationError:
    return error if field is None else ValidationError({field: error})


def changes_known(changes: Mapping[str, Any], updatable: Sequence[str], message: str) -> None:
    """Refuse an update naming a field outside ``updatable``; ``message`` says of what, with ``%(fields)s``
    (the unknown ones) and ``%(known)s`` (those that can be changed)."""
    unknown = sorted(set(changes) - set(updatable))
    if unknown:
        raise ValidationError(
            message,
            code="unknown_field",
            params={"fields": ", ".join(unknown), "known": ", ".join(updatable)},
        )


def fields_set(instance: models.Model, changes: Mapping[str, Any], names: Collection[str]) -> None:
    """Set the fields of ``names`` that ``changes`` gives, text stripped."""
    for name in names:
        if name in changes:
            value = changes[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def terms_set(
    record: models.Model,
    field: str,
    vocabulary: str,
    codes: Sequence[str | Term] | None,
    *,
    actor: User | None,
    reason: str,
) -> None:
    """Set the vocabulary terms of ``record``'s many-to-many ``field`` (an update's occupations, tactics),
    when they change, with the author and reason in its history."""
    wanted = terms(vocabulary, codes, field=field)
    related = getattr(record, field)
    if {t.pk for t in wanted} != set(related.values_list("pk", flat=True)):
        # m2m changes are recorded in history with the user and reason set on the instance.
        record._history_user = actor  # type: ignore[attr-defined]
        record._change_reason = reason.strip()  # type: ignore[attr-defined]
        related.set(wanted)
