"""Settings shared by every environment.

Environment variables read here (all optional in development):
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/vigil``; default is SQLite in ``var/vigil.sqlite3``.
- ``VIGIL_DATA_DIR``: where the SQLite database and uploaded evidence live (default ``./var``).
- ``VIGIL_S3_BUCKET`` (and ``VIGIL_S3_ENDPOINT_URL``, ``_REGION``, ``_ACCESS_KEY_ID``, ``_SECRET_ACCESS_KEY``,
  ``_PREFIX``): keep uploaded files in an S3-compatible bucket instead (``storage.py``).
- ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` (1 or 0),
  ``DEFAULT_FROM_EMAIL``: the mail server alerts are sent through; ``VIGIL_BASE_URL``: the site's address,
  for links in alerts (``https://vigil.example.org``).
- ``VIGIL_IMPORT_MAX_BYTES``: the largest file an import accepts (default 200 MB).
"""

import os
from pathlib import Path

import dj_database_url
import fontpkg_ibm_plex_sans_arabic  # type: ignore[import-untyped]
from django.utils.translation import gettext_lazy as _

from vigil.settings.storage import file_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("VIGIL_DATA_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    # The staff workspace comes before the admin so its templates (admin/base_site.html ...) take
    # precedence; the admin itself runs with Vigil's site (title, intake view, language switcher).
    "vigil.staff",
    "vigil.staff.sites.VigilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "vigil.core",
    "vigil.accounts",
    "vigil.audit",
    "vigil.places",
    "vigil.organizations",
    "vigil.people",
    "vigil.sources",
    "vigil.events",
    "vigil.custody",
    "vigil.matching",
    "vigil.reports",
    "vigil.alerts",
    "vigil.exchange",
    "ninja",
    "vigil.search",
    "vigil.public",
    "vigil.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vigil.core.middleware.ContentSecurityPolicyMiddleware",
    "vigil.api.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vigil.audit.middleware.AuditMiddleware",
    "vigil.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "vigil.urls"
WSGI_APPLICATION = "vigil.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_config(default_sqlite_path: Path) -> dict[str, object]:
    """SQLite (WAL) by default; PostgreSQL (or another engine) when ``DATABASE_URL`` is set."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite_path,
        # WAL lets readers work while a documenter saves; IMMEDIATE avoids "database is locked" upgrades; a
        # write waits up to 20 s for another's transaction (an import's chunk lasts about 3 s) instead of 5.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_config(DATA_DIR / "vigil.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "vigil" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Fonts come from a pinned PyPI package, never from a font service (principle 7).
STATICFILES_DIRS = [("fonts", fontpkg_ibm_plex_sans_arabic.ROOT / "files")]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files in that folder, or in an S3-compatible bucket when VIGIL_S3_BUCKET is set (storage.py).
STORAGES = {
    "default": file_storage(os.environ) or {"BACKEND": "vigil.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Alerts' mail and links.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vigil@localhost")
VIGIL_BASE_URL = os.environ.get("VIGIL_BASE_URL", "")
VIGIL_IMPORT_MAX_BYTES = int(os.environ.get("VIGIL_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))

# Uploaded evidence beyond this is refused rather than half-read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = False

# Authentication, sessions, headers, field encryption, lockout: see vigil/settings/security.py.
from .security import *  # noqa: E402, F403
