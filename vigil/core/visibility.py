"""The one place that decides what a viewer may see (principle 5: confidentiality is data).

Every public output (pages, API, exports, feeds) and every selector that takes a viewer asks here: which
records (``visible``) and which fields of them (``field_visible`` / ``visible_values``). Anonymous readers see
public records only, and only their public fields.

Clearance, from least to most:
- public: anonymous readers, inactive accounts, signed-in users with no staff role;
- internal: staff (a role group — viewer, documenter, reviewer, administrator — or the staff flag);
- restricted: superusers, the system account, and members of any group holding ``core.view_restricted``
  (the "restricted access" group is created empty for this; administrators may create more such groups).
Restricted records and fields are thus visible only to members of the groups allowed for them. What may be
*written* is decided in ``vigil.accounts.permissions``, which asks here first: no one changes what they
cannot see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from vigil.accounts.actors import VIEW_RESTRICTED_PERMISSION, is_staff_member, is_system
from vigil.core.models import CONFIDENTIALITY_RANK, Confidentiality

Q = TypeVar("Q", bound=models.QuerySet[Any])

__all__ = [
    "VIEW_RESTRICTED_PERMISSION",
    "allowed_levels",
    "clearance",
    "field_visible",
    "is_public_viewer",
    "level_at_most",
    "may_see",
    "visible",
    "visible_values",
]


def clearance(viewer: Any) -> str:
    """The highest confidentiality level ``viewer`` may read: public for anonymous readers and non-staff,
    internal for staff, restricted for those granted it (superusers, and members of groups holding the
    ``core.view_restricted`` permission)."""
    if is_system(viewer):
        return Confidentiality.RESTRICTED
    if not is_staff_member(viewer):
        return Confidentiality.PUBLIC
    if viewer.is_superuser or viewer.has_perm(VIEW_RESTRICTED_PERMISSION):
        return Confidentiality.RESTRICTED
    return Confidentiality.INTERNAL


def level_at_most(level: str, ceiling: str) -> bool:
    """Whether ``level`` is no more confidential than ``ceiling``; an unknown level is never below."""
    try:
        return CONFIDENTIALITY_RANK[Confidentiality(level)] <= CONFIDENTIALITY_RANK[Confidentiality(ceiling)]
    except ValueError:
        return False


def levels_up_to(ceiling: str) -> list[str]:
    """The confidentiality levels a reader cleared for ``ceiling`` may read, least confidential first."""
    return [str(level) for level in CONFIDENTIALITY_RANK if level_at_most(level, ceiling)]


def allowed_levels(viewer: Any) -> list[str]:
    """The confidentiality levels ``viewer`` may read, least confidential first."""
    return levels_up_to(clearance(viewer))


def is_public_viewer(viewer: Any) -> bool:
    """Whether ``viewer`` reads as the public does (public records, public fields only)."""
    return clearance(viewer) == Confidentiality.PUBLIC


def visible(queryset: Q, viewer: Any, *, field: str = "confidentiality") -> Q:
    """Only the records of ``queryset`` that ``viewer`` may see. ``field`` may follow a relation
    (``person__confidentiality``) so that a fact about a hidden person stays hidden."""
    return queryset.filter(**{f"{field}__in": allowed_levels(viewer)})


def may_see(instance: models.Model, viewer: Any) -> bool:
    """Whether ``viewer`` may see ``instance`` (a model without a confidentiality level is reference data,
    visible to all: places, organizations, vocabularies)."""
    level = getattr(instance, "confidentiality", Confidentiality.PUBLIC)
    return level_at_most(level, clearance(viewer))


def field_visible(model: type[models.Model], field: str, viewer: Any) -> bool:
    """Whether ``viewer`` may read ``field`` of a record it can see (``Record.sensitive_fields``)."""
    level = getattr(model, "sensitive_fields", {}).get(field, Confidentiality.PUBLIC)
    return level_at_most(level, clearance(viewer))


def visible_values(instance: models.Model, fields: Iterable[str], viewer: Any) -> dict[str, Any]:
    """The allow-listed ``fields`` of ``instance`` that ``viewer`` may read; the others are left out, not
    blanked, so an output cannot reveal that a hidden value exists."""
    if not may_see(instance, viewer):
        return {}
    return {name: getattr(instance, name) for name in fields if field_visible(type(instance), name, viewer)}
