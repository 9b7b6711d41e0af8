"""Uploaded files in an S3-compatible bucket (``VIGIL_S3_BUCKET``): the settings the environment gives, and
evidence and photos stored, hashed, read and served through a real S3 HTTP server (moto's, on a local
port), private, never overwritten."""

from __future__ import annotations

import hashlib
import io
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from moto.server import ThreadedMotoServer
from PIL import Image

from tests.factories import PersonFactory, SourceFactory
from vigil.settings.storage import S3_BACKEND, SIGNED_LINK_SECONDS, file_storage
from vigil.sources.models import Source

pytestmark = pytest.mark.django_db
BUCKET = "vigil-evidence"
KEYS = {"access_key": "test-key", "secret_key": "test-secret", "region_name": "us-east-1"}


def test_no_bucket_means_the_local_folder_and_a_bucket_means_private_signed_objects() -> None:
    assert file_storage({}) is None
    assert file_storage({"VIGIL_S3_BUCKET": "  "}) is None
    configured = file_storage(
        {
            "VIGIL_S3_BUCKET": BUCKET,
            "VIGIL_S3_ENDPOINT_URL": "https://minio.example.org",
            "VIGIL_S3_ACCESS_KEY_ID": "id",
            "VIGIL_S3_SECRET_ACCESS_KEY": "secret",
            "VIGIL_S3_PREFIX": "vigil",
        }
    )
    assert configured is not None
    options = configured["OPTIONS"]
    assert configured["BACKEND"] == S3_BACKEND
    assert options["bucket_name"] == BUCKET and options["location"] == "vigil"
    assert options["endpoint_url"] == "https://minio.example.org"
    assert (options["access_key"], options["secret_key"]) == ("id", "secret")
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] == SIGNED_LINK_SECONDS and options["file_overwrite"] is False
    assert "region_name" not in options  # not set, the library's default


@pytest.fixture
def bucket() -> Iterator[Any]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its buckets per process, not per server: start each test from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))  # noqa: S310
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test-key",
                          aws_secret_access_key="test-secret", region_name="us-east-1")  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    storage = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {**file_storage({"VIGIL_S3_BUCKET": BUCKET})["OPTIONS"], "endpoint_url": endpoint, **KEYS},  # type: ignore[index]
    }
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    try:
        with override_settings(STORAGES={"default": storage, "staticfiles": staticfiles}):
            yield client
    finally:
        server.stop()


def _objects(client: Any) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read() for item in listed}


def test_evidence_goes_to_the_bucket_hashed_private_and_never_overwritten(bucket: Any) -> None:
    first = SourceFactory(archived_file=SimpleUploadedFile("post.png", b"first capture"))
    second = SourceFactory(archived_file=SimpleUploadedFile("post.png", b"second capture"))
    stored = _objects(bucket)
    assert stored[str(first.archived_file.name)] == b"first capture"
    assert stored[str(second.archived_file.name)] == b"second capture"
    assert first.archived_file.name != second.archived_file.name
    assert first.archived_sha256 == hashlib.sha256(b"first capture").hexdigest()
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=str(first.archived_file.name))["Grants"]
    assert not [grant for grant in grants if "AllUsers" in str(grant.get("Grantee", {}).get("URI", ""))]
    link = Source.objects.get(pk=first.pk).archived_file.url
    assert "Signature=" in link or "X-Amz-Signature=" in link  # a signed, expiring link
    with Source.objects.get(pk=first.pk).archived_file.open("rb") as read_back:
        assert read_back.read() == b"first capture"


def test_a_photo_is_cleaned_into_the_bucket_and_served_from_it(bucket: Any) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (50, 40), (10, 120, 200)).save(picture, format="PNG")
    person = PersonFactory(confidentiality="public")
    person.photo = SimpleUploadedFile("from-the-family.png", picture.getvalue())
    person.full_clean()
    person.save()
    stored = _objects(bucket)
    assert len(stored) == 2  # the photo and its thumbnail, nothing as sent
    assert all(key.endswith(".jpg") and "family" not in key for key in stored)
    response = Client().get(f"/photos/{person.pk}.jpg")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert served == stored[str(person.photo.name)]
    assert Image.open(io.BytesIO(served)).size == (50, 40)
