"""Read-only points in time on staff change forms read as staff pages write them: the day in both
calendars and the time, in the reader's digits, not Django's Gregorian date in Latin digits."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.staff.conftest import staff_user
from vigil.accounts.roles import Role
from vigil.api.services import token_issue
from vigil.audit.models import AuditEntry
from vigil.staff.display import point_in_time
from vigil.staff.moments import MomentsAdmin

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")


def readonly_value(page: str, field: str) -> str:
    """The text of a change form's read-only ``field``."""
    found = re.search(rf'field-{field}\b.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert found, field
    return found.group(1).strip()


def in_persian(moment: dt.datetime) -> str:
    with translation.override("fa"):
        return point_in_time(moment)


@pytest.fixture
def administrator_client(client: Client) -> Client:
    client.force_login(staff_user(Role.ADMINISTRATOR, is_superuser=True))
    return client


def test_an_api_tokens_expiry_reads_in_jalali_with_persian_digits(administrator_client: Client) -> None:
    """A token's expiry, read-only on its form, reads "۱۹ دی ۱۴۰۸ (۸ ژانویه ۲۰۳۰)، ۱۰:۳۵" on a Persian
    page (in the site's time zone), not "Jan. 8, 2030, 10:35 a.m."."""
    user = staff_user(Role.DOCUMENTER)
    expires = dt.datetime(2030, 1, 8, 14, 5, tzinfo=TEHRAN)
    token, _ = token_issue(user=user, name="phone", actor=user, reason="Field work", expires_at=expires)

    page = administrator_client.get(
        reverse("admin:api_apitoken_change", args=[token.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    shown = readonly_value(page, "expires_at")
    assert shown == in_persian(expires) and "دی ۱۴۰۸" in shown
    assert not re.search("[0-9]", shown)


def test_an_audit_entrys_time_reads_in_jalali_with_persian_digits(administrator_client: Client) -> None:
    """An audit entry's time (the whole form is read-only) reads in both calendars in Persian digits."""
    user = staff_user(Role.DOCUMENTER)
    token_issue(user=user, name="phone", actor=user, reason="Field work")
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None

    page = administrator_client.get(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()

    shown = readonly_value(page, "at")
    assert shown == in_persian(entry.at)
    assert not re.search("[0-9]", shown)


def test_every_admin_with_points_in_time_shows_them_as_staff_pages_write_them() -> None:
    """An admin of a model with date-times is a ``MomentsAdmin``: its read-only date-times are not left to
    Django's own format."""
    bare = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if any(isinstance(field, models.DateTimeField) for field in model._meta.fields)
        and not isinstance(model_admin, MomentsAdmin)
    ]
    assert bare == []
