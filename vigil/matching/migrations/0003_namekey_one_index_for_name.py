"""Drop the index of ``NameKey.name``: the unique (name, key) index serves every lookup by name, and an
import writes about 27 keys a row. Only the index goes (one statement on both engines); Django would
otherwise rebuild the table on SQLite and drop and re-validate the foreign key on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_role_permissions_and_name_keys"),
        ("people", "0006_photo_thumbnail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="namekey",
                    name="name",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_keys",
                        to="people.namevariant",
                        verbose_name="name",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "matching_namekey_name_id_bd9295f4"',
                    reverse_sql='CREATE INDEX "matching_namekey_name_id_bd9295f4" ON "matching_namekey" ("name_id")',
                ),
            ],
        ),
    ]
