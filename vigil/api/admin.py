"""API tokens in the staff workspace: listed, and revoked through the service. Tokens are issued with
``vigil api_token issue`` (the key is shown once, on the command line)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.api.models import ApiToken
from vigil.api.services import token_revoke
from vigil.staff.moments import MomentsAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(MomentsAdmin):
    list_display = ("prefix", "name", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                token_revoke(token=token, actor=actor, reason=_("Revoked in the staff workspace"))
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, str(error), messages.ERROR)
