"""The one place that decides what a viewer may see (principle 5: confidentiality is data).

Every public output (pages, API, exports, feeds) and every selector that takes a viewer asks here: which
records (``visible``) and which fields of them (``field_visible`` / ``visible_values``). Anonymous readers see
public records only, and only their public fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from vigil.core.models import CONFIDENTIALITY_RANK, Confidentiality

Q = TypeVar("Q", bound=models.QuerySet[Any])

VIEW_RESTRICTED_PERMISSION = "core.view_restricted"


def clearance(viewer: Any) -> str:
    """The highest confidentiality level ``viewer`` may read: public for anonymous readers and non-staff,
    internal for staff, restricted for those granted it (administrators, and members of groups holding the
    ``core.view_restricted`` permission)."""
    if (
        viewer is None
        or not getattr(viewer, "is_authenticated", False)
        or not getattr(viewer, "is_active", False)
    ):
        return Confidentiality.PUBLIC
    if not viewer.is_staff:
        return Confidentiality.PUBLIC
    if viewer.is_superuser or viewer.has_perm(VIEW_RESTRICTED_PERMISSION):
        return Confidentiality.RESTRICTED
    return Confidentiality.INTERNAL


def allowed_levels(viewer: Any) -> list[str]:
    top = CONFIDENTIALITY_RANK[Confidentiality(clearance(viewer))]
    return [level for level, rank in CONFIDENTIALITY_RANK.items() if rank <= top]


def visible(queryset: Q, viewer: Any, *, field: str = "confidentiality") -> Q:
    """Only the records of ``queryset`` that ``viewer`` may see. ``field`` may follow a relation
    (``person__confidentiality``) so that a fact about a hidden person stays hidden."""
    return queryset.filter(**{f"{field}__in": allowed_levels(viewer)})


def may_see(instance: models.Model, viewer: Any) -> bool:
    level = getattr(instance, "confidentiality", Confidentiality.PUBLIC)
    return level in allowed_levels(viewer)


def field_visible(model: type[models.Model], field: str, viewer: Any) -> bool:
    """Whether ``viewer`` may read ``field`` of a record it can see (``Record.sensitive_fields``)."""
    level = getattr(model, "sensitive_fields", {}).get(field, Confidentiality.PUBLIC)
    return level in allowed_levels(viewer)


def visible_values(instance: models.Model, fields: Iterable[str], viewer: Any) -> dict[str, Any]:
    """The allow-listed ``fields`` of ``instance`` that ``viewer`` may read; the others are left out, not
    blanked, so an output cannot reveal that a hidden value exists."""
    if not may_see(instance, viewer):
        return {}
    return {name: getattr(instance, name) for name in fields if field_visible(type(instance), name, viewer)}
