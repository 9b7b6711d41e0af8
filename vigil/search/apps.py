from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "vigil.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The index follows every save of a name, a person or an event (see ``signals``).
        from vigil.search import signals

        signals.connect()
