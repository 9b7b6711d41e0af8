"""The role groups (administrator, reviewer, documenter, viewer) with their model permissions, and the
permission to review (set verification, make records public)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from vigil.accounts.roles import RECORD_APPS, REVIEW_CODENAME, VOCABULARY_APPS, Role, grant_role_permissions


def create_role_groups(apps, schema_editor):
    # Model permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    review, _ = Permission.objects.get_or_create(
        codename=REVIEW_CODENAME,
        content_type=ContentType.objects.get_or_create(app_label="accounts", model="user")[0],
        defaults={"name": "Can set verification and make records public"},
    )
    grant_role_permissions(apps, [*RECORD_APPS, *VOCABULARY_APPS])
    administrator = Group.objects.get(name=Role.ADMINISTRATOR)
    administrator.permissions.add(*Permission.objects.all())
    Group.objects.get(name=Role.REVIEWER).permissions.add(review)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[role.value for role in Role]).delete()
    apps.get_model("auth", "Permission").objects.filter(
        codename=REVIEW_CODENAME, content_type__app_label="accounts"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("places", "0001_initial"),
        ("organizations", "0001_initial"),
        ("people", "0002_links"),
        ("sources", "0001_initial"),
        ("events", "0002_links"),
        ("custody", "0002_links"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
