"""What every record shares: confidentiality, verification, fuzzy dates, bilingual vocabularies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vigil.core.dates import FuzzyDate, Precision
from vigil.core.text import validate_plain_text


@models.Field.register_lookup
class AnyOf(models.Lookup):
    """``field__any_of=values``: the rows whose ``field`` is one of ``values`` (plain integers or strings),
    as ``__in`` would, with the values sent as one parameter: an array on PostgreSQL, a JSON list on SQLite.
    For the thousands of keys an import's chunk looks up: ``__in`` prepares each value as a parameter of its
    own, which costs more than the database's work.

    Both databases read the values as a set of rows (``unnest``, ``json_each``), which they join through the
    field's index. On PostgreSQL, ``= ANY(array)`` is costed as one filter over the table: for the name
    keys, whose few very common keys (a part of a name thousands bear) raise the average, the planner took
    a chunk's fourteen thousand keys to match over a hundred thousand rows and read the whole table, 150 ms
    at 100,000 imported rows with fresh statistics, where the join takes 30 ms."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> list[Any]:
        values = list(self.rhs)
        if not all(type(value) in (int, str) for value in values):
            raise TypeError("any_of takes plain integers or strings.")
        return values

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        values = self.rhs
        if connection.vendor == "postgresql":
            field = self.lhs.output_field
            while field.is_relation:
                field = field.target_field
            kind = "bigint" if isinstance(field, models.IntegerField) else "text"
            return f"{lhs} IN (SELECT unnest(%s::{kind}[]))", [*params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(values)]  # noqa: S608


# Foreign keys take their lookups from ``ForeignObject`` up, not from ``Field``: registered there too.
models.ForeignObject.register_lookup(AnyOf)


class Confidentiality(models.TextChoices):
    """Who may see a record or a field. Public outputs are built only from ``public`` records."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (staff)")
    RESTRICTED = "restricted", _("Restricted (named groups)")


CONFIDENTIALITY_RANK = {Confidentiality.PUBLIC: 0, Confidentiality.INTERNAL: 1, Confidentiality.RESTRICTED: 2}


class Verification(models.TextChoices):
    """How far a fact is established: reported → corroborated (two independent sources) → verified."""

    REPORTED = "reported", _("Reported")
    CORROBORATED = "corroborated", _("Corroborated")
    VERIFIED = "verified", _("Verified")
    DISPUTED = "disputed", _("Disputed")
    RETRACTED = "retracted", _("Retracted")


class PlainCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField that refuses markup (see ``validate_plain_text``)."""

    default_validators = [validate_plain_text]


class PlainTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField that refuses markup (see ``validate_plain_text``)."""

    default_validators = [validate_plain_text]


def fuzzy(instance: models.Model, prefix: str) -> FuzzyDate:
    """Read the fuzzy date stored as ``<prefix>_on`` / ``<prefix>_precision`` on a model instance."""
    value = getattr(instance, f"{prefix}_on")
    precision = getattr(instance, f"{prefix}_precision") or Precision.UNKNOWN
    if value is None:
        return FuzzyDate.unknown()
    return FuzzyDate(value, precision if precision != Precision.UNKNOWN else Precision.DAY)


def set_fuzzy(instance: models.Model, prefix: str, value: FuzzyDate | None) -> None:
    """Store ``value`` as ``<prefix>_on`` / ``<prefix>_precision`` (the inverse of ``fuzzy()``).

    An unknown or missing date clears the day. A known date may not lie in the future: Vigil records what
    happened. One day of slack covers a documenter in Tehran (UTC+3:30) entering today's date shortly
    after midnight while the server is still on the previous UTC day.
    """
    field = f"{prefix}_on"
    if value is None or not value.is_known or value.value is None:
        setattr(instance, field, None)
        setattr(instance, f"{prefix}_precision", Precision.UNKNOWN)
        return
    if value.precision not in Precision.values:
        raise ValidationError(
            {field: _("Unknown date precision “%(precision)s”.")}, params={"precision": value.precision}
        )
    if value.value > timezone.localdate() + dt.timedelta(days=1):
        label = capfirst(str(getattr(instance._meta.get_field(field), "verbose_name", field)))
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(field)s %(date)s is in the future; enter the date it happened."),
                    code="future_date",
                    params={"field": label, "date": value.iso()},
                )
            }
        )
    setattr(instance, field, value.value)
    setattr(instance, f"{prefix}_precision", value.precision)


class Record(models.Model):
    """Abstract base of every documented record: confidentiality, verification and timestamps.

    ``sensitive_fields`` names fields whose values are more confidential than the record itself
    (family contacts, witness identities, exact addresses, medical details). A change to those alone leaves
    ``updated_at`` as it was (``save_with_history``): it dates what readers of the record's level see.
    """

    confidentiality = models.CharField(
        _("confidentiality"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.REPORTED
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    sensitive_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True


class BilingualName(models.Model):
    """Abstract base for things named in English and Persian (places, organizations, terms)."""

    name_en = PlainCharField(_("name (English)"), max_length=200)
    name_fa = PlainCharField(_("name (Persian)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if get_language() == "fa" and self.name_fa:
            return str(self.name_fa)
        return str(self.name_en or self.name_fa)


class Vocabulary(models.TextChoices):
    """The controlled vocabularies. Their terms are data that administrators extend."""

    CUSTODY_STATUS = "custody_status", _("Custody status")
    CHARGE = "charge", _("Charge")
    ACTIVITY = "activity", _("Activity persecuted for")
    OCCUPATION = "occupation", _("Occupation or role")
    ETHNICITY = "ethnicity", _("Ethnicity")
    RELIGION = "religion", _("Religion")
    EVENT_KIND = "event_kind", _("Event kind")
    TACTIC = "tactic", _("Tactic used against an event")
    INVOLVEMENT_ROLE = "involvement_role", _("Role in an event")
    SENTENCE_KIND = "sentence_kind", _("Sentence kind")
    RELEASE_KIND = "release_kind", _("Release or outcome")
    CAUSE = "cause", _("Cause of death or injury")
    SOURCE_KIND = "source_kind", _("Source kind")
    METRIC = "metric", _("Reported figure metric")


class Term(BilingualName):
    """One term of a controlled vocabulary, with a stable code that data files and the API use."""

    vocabulary = models.CharField(_("vocabulary"), max_length=32, choices=Vocabulary.choices, db_index=True)
    code = models.SlugField(_("code"), max_length=64)
    description = PlainTextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vocabulary", "name_en"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")]
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")

    def __str__(self) -> str:
        return self.name
