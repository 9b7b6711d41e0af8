"""The test suite: SQLite in a temporary file unless ``DATABASE_URL`` points at PostgreSQL."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_config

DEBUG = False
SECRET_KEY = "test-only-" + "y" * 50
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": database_config(Path(tempfile.gettempdir()) / "vigil-test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production uses argon2
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="vigil-test-media-"))
# A fixed field-encryption key, test-only (production keys come from the environment or var/field-keys).
VIGIL_FIELD_KEYS = ["ZIheeKId_vRmc3tTsE6CTnKSnSTfERbvGmDJ34UBY6k="]
# View tests sign staff in with force_login; tests/accounts and tests/security turn the second factor on.
VIGIL_TWO_FACTOR_REQUIRED = False
