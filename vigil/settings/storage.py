"""Where uploaded files (archived evidence, photos) are kept: a folder under the data directory by default,
an S3-compatible bucket (Amazon S3, MinIO, Ceph, Garage ...) when ``VIGIL_S3_BUCKET`` is set, so that several
stateless app servers share them.

Objects are private (no public ACL) and links to them are signed and expire after five minutes: nothing in
the bucket is readable without the credentials, and Vigil serves photos itself, with the reader's rights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"
SIGNED_LINK_SECONDS = 300


def file_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The ``STORAGES["default"]`` entry the environment asks for; None for the local folder."""
    bucket = environ.get("VIGIL_S3_BUCKET", "").strip()
    if not bucket:
        return None
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": SIGNED_LINK_SECONDS,
        # Two uploads of the same name never replace each other: evidence is never overwritten.
        "file_overwrite": False,
    }
    for option, variable in (
        ("endpoint_url", "VIGIL_S3_ENDPOINT_URL"),
        ("region_name", "VIGIL_S3_REGION"),
        ("access_key", "VIGIL_S3_ACCESS_KEY_ID"),
        ("secret_key", "VIGIL_S3_SECRET_ACCESS_KEY"),
        ("location", "VIGIL_S3_PREFIX"),
    ):
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
