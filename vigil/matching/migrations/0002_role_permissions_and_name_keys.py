"""What each role may do with identity resolution, and the keys of the names already recorded.

Viewers read the review queue; documenters may also propose pairs (the intake form does when it finds
likely matches); reviewers decide, merge and unmerge; administrators do everything.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_matchpair", "view_matchdecision", "view_merge"]
DOCUMENT = [*READ, "add_matchpair", "change_matchpair"]
REVIEW = [*DOCUMENT, "add_matchdecision", "add_merge", "change_merge"]
GRANTS = {"viewer": READ, "documenter": DOCUMENT, "reviewer": REVIEW}
BATCH = 2000


def grant(apps, schema_editor):
    # Model permissions are normally created after the last migration; the groups need them now.
    app_config = apps.get_app_config("matching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="matching")
    Group.objects.get_or_create(name="administrator")[0].permissions.add(*in_app)
    for role, codenames in GRANTS.items():
        Group.objects.get_or_create(name=role)[0].permissions.add(*in_app.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="matching")
    for group in Group.objects.filter(name__in=["administrator", *GRANTS]):
        group.permissions.remove(*in_app)


def build_name_keys(apps, schema_editor):
    from vigil.matching.keys import keys_for_text

    NameVariant = apps.get_model("people", "NameVariant")
    NameKey = apps.get_model("matching", "NameKey")
    last = 0
    while True:
        names = list(NameVariant.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:BATCH])
        if not names:
            break
        NameKey.objects.bulk_create(
            [NameKey(name_id=pk, key=key) for pk, text in names for key in sorted(keys_for_text(text))],
            ignore_conflicts=True,
        )
        last = names[-1][0]


def drop_name_keys(apps, schema_editor):
    apps.get_model("matching", "NameKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_identity_resolution"),
        ("accounts", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(build_name_keys, drop_name_keys),
    ]
