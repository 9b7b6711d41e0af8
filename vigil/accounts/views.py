"""The two-factor page: enrol an authenticator at the first sign-in, give a code at every sign-in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from vigil.accounts.backends import is_locked_out, tell_locked_out
from vigil.accounts.forms import CodeForm
from vigil.accounts.models import User
from vigil.accounts.two_factor import (
    device_of,
    mark_verified,
    provisioning_qr_svg,
    provisioning_uri,
    two_factor_check,
    two_factor_enrolment_begin,
)


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _to_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': _next_url(request)})}")


class TwoFactorView(View):
    template_name = "accounts/two_factor.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not isinstance(request.user, User) or not request.user.is_authenticated:
            return _to_sign_in(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in(request)
        form = CodeForm(request.POST)
        if is_locked_out(username=user.get_username(), request=request):
            return self._locked(request)
        if form.is_valid() and two_factor_check(user=user, code=form.cleaned_data["code"]):
            mark_verified(request)
            return HttpResponseRedirect(_next_url(request))
        if is_locked_out(username=user.get_username(), request=request):
            return self._locked(request)
        form.add_error(
            "code",
            _(
                "That code is not right, or was already used. Check the clock of your phone and type the code now shown."
            ),
        )
        return self._page(request, form)

    def _locked(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        tell_locked_out(request)
        return _to_sign_in(request)

    def _page(self, request: HttpRequest, form: CodeForm) -> HttpResponse:
        user = _signed_in(request)
        device = device_of(user)
        context: dict[str, Any] = {
            **admin.site.each_context(request),
            # No staff links (nor the sidebar of apps) until the second factor is given.
            "has_permission": False,
            "is_nav_sidebar_enabled": False,
            "available_apps": [],
            "title": _("Two-factor sign-in"),
            "form": form,
            "next": _next_url(request),
        }
        if device is None or device.confirmed_at is None:
            device = two_factor_enrolment_begin(user=user)
            secret = device.secret
            context.update(
                enrolling=True,
                qr_svg=provisioning_qr_svg(device),
                secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                uri=provisioning_uri(device),
            )
            messages.info(
                request, _("Your role signs in with a second factor. Set up an authenticator app once.")
            )
        return render(request, self.template_name, context)
