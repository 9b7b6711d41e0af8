"""Settings for ``benchmarks/serve.py``: production-like (no debug, the default per-process cache) on
loopback over plain HTTP, with the SQLite database in ``VIGIL_DATA_DIR``."""

from vigil.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "benchmark-only-" + "z" * 50
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The default per-process cache, with room for every profile page (Django's default keeps 300 entries).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
