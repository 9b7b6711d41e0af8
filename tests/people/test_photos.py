"""A person's photo is stored without its metadata, upright, under a random name, with a thumbnail; what is
not a photo is refused with a clear message; photos are served only to those who may see them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from PIL import Image

from tests.factories import PersonFactory, staff
from vigil.audit.models import AuditEntry
from vigil.people import photos
from vigil.people.management.commands import clean_photos
from vigil.people.models import Person

pytestmark = pytest.mark.django_db

GPS_TAG, ORIENTATION_TAG, MAKE_TAG = 0x8825, 0x0112, 0x010F


def _streamed(response: Any) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def _image(size: tuple[int, int] = (60, 30), fmt: str = "JPEG", mode: str = "RGB", **save: Any) -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _with_exif(size: tuple[int, int] = (60, 30), orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[MAKE_TAG] = "Phone of the sender"
    exif[ORIENTATION_TAG] = orientation
    exif[GPS_TAG] = {1: "N", 2: (35.0, 41.0, 0.0), 3: "E", 4: (51.0, 25.0, 0.0)}
    return _image(size, exif=exif.tobytes())


def _upload(data: bytes, name: str = "narges-mohammadi-from-her-sister.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _person_with(data: bytes, **fields: Any) -> Person:
    person = PersonFactory(**fields)
    person.photo = _upload(data)
    person.full_clean()
    person.save()
    person.refresh_from_db()
    return person


def test_a_new_photo_is_stored_without_metadata_upright_and_under_a_random_name() -> None:
    original = Image.open(io.BytesIO(_with_exif(orientation=6)))
    assert original.getexif()[MAKE_TAG] == "Phone of the sender"  # the upload does carry it
    person = _person_with(_with_exif(orientation=6))
    with person.photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert image.size == (30, 60)  # turned as its orientation tag said: 90° clockwise
    name = str(person.photo.name)
    assert "narges" not in name and name.endswith(".jpg")
    with person.photo_thumbnail.open("rb") as stored:
        thumbnail = Image.open(io.BytesIO(stored.read()))
        assert not thumbnail.getexif()
        assert max(thumbnail.size) <= photos.THUMBNAIL_EDGE


def test_large_photos_are_scaled_down_and_transparent_ones_put_on_white() -> None:
    person = _person_with(_image((2000, 1000), fmt="PNG", mode="RGBA"))
    with person.photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.size == (photos.FULL_EDGE, photos.FULL_EDGE // 2)
        assert image.mode == "RGB"
        pixel = image.getpixel((10, 10))  # half-transparent red on white: light red
        assert isinstance(pixel, tuple) and pixel[0] > 200 and pixel[1] > 100
    with person.photo_thumbnail.open("rb") as stored:
        assert Image.open(io.BytesIO(stored.read())).size == (
            photos.THUMBNAIL_EDGE,
            photos.THUMBNAIL_EDGE // 2,
        )


def test_removing_the_photo_removes_the_thumbnail_and_other_saves_keep_them() -> None:
    person = _person_with(_image())
    name = person.photo.name
    person.summary_en = "Changed"
    person.save()
    person.refresh_from_db()
    assert person.photo.name == name and person.photo_thumbnail
    person.photo = ""
    person.save()
    person.refresh_from_db()
    assert not person.photo and not person.photo_thumbnail


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "photo_unreadable"),
        (_image(fmt="GIF"), "photo.gif", "photo_format"),
        (_image(fmt="BMP"), "photo.bmp", "photo_format"),
        (_image()[:200], "cut.jpg", "photo_unreadable"),
        (_image((8000, 6000), fmt="PNG"), "bomb.png", "photo_too_many_pixels"),
        (b"\xff" * (photos.PHOTO_MAX_BYTES + 1), "huge.jpg", "photo_too_large"),
    ],
    ids=["html", "gif", "bmp", "truncated", "too-many-pixels", "too-large"],
)
def test_what_is_not_a_photo_is_refused_with_a_clear_message_and_nothing_stored(
    data: bytes, name: str, code: str
) -> None:
    person = PersonFactory()
    person.photo = _upload(data, name)
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert refused.value.error_dict["photo"][0].code == code
    assert str(refused.value.message_dict["photo"][0])  # a message, in the reader's language
    # Saving without the form's check is refused too, before anything is written.
    with pytest.raises(ValidationError):
        person.save()
    assert not Person.objects.get(pk=person.pk).photo


def test_a_photo_is_served_to_those_who_may_see_the_person_and_to_no_one_else() -> None:
    public = _person_with(_image(), confidentiality="public")
    internal = _person_with(_image(), confidentiality="internal")
    anonymous, documenter = Client(), Client()
    documenter.force_login(staff())

    response = anonymous.get(f"/photos/{public.pk}.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _streamed(response).format == "JPEG"
    thumbnail = anonymous.get(f"/photos/{public.pk}/thumbnail.jpg")
    assert thumbnail.status_code == 200
    assert max(_streamed(thumbnail).size) <= photos.THUMBNAIL_EDGE

    assert anonymous.get(f"/photos/{internal.pk}.jpg").status_code == 404
    assert anonymous.get(f"/photos/{PersonFactory(confidentiality='public').pk}.jpg").status_code == 404
    seen = documenter.get(f"/photos/{internal.pk}.jpg")
    assert seen.status_code == 200 and seen["Cache-Control"] == "private, no-store"


def test_public_pages_and_the_api_link_the_served_photo_never_the_media_folder(client: Client) -> None:
    person = _person_with(_image(), confidentiality="public")
    page = client.get(f"/en/people/{person.pk}/").content.decode()
    assert f'src="/photos/{person.pk}.jpg"' in page
    assert "/media/" not in page
    directory = client.get("/en/people/").content.decode()
    assert f'src="/photos/{person.pk}/thumbnail.jpg"' in directory
    body = client.get(f"/api/v1/people/{person.pk}").json()
    assert body["photo_url"] == f"/photos/{person.pk}.jpg"


def test_a_photo_stored_directly_is_cleaned_too_and_the_copy_as_sent_deleted() -> None:
    person = PersonFactory()
    person.photo.save("from-the-family.jpg", ContentFile(_with_exif()), save=False)
    as_sent = str(person.photo.name)
    assert person.photo.storage.exists(as_sent)
    person.save()
    person.refresh_from_db()
    assert person.photo.name != as_sent and not person.photo.storage.exists(as_sent)
    with person.photo.open("rb") as stored:
        assert not Image.open(io.BytesIO(stored.read())).getexif()


def test_a_photo_stored_before_cleaning_existed_is_left_alone_by_other_saves() -> None:
    person = _person_with(_image())
    Person.objects.filter(pk=person.pk).update(photo="photos/legacy.gif", photo_thumbnail="")
    person.refresh_from_db()
    person.summary_en = "Changed"
    person.save()  # not refused, not touched: it is not a new photo
    person.refresh_from_db()
    assert person.photo.name == "photos/legacy.gif"


def test_the_refusal_reads_in_persian_for_a_persian_reader() -> None:
    person = PersonFactory()
    person.photo = _upload(_image(fmt="GIF"), "photo.gif")
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert (
        refused.value.message_dict["photo"][0]
        == "عکس با قالب JPEG، PNG یا WebP پذیرفته می‌شود؛ قالب این پرونده GIF است."
    )


def _stored_as_sent(data: bytes, **fields: Any) -> Person:
    """A person whose photo was stored before photos were cleaned: the file as sent, no thumbnail."""
    person = PersonFactory(**fields)
    name = default_storage.save("photos/from-the-family.jpg", ContentFile(data))
    Person.objects.filter(pk=person.pk).update(photo=name, photo_thumbnail="")
    person.refresh_from_db()
    return person


def test_clean_photos_writes_a_photo_stored_as_sent_again_without_metadata(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = _stored_as_sent(_with_exif(), confidentiality="public")
    as_sent = str(person.photo.name)
    out = io.StringIO()
    call_command("clean_photos", "--dry-run", stdout=out)
    assert f"#{person.pk}: {as_sent}" in out.getvalue() and "1 photo to clean." in out.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_photos", stdout=out)
    person.refresh_from_db()
    assert "1 photo cleaned." in out.getvalue()
    assert person.photo.name != as_sent and person.photo_thumbnail
    assert not default_storage.exists(as_sent)
    with person.photo.open("rb") as stored:
        assert not Image.open(io.BytesIO(stored.read())).getexif()
    latest = person.history.latest()
    assert latest.history_change_reason == clean_photos.REASON and latest.photo == person.photo.name
    assert AuditEntry.objects.filter(object_id=str(person.pk), reason=clean_photos.REASON).exists()
    assert not photos.photos_stored_as_sent().exists()
    assert Client().get(f"/photos/{person.pk}.jpg").status_code == 200


def test_clean_photos_says_nothing_when_there_is_nothing_to_clean() -> None:
    """``vigil setup`` runs it every time: no "0 photos cleaned." line unless asked to be verbose."""
    PersonFactory()
    quiet, verbose = io.StringIO(), io.StringIO()
    call_command("clean_photos", stdout=quiet)
    call_command("clean_photos", verbosity=2, stdout=verbose)
    assert (quiet.getvalue(), verbose.getvalue()) == ("", "0 photos cleaned.\n")


def test_a_photo_stored_as_sent_is_served_to_staff_only_until_cleaned_and_one_not_readable_is_named() -> None:
    person = _stored_as_sent(b"GIF89a not a photo at all", confidentiality="public")
    documenter = Client()
    documenter.force_login(staff())
    assert Client().get(f"/photos/{person.pk}.jpg").status_code == 404
    assert Client().get(f"/photos/{person.pk}/thumbnail.jpg").status_code == 404
    assert documenter.get(f"/photos/{person.pk}.jpg").status_code == 200
    # Nor do the public pages and the API link it.
    for page in (Client().get(f"/en/people/{person.pk}/"), Client().get("/en/people/")):
        assert page.status_code == 200 and f"/photos/{person.pk}" not in page.content.decode()
    assert Client().get(f"/api/v1/people/{person.pk}").json()["photo_url"] is None

    with pytest.raises(CommandError) as failed:
        call_command("clean_photos", stdout=io.StringIO())
    assert f"#{person.pk} (photos/from-the-family" in str(failed.value)
    assert "not an image that can be read" in str(failed.value)
    unchanged = Person.objects.get(pk=person.pk)
    assert unchanged.photo.name == person.photo.name and not unchanged.photo_thumbnail
    assert default_storage.exists(str(person.photo.name))
    assert person.history.count() == unchanged.history.count()
