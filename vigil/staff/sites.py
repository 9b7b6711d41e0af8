"""Vigil's admin site: the staff workspace for documenters and reviewers.

Installed through ``VigilAdminConfig`` (in ``INSTALLED_APPS`` instead of ``django.contrib.admin``) so that
``admin.site`` and every ``@admin.register`` use it. This module is imported while apps are loading: no
model imports at module level.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _


class VigilAdminSite(AdminSite):
    site_header = _("Vigil")
    site_title = _("Vigil staff")
    index_title = _("Documentation workspace")
    index_template = "staff/index.html"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        # Imported here: views need models, which are not ready when this module is first imported.
        from vigil.staff.intake import DetaineeIntakeView
        from vigil.staff.views import PreferencesView

        own: list[URLResolver | URLPattern] = [
            path(
                "intake/",
                self.admin_view(DetaineeIntakeView.as_view(admin_site=self)),
                name="detainee_intake",
            ),
            path(
                "preferences/", self.admin_view(PreferencesView.as_view(admin_site=self)), name="preferences"
            ),
        ]
        return own + super().get_urls()

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        from vigil.staff.access import preferred_calendar

        context = super().each_context(request)
        context["preferred_calendar"] = preferred_calendar(request)
        return context


class VigilAdminConfig(AdminConfig):
    default_site = "vigil.staff.sites.VigilAdminSite"
