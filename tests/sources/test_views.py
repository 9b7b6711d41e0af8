"""Archived copies of sources are served to staff who may see the source, and the media folder to nobody."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import staff
from vigil.accounts.roles import Role
from vigil.sources.models import Source
from vigil.sources.services import source_create

pytestmark = pytest.mark.django_db


def _evidence(confidentiality: str) -> Source:
    return source_create(
        actor=staff(), reason="Test", kind="news", title="Witness statement", confidentiality=confidentiality,
        archived_file=ContentFile(b"%PDF-1.4 witness", name="witness-statement.pdf"),
    )  # fmt: skip


def test_the_media_folder_is_not_served_even_in_development() -> None:
    """`make run` (DEBUG on) served every uploaded file at /media/ to anyone, evidence under its own file
    name: the address list built with DEBUG on has no route into the media folder."""
    import importlib

    from django.urls import clear_url_caches

    import vigil.urls

    try:
        with override_settings(DEBUG=True):
            patterns = [str(pattern.pattern) for pattern in importlib.reload(vigil.urls).urlpatterns]
        assert not any(pattern.startswith(("media", "^media")) for pattern in patterns)
        assert "staff/files/<path:name>" in patterns
    finally:
        importlib.reload(vigil.urls)
        clear_url_caches()


def test_an_archived_copy_is_served_to_staff_who_may_see_its_source(client: Client) -> None:
    internal, restricted = _evidence("internal"), _evidence("restricted")
    url = internal.archived_file.url
    assert url == reverse("stored-file", args=[internal.archived_file.name])
    assert client.get(url).status_code in (302, 404)  # anonymous: the sign-in page or nothing
    client.force_login(staff(Role.VIEWER, restricted=False))
    response = client.get(url)
    assert response.status_code == 200 and response.getvalue() == b"%PDF-1.4 witness"
    assert (
        "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    )
    assert client.get(restricted.archived_file.url).status_code == 404
    assert client.get(reverse("stored-file", args=["evidence/none.pdf"])).status_code == 404
