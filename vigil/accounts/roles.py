"""The four roles. A user's role is membership of the group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    REVIEWER = "reviewer", _("Reviewer")
    DOCUMENTER = "documenter", _("Documenter")
    VIEWER = "viewer", _("Viewer")
