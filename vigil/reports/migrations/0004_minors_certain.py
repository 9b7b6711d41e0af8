# Written by hand on 2026-11-26: no schema change.

from typing import Any

from django.db import migrations


def _mark_not_ready(apps: Any, schema_editor: Any) -> None:
    """The summary's minors were counted by the youngest age consistent with what was reported; they are now
    counted when certainly under 18. ``migrate`` rebuilds a summary that is not ready once it has run."""
    apps.get_model("reports", "SummaryState").objects.filter(ready=True).update(ready=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_event_tally")]

    operations = [migrations.RunPython(_mark_not_ready, migrations.RunPython.noop)]
