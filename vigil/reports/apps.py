from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "vigil.reports"
    label = "reports"
    verbose_name = _("Reports and statistics")

    def ready(self) -> None:
        # The named-individual summary follows every save of what it counts (see ``signals``).
        from vigil.reports import signals

        signals.connect(self)
