from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "vigil.matching"
    label = "matching"
    verbose_name = _("Identity resolution")

    def ready(self) -> None:
        # Name keys are derived from a name's text, like NameVariant.match_key: kept in step on every save,
        # whichever service saved the name.
        from django.db.models.signals import post_save

        from vigil.core.signals import records_created
        from vigil.matching.keys import name_saved, names_created
        from vigil.people.models import NameVariant

        post_save.connect(name_saved, sender=NameVariant, dispatch_uid="matching_name_keys")
        records_created.connect(names_created, sender=NameVariant, dispatch_uid="matching_names_created")
