"""Loading the shipped organizations: idempotent, and precise about a malformed file."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.organizations.models import Organization
from vigil.organizations.reference import DATA_FILE, organizations_load

pytestmark = pytest.mark.django_db


def _copy_with(tmp_path: Path, change: Callable[[list[dict[str, Any]]], Any]) -> Path:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    change(data["organizations"])
    path = tmp_path / "organizations.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_security_and_judicial_bodies_are_shipped_with_their_hierarchy():
    """IRGC Intelligence and the Basij are part of the IRGC; PAVA of FARAJA; the Tehran court of the courts."""
    parents = dict(Organization.objects.values_list("code", "parent__code"))
    assert parents["ir-irgc-intelligence"] == "ir-irgc"
    assert parents["ir-basij"] == "ir-irgc"
    assert parents["ir-faraja-pava"] == "ir-faraja"
    assert parents[parents["ir-revolutionary-court-tehran"]] == "ir-judiciary"
    assert Organization.objects.get(code="ir-prisons-organization").kind == Organization.Kind.PRISON_AUTHORITY


def test_every_shipped_organization_has_a_persian_name():
    """Each organization is named in Persian too."""
    assert Organization.objects.count() >= 30
    assert not Organization.objects.filter(name_fa="").exists()


def test_sources_are_ngos_and_media():
    """HRANA, Hengaw and IHRNGO are NGOs; Iran International and BBC Persian are media."""
    kinds = dict(Organization.objects.values_list("code", "kind"))
    assert {kinds["hrana"], kinds["hengaw"], kinds["ihrngo"]} == {Organization.Kind.NGO}
    assert {kinds["iran-international"], kinds["bbc-persian"]} == {Organization.Kind.MEDIA}


def test_loading_twice_creates_and_changes_nothing():
    """Loading the shipped organizations again leaves every record as it was."""
    before = Organization.history.count()
    counts = organizations_load()
    assert counts == {"created": 0, "updated": 0, "unchanged": Organization.objects.count()}
    assert Organization.history.count() == before


def test_unknown_parent_is_named_and_nothing_is_written(tmp_path):
    """An organization whose parent code is unknown stops the load, which writes nothing."""

    def change(entries):
        entries.insert(0, {"code": "new-ngo", "kind": "ngo", "name_en": "New NGO"})
        entries.append({"code": "ir-unit", "kind": "security", "parent": "ir-nowhere", "name_en": "Unit"})

    with pytest.raises(ValidationError, match=re.escape("(“ir-unit”): parent “ir-nowhere” is not a known")):
        organizations_load(path=_copy_with(tmp_path, change))
    assert not Organization.objects.filter(code="new-ngo").exists()


def test_invalid_website_is_refused_naming_the_entry(tmp_path):
    """A malformed website is refused by the model's validation, with the entry it came from."""
    path = _copy_with(tmp_path, lambda entries: entries[0].update(website="not a url"))
    with pytest.raises(
        ValidationError, match=re.escape("organizations.json, entry 1 (“ir-irgc”): Enter a valid URL")
    ):
        organizations_load(path=path)
