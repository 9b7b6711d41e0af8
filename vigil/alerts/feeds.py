"""The internal Atom feed of alerts, for campaigners' feed readers.

Feed readers cannot sign in, so besides a staff session the feed accepts a personal token in its URL
(``?token=``): an HMAC of the user's id and password hash, so changing the password revokes it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.actors import is_staff_member
from vigil.accounts.models import User
from vigil.alerts.models import Alert, RiskKind
from vigil.alerts.selectors import alerts_for

FEED_PERMISSION = "alerts.view_alert"
_TOKEN_SALT = "vigil.alerts.feed"  # noqa: S105 - a key-derivation salt, not a secret
FEED_SIZE = 100


def feed_token(user: User) -> str:
    """The token that lets ``user``'s feed reader read the feed."""
    digest = salted_hmac(_TOKEN_SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()
    return f"{user.pk}-{digest[:40]}"


def user_for_feed_token(token: str) -> User | None:
    user_id, _sep, _digest = token.partition("-")
    if not user_id.isdigit():
        return None
    user = User.objects.filter(pk=int(user_id), is_active=True).first()
    if user is None or not is_staff_member(user) or not constant_time_compare(feed_token(user), token):
        return None
    return user


class AlertFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Vigil: prisoners at risk")
    subtitle = gettext_lazy(
        "People entering and leaving risk states, newest first. Internal: do not forward."
    )
    link = reverse_lazy("alerts:alert-list")
    description_template = "alerts/feed_item.html"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> User:
        return request.user  # type: ignore[return-value]  # the view below lets only users through

    def items(self, obj: User) -> list[Alert]:
        return list(alerts_for(viewer=obj)[:FEED_SIZE])

    def item_title(self, item: Alert) -> str:
        rule = RiskKind(item.rule.kind).label
        if item.change == Alert.Change.ENTERED:
            return _("%(person)s: %(rule)s") % {"person": item.person.display_name("en"), "rule": rule}
        return _("%(person)s: no longer %(rule)s") % {"person": item.person.display_name("en"), "rule": rule}

    def item_link(self, item: Alert) -> str:
        return reverse("alerts:alert-detail", args=[item.pk])

    def item_guid(self, item: Alert) -> str:
        return f"urn:vigil:alert:{item.idempotency_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Alert) -> Any:
        return item.created_at

    def item_updateddate(self, item: Alert) -> Any:
        return item.created_at


def alert_feed(request: HttpRequest) -> HttpResponse:
    """The feed for a signed-in staff member or a valid ``?token=``; 401 otherwise."""
    user: User | None = (
        request.user if isinstance(request.user, User) and is_staff_member(request.user) else None
    )
    if user is None and (token := request.GET.get("token")):
        user = user_for_feed_token(token)
    if user is None:
        response = HttpResponse(
            _("Sign in to the staff workspace, or use your personal feed link."), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="vigil-alerts"'
        return response
    if not user.has_perm(FEED_PERMISSION):
        return HttpResponse(_("Your role does not include reading alerts."), status=403)
    request.user = user
    return AlertFeed()(request)
