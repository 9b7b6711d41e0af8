"""``vigil setup`` creates the first administrator once and never changes it afterwards."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.accounts.models import User
from vigil.core.apps import sqlite_folders_made

pytestmark = pytest.mark.django_db


def _setup() -> str:
    out = io.StringIO()
    call_command("setup", "--no-demo", stdout=out)
    return out.getvalue()


def test_setup_run_again_leaves_a_changed_administrator_alone(settings: Any, tmp_path: Path) -> None:
    """Run after every upgrade, setup set a new password (printed into the deploy's log) and made the account
    a superuser again; now it prints the first password only while it is still the password."""
    settings.DATA_DIR = tmp_path
    first = _setup()
    password = (tmp_path / "staff-login.txt").read_text(encoding="utf-8").strip()
    assert f"password: {password}" in first and User.objects.get(username="admin").check_password(password)
    assert f"password: {password}" in _setup()  # a laptop's make run, again: the same login shown

    admin = User.objects.get(username="admin")
    admin.set_password("a-long-password-of-my-own")
    admin.is_superuser = False
    admin.save()
    again = _setup()
    admin.refresh_from_db()
    assert admin.check_password("a-long-password-of-my-own") and not admin.is_superuser
    assert "password:" not in again and "its password is yours" in again


def test_setup_without_the_key_file_refuses_to_make_a_new_key_beside_encrypted_values(
    settings: Any, tmp_path: Path
) -> None:
    """Run from a new data folder (an upgrade from another machine, a restored server), setup made a new key
    that cannot read the family contacts already stored, and new values were written under it; now it
    refuses, says which key file to copy, and makes none."""
    from tests.factories import PersonFactory

    person = PersonFactory(names=["Ali Heydari"])
    person.family_contact = "brother, 0912 000 0000"
    person.save()
    settings.DATA_DIR = tmp_path
    settings.VIGIL_FIELD_KEYS = []
    with pytest.raises(CommandError, match=r"already holds encrypted values.*copy the key file"):
        _setup()
    assert not (tmp_path / "field-keys").exists()


def test_setup_makes_the_data_folder_private(settings: Any, tmp_path: Path) -> None:
    """The folder holding the database, evidence and keys was created readable by every local user."""
    import stat

    settings.DATA_DIR = tmp_path / "data"
    _setup()
    assert stat.S_IMODE(settings.DATA_DIR.stat().st_mode) == 0o700


def test_sqlite_folders_made_makes_a_missing_folder_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    databases: dict[str, dict[str, Any]] = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": folder / "vigil.sqlite3"},
        "memory": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        "team": {"ENGINE": "django.db.backends.postgresql", "NAME": "vigil"},
    }
    assert sqlite_folders_made(databases) == [folder]
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    assert sqlite_folders_made(databases) == []  # there now: nothing more


def test_a_command_other_than_setup_creates_the_sqlite_database_in_a_new_folder(tmp_path: Path) -> None:
    """`vigil migrate` on a data folder that did not exist failed with "unable to open database file"."""

    folder = tmp_path / "fresh" / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["VIGIL_DATA_DIR"] = str(folder)
    done = subprocess.run(
        [sys.executable, "-m", "vigil.cli", "showmigrations", "core"],
        env=env, capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[ ] 0001_initial" in done.stdout and (folder / "vigil.sqlite3").is_file()
