"""Source.author (a witness's name, an activist's account) is encrypted at rest.

The column is altered first (on PostgreSQL a varchar of 200 could not hold a token), then existing values,
in the table and in its history table, are encrypted in place with the key kept outside the database
(``vigil.core.encryption``). Backwards, they are decrypted first.
"""

import vigil.core.encryption
from django.db import migrations

from vigil.core.encryption import migrate_column

MODELS = ['source', 'historicalsource']
FIELD = 'author'


def encrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('sources', name), FIELD, encrypting=True)


def decrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('sources', name), FIELD, encrypting=False)


class Migration(migrations.Migration):
    dependencies = [('sources', '0001_initial')]

    operations = [
        migrations.AlterField(
            model_name='source',
            name='author',
            field=vigil.core.encryption.EncryptedCharField(blank=True, max_length=200, verbose_name='author or account'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='author',
            field=vigil.core.encryption.EncryptedCharField(blank=True, max_length=200, verbose_name='author or account'),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
