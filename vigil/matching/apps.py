from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "vigil.matching"
    label = "matching"
    verbose_name = _("Identity resolution")

    def ready(self) -> None:
        # Name keys are derived from a person's names, like NameVariant.match_key: kept in step whenever a
        # name is created, saved or deleted, whichever service did it.
        from django.db.models.signals import post_delete, post_save, pre_save

        from vigil.core.signals import records_created
        from vigil.matching.keys import name_about_to_save, name_deleted, name_saved, names_created
        from vigil.people.models import NameVariant

        pre_save.connect(name_about_to_save, sender=NameVariant, dispatch_uid="matching_name_moves")
        post_save.connect(name_saved, sender=NameVariant, dispatch_uid="matching_name_keys")
        post_delete.connect(name_deleted, sender=NameVariant, dispatch_uid="matching_name_deleted")
        records_created.connect(names_created, sender=NameVariant, dispatch_uid="matching_names_created")
