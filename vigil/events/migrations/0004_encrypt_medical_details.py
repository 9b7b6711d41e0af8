"""Casualty.medical_details is encrypted at rest.

The column is altered first (on PostgreSQL a varchar of 200 could not hold a token), then existing values,
in the table and in its history table, are encrypted in place with the key kept outside the database
(``vigil.core.encryption``). Backwards, they are decrypted first.
"""

import vigil.core.encryption
from django.db import migrations

from vigil.core.encryption import migrate_column

MODELS = ['casualty', 'historicalcasualty']
FIELD = 'medical_details'


def encrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('events', name), FIELD, encrypting=True)


def decrypt_values(apps, schema_editor):
    for name in MODELS:
        migrate_column(schema_editor, apps.get_model('events', name), FIELD, encrypting=False)


class Migration(migrations.Migration):
    dependencies = [('events', '0003_dates_ordered_to_the_day_and_killed_once')]

    operations = [
        migrations.AlterField(
            model_name='casualty',
            name='medical_details',
            field=vigil.core.encryption.EncryptedTextField(blank=True, verbose_name='medical details'),
        ),
        migrations.AlterField(
            model_name='historicalcasualty',
            name='medical_details',
            field=vigil.core.encryption.EncryptedTextField(blank=True, verbose_name='medical details'),
        ),
        migrations.RunPython(encrypt_values, decrypt_values),
    ]
