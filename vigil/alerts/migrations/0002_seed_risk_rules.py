"""The default risk rules, which administrators then adjust in the staff workspace."""

from django.db import migrations

DEFAULT_RULES = [
    # (kind, threshold in days, severity)
    ("incommunicado_or_whereabouts_unknown_over_days", 30, "high"),
    ("hunger_strike_over_days", 20, "high"),
    ("death_sentence", 0, "critical"),
    ("transfer_to_execution_facility", 0, "critical"),
    ("no_lawyer", 0, "medium"),
    ("minor_held", 0, "high"),
    ("watchlisted_rearrested", 0, "high"),
    ("health_emergency", 0, "critical"),
]


def seed(apps, schema_editor):
    RiskRule = apps.get_model("alerts", "RiskRule")
    for kind, threshold, severity in DEFAULT_RULES:
        RiskRule.objects.get_or_create(
            kind=kind, threshold_days=threshold, defaults={"severity": severity, "active": True}
        )


def unseed(apps, schema_editor):
    RiskRule = apps.get_model("alerts", "RiskRule")
    for kind, threshold, _severity in DEFAULT_RULES:
        RiskRule.objects.filter(kind=kind, threshold_days=threshold, alerts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
