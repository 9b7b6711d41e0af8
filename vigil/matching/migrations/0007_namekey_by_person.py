"""Name keys kept by person instead of by name: a name in Persian script and its Latin spelling mostly give
the same keys, now stored once (an import wrote some twenty-seven a row, now some fourteen). Every key is
derived data: dropped, and built again from the names recorded (in either direction)."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def _drop_keys(apps, schema_editor):
    apps.get_model("matching", "NameKey").objects.all().delete()


def _build(apps, owner):
    """Build every key again, owned by the name's person (``"person_id"``) or by the name (``"pk"``)."""
    from vigil.matching.keys import keys_for_text

    NameVariant = apps.get_model("people", "NameVariant")
    NameKey = apps.get_model("matching", "NameKey")
    column = "person_id" if owner == "person_id" else "name_id"
    last = 0
    while True:
        names = list(
            NameVariant.objects.filter(pk__gt=last).order_by("pk").values_list("pk", owner, "text")[:BATCH]
        )
        if not names:
            break
        NameKey.objects.bulk_create(
            [NameKey(**{column: of, "key": key}) for _pk, of, text in names for key in sorted(keys_for_text(text))],
            ignore_conflicts=True,
        )
        last = names[-1][0]


def build_person_keys(apps, schema_editor):
    _build(apps, "person_id")


def build_name_keys(apps, schema_editor):
    _build(apps, "pk")


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_namekey_no_database_constraint"),
        ("people", "0007_match_key_one_index"),
    ]

    operations = [
        migrations.RunPython(_drop_keys, build_name_keys),
        migrations.RemoveConstraint(model_name="namekey", name="namekey_unique"),
        migrations.RemoveField(model_name="namekey", name="name"),
        migrations.AddField(
            model_name="namekey",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="match_keys",
                to="people.person",
                verbose_name="person",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="namekey",
            constraint=models.UniqueConstraint(fields=("person", "key"), name="namekey_person_key"),
        ),
        migrations.RunPython(build_person_keys, _drop_keys),
    ]
