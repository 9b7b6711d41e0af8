"""The gazetteer: country → province → county → city, detention facilities and their wards, universities.

Shipped as data (``data/iran.json``) so that the same code serves any country.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.models import BilingualName


class Place(BilingualName):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province")
        COUNTY = "county", _("County")
        CITY = "city", _("City or town")
        VILLAGE = "village", _("Village")
        DISTRICT = "district", _("District or neighbourhood")

    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Stable identifier, e.g. ir-tehran")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(_("other names and spellings"), default=list, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_capital = models.BooleanField(_("capital of its parent"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def province(self) -> "Place | None":
        """The province this place lies in (itself if it is one)."""
        place: Place | None = self
        while place is not None and place.kind != Place.Kind.PROVINCE:
            place = place.parent
        return place


class Facility(BilingualName):
    """A prison or detention centre; wards are facilities whose ``parent`` is the prison."""

    class Kind(models.TextChoices):
        PRISON = "prison", _("Prison")
        WARD = "ward", _("Ward")
        DETENTION_CENTRE = "detention_centre", _("Detention centre")
        SAFE_HOUSE = "safe_house", _("Unofficial detention (safe house)")
        POLICE_STATION = "police_station", _("Police station")
        JUVENILE = "juvenile", _("Juvenile correction centre")
        HOSPITAL = "hospital", _("Hospital")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wards",
    )
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT)
    operator = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    aliases = models.JSONField(_("other names and spellings"), default=list, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    known_for_executions = models.BooleanField(_("executions are carried out here"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")


class University(BilingualName):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT)
    aliases = models.JSONField(_("other names and spellings"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("university")
        verbose_name_plural = _("universities")
