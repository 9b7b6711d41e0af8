"""Staff users in each role, signed in to a test client, and a helper that posts a change form back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files import File
from django.test import Client

from tests.factories import UserFactory
from vigil.accounts.models import User
from vigil.accounts.roles import Role


def staff_user(role: str, **fields: Any) -> User:
    user: User = UserFactory(username=f"{role}-user", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def documenter(db: None) -> User:
    return staff_user(Role.DOCUMENTER)


@pytest.fixture
def documenter_client(client: Client, documenter: User) -> Client:
    client.force_login(documenter)
    return client


@pytest.fixture
def reviewer_client(client: Client, db: None) -> Client:
    client.force_login(staff_user(Role.REVIEWER))
    return client


def change_form_data(response: Any) -> dict[str, Any]:
    """What a browser would post back unchanged from an admin change form (its inlines included)."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            # Files are not re-sent by a browser; an unchanged file field posts nothing.
            if value is not None and not isinstance(value, File):
                data[form.add_prefix(name)] = value
    return data
