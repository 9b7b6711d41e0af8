from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


def _clean_photo(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # a restore or fixture brings files already cleaned
        from vigil.people.photos import photo_clean

        photo_clean(instance)


class PeopleConfig(AppConfig):
    name = "vigil.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Every save of a person, whichever form or service made it: a new photo is never stored as sent.
        pre_save.connect(_clean_photo, sender=self.get_model("Person"), dispatch_uid="people_clean_photo")
