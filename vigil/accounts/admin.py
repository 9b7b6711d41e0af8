"""Staff accounts: Django's user screens, plus the calendar each user reads dates in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.actors import RESTRICTED_ACCESS_GROUP
from vigil.accounts.models import User
from vigil.accounts.permissions import Action, allowed
from vigil.accounts.roles import Role
from vigil.accounts.two_factor import device_of, two_factor_reset
from vigil.staff.admin import act_and_report
from vigil.staff.moments import MomentsAdmin

# The groups Vigil creates are named in English in the database; administrators read them in their language.
_GROUP_LABELS = {
    **{role.value: role.label for role in Role},
    RESTRICTED_ACCESS_GROUP: _("Access to restricted records"),
}


def group_label(group: Group) -> str:
    """A group's name as the administrator's language says it (a group an administrator added: as named)."""
    label = _GROUP_LABELS.get(group.name)
    return str(label) if label is not None else group.name


class GroupsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The user form's choice of roles and groups, each named by ``group_label``."""

    def label_from_instance(self, obj: Group) -> str:
        return group_label(obj)


class GroupFilter(admin.SimpleListFilter):
    """The users list's filter by role or group, each named by ``group_label`` (Django's own filter lists
    the names stored in the database, in English)."""

    title = _("roles and groups")
    parameter_name = "group"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(group.pk), group_label(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        # Only a group that exists: a mistyped link lists no one rather than failing.
        return queryset.filter(groups__id=int(value)) if value.isdigit() else queryset.none()


class PasswordChangeForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    """Django's form, its help text translated when shown: Django joins it to a warning when the module is
    imported, which fixes it in English whatever the administrator's language."""

    usable_password_help_text = format_lazy(  # type: ignore[assignment]
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(MomentsAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("preferred_calendar",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", GroupFilter)
    change_password_form = PasswordChangeForm
    change_form_template = "accounts/user_change_form.html"

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "groups":
            kwargs["form_class"] = GroupsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The user's authenticator, and to those who may change the user, the form that removes it (a lost
        phone): so an administrator need not reach the server's command line."""
        user = self.get_object(request, object_id)
        device = device_of(user) if user is not None else None
        context = {
            "authenticator": None if device is None else ("enrolled" if device.confirmed_at else "begun"),
            "may_reset": user is not None and allowed(request.user, Action.CHANGE, user),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/two-factor-reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="accounts_user_two_factor_reset",
            )
        ]
        return own + super().get_urls()

    def two_factor_reset_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Remove the user's authenticator (``two_factor_reset``: permitted, reasoned and audited); they enrol
        again at their next sign-in."""
        user = get_object_or_404(User, pk=pk)
        back = HttpResponseRedirect(reverse("admin:accounts_user_change", args=[pk]))
        if request.method != "POST":
            return back
        act_and_report(
            request,
            lambda: two_factor_reset(actor=request.user, user=user, reason=request.POST.get("reason", "")),
            gettext("The authenticator of %(user)s was removed: they set up a new one at their next sign-in.")
            % {"user": user},
        )
        return back
