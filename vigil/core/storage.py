"""The local folder uploaded files are kept in, whose addresses lead through Vigil, never to the folder."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from django.urls import reverse


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``MEDIA_ROOT``; a file's URL is the staff page that serves it with the reader's rights
    (``vigil.sources.views.stored_file``): the folder itself is served to nobody."""

    def url(self, name: str | None) -> str:
        if not name:
            raise ValueError("This file has no name.")
        return reverse("stored-file", args=[name.replace("\\", "/")])
