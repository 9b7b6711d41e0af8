"""A person's photo: checked when uploaded, stored without anything but its pixels, with a thumbnail.

A photo sent by a family or taken from social media may carry what endangers them: the GPS position where it
was taken, the camera's serial number, the original file name (often the person's or the sender's name).
Every new photo is therefore opened as an image (not trusted by its name or declared type), turned upright
as its orientation tag says, and written anew as a JPEG with no metadata at all, under a random name, at
most ``FULL_EDGE`` pixels on its longer side, with a thumbnail of ``THUMBNAIL_EDGE`` for lists. What is not
a JPEG, PNG or WebP image, is over ``PHOTO_MAX_BYTES`` or would decode to over ``PHOTO_MAX_PIXELS`` pixels
(a "decompression bomb") is refused with a clear message before anything is stored.

Photos are served by ``vigil.public.views.person_photo`` to those who may see the person and the field,
never from the media folder (which also holds evidence).
"""

from __future__ import annotations

import io
import uuid
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
FULL_EDGE = 800
THUMBNAIL_EDGE = 160
_QUALITY = 85


def _refuse(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _opened(upload: Any) -> Image.Image:
    """The upload as a decoded image, after the checks that need no decoding."""
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise _refuse(
            _("The photo is %(size)s; photos up to %(limit)s are accepted."),
            "photo_too_large",
            size=filesizeformat(size),
            limit=filesizeformat(PHOTO_MAX_BYTES),
        )
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > PHOTO_MAX_BYTES:
        raise _refuse(
            _("The photo is over %(limit)s; photos up to %(limit)s are accepted."),
            "photo_too_large",
            limit=filesizeformat(PHOTO_MAX_BYTES),
        )
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise _refuse(
            _("The file is not an image that can be read (a JPEG, PNG or WebP photo is expected)."),
            "photo_unreadable",
        ) from error
    if image.format not in FORMATS:
        raise _refuse(
            _("Photos are accepted as JPEG, PNG or WebP; this file is %(format)s."),
            "photo_format",
            format=image.format or _("of an unknown kind"),
        )
    width, height = image.size
    if width * height > PHOTO_MAX_PIXELS:
        raise _refuse(
            _("The photo is %(width)s × %(height)s pixels; up to %(limit)s million pixels are accepted."),
            "photo_too_many_pixels",
            width=width,
            height=height,
            limit=PHOTO_MAX_PIXELS // 1_000_000,
        )
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise _refuse(
            _("The image is damaged or cut short and cannot be read."),
            "photo_unreadable",
        ) from error
    return image


def photo_validate(value: Any) -> None:
    """The field's validator: a new upload must be a photo Vigil can clean (a photo already stored was)."""
    if isinstance(value, FieldFile):
        if getattr(value, "_committed", True):
            return
        value = value.file
    if hasattr(value, "read"):  # not the file's name, as history keeps it
        _opened(value)


def _jpeg(image: Image.Image, edge: int) -> ContentFile[bytes]:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Only the pixels: no EXIF, XMP, ICC profile or comment is passed on.
    copy.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    return ContentFile(out.getvalue())


def photo_versions(upload: Any) -> tuple[ContentFile[bytes], ContentFile[bytes]]:
    """The photo to keep and its thumbnail, as JPEGs without metadata; raises ``ValidationError``."""
    image = _opened(upload)
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        # Transparency on white, as the page shows it.
        upright = upright.convert("RGBA")
        background = Image.new("RGB", upright.size, "white")
        background.paste(upright, mask=upright.getchannel("A"))
        upright = background
    else:
        upright = upright.convert("RGB")
    return _jpeg(upright, FULL_EDGE), _jpeg(upright, THUMBNAIL_EDGE)


def photo_clean(person: Any) -> None:
    """Before a person is saved: a photo new to the record (uploaded through a form, or stored already by
    ``photo.save``) is replaced by its clean version and thumbnail under a random name, and a copy stored as
    sent is deleted; no photo, no thumbnail. A photo the record already had is left as it is."""
    photo, thumbnail = person.photo, person.photo_thumbnail
    if not photo:
        if thumbnail:
            person.photo_thumbnail = ""
        return
    if getattr(person, "_photo_cleaned", None) == photo.name:
        return
    if person.pk is not None:
        stored = type(person)._default_manager.filter(pk=person.pk).values_list("photo", flat=True).first()
        if stored == photo.name:
            return
    as_sent = _replace_with_clean(person)
    if as_sent:
        photo.storage.delete(as_sent)


def _replace_with_clean(person: Any) -> str | None:
    """Give ``person`` the clean version and thumbnail of its photo; the name of a stored copy as sent."""
    photo = person.photo
    committed = getattr(photo, "_committed", True)
    as_sent = photo.name if committed else None
    with photo.open("rb") if committed else nullcontext(photo.file) as source:
        full, small = photo_versions(source)
    name = uuid.uuid4().hex
    photo.save(f"{name}.jpg", full, save=False)
    person.photo_thumbnail.save(f"{name}.jpg", small, save=False)
    person._photo_cleaned = photo.name
    return str(as_sent) if as_sent else None


def photos_stored_as_sent() -> Any:
    """People with a photo stored before photos were cleaned: a photo and no thumbnail (every photo cleaned
    since has one)."""
    from vigil.people.models import Person

    return Person.objects.exclude(photo="").filter(photo_thumbnail="").order_by("pk")


def photo_clean_stored(person: Any, *, actor: Any, reason: str) -> None:
    """Clean a photo stored before photos were cleaned, as if it were uploaded now: the clean version and
    thumbnail replace it in the record (with history and audit entry), and the file as sent is deleted once
    that is committed. Raises ``ValidationError`` for a file that is not a photo Vigil can read; the record
    and its file are then left as they were."""
    from vigil.core.services import save_with_history

    storage = person.photo.storage
    with transaction.atomic():
        as_sent = _replace_with_clean(person)
        try:
            save_with_history(person, actor=actor, reason=reason)
        except BaseException:
            storage.delete(person.photo.name)
            storage.delete(person.photo_thumbnail.name)
            raise
        if as_sent:
            transaction.on_commit(lambda: storage.delete(as_sent))
