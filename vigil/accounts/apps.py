from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vigil.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from vigil.accounts.two_factor import forget_verification

        # Every password sign-in asks for the second factor again, whatever the session held before.
        user_logged_in.connect(forget_verification, dispatch_uid="vigil.accounts.forget_two_factor")
