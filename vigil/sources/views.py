"""Archived copies of sources (evidence), served to staff who may see the source, never from a public
folder: the media folder holds evidence at every confidentiality level."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from vigil.accounts.actors import is_staff_member
from vigil.core.visibility import visible
from vigil.people.models import Person
from vigil.sources.models import Source


def stored_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """A stored file by its name in storage: a source's archived copy for staff who may see the source, a
    person's photo by its own address (which checks the reader's rights); nothing else."""
    if not is_staff_member(request.user):
        raise Http404
    source = visible(Source.objects.filter(archived_file=name), request.user).first()
    if source is None:
        person = Person.objects.filter(photo=name).values_list("pk", flat=True).first()
        if person is not None:
            return HttpResponseRedirect(reverse("person-photo", args=[person]))
        raise Http404
    try:
        stream = default_storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(stream, content_type=kind, as_attachment=True, filename=PurePosixPath(name).name)
    response["Cache-Control"] = "private, no-store"
    return response
