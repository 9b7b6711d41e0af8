# Written by hand on 2026-11-26: no schema change.

from typing import Any

from django.db import migrations

# The encrypted fields a folded row may carry (``EncryptedTextField``s of the models a merge folds).
_ENCRYPTED = {"events.casualty": ("medical_details",), "people.person": ("family_contact",)}


def _seal(apps: Any, schema_editor: Any) -> None:
    """Merges recorded before folded rows were kept encrypted hold their restricted fields in clear in
    ``Merge.moved``: encrypt them as at rest (``person_unmerge`` decrypts the fields it finds listed)."""
    from vigil.core.encryption import encrypt

    for merge in apps.get_model("matching", "Merge").objects.all():
        changed = False
        for entry in merge.moved.get("folded", []):
            fields = entry.get("data", {}).get("fields", {})
            sealed = entry.setdefault("sealed", [])
            for name in _ENCRYPTED.get(entry.get("label", ""), ()):
                if fields.get(name) and name not in sealed:
                    fields[name] = encrypt(fields[name])
                    sealed.append(name)
                    changed = True
        if changed:
            merge.save(update_fields=["moved"])


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_namekey_one_index_for_name")]

    operations = [migrations.RunPython(_seal, migrations.RunPython.noop)]
