from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "vigil.public"
    label = "public"
    verbose_name = _("Public website")

    def ready(self) -> None:
        from vigil.public import caching

        caching.connect()
