"""Person.family_contact (a family's phone or address) is encrypted at rest.

The column is altered first (on PostgreSQL a varchar of 200 could not hold a token), then existing values,
in the table and in its history table, are encrypted in place with the key kept outside the database
(``vigil.core.encryption``). Backwards, they are decrypted first.
"""

import vigil.core.encryption
from django.db import migrations

from vigil.core.encryption import migrate_column

MODELS = ['person', 'historicalperson']
FIELD = 'family_contact'


def encrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('people', name), FIELD, encrypting=True)


def decrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('people', name), FIELD, encrypting=False)


class Migration(migrations.Migration):
    dependencies = [('people', '0003_name_one_primary_per_script')]

    operations = [
        migrations.AlterField(
            model_name='person',
            name='family_contact',
            field=vigil.core.encryption.EncryptedTextField(blank=True, help_text='Restricted: never shown outside the named groups; encrypted at rest.', verbose_name='family contact'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='family_contact',
            field=vigil.core.encryption.EncryptedTextField(blank=True, help_text='Restricted: never shown outside the named groups; encrypted at rest.', verbose_name='family contact'),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
