from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vigil.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Sign-ins, failed sign-ins and permission changes are recorded from Django's own signals, so no
        # path (the staff screens, createsuperuser, a shell) escapes the log.
        from vigil.audit import signals

        signals.connect()
