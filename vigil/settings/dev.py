"""Development and laptop use: ``make run``. Debug on, loopback only."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("VIGIL_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# On a laptop the field-encryption key file is created on first use (`vigil setup` creates it anyway).
VIGIL_FIELD_KEY_AUTOCREATE = True
