"""Security and judicial bodies (perpetrators, courts) and NGOs and media (publishers of sources)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.models import BilingualName, PlainCharField


class Organization(BilingualName):
    class Kind(models.TextChoices):
        SECURITY = "security", _("Security or military force")
        INTELLIGENCE = "intelligence", _("Intelligence agency")
        POLICE = "police", _("Police")
        PARAMILITARY = "paramilitary", _("Paramilitary")
        JUDICIAL = "judicial", _("Court or judicial body")
        PRISON_AUTHORITY = "prison_authority", _("Prison authority")
        GOVERNMENT = "government", _("Government body")
        NGO = "ngo", _("Human-rights organization")
        MEDIA = "media", _("Media outlet")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    acronym = PlainCharField(_("acronym"), max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    aliases = models.JSONField(_("other names and spellings"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
