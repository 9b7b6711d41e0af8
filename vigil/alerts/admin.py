"""Administrators configure risk rules, subscriptions and webhook endpoints here; alerts and the outboxes
are read-only (they are written by ``vigil alerts`` and the staff pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vigil.alerts.models import (
    Alert,
    AlertAcknowledgement,
    EmailSubscription,
    OutgoingEmail,
    RiskRule,
    WatchlistEntry,
    WebhookDelivery,
    WebhookEndpoint,
)
from vigil.alerts.services import outbox_retry_now
from vigil.staff.admin import StaffAdmin
from vigil.staff.moments import MomentsAdmin


@admin.register(RiskRule)
class RiskRuleAdmin(StaffAdmin):
    list_display = ("kind", "threshold_days", "severity", "active")
    list_filter = ("active", "severity", "kind")


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(StaffAdmin):
    list_display = ("person", "added_by", "added_at")
    raw_id_fields = ("person",)
    readonly_fields = ("added_by", "added_at")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(StaffAdmin):
    list_display = ("name", "url", "minimum_severity", "watchlist_only", "active")
    list_filter = ("active",)


@admin.register(EmailSubscription)
class EmailSubscriptionAdmin(MomentsAdmin):
    list_display = ("address", "minimum_severity", "watchlist_only", "active")
    list_filter = ("active", "minimum_severity")


class ReadOnlyAdmin(MomentsAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AcknowledgementInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AlertAcknowledgement
    extra = 0
    readonly_fields = ("by", "at", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "person", "change", "rule", "severity", "days_since")
    list_filter = ("change", "severity", "rule")
    date_hierarchy = "created_at"
    inlines = [AcknowledgementInline]


@admin.action(description=_("Send again now"))
def retry_now(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    count = outbox_retry_now(queryset=queryset)
    messages.success(request, _("%(count)d message(s) will be sent on the next run.") % {"count": count})


class OutboxAdmin(ReadOnlyAdmin):
    list_filter = ("status",)
    actions = [retry_now]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The "send again" action needs change permission; the form itself stays read-only (no fields).
        return obj is None and request.user.has_perm(f"alerts.change_{self.opts.model_name}")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(OutboxAdmin):
    list_display = ("created_at", "recipient", "subject", "status", "attempts", "next_attempt_at", "sent_at")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OutboxAdmin):
    list_display = (
        "created_at", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at", "sent_at",
    )  # fmt: skip
