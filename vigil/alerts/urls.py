"""``/staff/alerts/``: included before the admin in ``vigil/urls.py``. Every page but the feed goes through the
admin site's ``admin_view`` (staff sign-in); the feed does its own authentication for feed readers."""

from django.contrib import admin
from django.urls import path

from vigil.alerts import views
from vigil.alerts.feeds import alert_feed

app_name = "alerts"

urlpatterns = [
    path("", admin.site.admin_view(views.watchlist_view), name="watchlist"),
    path("watchlist/add/", admin.site.admin_view(views.watchlist_add_view), name="watchlist-add"),
    path(
        "watchlist/<int:person_id>/remove/",
        admin.site.admin_view(views.watchlist_remove_view),
        name="watchlist-remove",
    ),
    path("alerts/", admin.site.admin_view(views.alert_list_view), name="alert-list"),
    path("alerts/<int:pk>/", admin.site.admin_view(views.alert_detail_view), name="alert-detail"),
    path(
        "alerts/<int:pk>/acknowledge/",
        admin.site.admin_view(views.alert_acknowledge_view),
        name="alert-acknowledge",
    ),
    path("feed/", alert_feed, name="feed"),
    path("people/<int:person_id>/sheet/", admin.site.admin_view(views.sheet_view), name="sheet"),
    path("people/<int:person_id>/sheet.pdf", admin.site.admin_view(views.sheet_pdf_view), name="sheet-pdf"),
]
