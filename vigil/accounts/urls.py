from django.urls import path

from vigil.accounts.views import TwoFactorView

app_name = "accounts"
urlpatterns = [path("two-factor/", TwoFactorView.as_view(), name="two_factor")]
