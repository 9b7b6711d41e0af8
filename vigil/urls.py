from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from vigil.api.main import api
from vigil.public.views import no_icon, person_photo
from vigil.sources.views import stored_file

urlpatterns = [
    path("favicon.ico", no_icon),  # browsers ask every page for it; Vigil has none, and says so once a day
    # The public site, at /fa/ and /en/ (/ redirects to the reader's language); first, as it takes the
    # most requests and is the cheapest to resolve.
    *i18n_patterns(path("", include("vigil.public.urls"))),
    path("api/v1/", api.urls),
    path("photos/<int:person_id>.jpg", person_photo, name="person-photo"),
    path("photos/<int:person_id>/thumbnail.jpg", person_photo, {"thumbnail": True}, name="person-thumbnail"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("vigil.accounts.urls")),
    # Before the admin, which owns every other path under staff/.
    path("staff/alerts/", include("vigil.alerts.urls")),
    path("staff/reports/", include("vigil.reports.urls")),
    path("staff/exchange/", include("vigil.exchange.urls")),
    # Uploaded files (archived evidence) for staff who may see them; the media folder is served to nobody.
    path("staff/files/<path:name>", stored_file, name="stored-file"),
    path("staff/", admin.site.urls),
]
