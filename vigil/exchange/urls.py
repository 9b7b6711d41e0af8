"""Staff screens for imports, under /staff/exchange/ (signed-in staff only, like the rest of /staff/)."""

from django.urls import path

from vigil.exchange.views import (
    BatchActionView,
    BatchListView,
    BatchRowsView,
    BatchView,
    MappingView,
    UploadView,
    admin_wrapped,
)

app_name = "exchange"

urlpatterns = [
    path("", admin_wrapped(BatchListView), name="batches"),
    path("upload/", admin_wrapped(UploadView), name="upload"),
    path("mapping/", admin_wrapped(MappingView), name="mapping"),
    path("imports/<int:pk>/", admin_wrapped(BatchView), name="batch"),
    path("imports/<int:pk>/run/", admin_wrapped(BatchActionView), name="batch_run"),
    path("imports/<int:pk>/rows.csv", admin_wrapped(BatchRowsView), name="batch_rows"),
]
