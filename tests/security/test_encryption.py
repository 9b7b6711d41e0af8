"""Restricted fields are encrypted at rest with a key kept outside the database, history included, and
the key can be rotated."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tests.factories import DetentionFactory, PersonFactory, SourceFactory, cite, day, staff
from vigil.core.encryption import EncryptedTextField, encrypted_columns, read_key_file
from vigil.core.models import Confidentiality
from vigil.events.services import casualty_record
from vigil.people.models import Person
from vigil.people.services import person_update

pytestmark = pytest.mark.django_db

CONTACT = "Brother: +98 912 345 6789"


def _raw_values(table: str, column: str) -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608 - test's own names
        return [row[0] for row in cursor.fetchall()]


def _everything_raw() -> str:
    return "\n".join(
        "\n".join(value or "" for value in _raw_values(column.table, column.column))
        for column in encrypted_columns()
    )


@pytest.fixture
def key_file(settings, tmp_path):
    """Keys from a key file (as after `vigil setup`) instead of the test settings' fixed key."""
    path = tmp_path / "field-keys"
    path.write_text(Fernet.generate_key().decode() + "\n")
    settings.VIGIL_FIELD_KEYS = []
    settings.VIGIL_FIELD_KEY_FILE = path
    return path


def test_the_database_holds_no_restricted_value_in_clear():
    """Family contact, source author and medical details read back in clear but are tokens in the
    columns, in the records' tables and their history tables."""
    person = PersonFactory(family_contact=CONTACT)
    person_update(person=person, family_contact=CONTACT + " (mother)", actor=staff(), reason="Second contact")
    source = SourceFactory(author="@witness_account")
    casualty_record(
        person=person, kind="injured", occurred=day(2026, 1, 3), citations=[cite(source)],
        medical_details="Gunshot wound, left leg", actor=staff(), reason="Test",
    )  # fmt: skip
    assert Person.objects.get(pk=person.pk).family_contact == CONTACT + " (mother)"
    raw = _everything_raw()
    for secret in ("+98 912", "witness_account", "Gunshot"):
        assert secret not in raw
    assert _raw_values("people_historicalperson", "family_contact").count("") < 2  # both versions are tokens
    assert all(v == "" or v.startswith("gAAAAA") for v in _raw_values("people_person", "family_contact"))


def test_every_restricted_field_is_encrypted():
    """Every field a model marks restricted in ``sensitive_fields`` is an encrypted field."""
    for model in apps.get_models():
        for name, level in getattr(model, "sensitive_fields", {}).items():
            if level == Confidentiality.RESTRICTED:
                assert isinstance(model._meta.get_field(name), EncryptedTextField), f"{model.__name__}.{name}"


def test_rotating_keys_reencrypts_everything_and_retires_the_old_key(key_file):
    """`vigil rotate_keys` puts a new key in force, rewrites every token under it (history included) and
    drops the old key: values still read back, and the old key alone no longer opens anything."""
    old_key = read_key_file(key_file)[0]
    person = PersonFactory(family_contact=CONTACT)
    before = _everything_raw()
    call_command("rotate_keys")
    keys = read_key_file(key_file)
    assert len(keys) == 1 and keys[0] != old_key
    assert Person.objects.get(pk=person.pk).family_contact == CONTACT
    after = [v for v in _raw_values("people_person", "family_contact") if v]
    assert after and all(token not in before for token in after)
    old = Fernet(old_key.encode())
    with pytest.raises(InvalidToken):
        old.decrypt(after[0].encode())


def test_rotation_can_keep_the_old_key(key_file):
    """With --keep-old the old key stays (after the new one) for backups made with it."""
    old_key = read_key_file(key_file)[0]
    call_command("rotate_keys", "--keep-old")
    assert read_key_file(key_file)[1:] == [old_key]


def test_the_wrong_key_is_a_clear_error_not_garbage(settings):
    """Reading with a key that did not write the data fails loudly and says how to recover."""
    person = PersonFactory(family_contact=CONTACT)
    settings.VIGIL_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="restore the old key"):
        Person.objects.get(pk=person.pk)


def test_without_any_key_nothing_is_stored_in_clear(settings, tmp_path):
    """With no key configured, saving a restricted value is refused rather than stored in clear."""
    settings.VIGIL_FIELD_KEYS = []
    settings.VIGIL_FIELD_KEY_FILE = tmp_path / "missing"
    with pytest.raises(ImproperlyConfigured, match="No field-encryption key"):
        PersonFactory(family_contact=CONTACT)


def test_a_detention_of_a_person_with_a_contact_leaves_no_clear_copy():
    """Related writes (detentions, citations) never copy a restricted value anywhere else."""
    DetentionFactory(person=PersonFactory(family_contact=CONTACT))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in columns:
                quote = connection.ops.quote_name
                sql = f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column)} AS TEXT) LIKE %s"  # noqa: S608
                cursor.execute(sql, ["%+98 912%"])
                assert cursor.fetchone()[0] == 0, f"{table}.{column}"
