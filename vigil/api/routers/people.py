"""People: the directory with its filters, and one person's record."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.errors import ValidationError as RequestInvalid

from vigil.api.auth import viewer_of
from vigil.api.errors import READ_ERRORS
from vigil.api.pagination import PageQuery, paginate
from vigil.api.routers.common import CODE, CODE_MAX, READ_AUTH, IsoDay, record_id
from vigil.api.schemas import PeoplePage, PersonOut
from vigil.api.serialize import person_out, person_summary
from vigil.people.models import Person
from vigil.public.forms import DirectoryForm
from vigil.public.selectors import (
    DirectoryFilters,
    Moved,
    current_situation,
    people_ranked,
    person_profile,
    with_facts,
)

router = Router(tags=["people"], auth=READ_AUTH)


class PeopleQuery(PageQuery):
    q: str = Field(
        "", max_length=200, description="A name in any script; results are then ranked by relevance."
    )
    status: str = Field(
        "",
        max_length=CODE_MAX,
        pattern=CODE,
        description="detained, released, killed, executed, injured, death_sentence, or a custody status code "
        "(incommunicado, hunger_strike ...) still going on.",
    )
    province: str = Field("", max_length=CODE_MAX, pattern=CODE, description="Province code, e.g. ir-tehran.")
    facility: str = Field("", max_length=CODE_MAX, pattern=CODE, description="Facility code, e.g. ir-evin.")
    gender: Literal["", "female", "male", "other", "unknown"] = ""
    minor: bool | None = Field(None, description="Under 18 at an arrest, killing or injury.")
    ethnicity: str = Field("", max_length=CODE_MAX, pattern=CODE)
    occupation: str = Field("", max_length=CODE_MAX, pattern=CODE)
    date_from: IsoDay | None = Field(None, description="Arrested, killed or executed on or after (ISO date).")
    date_to: IsoDay | None = Field(None, description="... on or before (ISO date).")
    sort: Literal["recent", "name"] = "recent"


@router.get("/people", response={200: PeoplePage, **READ_ERRORS}, summary="List and filter people")
def people_list(request: HttpRequest, query: Query[PeopleQuery]) -> dict[str, Any]:
    """People the caller may see (the public: public records only), filtered; most recently documented
    first, by name, or by relevance when ``q`` is given. Merged records never appear."""
    viewer = viewer_of(request)
    # Codes are data (vocabularies, the gazetteer): one that is not known is an error, as on the site's
    # form, not an empty list.
    codes = {
        name: getattr(query, name) for name in ("status", "province", "facility", "ethnicity", "occupation")
    }
    form = DirectoryForm(data={name: code for name, code in codes.items() if code})
    if not form.is_valid():
        raise RequestInvalid(
            [
                {"loc": ("query", name), "msg": message, "type": "unknown_code"}
                for name in codes
                for message in form.errors.get(name, [])
            ]
        )
    if query.date_from and query.date_to and query.date_to < query.date_from:
        # As on the site's form: a reversed range is a mistake to say, not an empty list.
        raise RequestInvalid(
            [
                {
                    "loc": ("query", "date_to"),
                    "msg": _("The end of the date range is before its start."),
                    "type": "range_reversed",
                }
            ]
        )
    filters = DirectoryFilters(**query.dict(exclude={"page", "page_size"}))
    ordered = people_ranked(viewer=viewer, filters=filters)

    def rows(chunk: list[Any]) -> list[dict[str, Any]]:
        ids = [item if isinstance(item, int) else item.pk for item in chunk]
        found = {p.pk: p for p in with_facts(Person.objects.filter(pk__in=ids), viewer)}
        today = timezone.localdate()
        return [person_summary(found[pk], current_situation(found[pk], today)) for pk in ids if pk in found]

    return paginate(request, ordered, query, rows)


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, 301: None, **READ_ERRORS},
    exclude_unset=True,
    summary="One person's record",
)
def person_detail(request: HttpRequest, person_id: int = record_id()) -> Any:
    """Everything the caller may see about one person: names in both scripts, situation now (with days
    without contact), detentions, casualties, cases and sentences, events and sources. A person merged
    into another answers 301 with the other's address."""
    profile = person_profile(viewer=viewer_of(request), person_id=person_id)
    if isinstance(profile, Moved):
        return HttpResponsePermanentRedirect(reverse("api-1:person_detail", args=[profile.to_id]))
    if profile is None:
        raise Http404(_("No person #%(id)s is visible to you.") % {"id": person_id})
    return person_out(profile)
