"""Atom feeds of the public record: people and events added or changed, and reported figures.

Feed items say only what the public pages say (the same selectors, read as the public).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.people.models import Person
from vigil.public.selectors import Change, figures_listed, recent_changes
from vigil.public.templatetags.public import bi, fuzzy
from vigil.reports.render.words import qualified
from vigil.sources.models import ReportedFigure

FEED_SIZE = 50


class RecordsFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Vigil: new and changed records")
    subtitle = gettext_lazy("People and events added to the public record or changed, newest first.")

    def link(self) -> str:
        return reverse("public:directory")

    def items(self) -> list[Change]:
        return recent_changes(viewer=None, limit=FEED_SIZE)

    def item_title(self, item: Change) -> str:
        name = item.record.display_name() if isinstance(item.record, Person) else bi(item.record, "title")
        return (_("New: %(name)s") if item.is_new else _("Updated: %(name)s")) % {"name": name}

    def item_description(self, item: Change) -> str:
        if isinstance(item.record, Person):
            return bi(item.record, "summary")
        return bi(item.record, "description")

    def item_link(self, item: Change) -> str:
        name = "public:person" if item.kind == "person" else "public:event"
        return reverse(name, args=[item.record.pk])

    def item_guid(self, item: Change) -> str:
        # A new entry for every change, so feed readers show the update.
        return f"{self.item_link(item)}#{item.changed_at.isoformat()}"

    def item_guid_is_permalink(self, item: Change) -> bool:
        return False

    def item_updateddate(self, item: Change) -> dt.datetime:
        return item.changed_at

    def item_pubdate(self, item: Change) -> dt.datetime:
        return item.created_at


class FiguresFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Vigil: figures reported by sources")
    subtitle = gettext_lazy("Aggregate figures published by monitoring groups and media, as they word them.")

    def link(self) -> str:
        return reverse("public:statistics")

    def items(self) -> list[ReportedFigure]:
        return list(figures_listed(viewer=None)[:FEED_SIZE])

    def item_title(self, item: ReportedFigure) -> str:
        return _("%(source)s: %(value)s %(metric)s (to %(date)s)") % {
            "source": bi(item.source.publisher, "name") if item.source.publisher else item.source.title,
            "value": qualified(item.qualifier, item.value),
            "metric": bi(item.metric, "name"),
            "date": fuzzy(item.period_end),
        }

    def item_description(self, item: ReportedFigure) -> str:
        return str(item.value_text or item.source.title)

    def item_link(self, item: ReportedFigure) -> str:
        return f"{reverse('public:statistics')}#figure-{item.pk}"

    def item_guid(self, item: ReportedFigure) -> str:
        return f"{self.item_link(item)}@{item.updated_at.isoformat()}"

    def item_guid_is_permalink(self, item: ReportedFigure) -> bool:
        return False

    def item_updateddate(self, item: ReportedFigure) -> dt.datetime:
        return item.updated_at

    def item_pubdate(self, item: ReportedFigure) -> dt.datetime:
        return item.created_at
