"""What each role may do with the watchlist and alerts. Viewers read them (and the feed); documenters and
reviewers also follow people and acknowledge alerts; administrators do everything, including the risk rules,
subscriptions, webhook endpoints and outboxes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_watchlistentry", "view_alert", "view_alertacknowledgement", "view_riskrule"]
CAMPAIGN = [
    *READ,
    "add_watchlistentry",
    "change_watchlistentry",
    "delete_watchlistentry",
    "add_alertacknowledgement",
]
GRANTS = {"viewer": READ, "documenter": CAMPAIGN, "reviewer": CAMPAIGN}


def grant(apps, schema_editor):
    # Model permissions are normally created after the last migration; the groups need them now.
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="alerts")
    Group.objects.get_or_create(name="administrator")[0].permissions.add(*in_app)
    for role, codenames in GRANTS.items():
        Group.objects.get_or_create(name=role)[0].permissions.add(*in_app.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="alerts")
    for group in Group.objects.filter(name__in=["administrator", *GRANTS]):
        group.permissions.remove(*in_app)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_seed_risk_rules"),
        ("accounts", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
