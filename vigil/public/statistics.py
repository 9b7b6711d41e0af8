"""The statistics page's numbers: the report engine's situation report as of today, as the public sees it.

Named individuals (people Vigil documented) and reported figures (what sources say in aggregate) come from
``vigil.reports.selectors.report_as_of`` and are shown side by side, never added together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from vigil.reports.charts import tile_map, timeline_chart
from vigil.reports.render.text import reported_clauses
from vigil.reports.selectors import report_as_of

# Categories the public page shows, in this order (sentence kinds other than death are in "sentenced").
SHOWN = (
    "arrested",
    "detained",
    "released",
    "whereabouts_unknown",
    "incommunicado",
    "solitary_confinement",
    "hunger_strike",
    "sentenced",
    "sentenced_to_death",
    "executed",
    "killed",
    "injured",
)


def statistics_now(*, viewer: Any, as_of: dt.date | None = None) -> dict[str, Any]:
    """The report as of ``as_of`` (default today) for ``viewer`` (None: the public), ready for the
    statistics template; the timeline covers the 60 days before it."""
    day = min(as_of or timezone.localdate(), timezone.localdate())
    report = report_as_of(as_of=day, viewer=viewer, people_limit=0, timeline_days=60)
    named = [count for code in SHOWN if (count := report.named_count(code)) is not None]
    return {
        "report": report,
        "named": named,
        "clauses": reported_clauses(report),
        "chart": timeline_chart(report.timeline),
        "map": tile_map(report.events.by_province),
    }
