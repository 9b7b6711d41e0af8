"""The one way every service saves: validate fully, keep history with author and reason."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.core.models import Term, Vocabulary

M = TypeVar("M", bound=models.Model)


def save_with_history(instance: M, *, actor: User | None, reason: str) -> M:
    """Validate ``instance`` (fields, validators, ``clean()``, constraints) and save it, recording who
    changed it and why in its history. Callers wrap this in their own ``transaction.atomic()``."""
    if not reason or not reason.strip():
        raise ValidationError(_("Every change needs a reason (for example the source it comes from)."))
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip()  # type: ignore[attr-defined]
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, actor: User | None, reason: str) -> None:
    """Delete, keeping the deleted state (author, reason) in the record's history."""
    if not reason or not reason.strip():
        raise ValidationError(_("Every deletion needs a reason."))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip()  # type: ignore[attr-defined]
    instance.delete()


def term(vocabulary: str, code: str | Term | None) -> Term | None:
    """Find a vocabulary term by code, or say precisely which codes exist."""
    if code is None or code == "":
        return None
    if isinstance(code, Term):
        if code.vocabulary != vocabulary:
            raise ValidationError(
                _("“%(code)s” is a term of %(actual)s, not of %(expected)s."),
                params={"code": code.code, "actual": code.vocabulary, "expected": vocabulary},
                code="wrong_vocabulary",
            )
        return code
    found = Term.objects.filter(vocabulary=vocabulary, code=code, active=True).first()
    if found is None:
        known = ", ".join(
            Term.objects.filter(vocabulary=vocabulary, active=True).values_list("code", flat=True)
        )
        raise ValidationError(
            _("Unknown %(vocabulary)s “%(code)s”. Known terms: %(known)s."),
            params={"vocabulary": Vocabulary(vocabulary).label, "code": code, "known": known or _("none")},
            code="unknown_term",
        )
    return found


def terms(vocabulary: str, codes: list[str] | None) -> list[Term]:
    return [found for code in codes or [] if (found := term(vocabulary, code)) is not None]
