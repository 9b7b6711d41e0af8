"""The public website: thin views over ``vigil.public.selectors``, read as the public (``viewer=None``)
whoever is signed in, and cached for anonymous readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.actors import is_staff_member
from vigil.core.dates import parse_fuzzy_date
from vigil.core.models import Term, Vocabulary
from vigil.core.visibility import visible_values
from vigil.people.models import Person
from vigil.public.caching import public_page
from vigil.public.forms import DirectoryForm
from vigil.public.selectors import (
    Moved,
    Situation,
    current_situation,
    event_page,
    events_listed,
    figures_listed,
    people_filtered,
    people_ranked,
    person_profile,
    recent_changes,
    with_facts,
)
from vigil.public.selectors.directory import DirectoryFilters
from vigil.public.statistics import statistics_now
from vigil.search.selectors import public_people

# Public pages read as the public: a signed-in documenter sees what the world sees.
PUBLIC = None
PAGE_SIZE = 50
EVENT_PAGE_SIZE = 50


def _page(request: HttpRequest, items: list[int] | QuerySet[Any], size: int) -> Page[Any]:
    return Paginator(items, size).get_page(request.GET.get("page"))


def people_cards(ids: list[int]) -> list[dict[str, Any]]:
    """Directory rows for the people ``ids``, in that order: each person with their situation now."""
    people = {p.pk: p for p in with_facts(Person.objects.filter(pk__in=ids), PUBLIC)}
    today = timezone.localdate()
    return [
        {"person": people[pk], "situation": current_situation(people[pk], today)}
        for pk in ids
        if pk in people
    ]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    counts = {
        code: people_filtered(viewer=PUBLIC, filters=DirectoryFilters(status=code)).count()
        for code in (Situation.DETAINED, Situation.KILLED, Situation.EXECUTED)
    }
    context = {
        "total": people_filtered(viewer=PUBLIC, filters=DirectoryFilters()).count(),
        "counts": counts,
        "changes": recent_changes(viewer=PUBLIC, limit=8),
    }
    return render(request, "public/home.html", context)


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.filters() if request.GET else DirectoryFilters()
    ordered = people_ranked(viewer=PUBLIC, filters=filters)
    page = _page(request, ordered, PAGE_SIZE)
    ids = [item if isinstance(item, int) else item.pk for item in page.object_list]
    context = {"form": form, "filters": filters, "page": page, "cards": people_cards(ids)}
    return render(request, "public/directory.html", context)


@public_page
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    profile = person_profile(viewer=PUBLIC, person_id=person_id)
    if isinstance(profile, Moved):
        return HttpResponsePermanentRedirect(reverse("public:person", args=[profile.to_id]))
    if profile is None:
        raise Http404
    return render(request, "public/person.html", {"profile": profile, "today": timezone.localdate()})


@public_page
def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kinds = Term.objects.filter(vocabulary=Vocabulary.EVENT_KIND, active=True)
    unknown = ""
    if kind and not kinds.filter(code=kind).exists():
        # A mistyped or retired kind (an old link): said so, rather than every event shown as if filtered.
        unknown, kind = kind[:100], ""
    page = _page(request, events_listed(viewer=PUBLIC, kind=kind), EVENT_PAGE_SIZE)
    context = {"page": page, "kinds": kinds, "kind": kind, "unknown_kind": unknown}
    return render(request, "public/events.html", context)


@public_page
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    found = event_page(viewer=PUBLIC, event_id=event_id)
    if found is None:
        raise Http404
    return render(request, "public/event.html", {"page": found})


@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    """The situation as of today, or as of ``?as_of=`` (a past day, in either calendar) for a dated citation."""
    as_of, error = None, ""
    if request.GET.get("as_of"):
        try:
            wanted = parse_fuzzy_date(request.GET["as_of"])
            as_of = wanted.latest if wanted.is_known else None
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            if as_of is None:
                error = _("“%(text)s” is not a date: the figures are as of today.") % {
                    "text": request.GET["as_of"]
                }
            elif as_of > timezone.localdate():
                as_of, error = None, _("That day has not come yet: the figures are as of today.")
    context = statistics_now(viewer=PUBLIC, as_of=as_of)
    context["as_of_error"] = error
    context["as_of_param"] = as_of.isoformat() if as_of else ""
    context["figures"] = list(figures_listed(viewer=PUBLIC, as_of=as_of)[:100])
    return render(request, "public/statistics.html", context)


@public_page
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html")


PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def person_photo(request: HttpRequest, person_id: int, thumbnail: bool = False) -> FileResponse:
    """A person's photo (or its thumbnail) for whoever may see the person and the photo: the public, or a
    signed-in staff member (their own clearance, never cached by others). Never a path into the media
    folder, which also holds evidence."""
    user = request.user
    staff = is_staff_member(user)
    viewer = user if staff else PUBLIC
    person = public_people(viewer).filter(pk=person_id).first()
    photo = visible_values(person, ("photo",), viewer).get("photo") if person is not None else None
    if person is None or not photo:
        raise Http404
    if not person.photo_thumbnail and not staff:
        # Stored before photos were cleaned (``vigil clean_photos``): it may carry a GPS position.
        raise Http404
    stored = person.photo_thumbnail if thumbnail and person.photo_thumbnail else photo
    kind = PHOTO_TYPES.get(Path(str(stored.name)).suffix.lower())
    if kind is None:
        raise Http404
    try:
        response = FileResponse(stored.open("rb"), content_type=kind)
    except FileNotFoundError as error:
        raise Http404 from error
    response["Cache-Control"] = "private, no-store" if staff else "public, max-age=3600"
    return response


def no_icon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: no icon, answered without an error (a 404 on every page filled browsers' consoles
    and the logs), for a day before the browser asks again."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "public, max-age=86400"
    return response
