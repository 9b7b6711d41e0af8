"""The system account (loaders and scheduled tasks write as it), the permission to read restricted data
with the empty "restricted access" group that holds it, and the role permissions on the apps added after
0002 (alerts, import/export, the audit log: administrators only)."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.management import create_permissions
from django.db import migrations

from vigil.accounts.actors import RESTRICTED_ACCESS_GROUP, SYSTEM_USERNAME

VIEW_RESTRICTED = "view_restricted"
# Watchlists and imports are everyday work: documenters add and change, reviewers also delete.
LATER_APPS = ("alerts", "exchange")
ROLE_ACTIONS = {"viewer": ("view",), "documenter": ("view", "add", "change"), "reviewer": ("view", "add", "change", "delete")}
ADMINISTRATOR_APPS = ("accounts", "audit", "alerts", "exchange")


def forwards(apps, schema_editor):
    # Model permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "password": make_password(None), "first_name": "Vigil", "last_name": "(system)"},
    )
    view_restricted, _ = Permission.objects.get_or_create(
        codename=VIEW_RESTRICTED,
        content_type=ContentType.objects.get_or_create(app_label="core", model="term")[0],
        defaults={"name": "Can read restricted records and fields"},
    )
    Group.objects.get_or_create(name=RESTRICTED_ACCESS_GROUP)[0].permissions.add(view_restricted)
    administrator = Group.objects.get_or_create(name="administrator")[0]
    administrator.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
    for role, actions in ROLE_ACTIONS.items():
        group = Group.objects.get_or_create(name=role)[0]
        for action in actions:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label__in=LATER_APPS, codename__startswith=f"{action}_")
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=RESTRICTED_ACCESS_GROUP).delete()
    apps.get_model("auth", "Permission").objects.filter(codename=VIEW_RESTRICTED, content_type__app_label="core").delete()
    apps.get_model("accounts", "User").objects.filter(username=SYSTEM_USERNAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_two_factor_device"),
        ("audit", "0001_audit_log"),
        ("alerts", "0002_seed_risk_rules"),
        ("exchange", "0001_import_mappings_batches_rows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
