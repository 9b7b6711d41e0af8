"""WSGI entry point for production servers (gunicorn and the like)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings.production")
application = get_wsgi_application()
