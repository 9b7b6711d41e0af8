"""Take back from viewers, documenters and reviewers the alerts permissions that accounts 0004 granted on the
whole app (it gave documenters add and change on webhook endpoints, e-mail subscriptions, risk rules, the
outboxes and history tables): each role keeps exactly what 0003 gives it, administrators everything."""

from django.db import migrations

GRANTS = {
    "viewer": ["view_watchlistentry", "view_alert", "view_alertacknowledgement", "view_riskrule"],
    "documenter": [
        "view_watchlistentry",
        "view_alert",
        "view_alertacknowledgement",
        "view_riskrule",
        "add_watchlistentry",
        "change_watchlistentry",
        "delete_watchlistentry",
        "add_alertacknowledgement",
    ],
}
GRANTS["reviewer"] = GRANTS["documenter"]


def narrow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="alerts")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*in_app.exclude(codename__in=GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_plural_verbose_names"),
        ("accounts", "0004_system_actor_and_restricted_access"),
    ]

    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
