"""Staff report URLs, mounted at ``/staff/reports/`` by ``vigil/urls.py``; the admin site's own login and
permission checks guard them."""

from django.contrib import admin
from django.urls import path

from vigil.reports.views import report_page

app_name = "reports"
urlpatterns = [
    path("", admin.site.admin_view(report_page), name="report"),
]
