"""The four roles. A user's role is membership of the group of the same name.

What each role may do is given here as data, by app: the data migrations that create the groups (and those
of apps added later) call ``grant_role_permissions`` with the apps whose models they cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    REVIEWER = "reviewer", _("Reviewer")
    DOCUMENTER = "documenter", _("Documenter")
    VIEWER = "viewer", _("Viewer")


# Who may set a record's verification and make it public (reviewers and administrators).
REVIEW_PERMISSION = "accounts.review_records"
REVIEW_CODENAME = REVIEW_PERMISSION.split(".")[1]

# Documented facts, and the reference records (gazetteer, bodies) a documenter may need to add on the spot.
RECORD_APPS = ("people", "sources", "events", "custody", "places", "organizations")
# Vocabularies are changed by administrators only; everyone else picks from them.
VOCABULARY_APPS = ("core",)

ROLE_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.VIEWER: {"records": ("view",), "vocabularies": ("view",)},
    Role.DOCUMENTER: {"records": ("view", "add", "change"), "vocabularies": ("view",)},
    Role.REVIEWER: {"records": ("view", "add", "change", "delete"), "vocabularies": ("view",)},
}


def grant_role_permissions(apps: Any, app_labels: Iterable[str]) -> None:
    """Give each role group its model permissions on the models of ``app_labels`` (administrators get all).

    For data migrations: ``apps`` is the migration's app registry. History tables are left to
    administrators: nobody else edits history, and viewing it follows the record's own permission.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    labels = list(app_labels)
    in_apps = permission_model.objects.filter(content_type__app_label__in=labels)
    group_model.objects.get_or_create(name=Role.ADMINISTRATOR)[0].permissions.add(*in_apps)
    for role, kinds in ROLE_ACTIONS.items():
        group = group_model.objects.get_or_create(name=role)[0]
        for kind, app_group in (("records", RECORD_APPS), ("vocabularies", VOCABULARY_APPS)):
            wanted = [label for label in labels if label in app_group]
            for action in kinds[kind]:
                # Only the model permissions Django makes (``view_person``): a custom permission whose name
                # happens to start with an action (``view_restricted``) is granted deliberately, never here.
                candidates = in_apps.filter(
                    content_type__app_label__in=wanted, codename__startswith=f"{action}_"
                ).exclude(codename__contains="_historical")
                group.permissions.add(
                    *(p for p in candidates if p.codename == f"{action}_{p.content_type.model}")
                )
